"""药品: a few bill types of the drug trace code systems, as steps.

Source (cn-standards.md §2.3): 码上放心 in/out bill types [S code]: 101 生产入库, 102 采购入库,
108 召回入库, 201 销售出库, 211 召回出库, 321 零售出库, 322 疫苗接种; bill fields billCode (unique),
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
    ),
    _BILLS,
)

TEMPLATES = (DRUG,)
