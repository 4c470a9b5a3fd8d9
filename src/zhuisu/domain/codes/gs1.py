"""GS1 keys: GTIN, SGTIN, LGTIN, SSCC, GLN / SGLN, PGLN, GRAI, GIAI, as bare keys, EPC URNs,
GS1 Digital Link URIs or GS1 element strings in human-readable form (``(01)…(21)…``).

Every spelling is brought to the constrained canonical GS1 Digital Link of ``domain.epc`` (CBV 2.0
§8.9), so the canonical form of a code is the identifier zhuisu indexes events by. Check digits:
GS1 mod-10 (GS1 General Specifications §7.9.1), weights 3, 1, 3 … from the right. biip supplies
the GS1 Company Prefix length where GS1 publishes it (needed for the EPC URN, TDS §7) and the
element-string parser (GenSpecs §3, AI table).
"""

from __future__ import annotations

from urllib.parse import unquote

from biip import ParseError
from biip.gs1_messages import GS1Message
from biip.gs1_prefixes import GS1CompanyPrefix

from zhuisu.domain import epc
from zhuisu.domain.codes.base import (
    DIGITS,
    Check,
    CodeError,
    Identified,
    Reason,
    Scheme,
    bad_check,
    require_chars,
    require_length,
)

_SRC = "GS1 General Specifications, TDS 2.x, GS1 Digital Link"

GTIN = Scheme("gs1.gtin", "GS1 商品条码(GTIN)", "GS1 GTIN", _SRC, Check.VERIFIED)
SGTIN = Scheme("gs1.sgtin", "GS1 系列化商品标识(SGTIN)", "GS1 SGTIN", _SRC, Check.VERIFIED)
LGTIN = Scheme("gs1.lgtin", "GS1 批次商品标识(LGTIN)", "GS1 LGTIN (GTIN + lot)", _SRC, Check.VERIFIED)
SSCC = Scheme("gs1.sscc", "GS1 系列货运包装箱代码(SSCC)", "GS1 SSCC", _SRC, Check.VERIFIED)
GLN = Scheme("gs1.gln", "GS1 参与方位置代码(GLN)", "GS1 GLN", _SRC, Check.VERIFIED)
SGLN = Scheme("gs1.sgln", "GS1 带扩展的位置代码(SGLN)", "GS1 SGLN (GLN + extension)", _SRC, Check.VERIFIED)
PGLN = Scheme("gs1.pgln", "GS1 参与方代码(PGLN)", "GS1 party GLN", _SRC, Check.VERIFIED)
GRAI = Scheme("gs1.grai", "GS1 可回收资产标识(GRAI)", "GS1 GRAI", _SRC, Check.VERIFIED)
GIAI = Scheme("gs1.giai", "GS1 单个资产标识(GIAI)", "GS1 GIAI", _SRC, Check.NONE)
KEY = Scheme("gs1.key", "GS1 其他标识", "other GS1 key", _SRC, Check.VERIFIED)

SCHEMES = (GTIN, SGTIN, LGTIN, SSCC, GLN, SGLN, PGLN, GRAI, GIAI, KEY)

_QUALIFIER_PARTS = {"21": "serial", "10": "lot", "235": "tpx", "254": "extension", "8011": "serial"}


def _check_digit_of(scheme: Scheme, digits: str) -> None:
    expected = epc.check_digit(digits[:-1])
    if digits[-1] != expected:
        raise bad_check(scheme, len(digits), digits[-1], expected, "GS1 mod-10")


def _company_prefix(key_without_indicator: str) -> str | None:
    """The GS1 Company Prefix where GS1's published prefix-length table knows it (via biip)."""
    found = GS1CompanyPrefix.extract(key_without_indicator)
    return None if found is None else found.value


def parse_gtin(code: str) -> Identified:
    """A bare GTIN-8, -12, -13 or -14 (GenSpecs §3.3.2); canonical: the Digital Link of its GTIN-14."""
    require_chars(GTIN, code, DIGITS)
    require_length(GTIN, code, 8, 12, 13, 14)
    _check_digit_of(GTIN, code)
    return _from_uri(GTIN, f"{epc.CANONICAL_HOST}/01/{code.rjust(14, '0')}")


def parse_sscc(code: str) -> Identified:
    """A bare SSCC: extension digit + company prefix + serial reference + check digit, 18 digits."""
    require_chars(SSCC, code, DIGITS)
    require_length(SSCC, code, 18)
    _check_digit_of(SSCC, code)
    return _from_uri(SSCC, f"{epc.CANONICAL_HOST}/00/{code}")


def parse_gln(code: str) -> Identified:
    """A bare 13-digit GLN (AI 414). Never guessed from 13 digits alone: that is a GTIN-13 too."""
    require_chars(GLN, code, DIGITS)
    require_length(GLN, code, 13)
    _check_digit_of(GLN, code)
    return _from_uri(GLN, f"{epc.CANONICAL_HOST}/414/{code}")


def parse_element_string(code: str) -> Identified:
    """GS1 element strings in human-readable form, ``(01)06901234567892(21)A1`` (GenSpecs §3)."""
    try:
        message = GS1Message.parse_hri(code)
    except ParseError as exc:
        raise CodeError(
            Reason.CHARACTER,
            f"GS1 元素串无法解析:{exc}",
            f"GS1 element string not parseable: {exc}",
            scheme=KEY.id,
        ) from None
    values = {e.ai.ai: e.value for e in message.element_strings}
    primary = next((ai for ai in ("00", "01", "414", "417", "8003", "8004") if ai in values), None)
    if primary is None:
        raise CodeError(
            Reason.UNKNOWN,
            "GS1 元素串中没有可识别的主标识(00、01、414、417、8003、8004)",
            "the element string holds no supported primary key (00, 01, 414, 417, 8003, 8004)",
            scheme=KEY.id,
        )
    path = f"/{primary}/{values[primary]}"
    for q in ("21", "10", "254"):
        if q in values and primary in ("01", "414"):
            path += f"/{q}/{values[q]}"
            break
    return parse_uri(f"{epc.CANONICAL_HOST}{path}")


def parse_uri(code: str) -> Identified:
    """An EPC URN or a GS1 Digital Link URI of any GS1 key."""
    try:
        canonical = epc.canonical(code)
    except ValueError as exc:
        raise _from_epc_error(str(exc)) from None
    if not epc.is_gs1_key(code):
        raise CodeError(
            Reason.UNKNOWN,
            "不是 GS1 标识:既非 EPC URN 也非 GS1 数字链接(Digital Link)",
            "not a GS1 key: neither an EPC URN nor a GS1 Digital Link URI",
            scheme=KEY.id,
        )
    identified = _from_uri(None, canonical)
    urn = epc.to_urn(code) if code.startswith("urn:epc:") else None
    if urn is not None:
        return Identified(
            identified.scheme, {**identified.parts, "urn": urn}, identified.canonical, identified.check
        )
    return identified


def _from_epc_error(text: str) -> CodeError:
    if "check digit" in text:
        expected = text.rsplit("expected ", 1)[-1].split(" ", 1)[0]
        return CodeError(
            Reason.CHECK,
            f"GS1 标识校验码错误,应为 {expected}(GS1 mod-10):{text}",
            text,
            scheme=KEY.id,
            expected=expected,
        )
    return CodeError(Reason.CHARACTER, f"GS1 标识格式错误:{text}", text, scheme=KEY.id)


def _from_uri(forced: Scheme | None, canonical: str) -> Identified:
    """Name the scheme and the parts of a canonical Digital Link ``https://id.gs1.org/{ai}/{v}[/{q}/{qv}]``."""
    segments = canonical[len(epc.CANONICAL_HOST) + 1 :].split("/")
    ai, value = segments[0], unquote(segments[1])
    qualifier = (segments[2], unquote(segments[3])) if len(segments) == 4 else None
    parts: dict[str, str] = {"ai": ai}
    gcp_key = value
    if ai == "01":
        scheme = GTIN if qualifier is None else LGTIN if qualifier[0] == "10" else SGTIN
        parts["gtin"] = value
        gcp_key = value[1:]
    elif ai == "00":
        scheme, parts["sscc"], gcp_key = SSCC, value, value[1:]
    elif ai == "414":
        scheme = SGLN if qualifier is not None else GLN
        parts["gln"] = value
    elif ai == "417":
        scheme, parts["pgln"] = PGLN, value
    elif ai == "8003":
        # AI 8003: filler zero + 12 digits + check digit, then an optional serial (GenSpecs §3.9.3)
        scheme, parts["grai"], gcp_key = GRAI, value[:14], value[1:14]
        if value[14:]:
            parts["serial"] = value[14:]
    elif ai == "8004":
        scheme, parts["giai"] = GIAI, value
    else:
        scheme, parts["value"] = KEY, value
    if qualifier is not None:
        parts[_QUALIFIER_PARTS.get(qualifier[0], qualifier[0])] = qualifier[1]
    prefix = _company_prefix(gcp_key) if gcp_key.isdigit() and ai != "8004" else None
    if prefix is not None:
        parts["company_prefix"] = prefix
        try:
            urn = epc.to_urn(canonical, len(prefix))
        except ValueError:  # a prefix longer than the key allows: no URN, the Digital Link stands
            urn = None
        if urn is not None:
            parts["urn"] = urn
    chosen = forced or scheme
    return Identified(chosen.id, parts, canonical, chosen.check)
