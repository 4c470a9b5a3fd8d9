"""危险品: the hazardous-chemicals template (生产/进口 → 入库 → 出库 → 运输 → 使用 → 废弃处置).

Sources (cn-standards.md §2.4, §3.5): the goods are identified by the 危险化学品安全信息码 of
T/CCSAS 047-2023 — 固定信息码 (registration URL + 登记号) + 扩展码 ("一企一品一码") [S]. The
warehouse fields (登记号, CAS 号, UN 号, 品名, 批次, 数量, 库区库位, 出入库时间, 收发货单位; 易制爆 /
剧毒 流向登记: 购买单位、用途) are recalled [R], not read in a source; the transport fields (车牌, 驾驶员,
押运员) follow the gas-cylinder registration data [S] by analogy [I]. The electronic waybill number is
carried as a bizTransaction of CBV type ``bol`` (our choice [I]).
"""

from __future__ import annotations

from zhuisu.domain.templates import fields as f
from zhuisu.domain.templates.fields import base, opt, req
from zhuisu.domain.templates.model import CodeRole, Evidence, FieldDef, Step, Target, Template, ValueKind
from zhuisu.domain.templates.special_equipment import BIZSTEP

_S, _R, _I = Evidence.SOURCE, Evidence.RECALLED, Evidence.OURS
_K, _T = ValueKind, Target
_CODE = "T/CCSAS 047-2023 危险化学品编码与标识技术规范 [S]"
_WH = "危化品仓储 出入库记录 [R]"

SAFETY_CODE = FieldDef(
    "trace_code",
    "安全信息码",
    "safety information code",
    _K.CODE,
    _T.WHAT,
    "traceCode",
    schemes=("cn.hazchem",),
    aliases=("危险化学品安全信息码", "traceCode", "追溯码"),
    example="37012345/B20260501",
)
CAS_NO = FieldDef(
    "cas_no", "CAS号", "CAS number", _K.TEXT, _T.EXTENSION, "casNo", aliases=("CAS 号",), example="7664-93-9"
)
UN_NO = FieldDef(
    "un_no", "UN号", "UN number", _K.TEXT, _T.EXTENSION, "unNo", aliases=("UN 号", "UN编号"), example="1830"
)
STORAGE = FieldDef(
    "storage_location",
    "库区库位",
    "storage location",
    _K.TEXT,
    _T.EXTENSION,
    "storageLocation",
    aliases=("库位",),
    example="A区-03",
)
PURPOSE = FieldDef("purpose", "用途", "purpose", _K.TEXT, _T.EXTENSION, "purpose", example="工业清洗")
WAYBILL = FieldDef(
    "waybill_no",
    "电子运单号",
    "waybill number",
    _K.TEXT,
    _T.BIZ_TRANSACTION,
    None,
    aliases=("运单号",),
    example="YD202605010001",
)
DRIVER = FieldDef("driver", "驾驶员", "driver", _K.TEXT, _T.EXTENSION, "driver", example="王五")
ESCORT = FieldDef("escort", "押运员", "escort", _K.TEXT, _T.EXTENSION, "escort", example="赵六")
DISPOSER = FieldDef(
    "disposer",
    "处置单位",
    "disposal contractor",
    _K.PARTY,
    _T.EXTENSION,
    "disposer",
    aliases=("废弃处置单位",),
    example="某危险废物处置有限公司",
)
_LIFE = "危险化学品安全管理条例 全生命周期 (生产/进口、储存、使用、经营、运输、废弃处置) [R]"

HAZCHEM = Template(
    "hazchem",
    "危险化学品",
    "hazardous chemicals",
    "dangerous_goods",
    "易制爆危险化学品",
    (
        Step(
            "hazchem.production",
            "生产/进口",
            "production or import",
            "ObjectEvent",
            "ADD",
            "commissioning",
            "active",
            CodeRole.ISSUED,
            (
                *base(SAFETY_CODE),
                req(f.PRODUCT_NAME, _R, _LIFE),
                req(f.WEIGHT_KG, _R, _LIFE),
                req(f.BATCH_NO, _R, _LIFE),
                opt(CAS_NO, _R, _LIFE),
                opt(UN_NO, _R, _LIFE),
            ),
            _R,
            f"{_CODE}; {_LIFE}",
        ),
        Step(
            "hazchem.storage_in",
            "入库",
            "into storage",
            "ObjectEvent",
            "OBSERVE",
            "storing",
            "sellable_not_accessible",
            CodeRole.CARRIED,
            (
                *base(SAFETY_CODE),
                req(f.PRODUCT_NAME, _R, _WH),
                req(f.WEIGHT_KG, _R, _WH),
                req(f.BATCH_NO, _R, _WH),
                req(f.SUPPLIER, _R, _WH),
                opt(CAS_NO, _R, _WH),
                opt(UN_NO, _R, _WH),
                opt(STORAGE, _R, _WH),
            ),
            _R,
            _WH,
        ),
        Step(
            "hazchem.storage_out",
            "出库",
            "out of storage",
            "ObjectEvent",
            "OBSERVE",
            "picking",
            "in_progress",
            CodeRole.CARRIED,
            (
                *base(SAFETY_CODE),
                req(f.WEIGHT_KG, _R, _WH),
                req(f.BUYER, _R, _WH),
                req(PURPOSE, _R, _WH),
                opt(f.BATCH_NO, _R, _WH),
                opt(STORAGE, _R, _WH),
            ),
            _R,
            _WH,
        ),
        Step(
            "hazchem.transport",
            "运输",
            "transport",
            "ObjectEvent",
            "OBSERVE",
            "transporting",
            "in_transit",
            CodeRole.CARRIED,
            (
                *base(SAFETY_CODE),
                req(f.VEHICLE_PLATE, _I),
                req(DRIVER, _I),
                req(ESCORT, _I),
                req(f.BUYER, _R, _WH),
                opt(WAYBILL, _I),
                opt(f.DESTINATION_PLACE, _I),
            ),
            _I,
            f"{_CODE}; transport fields by analogy with 气瓶 registration data [I]",
        ),
        Step(
            "hazchem.use",
            "使用",
            "use",
            "ObjectEvent",
            "OBSERVE",
            f"{BIZSTEP}using",
            "in_progress",
            CodeRole.CARRIED,
            (*base(SAFETY_CODE), req(f.WEIGHT_KG, _R, _LIFE), req(PURPOSE, _R, _LIFE), opt(STORAGE, _I)),
            _R,
            _LIFE,
        ),
        Step(
            "hazchem.disposal",
            "废弃处置",
            "disposal",
            "ObjectEvent",
            "DELETE",
            "destroying",
            "destroyed",
            CodeRole.CARRIED,
            (*base(SAFETY_CODE), req(f.WEIGHT_KG, _R, _LIFE), req(DISPOSER, _R, _LIFE)),
            _R,
            _LIFE,
        ),
    ),
    _CODE,
)

TEMPLATES = (HAZCHEM,)
