"""食品: processed food (dairy, infant formula, edible oil, liquor) and imported food.

Sources (evidence as in shared/reference/cn-standards.md):

* 上海市食品安全信息追溯管理办法 Art.13 = 食品安全法 §50/§51 record sets [S] (cn-standards.md §2.1):
  采购 (raw-material receipt) records 名称、规格、数量、生产日期或生产批号、保质期、进货日期、供货者;
  出厂销售 (factory release) records 名称、规格、数量、生产日期或生产批号、保质期、检验合格证号、销售日期、
  购货者. The distributor's 进货查验记录 (食品安全法 §53) lists the same set [R].
* 食品生产许可证编号 "SC" + 14 digits (cn-standards.md §3.5) [S]; checked as ``cn.sc``.
* 重点冷链食品追溯管理数据对接规程 (cn-standards.md §2.4) [S]: 入境检验检疫证明 单号、口岸、日期、原产国、
  报检重量、发货人、收货人、规格、生产批次号.
* The step list (原料进货 → 生产 → 出厂销售 → 经销商进货 → 零售) follows issue 4; which fields are required,
  the bizStep / disposition of each step and the 报关单号 field are ours [I].

Production is a transformation (ingredient lots → a product lot). The record API makes ObjectEvents
(capture/formats/records.py), so the production step is an ObjectEvent ADD that issues the product
lot's code and names the ingredient lots as its 追溯凭证号 (``zs:traceVoucher``, several allowed):
domain.links then links every ingredient lot → the product lot, as a TransformationEvent would
(EPCIS 2.0 §7.4.5) [I].
"""

from __future__ import annotations

from zhuisu.domain.templates import fields as f
from zhuisu.domain.templates import goods_fields as g
from zhuisu.domain.templates.fields import base, opt, req
from zhuisu.domain.templates.model import CodeRole, Evidence, FieldDef, Step, Target, Template, ValueKind

_S, _R, _I = Evidence.SOURCE, Evidence.RECALLED, Evidence.OURS
_K, _T = ValueKind, Target
_BUY = "上海市食品安全信息追溯管理办法 Art.13(一) 采购 = 食品安全法 §50"
_SELL = "上海市食品安全信息追溯管理办法 Art.13(二) 出厂销售 = 食品安全法 §51"
_CHECK = "食品安全法 §53 进货查验记录 (recalled)"
_COLD = "重点冷链食品追溯管理数据对接规程: 入境检验检疫证明"
_SRC = "issue 4 step list; 食品安全法 §50-§53 record sets via 上海办法 Art.13 [S]"

INGREDIENT_LOTS = FieldDef(
    "trace_voucher",
    "原料追溯码",
    "ingredient lot codes",
    _K.CODE,
    _T.EXTENSION,
    "traceVoucher",
    aliases=("traceVoucher", "追溯凭证号", "原料批次追溯码"),
    multiple=True,
    example="https://id.gs1.org/01/06901234567892/10/R20260427",
    note="所用原料批次的追溯码,多个以逗号分隔 / the ingredient lots used, separated by commas",
)
SC_LICENCE = FieldDef(
    "licence_no",
    "食品生产许可证编号",
    "food production licence (SC)",
    _K.CODE,
    _T.EXTENSION,
    "licenceNo",
    schemes=("cn.sc",),
    aliases=("licenceNo", "SC编号", "生产许可证编号", "许可证号"),
    example="SC10637011500052",
)
INSPECTION_CERT = FieldDef(
    "inspection_cert_no",
    "检验合格证号",
    "inspection certificate number",
    _K.TEXT,
    _T.EXTENSION,
    "inspectionCertNo",
    aliases=("inspectionCertNo", "出厂检验报告编号", "检验报告编号"),
    example="JY20260428-001",
)
ENTRY_CERT = FieldDef(
    "entry_cert_no",
    "入境货物检验检疫证明编号",
    "entry inspection and quarantine certificate",
    _K.TEXT,
    _T.EXTENSION,
    "entryInspectionCertNo",
    aliases=("entryInspectionCertNo", "入境检验检疫证明单号", "检验检疫证明编号"),
    example="371000226000123",
)
CUSTOMS_DECLARATION = FieldDef(
    "customs_declaration_no",
    "报关单号",
    "customs declaration number",
    _K.TEXT,
    _T.EXTENSION,
    "customsDeclarationNo",
    aliases=("customsDeclarationNo", "报关单编号"),
    example="421520261000123456",
)
ORIGIN_COUNTRY = FieldDef(
    "origin_country",
    "原产国",
    "country of origin",
    _K.TEXT,
    _T.EXTENSION,
    "originCountry",
    aliases=("originCountry", "原产国(地区)"),
    example="NZ",
)
ENTRY_PORT = FieldDef(
    "entry_port",
    "口岸",
    "port of entry",
    _K.TEXT,
    _T.EXTENSION,
    "entryPort",
    aliases=("入境口岸",),
    example="青岛",
)
SUPPLIER = g.named(f.SUPPLIER, "某乳业原料供应商", None, "发货人")
RAW_MATERIAL = g.named(g.PRODUCT, "生鲜乳", "原料名称")
_IMPORTED = g.named(g.PRODUCT, "冷冻牛肉")


def _receipt(
    tid: str, zh: str, en: str, supplier: FieldDef, product: FieldDef, source: str, evidence: Evidence
) -> Step:
    """An inbound record: the lot received is the upstream record's code (卡单同行 → traceVoucher)."""
    return Step(
        f"{tid}.{en.replace(' ', '_')}",
        zh,
        en,
        "ObjectEvent",
        "OBSERVE",
        "receiving",
        "in_progress",
        CodeRole.VOUCHER,
        (
            *base(g.LOT_CODE),
            req(supplier, evidence, source),
            req(product, evidence, source),
            req(g.QUANTITY, evidence, source),
            opt(g.SPEC, evidence, source),
            opt(g.UNIT, _I),
            opt(g.PRODUCTION_DATE, evidence, source),
            opt(g.SHELF_LIFE, evidence, source),
            opt(f.BATCH_NO, evidence, source),
            opt(INSPECTION_CERT, _R, _CHECK),
        ),
        evidence,
        source,
    )


def _retail(tid: str, product: FieldDef) -> Step:
    return Step(
        f"{tid}.retail",
        "零售",
        "retail sale",
        "ObjectEvent",
        "OBSERVE",
        "retail_selling",
        "retail_sold",
        CodeRole.CARRIED,
        (*base(g.LOT_CODE), req(product, _I), opt(g.QUANTITY, _I), opt(g.SPEC, _I), opt(f.UNIT_PRICE, _I)),
        _I,
        _SRC,
    )


def _processed(tid: str, zh: str, en: str, subclass: str, material: str, example: str) -> Template:
    """A processed-food template: 原料进货 → 生产 → 出厂销售 → 经销商进货 → 零售."""
    product = g.named(g.PRODUCT, example)
    production = Step(
        f"{tid}.production",
        "生产",
        "production",
        "ObjectEvent",
        "ADD",
        "commissioning",
        "active",
        CodeRole.ISSUED,
        (
            *base(g.LOT_CODE),
            req(INGREDIENT_LOTS, _I, "issue 4: production links ingredient lots to the product lot"),
            req(SC_LICENCE, _S, "cn-standards.md §3.5 食品生产许可 SC; required per issue 4"),
            req(product, _S, _SELL),
            req(g.PRODUCTION_DATE, _S, _SELL),
            req(g.SHELF_LIFE, _S, _SELL),
            req(g.QUANTITY, _S, _SELL),
            opt(INSPECTION_CERT, _S, _SELL),
            opt(g.SPEC, _S, _SELL),
            opt(g.UNIT, _I),
            opt(f.BATCH_NO, _S, _SELL),
        ),
        _I,
        _SRC,
    )
    release = Step(
        f"{tid}.release",
        "出厂销售",
        "factory release",
        "ObjectEvent",
        "OBSERVE",
        "shipping",
        "in_transit",
        CodeRole.CARRIED,
        (
            *base(g.LOT_CODE),
            req(f.BUYER, _S, _SELL),
            req(product, _S, _SELL),
            req(g.QUANTITY, _S, _SELL),
            req(INSPECTION_CERT, _S, _SELL),
            opt(g.PRODUCTION_DATE, _S, _SELL),
            opt(g.SHELF_LIFE, _S, _SELL),
            opt(g.SPEC, _S, _SELL),
            opt(g.UNIT, _I),
            opt(f.BATCH_NO, _S, _SELL),
        ),
        _S,
        _SELL,
    )
    return Template(
        tid,
        zh,
        en,
        "food",
        subclass,
        (
            _receipt(
                tid, "原料进货", "material receipt", SUPPLIER, g.named(RAW_MATERIAL, material), _BUY, _S
            ),
            production,
            release,
            _receipt(tid, "经销商进货", "distributor receipt", f.SUPPLIER, product, _CHECK, _R),
            _retail(tid, product),
        ),
        _SRC,
    )


IMPORTED_FOOD = Template(
    "imported_food",
    "进口食品",
    "imported food",
    "food",
    "进口食品",
    (
        Step(
            "imported_food.entry",
            "入境检验检疫",
            "entry inspection",
            "ObjectEvent",
            "OBSERVE",
            "inspecting",
            "conformant",
            CodeRole.ISSUED,
            (
                *base(g.LOT_CODE),
                req(ENTRY_CERT, _S, _COLD),
                req(ORIGIN_COUNTRY, _S, _COLD),
                req(_IMPORTED, _I),
                req(f.WEIGHT_KG, _S, _COLD),
                opt(CUSTOMS_DECLARATION, _I),
                opt(ENTRY_PORT, _S, _COLD),
                opt(SUPPLIER, _S, _COLD),
                opt(g.SPEC, _S, _COLD),
                opt(f.BATCH_NO, _S, _COLD),
                opt(g.PRODUCTION_DATE, _I),
            ),
            _S,
            _COLD,
        ),
        Step(
            "imported_food.release",
            "进口商销售",
            "importer sale",
            "ObjectEvent",
            "OBSERVE",
            "shipping",
            "in_transit",
            CodeRole.CARRIED,
            (
                *base(g.LOT_CODE),
                req(f.BUYER, _S, _SELL),
                req(_IMPORTED, _S, _SELL),
                req(g.QUANTITY, _S, _SELL),
                req(ENTRY_CERT, _I),
                opt(ORIGIN_COUNTRY, _I),
                opt(g.SPEC, _S, _SELL),
                opt(g.UNIT, _I),
                opt(f.BATCH_NO, _S, _SELL),
            ),
            _S,
            _SELL,
        ),
        _receipt("imported_food", "经销商进货", "distributor receipt", f.SUPPLIER, _IMPORTED, _CHECK, _R),
        _retail("imported_food", _IMPORTED),
    ),
    f"{_COLD} [S]; {_SRC}",
)

#: the processed-food sub-classes issue 4 names first; they share one flow, so one builder
PROCESSED = (
    _processed("dairy", "乳制品", "dairy products", "乳制品", "生鲜乳", "全脂灭菌乳"),
    _processed(
        "infant_formula", "婴幼儿配方食品", "infant formula", "婴幼儿配方食品", "乳清粉", "较大婴儿配方奶粉"
    ),
    _processed("edible_oil", "食用植物油", "edible vegetable oil", "食用植物油", "大豆原油", "一级大豆油"),
    _processed("liquor", "白酒", "Chinese liquor", "白酒", "高粱", "浓香型白酒"),
)

TEMPLATES = (*PROCESSED, IMPORTED_FOOD)
