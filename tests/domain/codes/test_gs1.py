"""GS1 keys in every spelling reach one canonical Digital Link; check digits are verified."""

from __future__ import annotations

import pytest

from zhuisu.domain.codes import CodeError, Reason, identify


@pytest.mark.parametrize(
    ("code", "scheme", "canonical"),
    [
        ("6901234567892", "gs1.gtin", "https://id.gs1.org/01/06901234567892"),
        ("06901234567892", "gs1.gtin", "https://id.gs1.org/01/06901234567892"),
        ("96385074", "gs1.gtin", "https://id.gs1.org/01/00000096385074"),
        ("urn:epc:id:sgtin:6901234.012345.1001", "gs1.sgtin", "https://id.gs1.org/01/06901234123456/21/1001"),
        ("urn:epc:class:lgtin:6901234.012345.L7", "gs1.lgtin", "https://id.gs1.org/01/06901234123456/10/L7"),
        (
            "https://example.cn/01/06901234567892/10/B1?17=261231",
            "gs1.lgtin",
            "https://id.gs1.org/01/06901234567892/10/B1",
        ),
        ("(01)06901234567892(21)X9", "gs1.sgtin", "https://id.gs1.org/01/06901234567892/21/X9"),
        ("(00)169012340000000013", "gs1.sscc", "https://id.gs1.org/00/169012340000000013"),
        ("169012340000000013", "gs1.sscc", "https://id.gs1.org/00/169012340000000013"),
        ("urn:epc:id:sgln:6901234.00001.0", "gs1.gln", "https://id.gs1.org/414/6901234000016"),
        ("urn:epc:id:sgln:6901234.00001.7", "gs1.sgln", "https://id.gs1.org/414/6901234000016/254/7"),
        ("urn:epc:id:grai:6901234.00002.55", "gs1.grai", "https://id.gs1.org/8003/0690123400002355"),
        ("urn:epc:id:giai:6901234.A7", "gs1.giai", "https://id.gs1.org/8004/6901234A7"),
        ("urn:epc:id:pgln:6901234.00001", "gs1.pgln", "https://id.gs1.org/417/6901234000016"),
    ],
)
def test_valid_keys(code: str, scheme: str, canonical: str) -> None:
    found = identify(code)
    assert (found.scheme, found.canonical) == (scheme, canonical)
    assert identify(found.canonical).canonical == canonical


def test_parts_and_urn_when_the_company_prefix_is_known() -> None:
    found = identify("https://id.gs1.org/01/06901234567892/21/S1")
    assert found.parts["gtin"] == "06901234567892"
    assert found.parts["serial"] == "S1"
    assert found.parts["company_prefix"] == "6901234"
    assert found.parts["urn"] == "urn:epc:id:sgtin:6901234.056789.S1"


def test_gln_is_read_only_when_named() -> None:
    assert identify("6901234000016").scheme == "gs1.gtin"
    assert identify("6901234000016", scheme="gs1.gln").canonical == "https://id.gs1.org/414/6901234000016"


def test_bad_gtin_check_digit_names_the_expected_digit() -> None:
    with pytest.raises(CodeError) as info:
        identify("06901234567893")
    assert info.value.reason is Reason.CHECK
    assert info.value.expected == "2" and info.value.position == 14
    assert "应为 '2'" in info.value.message_zh and "expected '2'" in info.value.message_en


def test_bad_check_digit_in_a_digital_link() -> None:
    with pytest.raises(CodeError) as info:
        identify("https://id.gs1.org/01/06901234567893/21/1")
    assert info.value.reason is Reason.CHECK and info.value.expected == "2"


def test_bad_character_position() -> None:
    with pytest.raises(CodeError) as info:
        identify("690123456789A", scheme="gs1.gtin")
    assert info.value.reason is Reason.CHARACTER and info.value.position == 13


def test_a_uri_that_is_no_gs1_key() -> None:
    with pytest.raises(CodeError) as info:
        identify("https://example.cn/products/42")
    assert info.value.reason is Reason.UNKNOWN


def test_named_scheme_must_match() -> None:
    with pytest.raises(CodeError) as info:
        identify("urn:epc:id:sgtin:6901234.012345.1001", scheme="gs1.sscc")
    assert "不是" in info.value.message_zh


def test_element_string_without_a_key() -> None:
    with pytest.raises(CodeError):
        identify("(10)ABC")
