"""GS1 identifiers: EPC URNs and GS1 Digital Link URIs brought to one canonical key.

A trace code reaches zhuisu in two spellings of the same GS1 key:

* an EPC pure-identity URN (GS1 Tag Data Standard, TDS 2.x §6:
  ``urn:epc:id:sgtin:0614141.107346.2017``),
  an EPC class URN (TDS, LGTIN class, ``urn:epc:class:lgtin:…``) or an EPC pattern URI (TDS §8,
  ``urn:epc:idpat:sgtin:0614141.107346.*``);
* a GS1 Digital Link URI (GS1 Digital Link: URI Syntax 1.x) on any host, such as
  ``https://example.com/01/09506000134352/21/123?17=201231``.

The canonical key is the *constrained canonical GS1 Digital Link URI* that CBV 2.0 §8.9 (the EPCIS
Event Hash ID, rules 17-18) prescribes: host ``https://id.gs1.org``, the primary key (GTIN padded to
14 digits) and only the finest key qualifier from this list, in this order, no data attributes::

    00 / 01 / 01 21 / 01 10 / 01 235 / 253 / 255 / 401 / 402 / 414 / 414 254 / 417 /
    8003 / 8004 / 8006 / 8006 21 / 8006 10 / 8010 / 8010 8011 / 8017 / 8018

The Digital Link form is the canonical one because a URN can always be turned into a Digital Link
(the URN marks where the GS1 Company Prefix ends) but not back: the company prefix length is not
derivable from the key itself (TDS §7, EPCs and GS1 keys). :func:`to_urn` therefore takes it as an
argument.

Values that are not GS1 keys (other EPC schemes such as ``urn:epc:id:adi``, private URIs, Chinese
trace codes) pass through :func:`canonical` unchanged. A value that *is* spelled as a GS1 key but is
malformed (wrong check digit, wrong length, a character outside the GS1 AI character set) raises
``ValueError``; :func:`is_gs1_key` tells the two cases apart without raising.

Percent-encoding: EPC URNs escape ``" % & / < > ?`` (and ``#`` in CPI) as ``%XX`` (TDS Appendix A,
table of characters permitted in EPC URI components); Digital Link URIs percent-encode every
character outside ``A-Z a-z 0-9 - . _ ' ; =`` (GS1 Digital Link URI syntax, percent-encoding of AI
values; exactly what the GS1 reference event-hash implementation emits, so hashes agree). Both
decode to the same raw AI value, so URN → Digital Link → URN round-trips.

Compressed Digital Link URIs (GS1 Digital Link 1.2, compression) are not decoded: they come back
unchanged and :func:`is_gs1_key` is False for them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

__all__ = [
    "CANONICAL_HOST",
    "canonical",
    "check_digit",
    "epc_class",
    "is_gs1_key",
    "to_digital_link",
    "to_urn",
]

CANONICAL_HOST = "https://id.gs1.org"

#: A parsed GS1 key, reduced to what the canonical Digital Link keeps:
#: (primary key AI, raw primary value with check digit, the one kept qualifier as (AI, raw value)
#: or None, GS1 Company Prefix length when the input told it (an EPC URN) or None).
#: For AIs 8003, 253 and 255 the serial component is part of the primary value (GenSpecs §3.2).
#: A plain tuple: building a NamedTuple costs more than the rest of a URN parse.
Key = tuple[str, str, tuple[str, str] | None, int | None]

# GS1 AI encodable character set 82 (GS1 General Specifications §7.11, figure 7.11-1) and set 39
# (the CPI component/part reference, AI 8010).
_CSET82 = frozenset("!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")
_CSET39 = frozenset("#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGITS = frozenset("0123456789")
_DIGIT_CHARS = "0123456789"

# Digital Link: characters kept literally in a path segment; every other character is %XX.
_DL_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._';=")
_DL_ENCODE = {ord(c): f"%{ord(c):02X}" for c in _CSET82 | _CSET39 if c not in _DL_SAFE}
# EPC URN: characters TDS Appendix A requires to be %-escaped inside a URN component (# only occurs in CPI).
_URN_ESCAPED = frozenset('"%&/<>?#')
_URN_ENCODE = {ord(c): f"%{ord(c):02X}" for c in _URN_ESCAPED}
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")

_GCP_MIN, _GCP_MAX = 6, 12


# --------------------------------------------------------------------------- check digits


def check_digit(digits: str) -> str:
    """GS1 mod-10 check digit of ``digits`` (GS1 General Specifications §7.9.1).

    Weights 3, 1, 3, 1 … from the rightmost digit; the check digit brings the sum to a multiple of 10.
    (Summing the ASCII bytes and removing 48 per digit is several times faster than int() per digit.)
    """
    raw = digits.encode()
    odd, even = raw[-1::-2], raw[-2::-2]
    total = 3 * sum(odd) + sum(even) - 48 * (3 * len(odd) + len(even))
    return _DIGIT_CHARS[-total % 10]


@lru_cache(maxsize=1 << 14)
def _keyed(digits: str) -> str:
    """``digits`` followed by their check digit (cached: company + reference recur across serials)."""
    return digits + check_digit(digits)


@lru_cache(maxsize=1 << 14)
def _verify_check_digit(digits: str) -> None:
    if check_digit(digits[:-1]) != digits[-1]:
        raise ValueError(
            f"invalid check digit in GS1 key {digits!r}: expected {check_digit(digits[:-1])} (GS1 mod-10)"
        )


# --------------------------------------------------------------------------- character rules


def _decode(text: str, what: str) -> str:
    """Undo %XX escapes (EPC URN, TDS Appendix A; Digital Link, RFC 3986 §2.1); a stray '%' is malformed.

    Every character a GS1 key may hold is ASCII, so one escape is one character; anything else
    then fails the character-set check.
    """
    if "%" not in text:
        return text
    if text.count("%") != len(_ESCAPE.findall(text)):
        raise ValueError(f"malformed percent-escape in {what} {text!r}")
    return _ESCAPE.sub(_unescape, text)


def _unescape(match: re.Match[str]) -> str:
    return chr(int(match.group(1), 16))


def _check_chars(value: str, allowed: frozenset[str], maximum: int, what: str) -> None:
    if not value or len(value) > maximum or not allowed.issuperset(value):
        charset = "digits" if allowed is _DIGITS else ("set 39" if allowed is _CSET39 else "set 82")
        raise ValueError(
            f"malformed {what} {value!r}: expected 1-{maximum} characters of GS1 character {charset}"
        )


def _dl_encode(value: str) -> str:
    return value if _DL_SAFE.issuperset(value) else value.translate(_DL_ENCODE)


def _urn_encode(value: str) -> str:
    return value if _URN_ESCAPED.isdisjoint(value) else value.translate(_URN_ENCODE)


# --------------------------------------------------------------------------- EPC URNs (TDS §6, §8)


def _fields(body: str, parts: int, scheme: str) -> list[str]:
    """Split a URN body into ``parts`` dot-separated fields, the first being the company prefix.

    The last field may itself contain dots: serials are drawn from character set 82 (TDS Appendix A).
    """
    fields = body.split(".", parts - 1)
    if len(fields) != parts:
        raise ValueError(f"malformed {scheme} URN {body!r}: expected {parts} dot-separated fields")
    gcp = fields[0]
    if not _GCP_MIN <= len(gcp) <= _GCP_MAX or not _DIGITS.issuperset(gcp):
        raise ValueError(f"malformed GS1 Company Prefix {gcp!r} in {scheme} URN: expected 6-12 digits")
    return fields


def _digits(gcp: str, ref: str, total: int, scheme: str) -> str:
    """Company prefix + numeric reference, which together must have ``total`` digits (TDS §6.3)."""
    if len(gcp) + len(ref) != total or not _DIGITS.issuperset(ref):
        raise ValueError(
            f"malformed {scheme} URN: company prefix {gcp!r} + reference {ref!r} must be {total} digits"
        )
    return gcp + ref


@lru_cache(maxsize=1 << 14)
def _gtin(gcp: str, item_ref: str, scheme: str) -> str:
    # TDS, SGTIN: the indicator digit leads the item reference in the URN and the GTIN in the key.
    _digits(gcp, item_ref, 13, scheme)
    return _keyed(item_ref[:1] + gcp + item_ref[1:])


def _urn_sgtin(body: str, scheme: str) -> Key:
    gcp, ref, serial = _fields(body, 3, scheme)
    serial = _decode(serial, "SGTIN serial")
    if scheme == "upui":
        _check_chars(serial, _CSET82, 28, "UPUI third-party extension (AI 235)")
        return "01", _gtin(gcp, ref, scheme), ("235", serial), len(gcp)
    _check_chars(serial, _CSET82, 20, "SGTIN serial (AI 21)")
    return "01", _gtin(gcp, ref, scheme), ("21", serial), len(gcp)


def _urn_lgtin(body: str, scheme: str) -> Key:
    gcp, ref, lot = _fields(body, 3, scheme)
    lot = _decode(lot, "LGTIN lot")
    _check_chars(lot, _CSET82, 20, "LGTIN lot (AI 10)")
    return "01", _gtin(gcp, ref, scheme), ("10", lot), len(gcp)


def _urn_sscc(body: str, scheme: str) -> Key:
    gcp, ref = _fields(body, 2, scheme)
    _digits(gcp, ref, 17, scheme)
    digits = ref[:1] + gcp + ref[1:]  # every SSCC is new: no cache
    return "00", digits + check_digit(digits), None, len(gcp)


def _urn_gln(body: str, scheme: str) -> Key:
    if scheme == "pgln":
        gcp, ref = _fields(body, 2, scheme)
        return "417", _keyed(_digits(gcp, ref, 12, scheme)), None, len(gcp)
    gcp, ref, extension = _fields(body, 3, scheme)
    gln = _keyed(_digits(gcp, ref, 12, scheme))
    extension = _decode(extension, "SGLN extension")
    _check_chars(extension, _CSET82, 20, "SGLN extension (AI 254)")
    # TDS, SGLN: extension "0" means "no extension", i.e. the plain GLN.
    return "414", gln, None if extension == "0" else ("254", extension), len(gcp)


# AI, serial character set and maximum serial length of the keys whose AI holds the serial too.
_SERIAL_IN_KEY = {"grai": ("8003", _CSET82, 16), "gdti": ("253", _CSET82, 17), "sgcn": ("255", _DIGITS, 12)}


def _urn_serial_in_key(body: str, scheme: str) -> Key:
    """GRAI, GDTI, SGCN: company prefix + reference (12 digits) + check digit + serial, one AI."""
    gcp, ref, serial = _fields(body, 3, scheme)
    ai, chars, limit = _SERIAL_IN_KEY[scheme]
    digits = _digits(gcp, ref, 12, scheme)
    if ai == "8003":
        digits = "0" + digits  # AI 8003 starts with a filler zero (GenSpecs, AI 8003)
    serial = _decode(serial, f"{scheme} serial")
    _check_chars(serial, chars, limit, f"{scheme.upper()} serial")
    return ai, _keyed(digits) + serial, None, len(gcp)


def _urn_alphanumeric(body: str, scheme: str) -> Key:
    """GIAI, GINC: company prefix + alphanumeric reference, 30 characters at most."""
    gcp, ref = _fields(body, 2, scheme)
    value = gcp + _decode(ref, f"{scheme} reference")
    _check_chars(value, _CSET82, 30, scheme.upper())
    return ("8004" if scheme == "giai" else "401"), value, None, len(gcp)


def _urn_service(body: str, scheme: str) -> Key:
    """GSRN, GSRN-P (17 digits + check digit) and GSIN (16 digits + check digit)."""
    gcp, ref = _fields(body, 2, scheme)
    ai, total = {"gsrn": ("8018", 17), "gsrnp": ("8017", 17), "gsin": ("402", 16)}[scheme]
    return ai, _keyed(_digits(gcp, ref, total, scheme)), None, len(gcp)


def _urn_cpi(body: str, scheme: str) -> Key:
    gcp, ref, serial = _fields(body, 3, scheme)
    value = gcp + _decode(ref, "CPI reference")
    _check_chars(value, _CSET39, 30, "CPI (AI 8010)")
    _check_chars(serial, _DIGITS, 12, "CPI serial (AI 8011)")
    return "8010", value, ("8011", serial), len(gcp)


def _urn_itip(body: str, scheme: str) -> Key:
    gcp, ref, piece, total, serial = _fields(body, 5, scheme)
    if len(piece) != 2 or len(total) != 2 or not _DIGITS.issuperset(piece + total):
        raise ValueError(f"malformed ITIP piece/total {piece!r}/{total!r}: expected two digits each")
    serial = _decode(serial, "ITIP serial")
    _check_chars(serial, _CSET82, 20, "ITIP serial (AI 21)")
    return "8006", _gtin(gcp, ref, scheme) + piece + total, ("21", serial), len(gcp)


_ID_PARSERS: dict[str, Callable[[str, str], Key]] = {
    "sgtin": _urn_sgtin,
    "upui": _urn_sgtin,
    "sscc": _urn_sscc,
    "sgln": _urn_gln,
    "pgln": _urn_gln,
    "grai": _urn_serial_in_key,
    "gdti": _urn_serial_in_key,
    "sgcn": _urn_serial_in_key,
    "giai": _urn_alphanumeric,
    "ginc": _urn_alphanumeric,
    "gsrn": _urn_service,
    "gsrnp": _urn_service,
    "gsin": _urn_service,
    "cpi": _urn_cpi,
    "itip": _urn_itip,
}


def _urn_class_pattern(body: str, scheme: str) -> Key | None:
    """EPC pattern URIs naming one class, ``gcp.ref.*`` (TDS §8); other patterns are no single key."""
    if not body.endswith(".*") or "*" in body[:-2]:
        return None
    stem = body[:-2]
    try:
        if scheme in ("sgtin", "upui"):
            gcp, ref = _fields(stem, 2, scheme)
            return "01", _gtin(gcp, ref, scheme), None, len(gcp)
        if scheme == "itip":
            gcp, ref, piece, total = _fields(stem, 4, scheme)
            if len(piece) != 2 or len(total) != 2 or not _DIGITS.issuperset(piece + total):
                return None
            return "8006", _gtin(gcp, ref, scheme) + piece + total, None, len(gcp)
        if scheme == "cpi":
            gcp, ref = _fields(stem, 2, scheme)
            value = gcp + _decode(ref, "CPI reference")
            _check_chars(value, _CSET39, 30, "CPI (AI 8010)")
            return "8010", value, None, len(gcp)
        gcp, ref = _fields(stem, 2, scheme)
        ai = _SERIAL_IN_KEY[scheme][0]
        digits = ("0" if ai == "8003" else "") + _digits(gcp, ref, 12, scheme)
        return ai, _keyed(digits), None, len(gcp)
    except ValueError:
        return None


_PATTERN_SCHEMES = frozenset({"sgtin", "grai", "gdti", "sgcn", "cpi", "itip", "upui"})


def _parse_urn(identifier: str) -> Key | None:
    parts = identifier.split(":", 4)
    if len(parts) != 5:
        return None
    _, _, kind, scheme, body = parts
    if kind == "id":
        parser = _ID_PARSERS.get(scheme)
        return None if parser is None else parser(body, scheme)
    if kind == "class" and scheme == "lgtin":
        return _urn_lgtin(body, scheme)
    if kind == "idpat" and scheme in _PATTERN_SCHEMES:
        return _urn_class_pattern(body, scheme)
    return None


# --------------------------------------------------------------------------- GS1 Digital Link (1.x)

# Primary key AIs, by number and by the short names of GS1 Digital Link 1.x.
_PRIMARY = {
    ai: ai
    for ai in (
        "00",
        "01",
        "253",
        "255",
        "401",
        "402",
        "414",
        "417",
        "8003",
        "8004",
        "8006",
        "8010",
        "8017",
        "8018",
    )
}
_PRIMARY.update(
    {
        "gtin": "01",
        "itip": "8006",
        "cpid": "8010",
        "gln": "414",
        "party": "417",
        "gsrnp": "8017",
        "gsrn": "8018",
        "gcn": "255",
        "sscc": "00",
        "gdti": "253",
        "ginc": "401",
        "gsin": "402",
        "grai": "8003",
        "giai": "8004",
    }
)
_QUALIFIER_NAMES = {ai: ai for ai in ("22", "10", "21", "235", "254", "8011", "8019")}
_QUALIFIER_NAMES.update({"cpv": "22", "lot": "10", "ser": "21"})
# Key qualifiers each primary key may carry in a Digital Link path; 22 and 8019 are accepted but
# dropped from the canonical form (CBV 2.0 §8.9 rule 18).
_QUALIFIERS = {
    "01": frozenset({"22", "10", "21", "235"}),
    "8006": frozenset({"22", "10", "21"}),
    "414": frozenset({"254"}),
    "8010": frozenset({"8011"}),
    "8017": frozenset({"8019"}),
    "8018": frozenset({"8019"}),
}
# Maximum length and character set of each qualifier (GS1 General Specifications §3.2 AI table).
_QUALIFIER_FORMAT = {
    "22": (20, _CSET82),
    "10": (20, _CSET82),
    "21": (20, _CSET82),
    "235": (28, _CSET82),
    "254": (20, _CSET82),
    "8011": (12, _DIGITS),
    "8019": (10, _DIGITS),
}
_GTIN_LENGTHS = frozenset({8, 12, 13, 14})
_FIXED_DIGITS = {"00": 18, "414": 13, "417": 13, "8017": 18, "8018": 18, "402": 17, "8006": 18}
_LEADING_DIGITS = re.compile(r"\d{4}")
_NOT_DL: tuple[str, str] = ("", "")  # sentinel: the path does not have a Digital Link's shape here


@lru_cache(maxsize=1 << 14)
def _primary_value(ai: str, value: str) -> str | None:
    """The raw primary key value if ``value`` has the AI's shape, else None (no Digital Link here).

    The *shape* decides whether a URI is a Digital Link at all; a key of the right shape with a
    wrong check digit or a bad character is a malformed key and raises ValueError.
    """
    if ai == "01":
        if len(value) not in _GTIN_LENGTHS or not _DIGITS.issuperset(value):
            return None
        value = value.rjust(14, "0")  # GTIN-8/12/13 → GTIN-14 (DL 1.2 §4.11 canonical form)
        _verify_check_digit(value)
        return value
    size = _FIXED_DIGITS.get(ai)
    if size is not None:
        if len(value) != size or not _DIGITS.issuperset(value):
            return None
        _verify_check_digit(value[:14] if ai == "8006" else value)
        return value
    if ai in ("253", "255", "8003"):
        head = 14 if ai == "8003" else 13
        if len(value) < head or not _DIGITS.issuperset(value[:head]):
            return None
        _verify_check_digit(value[:head])
        serial = _decode(value[head:], f"AI ({ai}) serial")
        if serial:
            _, chars, limit = _SERIAL_IN_KEY[{"8003": "grai", "253": "gdti", "255": "sgcn"}[ai]]
            _check_chars(serial, chars, limit, f"AI ({ai}) serial component")
        return value[:head] + serial
    # 8004, 401, 8010: company prefix + alphanumeric reference
    if not _LEADING_DIGITS.match(value):
        return None
    value = _decode(value, f"AI ({ai})")
    _check_chars(value, _CSET39 if ai == "8010" else _CSET82, 30, f"AI ({ai})")
    return value


def _finest_qualifier(ai: str, found: dict[str, str]) -> tuple[str, str] | None:
    """CBV 2.0 §8.9 rule 18 (III): keep only the most fine-grained of the allowed qualifiers."""
    if ai in ("01", "8006"):
        if "235" in found and ("21" in found or "10" in found):
            raise ValueError("a GTIN cannot carry both a third-party extension (235) and a lot or serial")
        for q in ("21", "235", "10"):
            if q in found:
                return q, found[q]
        return None
    if ai == "414":
        extension = found.get("254")
        return None if extension is None or extension == "0" else ("254", extension)
    if ai == "8010" and "8011" in found:
        return "8011", found["8011"]
    return None


def _dl_qualifier(ai: str, segments: list[str], start: int) -> tuple[str, str] | None:
    """The kept qualifier of the pairs ``segments[start:]`` (any order), or _NOT_DL."""
    if start == len(segments):
        return None
    allowed = _QUALIFIERS.get(ai)
    if allowed is None:
        return _NOT_DL
    found: dict[str, str] = {}
    for j in range(start, len(segments), 2):
        q = _QUALIFIER_NAMES.get(segments[j], "")
        if q not in allowed:
            return _NOT_DL
        if q in found:
            raise ValueError(f"key qualifier ({q}) appears twice")
        limit, chars = _QUALIFIER_FORMAT[q]
        value = _decode(segments[j + 1], f"AI ({q})")
        _check_chars(value, chars, limit, f"AI ({q}) value")
        found[q] = value
    return _finest_qualifier(ai, found)


def _parse_dl(identifier: str) -> Key | None:
    # GS1 Digital Link URI structure: scheme://host[/custom path]/{primary AI}/{value}
    # [/{qualifier AI}/{value}]*[/][?query][#fragment]; the query carries only data attributes.
    start = identifier.find("/", 8)
    if start < 0:
        return None
    path = identifier[start + 1 :]
    for stop in "?#":
        cut = path.find(stop)
        if cut >= 0:
            path = path[:cut]
    segments = path.split("/")
    if segments[-1] == "":
        segments.pop()  # a trailing slash is allowed
    count = len(segments)
    for i in range(count - 1):
        ai = _PRIMARY.get(segments[i])
        if ai is None or (count - i) & 1:
            continue
        value = _primary_value(ai, segments[i + 1])
        if value is None:
            continue
        qualifier = _dl_qualifier(ai, segments, i + 2)
        if qualifier is _NOT_DL:
            continue
        return ai, value, qualifier, None
    return None


# --------------------------------------------------------------------------- parsing entry point


def _parse(identifier: str) -> Key | None:
    """The GS1 key in ``identifier``; None if it is not spelled as one; ValueError if malformed."""
    if identifier.startswith("urn:epc:"):
        return _parse_urn(identifier)
    if identifier[:8].lower().startswith(("https://", "http://")):
        return _parse_dl(identifier)  # scheme and host are case-insensitive (RFC 3986 §3.1, §3.2.2)
    return None


def _format_dl(ai: str, value: str, qualifier: tuple[str, str] | None) -> str:
    if qualifier is None:
        return f"{CANONICAL_HOST}/{ai}/{_dl_encode(value)}"
    return f"{CANONICAL_HOST}/{ai}/{_dl_encode(value)}/{qualifier[0]}/{_dl_encode(qualifier[1])}"


# --------------------------------------------------------------------------- public API

# Fast paths for the two spellings that dominate capture traffic (an SGTIN URN; a GTIN Digital Link
# with at most a serial or lot and no custom path), restricted to serials that need no escaping.
# They give exactly what the general parser gives; anything else falls through to it.
_FAST_SGTIN = re.compile(r"urn:epc:id:sgtin:((\d{6,12})\.(\d{1,7}))\.([A-Za-z0-9._';=-]{1,20})")
_FAST_GTIN_DL = re.compile(
    r"https?://[^/?#]+/(?:01|gtin)/(\d{14})(?:/(21|10|ser|lot)/([A-Za-z0-9._';=-]{1,20}))?/?(?:[?#].*)?",
    re.DOTALL,
)
_FAST_QUALIFIER = {"21": "21", "ser": "21", "10": "10", "lot": "10"}
# A GDTI URN (TDS, GDTI: company prefix + document type, 12 digits, then a serial of up to 17
# characters, AI 253) whose serial needs no escaping: the business transactions of most events.
_FAST_GDTI = re.compile(r"urn:epc:id:gdti:(\d{6,12})\.(\d{0,6})\.([A-Za-z0-9._';=-]{1,17})")


def _fast_sgtin(identifier: str) -> str | None:
    match = _FAST_SGTIN.fullmatch(identifier)
    if match is None:
        return None
    # the Digital Link up to the serial, by "company.reference": serials are new, classes recur
    head = _sgtin_heads.get(match[1])
    if head is None:
        if len(match[2]) + len(match[3]) != 13:
            return None
        if len(_sgtin_heads) >= _MAX_HEADS:
            _sgtin_heads.clear()
        head = _sgtin_heads[match[1]] = f"{CANONICAL_HOST}/01/{_gtin(match[2], match[3], 'sgtin')}/21/"
    return head + match[4]


_MAX_HEADS = 1 << 14
_sgtin_heads: dict[str, str] = {}


def _fast_gdti(identifier: str) -> str | None:
    match = _FAST_GDTI.fullmatch(identifier)
    if match is None or len(match[1]) + len(match[2]) != 12:
        return None
    return f"{CANONICAL_HOST}/253/{_keyed(match[1] + match[2])}{match[3]}"


def _fast_gtin_dl(identifier: str) -> str | None:
    match = _FAST_GTIN_DL.fullmatch(identifier)
    if match is None:
        return None
    _verify_check_digit(match[1])
    if match[2] is None:
        return f"{CANONICAL_HOST}/01/{match[1]}"
    return f"{CANONICAL_HOST}/01/{match[1]}/{_FAST_QUALIFIER[match[2]]}/{match[3]}"


def canonical(identifier: str) -> str:
    """The canonical key of an identifier: the constrained canonical GS1 Digital Link for GS1 keys.

    Non-GS1 values (other URNs, private URIs, Chinese trace codes) come back unchanged. Raises
    ValueError when the value is spelled as a GS1 key but is malformed (check digit, length, chars).
    """
    # Memoised in a bounded dict (cleared when full, no LRU bookkeeping): capture brings each
    # identifier of an event to its canonical form three times (identifier rows, event hash,
    # chain links), and locations, parties and classes recur across events.
    found = _canonical_cache.get(identifier)
    if found is not None:
        return found
    found = _canonical(identifier)
    if len(_canonical_cache) >= _MAX_CANONICAL:
        _canonical_cache.clear()
    _canonical_cache[identifier] = found
    return found


_MAX_CANONICAL = 65_536
_canonical_cache: dict[str, str] = {}


def _canonical(identifier: str) -> str:
    if identifier.startswith("urn:epc:"):
        if identifier.startswith("urn:epc:id:sgtin:"):
            fast = _fast_sgtin(identifier)
        elif identifier.startswith("urn:epc:id:gdti:"):
            fast = _fast_gdti(identifier)
        else:
            fast = None
        key = None if fast is not None else _parse_urn(identifier)
    elif identifier.startswith(("https://", "http://")):
        fast = _fast_gtin_dl(identifier)
        key = None if fast is not None else _parse_dl(identifier)
    elif identifier[:8].lower().startswith(("https://", "http://")):
        fast, key = None, _parse_dl(identifier)  # scheme and host are case-insensitive (RFC 3986)
    else:
        return identifier
    if fast is not None:
        return fast
    return identifier if key is None else _format_dl(key[0], key[1], key[2])


def to_digital_link(identifier: str) -> str:
    """URN → Digital Link; Digital Link → its canonical form; anything else unchanged.

    The same value as :func:`canonical`: the canonical key *is* the canonical Digital Link.
    """
    return canonical(identifier)


def is_gs1_key(identifier: str) -> bool:
    """True when ``identifier`` is spelled as a GS1 key (EPC URN or Digital Link), valid or not.

    When this is False, :func:`canonical` returns the value unchanged and never raises.
    """
    try:
        return _parse(identifier) is not None
    except ValueError:
        return True


def epc_class(identifier: str) -> str | None:
    """The canonical class of a GS1 key (for MATCH_epcClass), or None when it has no class.

    SGTIN / UPUI / GTIN → the GTIN (``https://id.gs1.org/01/{gtin}``); LGTIN → itself (GTIN + lot);
    ITIP → the ITIP without serial (ITIP + lot → itself); GRAI, GDTI, SGCN → the key without its
    serial component; CPI → the CPID. SSCC, GLN, GIAI, GSRN, GINC, GSIN and non-GS1 values: None.
    Raises ValueError for a malformed GS1 key.
    """
    key = _parse(identifier)
    if key is None:
        return None
    ai, value, qualifier, _ = key
    if ai in ("01", "8006"):
        return _format_dl(ai, value, qualifier if qualifier is not None and qualifier[0] == "10" else None)
    if ai in ("8003", "253", "255"):
        return _format_dl(ai, value[: 14 if ai == "8003" else 13], None)
    if ai == "8010":
        return _format_dl(ai, value, None)
    return None


def to_urn(identifier: str, gcp_length: int | None = None) -> str | None:
    """The EPC URN of a GS1 key (TDS §6-§8), or None when it cannot be written as one.

    An EPC URN gives its own normalised URN (``gcp_length`` is ignored). A Digital Link needs
    ``gcp_length``, the length of the GS1 Company Prefix inside the key (6-12), which the key alone
    does not reveal; without it the result is None. Non-GS1 values and keys without an EPC scheme
    (e.g. ITIP + lot) give None. Raises ValueError for a malformed key or an impossible length.
    """
    key = _parse(identifier)
    if key is None:
        return None
    ai, value, qualifier, own_length = key
    length = own_length if own_length is not None else gcp_length
    if length is None:
        return None
    if not _GCP_MIN <= length <= _GCP_MAX:
        raise ValueError(f"GS1 Company Prefix length must be 6-12, not {length}")
    return _format_urn(ai, value, qualifier, length)


def _format_urn(ai: str, v: str, q: tuple[str, str] | None, n: int) -> str | None:
    """The URN of a key whose company prefix has ``n`` digits (TDS §6.3 per scheme)."""
    if ai in ("01", "8006"):
        return _format_gtin_urn(ai, v, q, n)
    if ai == "00":
        return f"urn:epc:id:sscc:{v[1 : 1 + n]}.{v[0]}{v[1 + n : 17]}"
    if ai == "417":
        return f"urn:epc:id:pgln:{v[:n]}.{v[n:12]}"
    if ai == "414":
        return f"urn:epc:id:sgln:{v[:n]}.{v[n:12]}.{_urn_encode(q[1]) if q else '0'}"
    if ai in ("8003", "253", "255"):
        if ai == "8003" and v[0] != "0":
            return None  # only GRAIs with the filler zero have an EPC form (TDS, GRAI)
        offset = 1 if ai == "8003" else 0
        scheme = {"8003": "grai", "253": "gdti", "255": "sgcn"}[ai]
        head = f"{v[offset : offset + n]}.{v[offset + n : offset + 12]}"
        serial = v[offset + 13 :]
        if not serial:
            return f"urn:epc:idpat:{scheme}:{head}.*"
        return f"urn:epc:id:{scheme}:{head}.{_urn_encode(serial)}"
    if ai in ("8004", "401", "8010"):
        if len(v) <= n or not _DIGITS.issuperset(v[:n]):
            raise ValueError(f"a GS1 Company Prefix of {n} digits does not fit {v!r}")
        head = f"{v[:n]}.{_urn_encode(v[n:])}"
        if ai == "8010":
            return f"urn:epc:id:cpi:{head}.{q[1]}" if q else f"urn:epc:idpat:cpi:{head}.*"
        return f"urn:epc:id:{'giai' if ai == '8004' else 'ginc'}:{head}"
    if ai == "402":
        return f"urn:epc:id:gsin:{v[:n]}.{v[n:16]}"
    return f"urn:epc:id:{'gsrn' if ai == '8018' else 'gsrnp'}:{v[:n]}.{v[n:17]}"


def _format_gtin_urn(ai: str, v: str, q: tuple[str, str] | None, n: int) -> str | None:
    # TDS, SGTIN: company prefix, then indicator digit + item reference (check digit dropped).
    head = f"{v[1 : 1 + n]}.{v[0]}{v[1 + n : 13]}"
    scheme = "sgtin"
    if ai == "8006":
        head, scheme = f"{head}.{v[14:16]}.{v[16:18]}", "itip"
    if q is None:
        return f"urn:epc:idpat:{scheme}:{head}.*"
    if q[0] == "21":
        return f"urn:epc:id:{scheme}:{head}.{_urn_encode(q[1])}"
    if q[0] == "235":
        return f"urn:epc:id:upui:{head}.{_urn_encode(q[1])}"
    return f"urn:epc:class:lgtin:{head}.{_urn_encode(q[1])}" if ai == "01" else None
