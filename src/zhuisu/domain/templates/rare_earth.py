"""稀土产品: the rare-earth template (开采 → 冶炼分离 → 流通 → 出口).

The steps are those issue 4 lists; cn-standards.md has no field list for rare earths, so every field
choice here is ours [I] (GB/T 38158-2019 only names 稀土产品 among the categories [S]). The
separation step issues the product's code and carries the ore lot's code as its 追溯凭证号, so the
chain links ore → product.
"""

from __future__ import annotations

from zhuisu.domain.templates import fields as f
from zhuisu.domain.templates.fields import base, opt, req
from zhuisu.domain.templates.model import CodeRole, Evidence, FieldDef, Step, Target, Template, ValueKind

_I = Evidence.OURS
_K, _T = ValueKind, Target
_SRC = "issue 4 step list; GB/T 38158-2019 scope [S]; fields our choice [I]"

LICENCE = FieldDef(
    "licence_no",
    "采矿许可证号",
    "mining licence",
    _K.TEXT,
    _T.EXTENSION,
    "licenceNo",
    aliases=("许可证号",),
    example="C3600002026011110000001",
)
EXPORT_LICENCE = FieldDef(
    "export_licence_no",
    "出口许可证号",
    "export licence",
    _K.TEXT,
    _T.EXTENSION,
    "exportLicenceNo",
    example="26-AB-000001",
)
COUNTRY = FieldDef(
    "destination_country",
    "目的国",
    "destination country",
    _K.TEXT,
    _T.EXTENSION,
    "destinationCountry",
    example="JP",
)

RARE_EARTH = Template(
    "rare_earth",
    "稀土产品",
    "rare-earth products",
    "rare_earth",
    "稀土产品",
    (
        Step(
            "rare_earth.mining",
            "开采",
            "mining",
            "ObjectEvent",
            "ADD",
            "commissioning",
            "active",
            CodeRole.ISSUED,
            (*base(), req(LICENCE, _I), req(f.WEIGHT_KG, _I), req(f.ORIGIN, _I), opt(f.BATCH_NO, _I)),
            _I,
            _SRC,
        ),
        Step(
            "rare_earth.separation",
            "冶炼分离",
            "smelting and separation",
            "ObjectEvent",
            "ADD",
            "commissioning",
            "active",
            CodeRole.ISSUED,
            (
                *base(),
                req(f.TRACE_VOUCHER, _I),
                req(f.PRODUCT_NAME, _I),
                req(f.WEIGHT_KG, _I),
                opt(f.BATCH_NO, _I),
            ),
            _I,
            _SRC,
        ),
        Step(
            "rare_earth.circulation",
            "流通",
            "circulation",
            "ObjectEvent",
            "OBSERVE",
            "shipping",
            "in_transit",
            CodeRole.CARRIED,
            (*base(), req(f.BUYER, _I), req(f.WEIGHT_KG, _I), opt(f.UNIT_PRICE, _I), opt(f.AMOUNT, _I)),
            _I,
            _SRC,
        ),
        Step(
            "rare_earth.export",
            "出口",
            "export",
            "ObjectEvent",
            "OBSERVE",
            "departing",
            "in_transit",
            CodeRole.CARRIED,
            (*base(), req(EXPORT_LICENCE, _I), req(COUNTRY, _I), req(f.WEIGHT_KG, _I), opt(f.BUYER, _I)),
            _I,
            _SRC,
        ),
    ),
    _SRC,
)

TEMPLATES = (RARE_EARTH,)
