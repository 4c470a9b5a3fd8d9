"""GS1 identifiers: EPC URN ⇄ canonical Digital Link, check digits, classes, non-GS1 pass-through."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reference import reference_path
from zhuisu.domain import epc

# --------------------------------------------------------------------------- known conversions
# Worked examples of GS1 TDS 2.x (URN) and their GS1 Digital Link element strings.

URN_TO_DL = [
    ("urn:epc:id:sgtin:0614141.107346.2017", "https://id.gs1.org/01/10614141073464/21/2017"),
    ("urn:epc:id:sscc:0614141.1234567890", "https://id.gs1.org/00/106141412345678908"),
    ("urn:epc:id:sgln:0614141.12345.400", "https://id.gs1.org/414/0614141123452/254/400"),
    ("urn:epc:id:sgln:0614141.12345.0", "https://id.gs1.org/414/0614141123452"),
    ("urn:epc:id:pgln:0614141.12345", "https://id.gs1.org/417/0614141123452"),
    ("urn:epc:id:grai:0614141.12345.400", "https://id.gs1.org/8003/00614141123452400"),
    ("urn:epc:id:giai:0614141.12345400", "https://id.gs1.org/8004/061414112345400"),
    ("urn:epc:id:gsrn:0614141.1234567890", "https://id.gs1.org/8018/061414112345678902"),
    ("urn:epc:id:gsrnp:0614141.1234567890", "https://id.gs1.org/8017/061414112345678902"),
    ("urn:epc:id:gdti:0614141.12345.400", "https://id.gs1.org/253/0614141123452400"),
    ("urn:epc:id:cpi:0614141.123ABC.123456789", "https://id.gs1.org/8010/0614141123ABC/8011/123456789"),
    ("urn:epc:id:cpi:0614141.5PQ7%2FZ43.12345", "https://id.gs1.org/8010/06141415PQ7%2FZ43/8011/12345"),
    ("urn:epc:id:sgcn:4012345.67890.04711", "https://id.gs1.org/255/401234567890104711"),
    ("urn:epc:id:ginc:0614141.xyz3311cba", "https://id.gs1.org/401/0614141xyz3311cba"),
    ("urn:epc:id:gsin:0614141.123456789", "https://id.gs1.org/402/06141411234567890"),
    ("urn:epc:id:itip:4012345.012345.01.02.987", "https://id.gs1.org/8006/040123451234560102/21/987"),
    (
        "urn:epc:id:upui:1234567.098765.51qIgY)%3C%26Jp3*j7'SDB",
        "https://id.gs1.org/01/01234567987651/235/51qIgY%29%3C%26Jp3%2Aj7'SDB",
    ),
    ("urn:epc:class:lgtin:4012345.012345.998877", "https://id.gs1.org/01/04012345123456/10/998877"),
    ("urn:epc:idpat:sgtin:4012345.012345.*", "https://id.gs1.org/01/04012345123456"),
    ("urn:epc:idpat:grai:0614141.12345.*", "https://id.gs1.org/8003/00614141123452"),
    ("urn:epc:idpat:gdti:0614141.12345.*", "https://id.gs1.org/253/0614141123452"),
    ("urn:epc:idpat:sgcn:4012345.67890.*", "https://id.gs1.org/255/4012345678901"),
    ("urn:epc:idpat:cpi:0614141.123ABC.*", "https://id.gs1.org/8010/0614141123ABC"),
    ("urn:epc:idpat:itip:4012345.012345.01.02.*", "https://id.gs1.org/8006/040123451234560102"),
]


@pytest.mark.parametrize(("urn", "dl"), URN_TO_DL)
def test_urn_to_canonical_digital_link(urn: str, dl: str) -> None:
    assert epc.canonical(urn) == dl
    assert epc.to_digital_link(urn) == dl
    assert epc.canonical(dl) == dl  # the canonical form is a fixed point
    assert epc.is_gs1_key(urn) and epc.is_gs1_key(dl)


@pytest.mark.parametrize(("urn", "dl"), URN_TO_DL)
def test_digital_link_back_to_urn_with_company_prefix_length(urn: str, dl: str) -> None:
    gcp_length = len(urn.split(":")[4].split(".", maxsplit=1)[0])
    expected = urn.replace("urn:epc:idpat:upui:", "urn:epc:idpat:sgtin:")  # a GTIN class either way
    assert epc.to_urn(dl, gcp_length) == expected
    assert epc.to_urn(urn) == expected
    assert epc.to_urn(dl) is None  # the company prefix length is not in the key


@pytest.mark.parametrize(
    "variant",
    [
        "https://id.gs1.org/01/09506000134352/21/123",
        "https://example.com/01/09506000134352/21/123",
        "http://example.com/01/09506000134352/21/123",
        "HTTPS://Example.COM/01/09506000134352/21/123",
        "https://example.com/01/9506000134352/21/123",  # GTIN-13, padded to 14 digits
        "https://example.com/gtin/09506000134352/ser/123",  # DL short names
        "https://example.com/01/09506000134352/21/123?17=201231&3103=000195",  # data attributes
        "https://example.com/01/09506000134352/21/123/",
        "https://example.com/01/09506000134352/21/123#top",
        "https://brand.example.cn/shop/p/01/09506000134352/21/123",  # custom path before the key
        "https://example.com/01/09506000134352/10/LOT1/21/123",  # lot dropped when a serial is present
        "https://example.com/01/09506000134352/21/123/10/LOT1",  # qualifiers in another order
        "https://example.com/01/09506000134352/22/CPV9/10/LOT1/21/123",  # CPV dropped
        "https://example.com/01/09506000134352/lot/LOT1/cpv/CPV9/ser/123",
    ],
)
def test_digital_link_variants_share_one_canonical_form(variant: str) -> None:
    assert epc.canonical(variant) == "https://id.gs1.org/01/09506000134352/21/123"


@pytest.mark.parametrize(
    ("dl", "canonical"),
    [
        ("https://example.com/01/95012346", "https://id.gs1.org/01/00000095012346"),  # GTIN-8
        ("https://example.com/01/614141000036", "https://id.gs1.org/01/00614141000036"),  # GTIN-12
        ("https://example.com/01/09506000134352/10/ABC", "https://id.gs1.org/01/09506000134352/10/ABC"),
        ("https://example.com/414/0614141123452/254/0", "https://id.gs1.org/414/0614141123452"),
        ("https://example.com/8018/061414112345678902/8019/12", "https://id.gs1.org/8018/061414112345678902"),
        ("https://example.org/8004/401234599999", "https://id.gs1.org/8004/401234599999"),
        ("https://example.com/253/4012345000054987", "https://id.gs1.org/253/4012345000054987"),
        ("https://example.com/01/09506000134352/21/A%2fB", "https://id.gs1.org/01/09506000134352/21/A%2FB"),
    ],
)
def test_digital_link_canonical_forms(dl: str, canonical: str) -> None:
    assert epc.canonical(dl) == canonical


@pytest.mark.parametrize(
    "value",
    [
        "urn:epc:id:adi:2.123.%231-A9",  # an EPC scheme without a GS1 key
        "urn:epc:id:gid:95100000.12345.400",
        "urn:epc:idpat:sgtin:4012345.*.*",  # a pattern over a whole company: no single key
        "urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8",
        "https://example.com/products/12345",
        "https://accreditation-council.example.org/certificate/ABC12345",
        "https://example.com/01/shop",  # no GTIN shape after the 01
        "https://id.gs1.org/AQnYUc1gNyM",  # compressed Digital Link: not decoded
        "81234567890123456789",  # an NMPA drug trace code
        "1.3.6.1.4.1.2021",
        "zhuisu:trace:310115001:0001",
        "",
    ],
)
def test_non_gs1_values_pass_unchanged(value: str) -> None:
    assert epc.canonical(value) == value
    assert epc.to_digital_link(value) == value
    assert not epc.is_gs1_key(value)
    assert epc.epc_class(value) is None
    assert epc.to_urn(value, 7) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("https://example.com/01/09506000134353/21/1", "check digit"),
        ("https://example.com/00/106141412345678907", "check digit"),
        ("https://example.com/414/0614141123453", "check digit"),
        ("urn:epc:id:sgtin:0614141.10734.2017", "13 digits"),  # company + item reference too short
        ("urn:epc:id:sgtin:06141.1073461.2017", "6-12 digits"),  # company prefix too short
        ("urn:epc:id:sgtin:0614141.107346.ABCDEFGHIJKLMNOPQRSTU", "set 82"),  # serial > 20 chars
        ("urn:epc:id:sgtin:0614141.107346.%7E", "set 82"),  # '~' is not a GS1 character
        ("urn:epc:id:sgtin:0614141.107346.50%", "percent-escape"),
        ("urn:epc:id:sscc:0614141.123456789", "17 digits"),
        ("urn:epc:id:sgtin:0614141.107346", "3 dot-separated fields"),
        ("https://example.com/01/09506000134352/21/1/21/2", "twice"),
        ("https://example.com/01/09506000134352/21/1/235/2", "third-party"),
    ],
)
def test_malformed_gs1_keys_raise(value: str, message: str) -> None:
    assert epc.is_gs1_key(value)
    with pytest.raises(ValueError, match=message):
        epc.canonical(value)


@pytest.mark.parametrize(
    ("value", "cls"),
    [
        ("urn:epc:id:sgtin:0614141.107346.2017", "https://id.gs1.org/01/10614141073464"),
        ("https://example.com/01/09506000134352/10/L1/21/9", "https://id.gs1.org/01/09506000134352"),
        ("urn:epc:class:lgtin:4012345.012345.998877", "https://id.gs1.org/01/04012345123456/10/998877"),
        ("urn:epc:idpat:sgtin:4012345.012345.*", "https://id.gs1.org/01/04012345123456"),
        ("urn:epc:id:upui:1234567.098765.X1", "https://id.gs1.org/01/01234567987651"),
        ("urn:epc:id:itip:4012345.012345.01.02.987", "https://id.gs1.org/8006/040123451234560102"),
        ("urn:epc:id:grai:0614141.12345.400", "https://id.gs1.org/8003/00614141123452"),
        ("urn:epc:id:gdti:0614141.12345.400", "https://id.gs1.org/253/0614141123452"),
        ("urn:epc:id:sgcn:4012345.67890.04711", "https://id.gs1.org/255/4012345678901"),
        ("urn:epc:id:cpi:0614141.123ABC.123456789", "https://id.gs1.org/8010/0614141123ABC"),
        ("urn:epc:id:sscc:0614141.1234567890", None),
        ("urn:epc:id:sgln:0614141.12345.400", None),
        ("urn:epc:id:giai:0614141.12345400", None),
    ],
)
def test_epc_class(value: str, cls: str | None) -> None:
    assert epc.epc_class(value) == cls


def test_to_urn_limits() -> None:
    dl = "https://id.gs1.org/01/10614141073464/21/2017"
    with pytest.raises(ValueError, match="6-12"):
        epc.to_urn(dl, 5)
    assert epc.to_urn("https://id.gs1.org/8006/040123451234560102/10/L1", 7) is None  # ITIP + lot
    assert epc.to_urn("https://id.gs1.org/8003/10614141123459400", 7) is None  # no filler zero
    with pytest.raises(ValueError, match="does not fit"):
        epc.to_urn("https://id.gs1.org/8004/0614141", 7)  # GIAI without an asset reference


def test_escaping_round_trips() -> None:
    # TDS §7: " % & / < > ? are %-escaped in a URN; DL percent-encodes every non-safe character.
    urn = "urn:epc:id:sgtin:0614141.107346.A%2FB%22C%25D%26!(:)*+,;='._"
    dl = epc.canonical(urn)
    assert dl == "https://id.gs1.org/01/10614141073464/21/A%2FB%22C%25D%26%21%28%3A%29%2A%2B%2C;='._"
    assert epc.to_urn(dl, 7) == urn
    assert epc.canonical("urn:epc:id:sgtin:0614141.107346.%41%62") == epc.canonical(
        "urn:epc:id:sgtin:0614141.107346.Ab"
    )


@pytest.mark.parametrize(
    ("body", "digit"),
    [("950600013435", "2"), ("1061414107346", "4"), ("10614141234567890", "8"), ("061414112345", "2")],
)
def test_check_digit(body: str, digit: str) -> None:
    assert epc.check_digit(body) == digit


# --------------------------------------------------------------------------- properties

CSET82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
CSET39 = "#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def digits(size: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=size, max_size=size)


def urn_escape(value: str) -> str:
    return "".join(f"%{ord(c):02X}" if c in '"%&/<>?#' else c for c in value)


def serial(max_size: int, alphabet: str = CSET82) -> st.SearchStrategy[str]:
    return st.text(alphabet, min_size=1, max_size=max_size).map(urn_escape)


@st.composite
def epc_urns(draw: st.DrawFn) -> tuple[str, int]:
    """A random, well-formed EPC URN of any scheme, in TDS canonical escaping, and its GCP length."""
    n = draw(st.integers(6, 12))
    g = draw(digits(n))
    numeric = st.text("0123456789", min_size=1, max_size=12)
    makers: dict[str, Callable[[], str]] = {
        "sgtin": lambda: f"urn:epc:id:sgtin:{g}.{draw(digits(13 - n))}.{draw(serial(20))}",
        "lgtin": lambda: f"urn:epc:class:lgtin:{g}.{draw(digits(13 - n))}.{draw(serial(20))}",
        "upui": lambda: f"urn:epc:id:upui:{g}.{draw(digits(13 - n))}.{draw(serial(28))}",
        "itip": lambda: (
            f"urn:epc:id:itip:{g}.{draw(digits(13 - n))}.{draw(digits(2))}.{draw(digits(2))}"
            f".{draw(serial(20))}"
        ),
        "sscc": lambda: f"urn:epc:id:sscc:{g}.{draw(digits(17 - n))}",
        "sgln": lambda: f"urn:epc:id:sgln:{g}.{draw(digits(12 - n))}.{draw(serial(20))}",
        "pgln": lambda: f"urn:epc:id:pgln:{g}.{draw(digits(12 - n))}",
        "grai": lambda: f"urn:epc:id:grai:{g}.{draw(digits(12 - n))}.{draw(serial(16))}",
        "gdti": lambda: f"urn:epc:id:gdti:{g}.{draw(digits(12 - n))}.{draw(serial(17))}",
        "sgcn": lambda: f"urn:epc:id:sgcn:{g}.{draw(digits(12 - n))}.{draw(numeric)}",
        "giai": lambda: f"urn:epc:id:giai:{g}.{draw(serial(30 - n))}",
        "ginc": lambda: f"urn:epc:id:ginc:{g}.{draw(serial(30 - n))}",
        "gsrn": lambda: f"urn:epc:id:gsrn:{g}.{draw(digits(17 - n))}",
        "gsrnp": lambda: f"urn:epc:id:gsrnp:{g}.{draw(digits(17 - n))}",
        "gsin": lambda: f"urn:epc:id:gsin:{g}.{draw(digits(16 - n))}",
        "cpi": lambda: f"urn:epc:id:cpi:{g}.{draw(serial(30 - n, CSET39))}.{draw(numeric)}",
        "idpat-sgtin": lambda: f"urn:epc:idpat:sgtin:{g}.{draw(digits(13 - n))}.*",
        "idpat-grai": lambda: f"urn:epc:idpat:grai:{g}.{draw(digits(12 - n))}.*",
        "idpat-gdti": lambda: f"urn:epc:idpat:gdti:{g}.{draw(digits(12 - n))}.*",
        "idpat-sgcn": lambda: f"urn:epc:idpat:sgcn:{g}.{draw(digits(12 - n))}.*",
        "idpat-itip": lambda: (
            f"urn:epc:idpat:itip:{g}.{draw(digits(13 - n))}.{draw(digits(2))}.{draw(digits(2))}.*"
        ),
        "idpat-cpi": lambda: f"urn:epc:idpat:cpi:{g}.{draw(serial(30 - n, CSET39))}.*",
    }
    scheme = draw(st.sampled_from(sorted(makers)))
    urn = makers[scheme]()
    if scheme == "sgln" and urn.endswith(".0"):
        urn = urn[:-1] + "1"  # extension "0" means "none" and comes back as such; tested apart
    return urn, n


@settings(max_examples=400, deadline=None)
@given(epc_urns())
def test_urn_digital_link_urn_round_trip(case: tuple[str, int]) -> None:
    urn, gcp_length = case
    dl = epc.canonical(urn)
    assert dl.startswith("https://id.gs1.org/")
    assert epc.canonical(dl) == dl
    assert epc.to_urn(dl, gcp_length) == urn
    assert epc.to_urn(urn) == urn


@st.composite
def gtin_digital_links(draw: st.DrawFn) -> tuple[str, str]:
    """The same SGTIN as Digital Links on different hosts, names, orders and query strings."""
    body = draw(digits(13))
    gtin = body + epc.check_digit(body)
    ser = draw(st.text(CSET82, min_size=1, max_size=20))
    lot = draw(st.text(CSET82, min_size=1, max_size=20))
    encoded_serial = "".join(c if c.isalnum() else f"%{ord(c):02X}" for c in ser)
    host = draw(st.sampled_from(["https://id.gs1.org", "https://example.com", "http://a.b.cn:8080"]))
    prefix = draw(st.sampled_from(["", "/shop", "/a/b/c"]))
    key = draw(st.sampled_from(["01", "gtin"]))
    pairs = [(draw(st.sampled_from(["21", "ser"])), encoded_serial)]
    if draw(st.booleans()):
        pairs.append((draw(st.sampled_from(["10", "lot"])), urllib_quote(lot)))
    pairs = draw(st.permutations(pairs))
    query = draw(st.sampled_from(["", "?17=201231", "?3103=000195&linkType=all"]))
    path = "".join(f"/{a}/{v}" for a, v in pairs)
    shown = gtin.lstrip("0") if draw(st.booleans()) and len(gtin.lstrip("0")) in (8, 12, 13) else gtin
    expected = f"https://id.gs1.org/01/{gtin}/21/{encoded_dl(ser)}"
    return f"{host}{prefix}/{key}/{shown}{path}{query}", expected


def urllib_quote(value: str) -> str:
    return "".join(c if c.isalnum() else f"%{ord(c):02X}" for c in value)


def encoded_dl(value: str) -> str:
    return "".join(c if c.isalnum() or c in "-._';=" else f"%{ord(c):02X}" for c in value)


@settings(max_examples=300, deadline=None)
@given(gtin_digital_links())
def test_digital_link_forms_canonicalise_identically(case: tuple[str, str]) -> None:
    dl, expected = case
    assert epc.canonical(dl) == expected


@settings(max_examples=300, deadline=None)
@given(digits(13), st.integers(0, 9))
def test_check_digits_are_validated(body: str, wrong: int) -> None:
    good = epc.check_digit(body)
    # GS1 mod-10: weights 3, 1, 3 … from the right of the body; with the check digit, a multiple of 10
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    assert (total + int(good)) % 10 == 0
    assert epc.canonical(f"https://example.com/01/{body}{good}") == f"https://id.gs1.org/01/{body}{good}"
    if str(wrong) != good:
        with pytest.raises(ValueError, match="check digit"):
            epc.canonical(f"https://example.com/01/{body}{wrong}")


# --------------------------------------------------------------------------- the GS1 reference implementation


def _example_values() -> list[str]:
    folder = reference_path("epcis", "examples")
    values: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, str):
            values.add(node.strip())
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for item in node.values():
                walk(item)

    for path in sorted(folder.rglob("*")):
        if path.suffix in (".json", ".jsonld"):
            walk(json.loads(path.read_text(encoding="utf-8")))
        elif path.suffix == ".xml":
            text = path.read_text(encoding="utf-8")
            values.update(v.strip() for v in re.findall(r">([^<>]+)<", text))
            values.update(v.strip() for v in re.findall(r'="([^"]*)"', text))
    return sorted(values)


def test_every_identifier_in_the_gs1_examples_matches_the_reference_normaliser() -> None:
    normaliser = pytest.importorskip("epcis_event_hash_generator.dl_normaliser").normaliser
    values = _example_values()
    converted = 0
    for value in values:
        expected = normaliser(value)
        if expected is None:
            assert epc.canonical(value) == value, value  # not a key for either side
            continue
        converted += 1
        assert epc.canonical(value) == expected, value
    assert converted > 100  # the examples are full of EPCs; an empty run would prove nothing


_SERIAL_CHARS = "AZaz09._';=-%/&!"


@settings(max_examples=300, deadline=None)
@given(
    st.text("0123456789", min_size=11, max_size=14),
    st.integers(min_value=5, max_value=13),
    st.text(_SERIAL_CHARS, max_size=21),
    st.sampled_from(["sgtin", "gdti"]),
)
def test_the_urn_fast_paths_agree_with_the_general_parser(
    digits: str, cut: int, serial: str, scheme: str
) -> None:
    # the fast paths of the common SGTIN and GDTI spellings give what the general parser gives,
    # or leave the URN to it (whose errors are then raised as before)
    urn = f"urn:epc:id:{scheme}:{digits[:cut]}.{digits[cut:]}.{serial}"
    fast = epc._fast_sgtin(urn) if scheme == "sgtin" else epc._fast_gdti(urn)
    try:
        key = epc._parse_urn(urn)
    except ValueError:
        assert fast is None
        return
    assert key is not None
    assert fast is None or fast == epc._format_dl(key[0], key[1], key[2])


def test_the_gdti_fast_path_takes_the_common_spelling() -> None:
    assert epc._fast_gdti("urn:epc:id:gdti:6901234.00001.PO17") == "https://id.gs1.org/253/6901234000016PO17"
    assert epc._fast_gdti("urn:epc:id:gdti:690123400001..PO.1") is not None  # 12-digit company, no type
    assert epc._fast_gdti("urn:epc:id:gdti:6901234.00001.P%2F1") is None  # escaped: the general path
    assert epc.canonical("urn:epc:id:gdti:6901234.00001.P%2F1") == "https://id.gs1.org/253/6901234000016P%2F1"
