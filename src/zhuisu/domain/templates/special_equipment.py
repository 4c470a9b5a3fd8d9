"""特种设备: the elevator (电梯) and gas-cylinder (气瓶) templates.

Sources (cn-standards.md §2.4, §3.5):

* the equipment is identified by its 18-character 特种设备代码 or 21-character 登记代码
  ("附件2 特种设备代码编号方法" [S]; attribution to TSG 08-2017 [R]);
* elevator maintenance: TSG T5002 电梯维护保养规则 — half-monthly, quarterly, half-yearly and yearly
  maintenance; record fields 设备代码, 使用单位, 维保单位, 维保人员, 维保日期, 项目与结果 [R, not verified];
* gas cylinders: DB4114/T 185-2023 [S TOC] — every stage (建档、收发、充装、检验、报废、运输) traced, filling
  data = 充装前检查 / 充装数据 / 充装后检查; registration data names 充装单位, 检验站, 充装员, 危化车辆,
  驾驶员, 押运员; 上海 气瓶管理信息报文格式规范 2020 [S TOC]: 登记, 收发, 充装, 检验, 配送 messages and a
  table of 充装介质 codes (not retrieved: the medium list below is ours [I]);
* bizSteps with no CBV 2.0 word (维护保养, 充装, 改造, 建档) are zhuisu URIs (our choice [I]); 修理 is
  CBV 2.0 ``repairing``.
"""

from __future__ import annotations

from zhuisu.domain.templates import fields as f
from zhuisu.domain.templates.fields import base, opt, req
from zhuisu.domain.templates.model import CodeRole, Evidence, FieldDef, Step, Target, Template, ValueKind

_S, _R, _I = Evidence.SOURCE, Evidence.RECALLED, Evidence.OURS
_K, _T = ValueKind, Target
BIZSTEP = "https://zhuisu.cn/epcis/bizstep/"
_EQ_SCHEMES = ("cn.special_equipment", "cn.special_equipment_registration")
_TSG_CODE = "特种设备代码编号方法 [S]; TSG 08-2017 [R]"
_T5002 = "TSG T5002 电梯维护保养规则 [R]"
_CYL = "DB4114/T 185-2023 液化石油气气瓶追溯技术规范 [S TOC]; 上海 气瓶管理信息报文格式规范 [S TOC]"
_PASS = (("合格", "conformant"), ("不合格", "non_conformant"))

EQUIPMENT_CODE = FieldDef(
    "trace_code",
    "设备代码",
    "equipment code",
    _K.CODE,
    _T.WHAT,
    "traceCode",
    schemes=_EQ_SCHEMES,
    aliases=("特种设备代码", "登记代码", "equipment_code", "traceCode", "追溯码"),
    example="311010020202600001",
)
CYLINDER_CODE = FieldDef(
    "trace_code",
    "气瓶编码",
    "cylinder code",
    _K.CODE,
    _T.WHAT,
    "traceCode",
    schemes=_EQ_SCHEMES,
    aliases=("气瓶代码", "cylinder_code", "traceCode", "追溯码"),
    example="231010020202600001",
    note="特种设备代码或登记代码 / special-equipment or registration code",
)
MANUFACTURER = FieldDef(
    "manufacturer",
    "制造单位",
    "manufacturer",
    _K.PARTY,
    _T.EXTENSION,
    "manufacturer",
    example="某电梯有限公司",
)
MODEL = FieldDef("model", "型号", "model", _K.TEXT, _T.EXTENSION, "model", example="TKJ1000/1.75")
LICENCE_NO = FieldDef(
    "licence_no",
    "许可证号",
    "licence number",
    _K.TEXT,
    _T.EXTENSION,
    "licenceNo",
    aliases=("制造许可证号", "安装许可证号"),
    example="TS3110001-2027",
)
INSTALLER = FieldDef(
    "installer", "安装单位", "installer", _K.PARTY, _T.EXTENSION, "installer", example="某电梯安装公司"
)
USER_UNIT = FieldDef(
    "user_unit", "使用单位", "user unit", _K.PARTY, _T.EXTENSION, "userUnit", example="某物业服务有限公司"
)
MAINTAINER = FieldDef(
    "maintainer",
    "维保单位",
    "maintenance company",
    _K.PARTY,
    _T.EXTENSION,
    "maintainer",
    example="某电梯维保公司",
)
MAINTENANCE_TYPE = FieldDef(
    "maintenance_type",
    "维保类型",
    "maintenance type",
    _K.CHOICE,
    _T.EXTENSION,
    "maintenanceType",
    choices=("半月", "季度", "半年", "年度"),
    example="半月",
)
WORKER = FieldDef(
    "worker",
    "作业人员",
    "worker",
    _K.TEXT,
    _T.EXTENSION,
    "worker",
    aliases=("维保人员", "充装人员", "充装员"),
    example="李四",
)
WORKER_CERT = FieldDef(
    "worker_cert_no",
    "作业人员证号",
    "worker certificate",
    _K.TEXT,
    _T.EXTENSION,
    "workerCertNo",
    example="T1-3706-0001",
)
ITEMS_RESULT = FieldDef(
    "result",
    "项目与结果",
    "items and result",
    _K.TEXT,
    _T.EXTENSION,
    "testItem",
    aliases=("维保项目",),
    example="A1-A31 全部正常",
)
INSPECTION_ORG = FieldDef(
    "inspection_org",
    "检验机构",
    "inspection body",
    _K.PARTY,
    _T.EXTENSION,
    "inspectionOrg",
    aliases=("检验站",),
    example="某特种设备检验研究院",
)
CONCLUSION = FieldDef(
    "test_result",
    "检验结论",
    "conclusion",
    _K.CHOICE,
    _T.EXTENSION,
    "testResult",
    choices=f.PASS_FAIL,
    aliases=("检查结果", "检测结果", "testResult"),
    example="合格",
)
NEXT_INSPECTION = FieldDef(
    "next_inspection_date",
    "下次检验日期",
    "next inspection date",
    _K.TEXT,
    _T.EXTENSION,
    "nextInspectionDate",
    example="2027-05-01",
)
MEDIUM = FieldDef(
    "medium",
    "充装介质",
    "filling medium",
    _K.CHOICE,
    _T.EXTENSION,
    "medium",
    choices=("液化石油气", "氧气", "氮气", "氩气", "二氧化碳", "乙炔", "天然气", "其他"),
    example="液化石油气",
)
CONTRACTOR = FieldDef(
    "contractor",
    "施工单位",
    "contractor",
    _K.PARTY,
    _T.EXTENSION,
    "contractor",
    aliases=("改造单位", "修理单位"),
    example="某电梯工程有限公司",
)
_T08_WORK = "TSG 08-2017 改造、修理 施工告知与监督检验 [R]"
DRIVER = FieldDef("driver", "驾驶员", "driver", _K.TEXT, _T.EXTENSION, "driver", example="王五")
ESCORT = FieldDef("escort", "押运员", "escort", _K.TEXT, _T.EXTENSION, "escort", example="赵六")

ELEVATOR = Template(
    "elevator",
    "电梯",
    "elevator",
    "special_equipment",
    "电梯",
    (
        Step(
            "elevator.manufacture",
            "制造",
            "manufacture",
            "ObjectEvent",
            "ADD",
            "commissioning",
            "active",
            CodeRole.ISSUED,
            (*base(EQUIPMENT_CODE), req(MANUFACTURER, _S, _TSG_CODE), req(MODEL, _I), opt(LICENCE_NO, _I)),
            _S,
            _TSG_CODE,
        ),
        Step(
            "elevator.installation",
            "安装",
            "installation",
            "ObjectEvent",
            "OBSERVE",
            "installing",
            "active",
            CodeRole.CARRIED,
            (
                *base(EQUIPMENT_CODE),
                req(INSTALLER, _R, _T5002),
                req(USER_UNIT, _R, _T5002),
                opt(LICENCE_NO, _I),
                opt(WORKER, _I),
            ),
            _R,
            _T5002,
        ),
        Step(
            "elevator.modification",
            "改造",
            "modification",
            "ObjectEvent",
            "OBSERVE",
            f"{BIZSTEP}modifying",
            "active",
            CodeRole.CARRIED,
            (
                *base(EQUIPMENT_CODE),
                req(CONTRACTOR, _R, _T08_WORK),
                req(USER_UNIT, _R, _T08_WORK),
                opt(LICENCE_NO, _R, _T08_WORK),
                opt(ITEMS_RESULT, _I),
            ),
            _R,
            _T08_WORK,
        ),
        Step(
            "elevator.maintenance",
            "维护保养",
            "maintenance",
            "ObjectEvent",
            "OBSERVE",
            f"{BIZSTEP}maintaining",
            "active",
            CodeRole.CARRIED,
            (
                *base(EQUIPMENT_CODE),
                req(MAINTAINER, _R, _T5002),
                req(MAINTENANCE_TYPE, _R, _T5002),
                req(WORKER, _R, _T5002),
                opt(WORKER_CERT, _R, _T5002),
                opt(ITEMS_RESULT, _R, _T5002),
                opt(USER_UNIT, _R, _T5002),
            ),
            _R,
            _T5002,
        ),
        Step(
            "elevator.repair",
            "修理",
            "repair",
            "ObjectEvent",
            "OBSERVE",
            "repairing",
            "active",
            CodeRole.CARRIED,
            (
                *base(EQUIPMENT_CODE),
                req(CONTRACTOR, _R, _T08_WORK),
                opt(WORKER, _I),
                opt(ITEMS_RESULT, _I),
                opt(USER_UNIT, _R, _T08_WORK),
            ),
            _R,
            _T08_WORK,
        ),
        Step(
            "elevator.inspection",
            "检验",
            "periodic inspection",
            "ObjectEvent",
            "OBSERVE",
            "inspecting",
            "conformant",
            CodeRole.CARRIED,
            (
                *base(EQUIPMENT_CODE),
                req(INSPECTION_ORG, _R, _T5002),
                req(CONCLUSION, _R, _T5002),
                opt(NEXT_INSPECTION, _I),
                opt(f.INSPECTOR, _I),
            ),
            _R,
            "TSG 08-2017 定期检验 [R]",
            disposition_by=("test_result", _PASS),
        ),
        Step(
            "elevator.scrapping",
            "报废",
            "scrapping",
            "ObjectEvent",
            "DELETE",
            "decommissioning",
            "inactive",
            CodeRole.CARRIED,
            (*base(EQUIPMENT_CODE), req(USER_UNIT, _R, "TSG 08-2017 报废/注销 [R]")),
            _R,
            "TSG 08-2017 报废/注销 [R]",
        ),
    ),
    f"{_TSG_CODE}; {_T5002}",
)

GAS_CYLINDER = Template(
    "cylinder",
    "气瓶",
    "gas cylinder",
    "special_equipment",
    "气瓶",
    (
        Step(
            "cylinder.manufacture",
            "制造",
            "manufacture",
            "ObjectEvent",
            "ADD",
            "commissioning",
            "active",
            CodeRole.ISSUED,
            (
                *base(CYLINDER_CODE),
                req(MANUFACTURER, _S, _CYL),
                opt(MODEL, _I),
                opt(LICENCE_NO, _I),
                opt(NEXT_INSPECTION, _I),
            ),
            _S,
            _CYL,
        ),
        Step(
            "cylinder.registration",
            "建档",
            "registration",
            "ObjectEvent",
            "OBSERVE",
            f"{BIZSTEP}registering",
            "active",
            CodeRole.CARRIED,
            (
                *base(CYLINDER_CODE),
                req(USER_UNIT, _S, _CYL),
                req(MEDIUM, _S, _CYL),
                opt(NEXT_INSPECTION, _S, _CYL),
            ),
            _S,
            _CYL,
        ),
        Step(
            "cylinder.pre_fill_check",
            "充装前检查",
            "pre-filling check",
            "ObjectEvent",
            "OBSERVE",
            "inspecting",
            "conformant",
            CodeRole.CARRIED,
            (*base(CYLINDER_CODE), req(CONCLUSION, _S, _CYL), req(WORKER, _S, _CYL), opt(MEDIUM, _S, _CYL)),
            _S,
            _CYL,
            disposition_by=("test_result", _PASS),
        ),
        Step(
            "cylinder.filling",
            "充装",
            "filling",
            "ObjectEvent",
            "OBSERVE",
            f"{BIZSTEP}filling",
            "active",
            CodeRole.CARRIED,
            (
                *base(CYLINDER_CODE),
                req(MEDIUM, _S, _CYL),
                req(f.WEIGHT_KG, _S, _CYL),
                req(WORKER, _S, _CYL),
                opt(WORKER_CERT, _I),
            ),
            _S,
            _CYL,
        ),
        Step(
            "cylinder.post_fill_check",
            "充装后检查",
            "post-filling check",
            "ObjectEvent",
            "OBSERVE",
            "inspecting",
            "conformant",
            CodeRole.CARRIED,
            (*base(CYLINDER_CODE), req(CONCLUSION, _S, _CYL), req(WORKER, _S, _CYL)),
            _S,
            _CYL,
            disposition_by=("test_result", _PASS),
        ),
        Step(
            "cylinder.delivery",
            "配送",
            "delivery",
            "ObjectEvent",
            "OBSERVE",
            "shipping",
            "in_transit",
            CodeRole.CARRIED,
            (
                *base(CYLINDER_CODE),
                req(f.BUYER, _S, _CYL),
                req(f.VEHICLE_PLATE, _S, _CYL),
                opt(DRIVER, _S, _CYL),
                opt(ESCORT, _S, _CYL),
            ),
            _S,
            _CYL,
        ),
        Step(
            "cylinder.inspection",
            "检验",
            "periodic inspection",
            "ObjectEvent",
            "OBSERVE",
            "inspecting",
            "conformant",
            CodeRole.CARRIED,
            (
                *base(CYLINDER_CODE),
                req(INSPECTION_ORG, _S, _CYL),
                req(CONCLUSION, _S, _CYL),
                opt(NEXT_INSPECTION, _I),
            ),
            _S,
            _CYL,
            disposition_by=("test_result", _PASS),
        ),
        Step(
            "cylinder.scrapping",
            "报废",
            "scrapping",
            "ObjectEvent",
            "DELETE",
            "decommissioning",
            "inactive",
            CodeRole.CARRIED,
            (*base(CYLINDER_CODE), req(INSPECTION_ORG, _S, _CYL), opt(CONCLUSION, _I)),
            _S,
            _CYL,
        ),
    ),
    _CYL,
)

TEMPLATES = (ELEVATOR, GAS_CYLINDER)
