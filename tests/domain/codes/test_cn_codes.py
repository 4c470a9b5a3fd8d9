"""Chinese codes: valid and invalid cases for each scheme, with the reason named."""

from __future__ import annotations

import pytest

from zhuisu.domain.codes import Check, CodeError, Reason, identify
from zhuisu.domain.codes.cn_trace import platform_code


def test_uscc_samples_and_parts() -> None:
    # published sample codes (GB 32100 check recomputed by python-stdnum)
    for code in ("91350100M000100Y43", "91110000600037341L"):
        found = identify(code)
        assert found.scheme == "cn.uscc" and found.check is Check.VERIFIED
    parts = identify("91350100M000100Y43").parts
    assert parts["region"] == "350100" and parts["organisation_code"] == "M000100Y4"


def test_uscc_bad_check_names_expected() -> None:
    with pytest.raises(CodeError) as info:
        identify("91350100M000100Y44", scheme="cn.uscc")
    assert info.value.reason is Reason.CHECK and info.value.expected == "3" and info.value.position == 18


def test_uscc_forbidden_letter() -> None:
    with pytest.raises(CodeError) as info:
        identify("91350100M00010OY43", scheme="cn.uscc")  # O is not in the GB 32100 alphabet
    assert info.value.reason is Reason.CHARACTER and info.value.position == 15


def test_ric() -> None:
    found = identify("11010519491231002x")
    assert found.scheme == "cn.ric" and found.canonical == "11010519491231002X"
    assert found.parts["birth_date"] == "1949-12-31"
    with pytest.raises(CodeError) as info:
        identify("110105194912310021", scheme="cn.ric")
    assert info.value.expected == "X"
    with pytest.raises(CodeError) as info:
        identify("110105194902300021", scheme="cn.ric")
    assert info.value.reason is Reason.COMPONENT
    with pytest.raises(CodeError) as info:
        identify("990105194912310021", scheme="cn.ric")
    assert info.value.reason is Reason.PREFIX


def test_node_operator_and_meat_veg_codes() -> None:
    assert identify("370600004").parts == {"region": "370600", "sequence": "004"}
    assert identify("3706000040000").scheme == "cn.operator"
    found = identify("37060000400010000003")
    assert found.scheme == "cn.meat_veg" and found.check is Check.NONE
    assert found.parts["operator_code"] == "3706000040001"
    assert found.also == ("nmpa.drug",)
    with pytest.raises(CodeError) as info:
        identify("99060000400010000003", scheme="cn.meat_veg")
    assert info.value.reason is Reason.PREFIX
    with pytest.raises(CodeError) as info:
        identify("3706000040001000000", scheme="cn.meat_veg")
    assert info.value.reason is Reason.LENGTH


def test_drug_code() -> None:
    found = identify("86234560000000011234")  # 86 is no province: not a meat & vegetable code
    assert found.scheme == "nmpa.drug" and found.check is Check.NOT_COMPUTABLE
    assert found.parts["product_code"] == "8623456" and found.also == ()
    assert identify("37060000400010000003", scheme="nmpa.drug").parts["product_code"] == "3706000"
    with pytest.raises(CodeError) as info:
        identify("8123456000000001123A", scheme="nmpa.drug")
    assert info.value.reason is Reason.CHARACTER and info.value.position == 20


def test_platform_code_round_trip_and_check() -> None:
    code = platform_code("310101", 42, 7)
    found = identify(code)
    assert found.scheme == "zhuisu.platform"
    assert found.parts == {
        "region": "310101",
        "subject_no": "00042",
        "sequence": "0000000007",
        "check": code[-1],
    }
    wrong = "Y" if code[-1] != "Y" else "0"
    with pytest.raises(CodeError) as info:
        identify(code[:-1] + wrong)
    assert info.value.reason is Reason.CHECK and info.value.expected == code[-1]
    with pytest.raises(ValueError):
        platform_code("990101", 1, 1)


def test_sc_licence() -> None:
    found = identify("SC10637011500052")
    assert found.scheme == "cn.sc" and found.parts["province"] == "37"
    for bad, reason in (
        ("SC1063701150005", Reason.LENGTH),
        ("SC30637011500052", Reason.COMPONENT),
        ("SC10699011500052", Reason.COMPONENT),
        ("SC1063701150005X", Reason.CHARACTER),
    ):
        with pytest.raises(CodeError) as info:
            identify(bad)
        assert info.value.reason is reason, bad


@pytest.mark.parametrize(
    ("code", "cylinder"),
    # variety 4 + manufacturer 5 (authority region 2 + sequence 3) + year 4 + sequence 5
    [("311031001202000001", False), ("23103100120190000A", True)],
)
def test_equipment_code(code: str, cylinder: bool) -> None:
    found = identify(code)
    assert found.scheme == "cn.special_equipment" and found.check is Check.NONE
    assert found.parts["cylinder"] == ("true" if cylinder else "false")
    assert found.parts["authority"] == "31" and found.parts["manufacturer"] == "31001"


def test_equipment_code_errors() -> None:
    with pytest.raises(CodeError) as info:
        identify("011031001202000001", scheme="cn.special_equipment")
    assert info.value.reason is Reason.PREFIX
    with pytest.raises(CodeError) as info:
        identify("311099001202000001", scheme="cn.special_equipment")
    assert info.value.reason is Reason.COMPONENT and info.value.position == 5
    with pytest.raises(CodeError) as info:
        identify("31103100118000001A", scheme="cn.special_equipment")
    assert info.value.reason is Reason.COMPONENT and info.value.position == 10


def test_registration_code_checks_the_organisation_code() -> None:
    # organisation code 12345678 → check character 8 (GB 11714: 3·1+7·2+9·3+10·4+5·5+8·6+4·7+2·8 = 201,
    # 201 mod 11 = 3, 11 - 3 = 8)
    found = identify("2310123456788" + "20190001")
    assert found.scheme == "cn.special_equipment_registration"
    assert found.parts["organisation_code"] == "123456788" and found.parts["cylinder"] == "true"
    with pytest.raises(CodeError) as info:
        identify("2310123456787" + "20190001")
    assert info.value.reason is Reason.CHECK and info.value.expected == "8"


def test_hazchem_safety_code() -> None:
    found = identify("https://reg.example.cn/q/HC37120000123/B2026-01", scheme="cn.hazchem")
    assert found.parts == {
        "registration_no": "HC37120000123",
        "extension": "B2026-01",
        "registry_url": "https://reg.example.cn/q",
    }
    assert found.canonical == "HC37120000123/B2026-01"
    assert identify("37120000123", scheme="cn.hazchem").parts == {"registration_no": "37120000123"}
    with pytest.raises(CodeError):
        identify("12", scheme="cn.hazchem")
    with pytest.raises(CodeError):
        identify("37120000123/a b", scheme="cn.hazchem")
