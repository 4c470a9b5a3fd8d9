"""药品: the bill types of the drug trace code systems, as steps.

Source (cn-standards.md §2.3): 码上放心 in/out bill types [S code]: 101 生产入库, 102 采购入库,
108 召回入库, 201 销售出库, 211 召回出库, 321 零售出库, 322 疫苗接种 with their own fields, and every
other type of the list (103–116, 202–237) through ``_MORE_BILLS``; bill fields billCode (unique),
billTime, billType, fromUserId, traceCodes (20-digit 药品追溯码, comma-separated), physicType (2 特药 /
3 普药), customerIdType (1 身份证 2 护照 3 军官证 4 医保卡 5 接种卡 6 学生证 9 其它) [S]. The 20-digit
code: NMPAB/T 1002-2019 [S] (leading 7 = 药品标识码). The customer's ID number is deliberately not a
field (个人信息保护法; only its type is kept) — our choice [I]. The bill code becomes a bizTransaction
(our choice [I]); the bill type is a constant ``zs:billType`` of each step.
"""

from __future__ import annotations

from zhuisu.domain.templates.fields import EVENT_TIME, SUBJECT, opt, req
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

_S, _I = Evidence.SOURCE, Evidence.OURS
_K, _T = ValueKind, Target
_BILLS = "码上放心 drug trace bill types and upload fields [S code]"

DRUG_CODES = FieldDef(
    "trace_code",
    "药品追溯码",
    "drug trace codes",
    _K.CODE,
    _T.WHAT,
    None,
    schemes=("nmpa.drug",),
    aliases=("traceCodes", "追溯码"),
    multiple=True,
    example="81234560000000000012",
    note="多个追溯码以逗号分隔 / several codes separated by commas",
)
BILL_CODE = FieldDef(
    "bill_code",
    "单据编号",
    "bill code",
    _K.TEXT,
    _T.BIZ_TRANSACTION,
    None,
    aliases=("billCode", "单据号"),
    example="CK202605010001",
)
FROM_PARTY = FieldDef(
    "supplier",
    "发货单位",
    "from",
    _K.PARTY,
    _T.SOURCE,
    "seller",
    aliases=("fromUserId", "供货单位"),
    example="91350100M000100Y43",
)
TO_PARTY = FieldDef(
    "buyer",
    "收货单位",
    "to",
    _K.PARTY,
    _T.DESTINATION,
    "buyer",
    aliases=("toUserId", "购货单位"),
    example="91110000600037341L",
)
PHYSIC_TYPE = FieldDef(
    "physic_type",
    "药品类型",
    "drug type",
    _K.CHOICE,
    _T.EXTENSION,
    "physicType",
    choices=("特药", "普药"),
    aliases=("physicType",),
    example="普药",
)
CUSTOMER_ID_TYPE = FieldDef(
    "customer_id_type",
    "顾客证件类型",
    "customer ID type",
    _K.CHOICE,
    _T.EXTENSION,
    "customerIdType",
    choices=("身份证", "护照", "军官证", "医保卡", "接种卡", "学生证", "其它"),
    aliases=("customerIdType",),
    example="医保卡",
)
DISPENSER = FieldDef(
    "worker",
    "操作员",
    "operator",
    _K.TEXT,
    _T.EXTENSION,
    "worker",
    aliases=("operIcName", "发药人"),
    example="钱七",
)


def _bill(
    code: str, bill: str, zh: str, en: str, biz_step: str, disposition: str, action: str, *extra: StepField
) -> Step:
    fields = (
        req(DRUG_CODES, _S, _BILLS),
        req(EVENT_TIME, _S, _BILLS),
        req(SUBJECT, _I),
        req(BILL_CODE, _S, _BILLS),
        *extra,
    )
    return Step(
        f"drug.{code}",
        zh,
        en,
        "ObjectEvent",
        action,
        biz_step,
        disposition,
        CodeRole.CARRIED,
        tuple(fields),
        _S,
        f"{_BILLS}: {bill} {zh}",
        constants=(("billType", bill),),
    )


#: The other bill types of the 码上放心 list (cn-standards.md §2.3 [S code]), as steps of the same
#: shape: (step, bill type, 名称, name, CBV bizStep, CBV disposition, action, counterparty field).
#: Which bizStep and disposition each becomes is our reading of its name [I].
_MORE_BILLS: tuple[tuple[str, str, str, str, str, str, str, FieldDef | None], ...] = (
    (
        "return_in",
        "103",
        "退货入库",
        "customer return into stock",
        "receiving",
        "returned",
        "OBSERVE",
        FROM_PARTY,
    ),
    (
        "transfer_in",
        "104",
        "调拨入库",
        "transfer into stock",
        "receiving",
        "sellable_not_accessible",
        "OBSERVE",
        FROM_PARTY,
    ),
    (
        "remnant_in",
        "106",
        "零头入库",
        "remnant into stock",
        "stocking",
        "sellable_not_accessible",
        "OBSERVE",
        None,
    ),
    (
        "supply_in",
        "107",
        "供应入库",
        "supply into stock",
        "receiving",
        "sellable_not_accessible",
        "OBSERVE",
        FROM_PARTY,
    ),
    (
        "gift_in",
        "110",
        "赠品入库",
        "gift into stock",
        "receiving",
        "sellable_not_accessible",
        "OBSERVE",
        FROM_PARTY,
    ),
    (
        "surplus_in",
        "111",
        "盘盈入库",
        "stocktake surplus",
        "stock_taking",
        "sellable_not_accessible",
        "OBSERVE",
        None,
    ),
    (
        "scrap_in",
        "112",
        "报废入库",
        "scrapped into stock",
        "receiving",
        "non_sellable_other",
        "OBSERVE",
        None,
    ),
    (
        "other_in",
        "113",
        "其他入库",
        "other into stock",
        "receiving",
        "sellable_not_accessible",
        "OBSERVE",
        None,
    ),
    (
        "consumer_return_in",
        "116",
        "消费者退货入库",
        "consumer return",
        "receiving",
        "returned",
        "OBSERVE",
        None,
    ),
    ("return_out", "202", "退货出库", "return to supplier", "shipping", "returned", "OBSERVE", TO_PARTY),
    (
        "transfer_out",
        "203",
        "调拨出库",
        "transfer out of stock",
        "shipping",
        "in_transit",
        "OBSERVE",
        TO_PARTY,
    ),
    (
        "rework_out",
        "204",
        "返工出库",
        "out for rework",
        "shipping",
        "non_sellable_other",
        "OBSERVE",
        TO_PARTY,
    ),
    ("destroy_out", "205", "销毁出库", "destruction", "destroying", "destroyed", "DELETE", None),
    ("sampling_out", "206", "抽检出库", "sampling", "sampling", "non_sellable_other", "OBSERVE", TO_PARTY),
    ("direct_out", "207", "直调出库", "direct transfer out", "shipping", "in_transit", "OBSERVE", TO_PARTY),
    (
        "production_out",
        "208",
        "生产出库",
        "out to production",
        "shipping",
        "in_progress",
        "OBSERVE",
        TO_PARTY,
    ),
    ("supply_out", "209", "供应出库", "supply out of stock", "shipping", "in_transit", "OBSERVE", TO_PARTY),
    ("gift_out", "212", "赠品出库", "gift out of stock", "shipping", "in_transit", "OBSERVE", TO_PARTY),
    ("shortage_out", "214", "盘亏出库", "stocktake shortage", "stock_taking", "unknown", "DELETE", None),
    ("damaged_out", "215", "损坏出库", "damaged out of stock", "removing", "damaged", "DELETE", None),
    ("scrap_out", "216", "报废出库", "scrapped out of stock", "destroying", "disposed", "DELETE", None),
    ("other_out", "217", "其他出库", "other out of stock", "shipping", "in_transit", "OBSERVE", TO_PARTY),
    (
        "direct_return",
        "237",
        "直调退货",
        "direct-transfer return",
        "shipping",
        "returned",
        "OBSERVE",
        TO_PARTY,
    ),
)


def _more(row: tuple[str, str, str, str, str, str, str, FieldDef | None]) -> Step:
    code, bill, zh, en, biz_step, disposition, action, party = row
    extra = (req(party, _S, _BILLS),) if party is not None else ()
    return _bill(code, bill, zh, en, biz_step, disposition, action, *extra, opt(PHYSIC_TYPE, _S, _BILLS))


DRUG = Template(
    "drug",
    "药品",
    "drugs",
    "drugs",
    "化学药",
    (
        _bill(
            "production_in",
            "101",
            "生产入库",
            "production into stock",
            "commissioning",
            "active",
            "ADD",
            opt(PHYSIC_TYPE, _S, _BILLS),
        ),
        _bill(
            "purchase_in",
            "102",
            "采购入库",
            "purchase into stock",
            "receiving",
            "sellable_not_accessible",
            "OBSERVE",
            req(FROM_PARTY, _S, _BILLS),
            opt(PHYSIC_TYPE, _S, _BILLS),
        ),
        _bill(
            "sales_out",
            "201",
            "销售出库",
            "sale out of stock",
            "shipping",
            "in_transit",
            "OBSERVE",
            req(TO_PARTY, _S, _BILLS),
            opt(PHYSIC_TYPE, _S, _BILLS),
        ),
        _bill(
            "recall_in",
            "108",
            "召回入库",
            "recall into stock",
            "receiving",
            "recalled",
            "OBSERVE",
            req(FROM_PARTY, _S, _BILLS),
        ),
        _bill(
            "recall_out",
            "211",
            "召回出库",
            "recall out of stock",
            "shipping",
            "recalled",
            "OBSERVE",
            req(TO_PARTY, _S, _BILLS),
        ),
        _bill(
            "retail",
            "321",
            "零售出库",
            "retail sale",
            "retail_selling",
            "retail_sold",
            "OBSERVE",
            opt(CUSTOMER_ID_TYPE, _S, _BILLS),
            opt(DISPENSER, _S, _BILLS),
            opt(PHYSIC_TYPE, _S, _BILLS),
        ),
        _bill(
            "vaccination",
            "322",
            "疫苗接种",
            "vaccination",
            "dispensing",
            "dispensed",
            "OBSERVE",
            opt(CUSTOMER_ID_TYPE, _S, _BILLS),
            opt(DISPENSER, _S, _BILLS),
        ),
        *(_more(row) for row in _MORE_BILLS),
    ),
    _BILLS,
)

TEMPLATES = (DRUG,)
