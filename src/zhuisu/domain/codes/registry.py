"""One entry point for every code scheme: :func:`identify`.

Without a scheme named, the form of the code decides which schemes are tried, in this order:

* ``urn:epc:…`` or ``http(s)://…`` → a GS1 key (EPC URN or Digital Link);
* ``(`` → a GS1 element string;
* ``SC`` + digits → a food production licence;
* otherwise by length, the schemes of that length in priority order (below). The first scheme
  that accepts the code wins, and the others that also accept it are listed in ``also``; when
  none does, the error names each scheme's reason.

Schemes with no check character accept any string of the right structure, so they come after
those with one. A bare 13-digit number is read as a GTIN-13 (a GLN looks the same: name
``gs1.gln`` to read it as one); the hazardous-chemical code is only read when named.
"""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType

from zhuisu.domain.codes import cn_equipment, cn_identity, cn_trace, gs1
from zhuisu.domain.codes.base import CodeError, Identified, Reason, Scheme, compact

Parser = Callable[[str], Identified]

_PARSERS: dict[str, Parser] = {
    gs1.GTIN.id: gs1.parse_gtin,
    gs1.SSCC.id: gs1.parse_sscc,
    gs1.GLN.id: gs1.parse_gln,
    cn_trace.NODE.id: cn_trace.parse_node,
    cn_trace.OPERATOR.id: cn_trace.parse_operator,
    cn_trace.MEAT_VEG.id: cn_trace.parse_meat_veg,
    cn_trace.DRUG.id: cn_trace.parse_drug,
    cn_trace.PLATFORM.id: cn_trace.parse_platform,
    cn_identity.USCC.id: cn_identity.parse_uscc,
    cn_identity.RIC.id: cn_identity.parse_ric,
    cn_identity.SC.id: cn_identity.parse_sc,
    cn_equipment.EQUIPMENT.id: cn_equipment.parse_equipment,
    cn_equipment.REGISTRATION.id: cn_equipment.parse_registration,
    cn_equipment.HAZCHEM.id: cn_equipment.parse_hazchem,
}

#: Every scheme zhuisu knows, by id (the GS1 URI schemes are reached through any GS1 spelling).
SCHEMES: MappingProxyType[str, Scheme] = MappingProxyType(
    {s.id: s for s in (*gs1.SCHEMES, *cn_trace.SCHEMES, *cn_identity.SCHEMES, *cn_equipment.SCHEMES)}
)

#: Schemes tried for a bare code of each length, in priority order.
BY_LENGTH: MappingProxyType[int, tuple[str, ...]] = MappingProxyType(
    {
        8: (gs1.GTIN.id,),
        9: (cn_trace.NODE.id,),
        12: (gs1.GTIN.id,),
        13: (gs1.GTIN.id, cn_trace.OPERATOR.id),
        14: (gs1.GTIN.id,),
        18: (cn_identity.USCC.id, cn_identity.RIC.id, gs1.SSCC.id, cn_equipment.EQUIPMENT.id),
        20: (cn_trace.MEAT_VEG.id, cn_trace.DRUG.id),
        21: (cn_equipment.REGISTRATION.id,),
        22: (cn_trace.PLATFORM.id,),
    }
)

_URI_SCHEMES = frozenset(s.id for s in gs1.SCHEMES)


def _is_uri(text: str) -> bool:
    return text.startswith("urn:") or text[:8].lower().startswith(("http://", "https://"))


def identify(code: str, *, scheme: str | None = None) -> Identified:
    """The scheme, parts and canonical form of ``code``, or :class:`CodeError` saying why it is invalid.

    ``scheme`` names the scheme to read the code in (an id of :data:`SCHEMES`); without it the
    form of the code decides (module docstring).
    """
    text = code.strip()
    if scheme is not None:
        return _identify_as(text, scheme)
    if not text:
        raise CodeError(Reason.LENGTH, "编码为空", "the code is empty")
    if _is_uri(text):
        return gs1.parse_uri(text)
    if text.startswith("("):
        return gs1.parse_element_string(text)
    bare = compact(text)
    if bare.startswith("SC") and bare[2:3].isdigit():
        return cn_identity.parse_sc(bare)
    candidates = BY_LENGTH.get(len(bare))
    if candidates is None:
        lengths = ", ".join(str(n) for n in BY_LENGTH)
        raise CodeError(
            Reason.LENGTH,
            f"无法识别长度为 {len(bare)} 的编码(已知长度:{lengths})",
            f"no scheme has codes of length {len(bare)} (known lengths: {lengths})",
        )
    return _first_of(bare, candidates)


def _identify_as(text: str, scheme: str) -> Identified:
    if scheme in _URI_SCHEMES:
        if _is_uri(text):
            found = gs1.parse_uri(text)
        elif text.startswith("("):
            found = gs1.parse_element_string(text)
        else:
            found = _PARSERS.get(scheme, _no_bare(scheme))(compact(text))
        if scheme not in (found.scheme, gs1.KEY.id):
            raise CodeError(
                Reason.UNKNOWN,
                f"该编码是 {SCHEMES[found.scheme].name_zh},不是 {SCHEMES[scheme].name_zh}",
                f"the code is a {SCHEMES[found.scheme].name_en}, not a {SCHEMES[scheme].name_en}",
                scheme=scheme,
            )
        return found
    parser = _PARSERS.get(scheme)
    if parser is None:
        raise CodeError(
            Reason.UNKNOWN_SCHEME,
            f"未知的编码方案 {scheme!r}(可选:{', '.join(SCHEMES)})",
            f"unknown scheme {scheme!r} (known: {', '.join(SCHEMES)})",
        )
    return parser(text if scheme == cn_equipment.HAZCHEM.id else compact(text))


def _no_bare(scheme: str) -> Parser:
    def fail(text: str) -> Identified:
        raise CodeError(
            Reason.UNKNOWN,
            f"{SCHEMES[scheme].name_zh}须写成 EPC URN、GS1 数字链接或元素串",
            f"a {SCHEMES[scheme].name_en} must be written as an EPC URN, a Digital Link or an element string",
            scheme=scheme,
        )

    return fail


def _first_of(code: str, candidates: tuple[str, ...]) -> Identified:
    found: list[Identified] = []
    errors: list[CodeError] = []
    for scheme in candidates:
        try:
            found.append(_PARSERS[scheme](code))
        except CodeError as exc:
            errors.append(exc)
    if found:
        return found[0].with_also(tuple(f.scheme for f in found[1:]))
    if len(errors) == 1:
        raise errors[0]
    raise CodeError(
        Reason.UNKNOWN,
        "不符合任何同长度的编码方案:" + ";".join(e.message_zh for e in errors),
        "not valid in any scheme of this length: " + "; ".join(e.message_en for e in errors),
        candidates=tuple(errors),
    )
