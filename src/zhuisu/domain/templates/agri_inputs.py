"""农业生产资料: pesticides, fertilisers, seeds, veterinary drugs and feed (生产 → 批发 → 经销商进货 → 销售).

cn-standards.md has no field list for agricultural inputs: it gives only the code structures of
兽药追溯码, 农作物种子标签二维码 and 农药商品二维码 (§3.5) [S]. The registration and licence numbers
each product carries, and the dealer's purchase and sales ledgers, are as recalled from the
regulations [R], not verified in a source:

* 农药管理条例 (2017): 农药登记证号, 农药生产许可证号; the dealer keeps a 采购台账 (名称、许可证明文件
  编号、规格、数量、生产企业和供货人、进货日期) and a 销售台账 (名称、规格、数量、生产企业、购买人、销售日期);
  限制使用农药 are sold under 实名购买 (the buyer named) [R].
* 肥料登记管理办法: 肥料登记证号; 种子法: 种子生产经营许可证号 and 品种审定(登记)编号; 兽药管理条例: 兽药产品
  批准文号, 兽药生产许可证号; 饲料和饲料添加剂管理条例: 饲料生产许可证号 [R].

The step list follows issue 4; required vs expected, bizStep / disposition and the buyer's ID type
(only the type is kept, not the number: 个人信息保护法, as for drugs) are ours [I]. Each sub-class has
its own template because its licence fields differ; the steps are otherwise the same. A step cannot
make a field required only for some values of another, so every pesticide sale is recorded as a
实名销售 (buyer and ID type required), stricter than the rule for ordinary pesticides [I].
"""

from __future__ import annotations

from dataclasses import dataclass

from zhuisu.domain.templates import fields as f
from zhuisu.domain.templates import goods_fields as g
from zhuisu.domain.templates.fields import base, opt, req
from zhuisu.domain.templates.model import (
    CodeRole,
    Evidence,
    FieldDef,
    Step,
    StepField,
    Target,
    Template,
    ValueKind,
)

_R, _I = Evidence.RECALLED, Evidence.OURS
_SRC = "issue 4 step list; licence and ledger fields recalled from the regulations [R]; rest ours [I]"
_LEDGER = "农药管理条例 (2017) 采购台账 / 销售台账 [R]"

RESTRICTED_USE = FieldDef(
    "restricted_use",
    "限制使用农药",
    "restricted-use pesticide",
    ValueKind.CHOICE,
    Target.EXTENSION,
    "restrictedUse",
    choices=("是", "否"),
    aliases=("restrictedUse", "是否限制使用农药"),
    example="是",
)
PURPOSE = FieldDef(
    "purpose",
    "用途",
    "intended use",
    ValueKind.TEXT,
    Target.EXTENSION,
    "purpose",
    aliases=("防治对象", "使用作物"),
    example="水稻稻飞虱防治",
)
DEALER = g.named(f.BUYER, "某农资经销店", "经销商", "收货单位")
MAKER = g.named(f.SUPPLIER, "某农化有限公司", "供货者", "生产企业")
FARMER = g.named(f.BUYER, "王五", "购买人", "购买人姓名", "农户")


@dataclass(frozen=True, slots=True)
class _Input:
    """What differs between the agricultural-input sub-classes: names, examples and licences."""

    id: str
    subclass: str
    en: str
    product: str
    unit: str
    registration: tuple[str, str, str] | None  # Chinese name, example, regulation
    licence: tuple[str, str, str] | None
    real_name: bool = False  # 实名购买: the buyer and their ID type are required


def _certificates(spec: _Input) -> tuple[StepField, ...]:
    out: list[StepField] = []
    for base_field, given in ((g.REGISTRATION_NO, spec.registration), (g.LICENCE_NO, spec.licence)):
        if given is not None:
            zh, example, law = given
            out.append(req(g.named(base_field, example, zh), _R, f"{law} [R]"))
    return tuple(out)


def _template(spec: _Input) -> Template:
    t = spec.id
    product = g.named(g.PRODUCT, spec.product)
    unit = g.named(g.UNIT, spec.unit)
    certificates = _certificates(spec)
    sale_extra = (
        (
            req(g.BUYER_ID_TYPE, _R, "限制使用农药 实名购买 [R]"),
            opt(RESTRICTED_USE, _R, _LEDGER),
            opt(PURPOSE, _I),
        )
        if spec.real_name
        else (opt(g.BUYER_ID_TYPE, _I),)
    )
    steps = (
        Step(
            f"{t}.production",
            "生产",
            "production",
            "ObjectEvent",
            "ADD",
            "commissioning",
            "active",
            CodeRole.ISSUED,
            (
                *base(g.LOT_CODE),
                *certificates,
                req(product, _I),
                req(g.PRODUCTION_DATE, _I),
                req(g.QUANTITY, _I),
                opt(g.SPEC, _I),
                opt(unit, _I),
                opt(f.BATCH_NO, _I),
                opt(g.SHELF_LIFE, _I),
            ),
            _I,
            _SRC,
        ),
        Step(
            f"{t}.wholesale",
            "批发",
            "wholesale to a dealer",
            "ObjectEvent",
            "OBSERVE",
            "shipping",
            "in_transit",
            CodeRole.CARRIED,
            (
                *base(g.LOT_CODE),
                req(DEALER, _I),
                req(product, _I),
                req(g.QUANTITY, _I),
                opt(g.SPEC, _I),
                opt(unit, _I),
                opt(f.BATCH_NO, _I),
            ),
            _I,
            _SRC,
        ),
        Step(
            f"{t}.dealer_receipt",
            "经销商进货",
            "dealer receipt",
            "ObjectEvent",
            "OBSERVE",
            "receiving",
            "in_progress",
            CodeRole.VOUCHER,
            (
                *base(g.LOT_CODE),
                req(MAKER, _R, _LEDGER),
                req(product, _R, _LEDGER),
                req(g.QUANTITY, _R, _LEDGER),
                *(opt(sf.field, _R, _LEDGER) for sf in certificates[:1]),
                opt(g.SPEC, _R, _LEDGER),
                opt(unit, _I),
                opt(f.BATCH_NO, _I),
            ),
            _R,
            _LEDGER,
        ),
        Step(
            f"{t}.sale",
            "实名销售" if spec.real_name else "销售",
            "sale to a farmer",
            "ObjectEvent",
            "OBSERVE",
            "retail_selling",
            "retail_sold",
            CodeRole.CARRIED,
            (
                *base(g.LOT_CODE),
                req(FARMER, _R, _LEDGER),
                req(product, _R, _LEDGER),
                req(g.QUANTITY, _R, _LEDGER),
                *sale_extra,
                opt(g.SPEC, _R, _LEDGER),
                opt(unit, _I),
            ),
            _R,
            _LEDGER,
        ),
    )
    return Template(t, spec.subclass, spec.en, "agri_inputs", spec.subclass, steps, _SRC)


INPUTS = (
    _Input(
        "pesticide",
        "农药",
        "pesticides",
        "10%吡虫啉可湿性粉剂",
        "袋",
        ("农药登记证号", "PD20260001", "农药管理条例 (2017) 农药登记"),
        ("农药生产许可证号", "农药生许(鲁)0001", "农药管理条例 (2017) 农药生产许可"),
        real_name=True,
    ),
    _Input(
        "fertiliser",
        "肥料",
        "fertilisers",
        "复合肥料(15-15-15)",
        "袋",
        ("肥料登记证号", "农肥(2026)准字0001号", "肥料登记管理办法"),
        None,
    ),
    _Input(
        "seed",
        "种子",
        "seeds",
        "郑单958 玉米种子",
        "袋",
        ("品种审定编号", "国审玉20260001", "种子法 品种审定"),
        ("种子生产经营许可证号", "D(鲁)农种许字(2026)第0001号", "种子法 种子生产经营许可"),
    ),
    _Input(
        "vet_drug",
        "兽药",
        "veterinary drugs",
        "阿莫西林可溶性粉",
        "盒",
        ("兽药产品批准文号", "兽药字(2026)150010001", "兽药管理条例 批准文号"),
        ("兽药生产许可证号", "(2026)兽药生产证字15001号", "兽药管理条例 兽药生产许可"),
    ),
    _Input(
        "feed",
        "饲料",
        "feed",
        "育肥猪配合饲料",
        "袋",
        None,
        ("饲料生产许可证号", "鲁饲证(2026)01001", "饲料和饲料添加剂管理条例 生产许可"),
    ),
)

TEMPLATES = tuple(_template(spec) for spec in INPUTS)
