"""珠宝首饰: the jewellery template (生产 → 检验鉴定 → 批发 → 零售).

cn-standards.md has nothing on jewellery: the category itself comes from issue 4 [I]. The step list
is issue 4's; every field is ours [I], kept small: the item's material (材质), weight in grams and
precious-metal fineness (e.g. 足金 / Au999, the names of GB 11887 as recalled [R]) and the number of
the identification certificate (鉴定证书号) issued by a testing body. Each piece carries its own code
from production to the shop (一物一码), so every step names the same code.
"""

from __future__ import annotations

from zhuisu.domain.templates import fields as f
from zhuisu.domain.templates import goods_fields as g
from zhuisu.domain.templates.fields import base, opt, req
from zhuisu.domain.templates.model import CodeRole, Evidence, FieldDef, Step, Target, Template, ValueKind

_I = Evidence.OURS
_K, _T = ValueKind, Target
_SRC = "issue 4 step list; fields our choice [I]"

MATERIAL = FieldDef(
    "material",
    "材质",
    "material",
    _K.TEXT,
    _T.EXTENSION,
    "material",
    aliases=("材料", "主石"),
    example="足金",
)
WEIGHT_G = FieldDef(
    "weight_g",
    "质量(克)",
    "weight (g)",
    _K.DECIMAL,
    _T.EXTENSION,
    "weightG",
    aliases=("weightG", "重量(克)", "克重", "总质量"),
    example="12.36",
)
FINENESS = FieldDef(
    "fineness",
    "贵金属纯度",
    "precious-metal fineness",
    _K.TEXT,
    _T.EXTENSION,
    "fineness",
    aliases=("纯度", "成色"),
    example="Au999",
)
CERT_NO = FieldDef(
    "identification_cert_no",
    "鉴定证书号",
    "identification certificate number",
    _K.TEXT,
    _T.EXTENSION,
    "identificationCertNo",
    aliases=("identificationCertNo", "检验证书号", "证书编号"),
    example="NGTC202605010001",
)
INSPECTION_ORG = FieldDef(
    "inspection_org",
    "检验机构",
    "testing body",
    _K.TEXT,
    _T.EXTENSION,
    "inspectionOrg",
    aliases=("鉴定机构",),
    example="某珠宝玉石首饰检验中心",
)
ITEM = g.named(g.PRODUCT, "足金手镯")
ITEM_CODE = g.named(g.LOT_CODE, "https://id.gs1.org/01/06901234567892/21/J0001")

JEWELLERY = Template(
    "jewellery",
    "珠宝首饰",
    "jewellery",
    "jewellery",
    "珠宝首饰",
    (
        Step(
            "jewellery.production",
            "生产",
            "production",
            "ObjectEvent",
            "ADD",
            "commissioning",
            "active",
            CodeRole.ISSUED,
            (
                *base(ITEM_CODE),
                req(ITEM, _I),
                req(MATERIAL, _I),
                req(WEIGHT_G, _I),
                opt(FINENESS, _I),
                opt(f.BATCH_NO, _I),
            ),
            _I,
            _SRC,
        ),
        Step(
            "jewellery.identification",
            "检验鉴定",
            "identification",
            "ObjectEvent",
            "OBSERVE",
            "inspecting",
            "conformant",
            CodeRole.CARRIED,
            (
                *base(ITEM_CODE),
                req(CERT_NO, _I),
                req(MATERIAL, _I),
                req(WEIGHT_G, _I),
                opt(FINENESS, _I),
                opt(INSPECTION_ORG, _I),
            ),
            _I,
            _SRC,
        ),
        Step(
            "jewellery.wholesale",
            "批发",
            "wholesale",
            "ObjectEvent",
            "OBSERVE",
            "shipping",
            "in_transit",
            CodeRole.CARRIED,
            (
                *base(ITEM_CODE),
                req(f.BUYER, _I),
                req(ITEM, _I),
                opt(CERT_NO, _I),
                opt(WEIGHT_G, _I),
                opt(f.AMOUNT, _I),
            ),
            _I,
            _SRC,
        ),
        Step(
            "jewellery.retail",
            "零售",
            "retail sale",
            "ObjectEvent",
            "OBSERVE",
            "retail_selling",
            "retail_sold",
            CodeRole.CARRIED,
            (
                *base(ITEM_CODE),
                req(ITEM, _I),
                opt(CERT_NO, _I),
                opt(WEIGHT_G, _I),
                opt(f.UNIT_PRICE, _I),
                opt(f.AMOUNT, _I),
            ),
            _I,
            _SRC,
        ),
    ),
    _SRC,
)

TEMPLATES = (JEWELLERY,)
