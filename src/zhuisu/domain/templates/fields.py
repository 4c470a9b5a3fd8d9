"""The record fields the templates use, declared once (Chinese name, English key, kind, event target).

Where a field is one of the zhuisu trace fields (``event_model.TRACE_FIELDS``) it keeps that
extension name; the fields no trace field covers are listed in ``EXTRA_EXTENSIONS`` with their
meaning, and documented in docs/standards.md ("Lifecycle templates"). Which step requires which
field, and the source of that requirement, is said in the template modules, not here.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from zhuisu.domain.templates.model import Evidence, FieldDef, StepField, Target, ValueKind

_K = ValueKind
_T = Target

PASS_FAIL = ("合格", "不合格")

# ---- every step ---------------------------------------------------------------------------------
TRACE_CODE = FieldDef(
    "trace_code",
    "追溯码",
    "trace code",
    _K.CODE,
    _T.WHAT,
    "traceCode",
    aliases=("traceCode", "追溯编码"),
    example="37060000400010000003",
)
EVENT_TIME = FieldDef(
    "event_time",
    "时间",
    "time",
    _K.DATE_TIME,
    _T.EVENT_TIME,
    aliases=("eventTime", "日期时间", "记录时间"),
    example="2026-05-01 08:30:00",
    note="无时区时按北京时间 / read as China Standard Time when no offset is given",
)
SUBJECT = FieldDef(
    "subject",
    "主体代码",
    "subject USCC",
    _K.PARTY,
    _T.EXTENSION,
    "subject",
    schemes=("cn.uscc",),
    aliases=("统一社会信用代码", "主体"),
    example="91350100M000100Y43",
)
NODE_CODE = FieldDef(
    "node_code",
    "节点编码",
    "node code",
    _K.CODE,
    _T.BIZ_LOCATION,
    "nodeCode",
    schemes=("cn.node", "gs1.gln", "gs1.sgln"),
    aliases=("nodeCode",),
    example="370600004",
)
OPERATOR_CODE = FieldDef(
    "operator_code",
    "经营者编码",
    "operator code",
    _K.CODE,
    _T.EXTENSION,
    "operatorCode",
    schemes=("cn.operator",),
    aliases=("operatorCode",),
    example="3706000040001",
)
STALL_NO = FieldDef(
    "stall_no",
    "摊位号",
    "stall number",
    _K.TEXT,
    _T.EXTENSION,
    "stallNo",
    aliases=("stallNo",),
    example="A-012",
)
BATCH_NO = FieldDef(
    "batch_no",
    "批次号",
    "batch number",
    _K.TEXT,
    _T.EXTENSION,
    "batchNo",
    aliases=("batchNo", "进场批次号", "进货批次号"),
    example="P20260501-01",
)
TRACE_VOUCHER = FieldDef(
    "trace_voucher",
    "追溯凭证号",
    "trace voucher",
    _K.TEXT,
    _T.EXTENSION,
    "traceVoucher",
    aliases=("traceVoucher", "交易凭证号", "来源追溯码"),
    example="37060000400010000001",
)
PRODUCT_NAME = FieldDef(
    "product_name",
    "品种",
    "variety",
    _K.TEXT,
    _T.EXTENSION,
    "productName",
    aliases=("productName", "商品名称", "品名"),
    example="白条猪",
)
PRODUCT_CODE = FieldDef(
    "product_code",
    "商品编码",
    "product code",
    _K.TEXT,
    _T.EXTENSION,
    "productCode",
    aliases=("productCode",),
    example="01010101",
)
WEIGHT_KG = FieldDef(
    "weight_kg",
    "重量",
    "weight (kg)",
    _K.DECIMAL,
    _T.QUANTITY,
    "weightKg",
    aliases=("weightKg", "weight", "重量(千克)", "重量（千克）", "数量(重量)"),
    example="1250.5",
)
HEAD_COUNT = FieldDef(
    "head_count",
    "头数",
    "head count",
    _K.INTEGER,
    _T.EXTENSION,
    "headCount",
    aliases=("headCount", "数量(头)"),
    example="10",
)
UNIT_PRICE = FieldDef(
    "unit_price",
    "单价",
    "unit price",
    _K.DECIMAL,
    _T.EXTENSION,
    "unitPrice",
    aliases=("unitPrice",),
    example="26.8",
)
AMOUNT = FieldDef(
    "amount",
    "金额",
    "amount",
    _K.DECIMAL,
    _T.EXTENSION,
    "amount",
    aliases=("金额(元)",),
    example="3351.4",
)
ORIGIN = FieldDef(
    "origin",
    "产地",
    "origin",
    _K.TEXT,
    _T.EXTENSION,
    "origin",
    aliases=("生猪产地", "原产地"),
    example="370682",
)
DESTINATION_PLACE = FieldDef(
    "destination_place",
    "到达地",
    "destination",
    _K.TEXT,
    _T.EXTENSION,
    "destinationPlace",
    aliases=("destinationPlace", "流向"),
    example="370602",
)
VEHICLE_PLATE = FieldDef(
    "vehicle_plate",
    "运输车牌号",
    "vehicle plate",
    _K.TEXT,
    _T.EXTENSION,
    "vehiclePlate",
    aliases=("vehiclePlate", "车牌号"),
    example="鲁F12345",
)

# ---- parties ------------------------------------------------------------------------------------
WHOLESALER = FieldDef(
    "wholesaler",
    "批发商",
    "wholesaler",
    _K.PARTY,
    _T.SOURCE,
    "seller",
    aliases=("批发商名称",),
    example="烟台某肉类批发商",
    note="统一社会信用代码或名称 / USCC or name",
)
SUPPLIER = FieldDef(
    "supplier",
    "供货者",
    "supplier",
    _K.PARTY,
    _T.SOURCE,
    "seller",
    aliases=("供应商", "发货单位", "seller", "卖方"),
    example="某生猪养殖场",
)
BUYER = FieldDef(
    "buyer",
    "买方",
    "buyer",
    _K.PARTY,
    _T.DESTINATION,
    "buyer",
    aliases=("买主", "收货单位", "用户"),
    example="某超市有限公司",
)
SLAUGHTERHOUSE = FieldDef(
    "slaughterhouse",
    "屠宰企业",
    "slaughterhouse",
    _K.PARTY,
    _T.EXTENSION,
    "slaughterhouse",
    example="某定点屠宰厂",
)
GROWER = FieldDef(
    "grower",
    "种植户",
    "grower",
    _K.PARTY,
    _T.EXTENSION,
    "grower",
    aliases=("种植户(场)", "种植场"),
    example="某蔬菜合作社",
)

# ---- certificates and tests ----------------------------------------------------------------------
QUARANTINE_CERT = FieldDef(
    "quarantine_cert_no",
    "动物产品检疫合格证号",
    "animal product quarantine certificate",
    _K.TEXT,
    _T.EXTENSION,
    "quarantineCertNo",
    aliases=("quarantineCertNo", "检疫证号", "动物产品检疫证号", "检疫合格证号"),
    example="3700123456",
)
ORIGIN_QUARANTINE_CERT = FieldDef(
    "origin_quarantine_cert_no",
    "产地检疫证号",
    "origin quarantine certificate",
    _K.TEXT,
    _T.EXTENSION,
    "originQuarantineCertNo",
    aliases=("生猪产地检疫证号", "动物检疫合格证明号"),
    example="3700654321",
)
MEAT_INSPECTION_CERT = FieldDef(
    "meat_inspection_cert_no",
    "肉品品质检验合格证号",
    "meat inspection certificate",
    _K.TEXT,
    _T.EXTENSION,
    "meatInspectionCertNo",
    aliases=("meatInspectionCertNo", "肉品品质检验证号"),
    example="RP20260501001",
)
VEHICLE_DISINFECTION_CERT = FieldDef(
    "vehicle_disinfection_cert_no",
    "车辆消毒证号",
    "vehicle disinfection certificate",
    _K.TEXT,
    _T.EXTENSION,
    "vehicleDisinfectionCertNo",
    aliases=("vehicleDisinfectionCertNo",),
    example="XD0001",
)
ORIGIN_CERT = FieldDef(
    "origin_cert_no",
    "产地证明号",
    "origin certificate",
    _K.TEXT,
    _T.EXTENSION,
    "originCertNo",
    aliases=("originCertNo", "上市凭证号", "产地证明号或上市凭证号"),
    example="CD2026050101",
)
TEST_ITEM = FieldDef(
    "test_item",
    "检测项目",
    "test item",
    _K.TEXT,
    _T.EXTENSION,
    "testItem",
    aliases=("testItem",),
    example="瘦肉精",
)
TEST_RESULT = FieldDef(
    "test_result",
    "检测结果",
    "test result",
    _K.CHOICE,
    _T.EXTENSION,
    "testResult",
    choices=PASS_FAIL,
    aliases=("testResult",),
    example="合格",
)
INSPECTOR = FieldDef(
    "inspector",
    "检验员",
    "inspector",
    _K.TEXT,
    _T.EXTENSION,
    "inspector",
    aliases=("检测人员", "检验人员"),
    example="张三",
)


#: extension names the templates use beyond ``event_model.TRACE_FIELDS`` (our choice), with meaning
EXTRA_EXTENSIONS: Mapping[str, str] = MappingProxyType(
    {
        "originQuarantineCertNo": "产地检疫证号 / origin (live-animal) quarantine certificate number",
        "slaughterhouse": "屠宰企业 / slaughterhouse",
        "grower": "种植户(场) / grower",
        "manufacturer": "制造单位 / manufacturer",
        "model": "型号 / model",
        "installer": "安装单位 / installer",
        "contractor": "改造、修理施工单位 / contractor of a modification or repair",
        "disposer": "废弃处置单位 / disposal contractor",
        "maintainer": "维保单位 / maintenance company",
        "maintenanceType": "维保类型 / maintenance type",
        "worker": "作业人员 / operator or worker",
        "workerCertNo": "作业人员证号 / worker certificate number",
        "userUnit": "使用单位 / user of the equipment",
        "inspectionOrg": "检验机构 / inspection body",
        "nextInspectionDate": "下次检验日期 / next inspection date",
        "medium": "充装介质 / filling medium",
        "casNo": "CAS 号 / CAS registry number",
        "unNo": "UN 编号 / UN number",
        "storageLocation": "库区库位 / storage area and bin",
        "purpose": "用途 / intended use",
        "driver": "驾驶员 / driver",
        "escort": "押运员 / escort",
        "billType": "单据类型 / bill type (drug trace code systems 101-113, 201-237, 321-322)",
        "physicType": "药品类型 / drug type (特药 / 普药)",
        "customerIdType": "顾客证件类型 / customer ID type (the ID number itself is not stored)",
        "licenceNo": "许可证号 / licence number",
        "destinationCountry": "目的国 / country of destination",
        "exportLicenceNo": "出口许可证号 / export licence number",
        "spec": "规格 / specification",
        "quantity": "数量 / quantity (in the record's unit)",
        "unit": "单位 / unit of the quantity",
        "productionDate": "生产日期 / production date",
        "shelfLife": "保质期 / shelf life",
        "registrationNo": "登记证号、批准文号 / product registration or approval number",
        "inspectionCertNo": "检验合格证号 / inspection certificate or report number",
        "entryInspectionCertNo": "入境货物检验检疫证明编号 / entry inspection and quarantine certificate",
        "customsDeclarationNo": "报关单号 / customs declaration number",
        "originCountry": "原产国 / country of origin",
        "entryPort": "口岸 / port of entry",
        "restrictedUse": "限制使用农药 / restricted-use pesticide (是 / 否)",
        "material": "材质 / material",
        "weightG": "质量(克) / weight in grams",
        "fineness": "贵金属纯度 / precious-metal fineness",
        "identificationCertNo": "鉴定证书号 / identification certificate number",
        "template": "记录所用模板环节 / the template step a record was made with",
        "dataQuality": "数据质量分 (0-100) / data-quality score",
        "missingFields": "缺少的建议字段 / expected fields the record lacked",
    }
)


# ---- building steps -----------------------------------------------------------------------------


def req(field: FieldDef, evidence: Evidence = Evidence.SOURCE, source: str = "") -> StepField:
    return StepField(field, True, evidence, source)


def opt(field: FieldDef, evidence: Evidence = Evidence.SOURCE, source: str = "") -> StepField:
    return StepField(field, False, evidence, source)


#: fields every record carries: what (trace code), when (time), who (subject); our choice [I]
def base(what: FieldDef = TRACE_CODE, *, node: bool = True) -> tuple[StepField, ...]:
    common = (req(what, Evidence.OURS), req(EVENT_TIME, Evidence.OURS), req(SUBJECT, Evidence.OURS))
    return (*common, opt(NODE_CODE, Evidence.OURS)) if node else common
