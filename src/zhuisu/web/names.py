"""Chinese names of the codes the pages show (the message ids; ``translations/en`` has the English).

Subject and node types follow ``subjects.rules`` (the MOFCOM node list and GB/T 38158 sectors);
bizStep and disposition names are the usual Chinese renderings of the CBV 2.0 §7.2 / §7.3 words.
"""

from __future__ import annotations

from zhuisu.subjects.rules import NodeType, Status, SubjectType

SUBJECT_TYPES: dict[str, str] = {
    SubjectType.ENTERPRISE: "企业",
    SubjectType.INDIVIDUAL_BUSINESS: "个体工商户",
    SubjectType.COOPERATIVE: "农民专业合作社",
    SubjectType.FAMILY_FARM: "家庭农场",
    SubjectType.PUBLIC_INSTITUTION: "事业单位",
    SubjectType.NATURAL_PERSON: "自然人",
    SubjectType.OTHER: "其他",
}

NODE_TYPES: dict[str, str] = {
    NodeType.SLAUGHTERHOUSE: "屠宰企业",
    NodeType.WHOLESALE_MARKET: "批发市场",
    NodeType.WET_MARKET: "菜市场",
    NodeType.SUPERMARKET: "超市",
    NodeType.GROUP_CONSUMER: "团体消费单位",
    NodeType.FARM: "养殖场",
    NodeType.PLANTING_BASE: "种植基地",
    NodeType.PRODUCER: "生产企业",
    NodeType.DISTRIBUTOR: "经销企业",
    NodeType.DRUG_WHOLESALE: "药品批发企业",
    NodeType.DRUG_RETAIL: "药品零售企业",
    NodeType.MEDICAL_INSTITUTION: "医疗机构",
    NodeType.CYLINDER_FILLING: "气瓶充装单位",
    NodeType.ELEVATOR_MAINTENANCE: "电梯维保单位",
    NodeType.HAZCHEM_STORAGE: "危化品仓储",
    NodeType.IMPORTER: "进口商",
    NodeType.OTHER: "其他",
}

FILING_STATUS: dict[str, str] = {
    Status.SUBMITTED: "待审核",
    Status.APPROVED: "已备案",
    Status.REJECTED: "已驳回",
    Status.CHANGED: "变更待审核",
    Status.REVOKED: "已注销",
}

CODE_STATUS: dict[str, str] = {
    "requested": "待审核",
    "issued": "已发放",
    "rejected": "已驳回",
    "used": "已使用",
    "voided": "已作废",
}

CODE_SCHEMES: dict[str, str] = {
    "zhuisu.platform": "平台追溯码",
    "cn.meat_veg": "肉类蔬菜流通追溯码",
    "gs1.sgtin": "GS1 系列化商品标识(SGTIN)",
}

#: CBV 2.0 §7.2 business steps, in Chinese
BIZ_STEPS: dict[str, str] = {
    "accepting": "验收",
    "arriving": "到达",
    "assembling": "组装",
    "collecting": "收集",
    "commissioning": "赋码",
    "consigning": "托运",
    "creating_class_instance": "生产",
    "cycle_counting": "盘点",
    "decommissioning": "注销",
    "departing": "出发",
    "destroying": "销毁",
    "disassembling": "拆解",
    "dispensing": "调配",
    "encoding": "编码",
    "entering_exiting": "进出",
    "holding": "暂存",
    "inspecting": "检验",
    "installing": "安装",
    "killing": "屠宰",
    "loading": "装载",
    "other": "其他",
    "packing": "包装",
    "picking": "拣货",
    "receiving": "收货",
    "removing": "移除",
    "repackaging": "重新包装",
    "repairing": "修理",
    "replacing": "更换",
    "reserving": "预留",
    "retail_selling": "零售",
    "sampling": "抽样",
    "sensor_reporting": "传感记录",
    "shipping": "发货",
    "staging_outbound": "待发",
    "stock_taking": "盘库",
    "stocking": "上架",
    "storing": "入库储存",
    "transporting": "运输",
    "unloading": "卸货",
    "unpacking": "拆包",
    "void_shipping": "撤销发货",
}

#: what a node of the trace graph is (chain.rules.NodeKind)
NODE_KINDS: dict[str, str] = {
    "item": "单品",
    "lot": "批次(类+批号)",
    "container": "物流单元",
    "batch": "批发批次",
    "trace_code": "追溯码",
    "transaction": "交易凭证",
    "transformation": "加工转换",
    "location": "地点",
    "subject": "责任主体",
    "other": "其他",
}

#: how two nodes are linked (chain.rules.KIND_NAMES, plus the holding edges)
LINK_KINDS: dict[str, str] = {
    "transformation": "加工转换",
    "aggregation": "装入",
    "disaggregation": "拆出",
    "biz_transaction": "交易凭证",
    "voucher": "追溯凭证",
    "trace_code": "追溯码",
    "batch": "同批次",
    "at": "所在地点",
    "held_by": "持有主体",
}


def biz_step_name(value: str | None) -> str:
    """The Chinese name of a bizStep (bare CBV word or URI); the value itself when unknown."""
    if not value:
        return ""
    word = value.rsplit(":", 1)[-1].rsplit("/", 1)[-1]
    return BIZ_STEPS.get(word, word)
