"""Special equipment, gas cylinders and hazardous chemicals.

* 特种设备代码, 18 characters [found: "附件2 特种设备代码编号方法"; its attribution to TSG 08-2017 is
  recalled]: equipment variety code 4 (特种设备目录品种代码) + manufacturer code 5 (approving
  authority's region 2, ``10`` for the national administration, + licence sequence 3) +
  year of manufacture 4 + manufacturing sequence 5 (letters once digits overflow). No check
  character. Gas cylinders are special equipment of the 气瓶 variety, codes 23xx [recalled: the
  catalogue's 2000 压力容器 → 2300 气瓶]; their per-cylinder tag codes (一瓶一码, GB/T 43072,
  DB4114/T 185) are locally defined and have no national structure in the reference.
* 特种设备登记代码 (older data-element specification), 21 characters [found]: class 4 +
  the registering unit's organisation code 9 (GB 11714, whose check character is verified
  [recalled algorithm]) + year 4 + sequence 4.
* 危险化学品安全信息码 (T/CCSAS 047-2023) [found]: fixed part = registration web address +
  hazardous-chemical registration number, then an enterprise-defined extension. The text gives
  no character-level syntax, so zhuisu accepts ``REGNO[/EXT]`` or ``http(s)://…/REGNO[/EXT]``
  with a registration number of 5-20 capital letters or digits [inferred]; it is only identified
  when asked for by name (``scheme="cn.hazchem"``).
"""

from __future__ import annotations

import re

from zhuisu.domain.codes.base import (
    DIGITS,
    UPPER_ALNUM,
    Check,
    CodeError,
    Identified,
    Reason,
    Scheme,
    bad_check,
    bad_component,
    bad_prefix,
    gb11714_check,
    require_chars,
    require_length,
)
from zhuisu.domain.codes.regions import PROVINCES

EQUIPMENT = Scheme(
    "cn.special_equipment", "特种设备代码", "special equipment code", "TSG 08-2017 附件", Check.NONE
)
REGISTRATION = Scheme(
    "cn.special_equipment_registration",
    "特种设备登记代码",
    "special equipment registration code",
    "特种设备信息资源管理数据元规范",
    Check.VERIFIED,
)
HAZCHEM = Scheme(
    "cn.hazchem",
    "危险化学品安全信息码",
    "hazardous chemical safety information code",
    "T/CCSAS 047-2023",
    Check.NONE,
)

SCHEMES = (EQUIPMENT, REGISTRATION, HAZCHEM)

#: First digit of the variety code: the catalogue's categories [recalled, 特种设备目录 2014].
CATEGORIES = {
    "1": "锅炉 boiler",
    "2": "压力容器 pressure vessel",
    "3": "电梯 elevator",
    "4": "起重机械 lifting appliance",
    "5": "客运索道 passenger ropeway",
    "6": "大型游乐设施 large amusement device",
    "7": "压力管道元件 pressure piping component",
    "8": "压力管道 pressure piping",
    "9": "场(厂)内专用机动车辆 in-site motor vehicle",
}
CYLINDER_VARIETY_PREFIX = "23"
_NATIONAL_AUTHORITY = "10"
_YEARS = range(1949, 2100)


def _variety(scheme: Scheme, code: str) -> dict[str, str]:
    if code[0] not in CATEGORIES:
        raise bad_prefix(scheme, code[0], "设备类别代码未知", "unknown equipment category")
    return {
        "variety": code[:4],
        "category": CATEGORIES[code[0]],
        "cylinder": "true" if code.startswith(CYLINDER_VARIETY_PREFIX) else "false",
    }


def _year(scheme: Scheme, code: str, start: int) -> str:
    year = code[start : start + 4]
    if int(year) not in _YEARS:
        raise bad_component(scheme, start + 1, f"年份 {year} 不合理", f"implausible year {year}")
    return year


def parse_equipment(code: str) -> Identified:
    require_length(EQUIPMENT, code, 18)
    require_chars(EQUIPMENT, code, DIGITS, stop=13)
    require_chars(
        EQUIPMENT, code, UPPER_ALNUM, start=13, what="a digit or capital letter", what_zh="数字或大写字母"
    )
    parts = _variety(EQUIPMENT, code)
    authority = code[4:6]
    if authority != _NATIONAL_AUTHORITY and authority not in PROVINCES:
        raise bad_component(
            EQUIPMENT, 5, f"审批机关代码 {authority} 未知", f"unknown approving authority {authority}"
        )
    parts |= {
        "manufacturer": code[4:9],
        "authority": authority,
        "year": _year(EQUIPMENT, code, 9),
        "sequence": code[13:],
    }
    return Identified(EQUIPMENT.id, parts, code, EQUIPMENT.check)


def parse_registration(code: str) -> Identified:
    require_length(REGISTRATION, code, 21)
    require_chars(REGISTRATION, code, DIGITS, stop=4)
    require_chars(
        REGISTRATION,
        code,
        UPPER_ALNUM,
        start=4,
        stop=12,
        what="a digit or capital letter",
        what_zh="数字或大写字母",
    )
    require_chars(
        REGISTRATION, code, DIGITS + "X", start=12, stop=13, what="a digit or X", what_zh="数字或 X"
    )
    require_chars(REGISTRATION, code, DIGITS, start=13)
    parts = _variety(REGISTRATION, code)
    expected = gb11714_check(code[4:12])
    if code[12] != expected:
        raise bad_check(REGISTRATION, 13, code[12], expected, "GB 11714 组织机构代码 mod 11")
    parts |= {"organisation_code": code[4:13], "year": _year(REGISTRATION, code, 13), "sequence": code[17:]}
    return Identified(REGISTRATION.id, parts, code, REGISTRATION.check)


_REGNO = re.compile(r"[0-9A-Z]{5,20}")
_EXTENSION = re.compile(r"[0-9A-Za-z._~-]{1,40}")


def parse_hazchem(code: str) -> Identified:
    text = code.strip()
    registry = ""
    if text.lower().startswith(("http://", "https://")):
        scheme_end = text.index("//") + 2
        head, _, tail = text[scheme_end:].partition("/")
        segments = [s for s in tail.split("?")[0].split("/") if s]
        if not segments:
            raise CodeError(
                Reason.LENGTH,
                "危化品安全信息码网址中没有登记号",
                "no registration number in the URL",
                scheme=HAZCHEM.id,
            )
        regno_at = len(segments) - 1
        if len(segments) >= 2 and not _REGNO.fullmatch(segments[-1].upper()):
            regno_at -= 1
        registry = text[:scheme_end] + "/".join([head, *segments[:regno_at]])
        body = "/".join(segments[regno_at:])
    else:
        body = text
    regno, _, extension = body.partition("/")
    regno = regno.upper()
    if not _REGNO.fullmatch(regno):
        raise CodeError(
            Reason.CHARACTER,
            f"危化品登记号 {regno!r} 应为 5-20 位数字或大写字母",
            f"registration number {regno!r} must be 5-20 digits or capital letters",
            scheme=HAZCHEM.id,
        )
    if extension and not _EXTENSION.fullmatch(extension):
        raise CodeError(
            Reason.CHARACTER,
            f"扩展码 {extension!r} 含不允许的字符",
            f"extension {extension!r} holds characters outside 0-9 A-Z a-z . _ ~ -",
            scheme=HAZCHEM.id,
        )
    parts = {"registration_no": regno}
    if extension:
        parts["extension"] = extension
    if registry:
        parts["registry_url"] = registry
    canonical = f"{regno}/{extension}" if extension else regno
    return Identified(HAZCHEM.id, parts, canonical, HAZCHEM.check)
