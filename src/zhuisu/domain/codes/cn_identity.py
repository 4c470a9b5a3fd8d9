"""Who someone is: the Unified Social Credit Code (GB 32100-2015), the resident identity card
number (GB 11643-1999) and the SC food production licence number.

The check characters come from python-stdnum (``stdnum.cn.uscc``, ``stdnum.cn.ric``), a pure,
I/O-free library of standard-number rules: zhuisu does not hand-write what it does. Length,
character and structure checks are done here first so that errors can name the position.
python-stdnum's region database (a data file it reads) is used by ``subjects`` only, never here.
"""

from __future__ import annotations

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

from zhuisu.domain.codes.base import (
    ALPHABET_31,
    DIGITS,
    Check,
    Identified,
    Scheme,
    bad_check,
    bad_component,
    bad_prefix,
    require_chars,
    require_length,
)
from zhuisu.domain.codes.regions import PROVINCES

USCC = Scheme("cn.uscc", "统一社会信用代码", "Unified Social Credit Code", "GB 32100-2015", Check.VERIFIED)
RIC = Scheme("cn.ric", "居民身份证号码", "resident identity card number", "GB 11643-1999", Check.VERIFIED)
SC = Scheme(
    "cn.sc",
    "食品生产许可证编号",
    "food production licence number (SC)",
    "食品生产许可管理办法",
    Check.NOT_COMPUTABLE,
)

SCHEMES = (USCC, RIC, SC)

_ALPHABET_31_DESC = ("a GB 32100 character (0-9, A-Y without I O S V Z)", "GB 32100 字符集中的字符")


def parse_uscc(code: str) -> Identified:
    """18 characters: registration authority 1 + entity type 1 + region 6 + organisation code 9 +
    check 1 (structure [recalled]; charset and mod-31 check per GB 32100 §4, computed by stdnum)."""
    require_length(USCC, code, 18)
    what, what_zh = _ALPHABET_31_DESC
    require_chars(USCC, code, ALPHABET_31, stop=2, what=what, what_zh=what_zh)
    require_chars(USCC, code, DIGITS, start=2, stop=8)
    require_chars(USCC, code, ALPHABET_31, start=8, what=what, what_zh=what_zh)
    expected = uscc.calc_check_digit(code[:17])
    if code[17] != expected:
        raise bad_check(USCC, 18, code[17], expected, "GB 32100 mod 31")
    parts = {
        "authority": code[0],
        "entity_type": code[1],
        "region": code[2:8],
        "organisation_code": code[8:17],
        "check": code[17],
    }
    return Identified(USCC.id, parts, code, USCC.check)


def parse_ric(code: str) -> Identified:
    """18 characters: region 6 + birth date 8 + sequence 3 + check (0-9 or X, ISO 7064 MOD 11-2)."""
    require_length(RIC, code, 18)
    require_chars(RIC, code, DIGITS, stop=17)
    require_chars(RIC, code, DIGITS + "X", start=17, what="a digit or X", what_zh="数字或 X")
    if code[:2] not in PROVINCES:
        raise bad_prefix(
            RIC, code[:2], "前两位应为省级行政区划代码", "the first two digits must be a province code"
        )
    try:
        born = ric.get_birth_date(code)
    except ValidationError:
        raise bad_component(
            RIC, 7, f"出生日期 {code[6:14]} 不存在", f"no such birth date {code[6:14]}"
        ) from None
    expected = ric.calc_check_digit(code)
    if code[17] != expected:
        raise bad_check(RIC, 18, code[17], expected, "ISO 7064 MOD 11-2")
    parts = {"region": code[:6], "birth_date": born.isoformat(), "sequence": code[14:17], "check": code[17]}
    return Identified(RIC.id, parts, code, RIC.check)


def parse_sc(code: str) -> Identified:
    """ "SC" + 14 digits: category 3 (first digit 1 food, 2 food additive) + province 2 + city 2 +
    county 2 + sequence 4 + check 1 [found, vendor paraphrase]; the check algorithm is not public."""
    if not code.startswith("SC"):
        raise bad_prefix(SC, code[:2], "应以 SC 开头", "must start with SC")
    require_chars(SC, code, DIGITS, start=2)
    require_length(SC, code, 16)
    if code[2] not in "12":
        raise bad_component(
            SC,
            3,
            "类别首位应为 1(食品)或 2(食品添加剂)",
            "the category must start with 1 (food) or 2 (food additive)",
        )
    if code[5:7] not in PROVINCES:
        raise bad_component(SC, 6, f"省级代码 {code[5:7]} 不存在", f"no province {code[5:7]}")
    parts = {
        "category": code[2:5],
        "province": code[5:7],
        "city": code[7:9],
        "county": code[9:11],
        "sequence": code[11:15],
        "check": code[15],
    }
    return Identified(SC.id, parts, code, SC.check)
