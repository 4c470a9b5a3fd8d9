"""The catalog and lifecycle templates: consistent data, and records checked against their steps."""

from __future__ import annotations

import pytest

from zhuisu.domain.event_model import TRACE_FIELDS
from zhuisu.domain.templates import (
    CATEGORIES,
    NOT_TEMPLATED,
    STEPS,
    TEMPLATES,
    Step,
    Target,
    check_record,
    step,
    validate_catalog,
)
from zhuisu.domain.templates.fields import EXTRA_EXTENSIONS


def example(s: Step) -> dict[str, str]:
    return {sf.field.key: sf.field.example for sf in s.fields}


def test_declared_data_is_consistent() -> None:
    assert validate_catalog() == []


def test_eight_categories_and_templated_ones() -> None:
    assert len(CATEGORIES) == 8
    assert {"pork", "veg", "elevator", "cylinder", "hazchem", "drug", "rare_earth"} <= set(TEMPLATES)
    pork = [s.zh for s in TEMPLATES["pork"].steps]
    assert pork == [
        "出栏",
        "屠宰进厂",
        "屠宰检疫检验",
        "屠宰",
        "屠宰出厂交易",
        "批发进场",
        "检测",
        "批发交易",
        "零售进场",
        "零售",
    ]
    # the orders issue 4 names
    elevator = ["制造", "安装", "改造", "维护保养", "修理", "检验", "报废"]
    assert [s.zh for s in TEMPLATES["elevator"].steps] == elevator
    cylinder = ["制造", "建档", "充装前检查", "充装", "充装后检查", "配送", "检验", "报废"]
    assert [s.zh for s in TEMPLATES["cylinder"].steps] == cylinder
    hazchem = ["生产/进口", "入库", "出库", "运输", "使用", "废弃处置"]
    assert [s.zh for s in TEMPLATES["hazchem"].steps] == hazchem


def test_every_extension_is_declared() -> None:
    for s in STEPS.values():
        for sf in s.fields:
            name = sf.field.extension
            assert name is None or name in TRACE_FIELDS or name in EXTRA_EXTENSIONS, (s.id, name)
        for name, _ in s.constants:
            assert name in EXTRA_EXTENSIONS


@pytest.mark.parametrize("step_id", sorted(STEPS))
def test_example_record_is_valid_and_complete(step_id: str) -> None:
    checked = check_record(STEPS[step_id], example(STEPS[step_id]))
    assert checked.problems == []
    assert checked.quality == 100


@pytest.mark.parametrize(("step_id", "key"), [(s.id, f.key) for s in STEPS.values() for f in s.required])
def test_missing_required_field_is_named(step_id: str, key: str) -> None:
    s = STEPS[step_id]
    record = example(s)
    del record[key]
    checked = check_record(s, record)
    field = s.field(key)
    assert field is not None
    assert [p.code for p in checked.problems] == ["record.missing_field"]
    assert field.zh in checked.problems[0].message_zh and key in checked.problems[0].message_en


def test_missing_expected_field_lowers_quality() -> None:
    s = step("pork.wholesale.entry")
    assert s is not None
    record = example(s)
    for key in ("stall_no", "batch_no"):
        del record[key]
    checked = check_record(s, record)
    assert checked.ok
    assert {f.key for f in checked.missing_expected} == {"batch_no", "stall_no"}
    assert checked.quality == round(100 * (len(s.expected) - 2) / len(s.expected))


def test_chinese_and_english_names_and_aliases() -> None:
    s = step("pork.wholesale.entry")
    assert s is not None
    record = {
        "追溯码": "37060000400010000003",
        "时间": "2026-05-01 08:30",
        "统一社会信用代码": "91350100M000100Y43",
        "*批发商": "烟台某批发商",
        "品种": "白条猪",
        "重量（千克）": "1,250.5",
        "quarantineCertNo": "3700123456",
        "origin": "370682",
    }
    checked = check_record(s, record)
    assert checked.ok, checked.problems
    assert checked.values["weight_kg"] == 1250.5
    assert checked.values["event_time"] == "2026-05-01T08:30:00.000+08:00"


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        ("trace_code", "3706000040001000000X", "record.invalid_code"),
        ("subject", "91350100M000100Y44", "record.invalid_code"),
        ("weight_kg", "-3", "record.invalid_number"),
        ("event_time", "yesterday", "record.invalid_time"),
        ("node_code", "12345", "record.invalid_code"),
    ],
)
def test_bad_values_are_rejected(key: str, value: str, code: str) -> None:
    s = STEPS["pork.wholesale.entry"]
    record = {**example(s), key: value}
    checked = check_record(s, record)
    assert [p.code for p in checked.problems] == [code]


def test_choice_and_unknown_field() -> None:
    s = STEPS["pork.wholesale.test"]
    checked = check_record(s, {**example(s), "test_result": "还行", "颜色": "红"})
    assert sorted(p.code for p in checked.problems) == ["record.invalid_choice", "record.unknown_field"]


def test_code_scheme_is_enforced() -> None:
    s = STEPS["elevator.maintenance"]
    checked = check_record(s, {**example(s), "trace_code": "37060000400010000003"})
    assert [p.code for p in checked.problems] == ["record.invalid_code"]
    assert "cn.special_equipment" in checked.problems[0].message_en


def test_steps_map_to_epcis() -> None:
    for s in STEPS.values():
        assert s.event_type == "ObjectEvent"
        assert sum(1 for sf in s.fields if sf.field.target is Target.WHAT) == 1
        assert s.biz_step.isidentifier() or s.biz_step.startswith("https://zhuisu.cn/epcis/bizstep/")


def test_every_subclass_is_templated_or_said_not_to_be() -> None:
    templated = {(t.category, t.subclass) for t in TEMPLATES.values()}
    every = {(c.id, s) for c in CATEGORIES for s in c.subclasses}
    assert templated.isdisjoint(NOT_TEMPLATED)
    # the drug template (化学药) covers vaccines too: its bill 322 疫苗接种 is a step of it
    assert every - templated - set(NOT_TEMPLATED) == {("drugs", "疫苗")}
    assert {c.id for c in CATEGORIES if c.templates} == {c.id for c in CATEGORIES}


def test_food_agri_input_and_jewellery_steps() -> None:
    for food in ("dairy", "infant_formula", "edible_oil", "liquor"):
        assert [s.zh for s in TEMPLATES[food].steps] == ["原料进货", "生产", "出厂销售", "经销商进货", "零售"]
    assert [s.zh for s in TEMPLATES["imported_food"].steps] == [
        "入境检验检疫",
        "进口商销售",
        "经销商进货",
        "零售",
    ]
    assert [s.zh for s in TEMPLATES["jewellery"].steps] == ["生产", "检验鉴定", "批发", "零售"]
    licences = {
        "pesticide": {"农药登记证号", "农药生产许可证号"},
        "fertiliser": {"肥料登记证号"},
        "seed": {"品种审定编号", "种子生产经营许可证号"},
        "vet_drug": {"兽药产品批准文号", "兽药生产许可证号"},
        "feed": {"饲料生产许可证号"},
    }
    for template, names in licences.items():
        production = STEPS[f"{template}.production"]
        found = {f.zh for f in production.required if f.key in ("registration_no", "licence_no")}
        assert found == names, template
    # only restricted pesticides are a real-name sale (实名购买): the buyer's ID type is required there
    assert [t for t in licences if any(f.key == "buyer_id_type" for f in STEPS[f"{t}.sale"].required)] == [
        "pesticide"
    ]
    assert (
        STEPS["dairy.production"].code_role == "issued"
        and STEPS["dairy.material_receipt"].code_role == "voucher"
    )
    voucher = STEPS["dairy.production"].field("trace_voucher")
    assert voucher is not None and voucher.multiple and voucher.extension == "traceVoucher"
