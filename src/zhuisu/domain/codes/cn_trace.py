"""Chinese trace codes: MOFCOM meat & vegetable circulation codes, the NMPA drug trace code and
zhuisu's own platform trace code.

Evidence (see docs/standards.md; labels as in the research notes):

* SB/T 10680-2012 family, as real systems implement it [found in public code]: node code
  (流通节点编码) = 6-digit GB/T 2260 region code + 3-digit filing sequence (9 digits); operator
  code (经营者编码) = node code + 4-digit sequence (13 digits), a node acting as its own operator
  taking ``0000``; the trace code (追溯码) has 20 digits. The *composition* of the 20 digits was
  not verified: zhuisu reads it as operator code (13) + 7-digit serial, which the Shandong samples
  fit [inferred]; no check digit is known, so only the structure is checked.
* NMPAB/T 1002-2019 [found]: 20 characters, the leading 7 being the drug identification code
  (药品标识码), then a production identification part that must contain the unit serial, then a
  check part. The 7 + 9 + 4 split and the check algorithm are only recalled and the algorithm is
  not public: the check is not computable locally (``Check.NOT_COMPUTABLE``).
* The platform trace code is zhuisu's own design (docs/standards.md): region (6) + platform
  subject number (5) + sequence (10) + one check character, mod 31 over the GB 32100 alphabet
  (the approach of DB4403/T 157-2021 Annex A, "check character computed as for the USCC" [inferred
  from its title]).
"""

from __future__ import annotations

from zhuisu.domain.codes.base import (
    ALPHABET_31,
    DIGITS,
    Check,
    Identified,
    Scheme,
    bad_check,
    bad_prefix,
    mod31_check,
    require_chars,
    require_length,
)
from zhuisu.domain.codes.regions import PROVINCES

NODE = Scheme(
    "cn.node", "流通节点编码", "MOFCOM circulation node code", "SB/T 10680 (as implemented)", Check.NONE
)
OPERATOR = Scheme(
    "cn.operator", "经营者编码", "MOFCOM operator code", "SB/T 10680 (as implemented)", Check.NONE
)
MEAT_VEG = Scheme(
    "cn.meat_veg",
    "肉类蔬菜流通追溯码",
    "meat & vegetable circulation trace code",
    "SB/T 10680-2012",
    Check.NONE,
)
DRUG = Scheme("nmpa.drug", "药品追溯码", "NMPA drug trace code", "NMPAB/T 1002-2019", Check.NOT_COMPUTABLE)
PLATFORM = Scheme(
    "zhuisu.platform", "平台追溯码", "zhuisu platform trace code", "zhuisu (our design)", Check.VERIFIED
)

SCHEMES = (NODE, OPERATOR, MEAT_VEG, DRUG, PLATFORM)

#: Layout of the platform trace code: region 6 + subject number 5 + sequence 10 + check 1.
PLATFORM_LENGTH = 22
PLATFORM_SEQUENCE_DIGITS = 10
PLATFORM_SUBJECT_DIGITS = 5


def _region(scheme: Scheme, code: str) -> None:
    if code[:2] not in PROVINCES:
        raise bad_prefix(
            scheme,
            code[:2],
            "前两位应为 GB/T 2260 省级行政区划代码",
            "the first two digits must be a GB/T 2260 province code",
        )


def parse_node(code: str) -> Identified:
    require_chars(NODE, code, DIGITS)
    require_length(NODE, code, 9)
    _region(NODE, code)
    return Identified(NODE.id, {"region": code[:6], "sequence": code[6:]}, code, NODE.check)


def parse_operator(code: str) -> Identified:
    require_chars(OPERATOR, code, DIGITS)
    require_length(OPERATOR, code, 13)
    _region(OPERATOR, code)
    parts = {"region": code[:6], "node_code": code[:9], "sequence": code[9:]}
    return Identified(OPERATOR.id, parts, code, OPERATOR.check)


def parse_meat_veg(code: str) -> Identified:
    """20 digits; parts per zhuisu's reading operator code (13) + serial (7) [inferred]."""
    require_chars(MEAT_VEG, code, DIGITS)
    require_length(MEAT_VEG, code, 20)
    _region(MEAT_VEG, code)
    parts = {"region": code[:6], "node_code": code[:9], "operator_code": code[:13], "serial": code[13:]}
    return Identified(MEAT_VEG.id, parts, code, MEAT_VEG.check)


def parse_drug(code: str) -> Identified:
    """20 digits, the first 7 identifying the drug product and package level (NMPAB/T 1002-2019)."""
    require_chars(DRUG, code, DIGITS)
    require_length(DRUG, code, 20)
    parts = {"product_code": code[:7], "serial": code[7:16], "check": code[16:]}
    return Identified(DRUG.id, parts, code, DRUG.check)


def parse_platform(code: str) -> Identified:
    require_length(PLATFORM, code, PLATFORM_LENGTH)
    require_chars(PLATFORM, code, DIGITS, stop=PLATFORM_LENGTH - 1)
    require_chars(
        PLATFORM,
        code,
        ALPHABET_31,
        start=PLATFORM_LENGTH - 1,
        what="a GB 32100 character (0-9, A-Y without I O S V Z)",
        what_zh="GB 32100 字符集中的字符",
    )
    _region(PLATFORM, code)
    expected = mod31_check(code[:-1])
    if code[-1] != expected:
        raise bad_check(PLATFORM, PLATFORM_LENGTH, code[-1], expected, "mod 31, GB 32100 字符集")
    subject_end = 6 + PLATFORM_SUBJECT_DIGITS
    parts = {
        "region": code[:6],
        "subject_no": code[6:subject_end],
        "sequence": code[subject_end:-1],
        "check": code[-1],
    }
    return Identified(PLATFORM.id, parts, code, PLATFORM.check)


def platform_code(region: str, subject_no: int, sequence: int) -> str:
    """Compose a platform trace code (the inverse of :func:`parse_platform`)."""
    if not (len(region) == 6 and region.isdigit() and region[:2] in PROVINCES):
        raise ValueError(f"not a GB/T 2260 region code: {region!r}")
    if not 0 <= subject_no < 10**PLATFORM_SUBJECT_DIGITS or not 0 <= sequence < 10**PLATFORM_SEQUENCE_DIGITS:
        raise ValueError("subject number or sequence out of range")
    payload = f"{region}{subject_no:0{PLATFORM_SUBJECT_DIGITS}d}{sequence:0{PLATFORM_SEQUENCE_DIGITS}d}"
    return payload + mod31_check(payload)
