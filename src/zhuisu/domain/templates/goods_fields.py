"""Record fields shared by the packaged-goods templates: food, agricultural inputs and jewellery.

These goods move as producer lots (or single items) through a plant, a distributor and a shop, so
their records name a lot code, a product, its specification, quantity and dates rather than the
weights and certificates of the meat and vegetable markets (``fields``). The names follow the
record sets of 食品安全法 §50-§53 as summarised in cn-standards.md §2.1 (上海市食品安全信息追溯管理办法
Art.13: 名称、规格、数量、生产日期或生产批号、保质期 …) [S]; keys, kinds and event targets are ours [I].
"""

from __future__ import annotations

from dataclasses import replace

from zhuisu.domain.templates import fields as f
from zhuisu.domain.templates.model import FieldDef, Target, ValueKind

_K = ValueKind
_T = Target

#: a producer lot as GS1 identifies it (GTIN + batch/lot, GS1 General Specifications AI 01 + 10);
#: any other identified code is accepted as well (``domain.codes.identify``)
LOT_CODE = FieldDef(
    "trace_code",
    "追溯码",
    "trace code",
    _K.CODE,
    _T.WHAT,
    "traceCode",
    aliases=("traceCode", "追溯编码", "批次追溯码"),
    example="https://id.gs1.org/01/06901234567892/10/L20260428",
    note="GS1 批次码 (GTIN+批号) 或其他可识别的追溯码 / a GS1 lot (GTIN + lot) or another known code",
)
SPEC = FieldDef(
    "spec",
    "规格",
    "specification",
    _K.TEXT,
    _T.EXTENSION,
    "spec",
    aliases=("规格型号",),
    example="250mL×24盒",
)
QUANTITY = FieldDef(
    "quantity",
    "数量",
    "quantity",
    _K.DECIMAL,
    _T.EXTENSION,
    "quantity",
    aliases=("件数",),
    example="100",
    note="按「单位」计 / counted in the unit given",
)
UNIT = FieldDef("unit", "单位", "unit", _K.TEXT, _T.EXTENSION, "unit", aliases=("计量单位",), example="箱")
PRODUCTION_DATE = FieldDef(
    "production_date",
    "生产日期",
    "production date",
    _K.DATE_TIME,
    _T.EXTENSION,
    "productionDate",
    aliases=("productionDate",),
    example="2026-04-28",
)
SHELF_LIFE = FieldDef(
    "shelf_life",
    "保质期",
    "shelf life",
    _K.TEXT,
    _T.EXTENSION,
    "shelfLife",
    aliases=("shelfLife", "质量保证期", "有效期"),
    example="180天",
)
REGISTRATION_NO = FieldDef(
    "registration_no",
    "登记证号",
    "registration number",
    _K.TEXT,
    _T.EXTENSION,
    "registrationNo",
    aliases=("registrationNo", "批准文号"),
    example="PD20260001",
)
LICENCE_NO = FieldDef(
    "licence_no",
    "生产许可证号",
    "production licence number",
    _K.TEXT,
    _T.EXTENSION,
    "licenceNo",
    aliases=("licenceNo", "许可证号"),
    example="农药生许(鲁)0001",
)
BUYER_ID_TYPE = FieldDef(
    "buyer_id_type",
    "购买人证件类型",
    "buyer ID type",
    _K.CHOICE,
    _T.EXTENSION,
    "customerIdType",
    choices=("身份证", "护照", "港澳台居民居住证", "统一社会信用代码", "其它"),
    aliases=("customerIdType", "证件类型"),
    example="身份证",
    note="只记证件类型,不存证件号码 / the ID number itself is not stored (个人信息保护法)",
)


def named(field: FieldDef, example: str, zh: str | None = None, *aliases: str) -> FieldDef:
    """``field`` with this template's example (and Chinese name): examples must make sense per product."""
    return replace(
        field,
        example=example,
        zh=zh or field.zh,
        aliases=tuple(dict.fromkeys((*field.aliases, *((field.zh,) if zh else ()), *aliases))),
    )


#: the product's name; ``fields.PRODUCT_NAME`` says 品种 (a variety), packaged goods say 产品名称
PRODUCT = named(f.PRODUCT_NAME, "全脂灭菌乳", "产品名称", "名称")
