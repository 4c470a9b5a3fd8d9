"""The filing rules: statuses and their transitions, the change deadline, the typed vocabularies.

Sources: subjects file themselves and are reviewed (全国肉类蔬菜流通追溯体系建设规范(试行) 2010:
实名注册备案; "已在其他节点备案者无须再备案" → filing is idempotent by USCC) [found]; a filed
enterprise's electronic record must be updated within 2 days of a change (上海市食品安全信息追溯
管理办法 Art.12) [found]; node types follow the MOFCOM node list (屠宰企业、批发市场、菜市场、超市、
团体消费单位) [found] and the sectors of GB/T 38158 [found], the rest are zhuisu's additions.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum


class Status(StrEnum):
    SUBMITTED = "submitted"  # 已提交,待审核
    APPROVED = "approved"  # 已备案
    REJECTED = "rejected"  # 已驳回
    CHANGED = "changed"  # 变更待审核 (the approved data stays in force meanwhile)
    REVOKED = "revoked"  # 已注销


class FilingKind(StrEnum):
    INITIAL = "initial"
    CHANGE = "change"


class FilingStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"  # replaced by a later change, or closed by revocation


class AuditAction(StrEnum):
    """What happened to a subject, in the past tense (the audit vocabulary; never reworded)."""

    SUBMITTED = "filing.submitted"
    RESUBMITTED = "filing.resubmitted"
    APPROVED = "filing.approved"
    REJECTED = "filing.rejected"
    CHANGED = "filing.changed"
    CHANGE_LATE = "filing.change_late"
    CHANGE_APPROVED = "filing.change_approved"
    CHANGE_REJECTED = "filing.change_rejected"
    REVOKED = "filing.revoked"
    NODE_ADDED = "node.added"
    OPERATOR_ADDED = "operator.added"
    QUALIFICATION_ADDED = "qualification.added"


class SubjectType(StrEnum):
    """法人责任主体类型 (the IPT filing form's field); natural persons file with an ID card."""

    ENTERPRISE = "enterprise"  # 企业
    INDIVIDUAL_BUSINESS = "individual_business"  # 个体工商户 (has a USCC, 92…)
    COOPERATIVE = "cooperative"  # 农民专业合作社
    FAMILY_FARM = "family_farm"  # 家庭农场
    PUBLIC_INSTITUTION = "public_institution"  # 事业单位 (e.g. a hospital)
    NATURAL_PERSON = "natural_person"  # 自然人 (MOA 自然人主体码)
    OTHER = "other"


class NodeType(StrEnum):
    """流通节点类型 / the role a subject plays in a trace chain."""

    SLAUGHTERHOUSE = "slaughterhouse"  # 屠宰企业
    WHOLESALE_MARKET = "wholesale_market"  # 批发市场
    WET_MARKET = "wet_market"  # 菜市场
    SUPERMARKET = "supermarket"  # 超市
    GROUP_CONSUMER = "group_consumer"  # 团体消费单位
    FARM = "farm"  # 养殖场
    PLANTING_BASE = "planting_base"  # 种植基地
    PRODUCER = "producer"  # 生产企业
    DISTRIBUTOR = "distributor"  # 经销企业
    DRUG_WHOLESALE = "drug_wholesale"  # 药品批发企业
    DRUG_RETAIL = "drug_retail"  # 药品零售企业
    MEDICAL_INSTITUTION = "medical_institution"  # 医疗机构
    CYLINDER_FILLING = "cylinder_filling"  # 气瓶充装单位
    ELEVATOR_MAINTENANCE = "elevator_maintenance"  # 电梯维保单位
    HAZCHEM_STORAGE = "hazchem_storage"  # 危化品仓储
    IMPORTER = "importer"  # 进口商
    OTHER = "other"  # 其他


class NodeKind(StrEnum):
    """What kind of place a node is."""

    STALL = "stall"  # 摊位 (carries a 摊位号)
    MARKET = "market"  # 市场
    STORE = "store"  # 门店
    PLANT = "plant"  # 厂区 / 车间
    WAREHOUSE = "warehouse"  # 仓库
    FARM = "farm"  # 养殖场 / 种植基地
    OTHER = "other"


class LicenceKind(StrEnum):
    BUSINESS_LICENCE = "business_licence"  # 营业执照
    FOOD_PRODUCTION = "food_production"  # 食品生产许可证 (SC + 14 digits, validated)
    FOOD_BUSINESS = "food_business"  # 食品经营许可证
    SLAUGHTER = "slaughter"  # 生猪定点屠宰证
    ANIMAL_EPIDEMIC = "animal_epidemic"  # 动物防疫条件合格证
    DRUG_PRODUCTION = "drug_production"  # 药品生产许可证
    DRUG_BUSINESS = "drug_business"  # 药品经营许可证
    MEDICAL_PRACTICE = "medical_practice"  # 医疗机构执业许可证
    CYLINDER_FILLING = "cylinder_filling"  # 气瓶充装许可证
    SPECIAL_EQUIPMENT = "special_equipment"  # 特种设备生产(安装改造修理)许可证
    HAZCHEM_BUSINESS = "hazchem_business"  # 危险化学品经营许可证
    OTHER = "other"


#: 上海市食品安全信息追溯管理办法 Art.12: update the record within 2 days of a change.
CHANGE_DEADLINE_DAYS = 2

#: Who may move to which status.
_TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.SUBMITTED: frozenset({Status.APPROVED, Status.REJECTED}),
    Status.APPROVED: frozenset({Status.CHANGED, Status.REVOKED}),
    Status.CHANGED: frozenset({Status.APPROVED, Status.CHANGED, Status.REVOKED}),
    Status.REJECTED: frozenset({Status.SUBMITTED}),
    Status.REVOKED: frozenset({Status.SUBMITTED}),
}

#: Subjects whose filed data is in force (master data, nodes, trace codes).
IN_FORCE = (Status.APPROVED, Status.CHANGED)


def can_move(current: Status, target: Status) -> bool:
    return target in _TRANSITIONS[current]


def is_late(changed_on: date, filed_on: date) -> bool:
    """A change filed after the day of change + 2 days is late (Art.12; calendar days, CST)."""
    return filed_on > changed_on + timedelta(days=CHANGE_DEADLINE_DAYS)


STATUS_ZH = {
    Status.SUBMITTED: "待审核",
    Status.APPROVED: "已备案",
    Status.REJECTED: "已驳回",
    Status.CHANGED: "变更待审核",
    Status.REVOKED: "已注销",
}
