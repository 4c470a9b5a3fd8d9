"""The EPCIS 2.0 event model, declared once: event types, actions, and the fields each may carry.

EPCIS 2.0 §7.4 defines five event types over one common base (§7.4.1). This module says, as data,
which standard fields each type may carry, of which kind (§7.3: identifiers, quantities,
vocabulary values, the sensor model of §7.3.8 …), which are required, and under which names
(the JSON-LD binding of §12 uses the XML binding's element names, §9; in XML a list's items are
elements of their own, named by ``FieldSpec.xml_item``). ``zhuisu.capture.validation`` builds
its dispatch tables from these declarations; the chain, the query side and the forms can read
them too, so a field is described in one place.

Clause numbers: the event types (§7.4.1-§7.4.6) and the sensor model (§7.3.8) are cited as the
conformance notes cite them; the sub-clauses of §7.3 given for the other fields are recalled,
not checked against the text (reference/ holds the schemas, not the standard's prose).

The structures nested inside an event (quantity element, business transaction, source /
destination, read point / business location, persistent disposition, error declaration, sensor
element / metadata / report) are declared the same way in ``STRUCTURES``.

Extension fields live in namespaces (EPCIS 2.0 §6.3, §12.2: ``prefix:local`` keys). zhuisu's own
namespace is ``ZHUISU_NS`` (preferred prefix ``zs``); ``TRACE_FIELDS`` lists the Chinese trace
fields (检疫证号, 摊位号, 追溯凭证号 …) that records carry in it.

Pure data, stdlib only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from zhuisu.domain.cbv import Vocabulary


class EventType(StrEnum):
    """The five EPCIS 2.0 event types (§7.4.2-§7.4.6)."""

    OBJECT = "ObjectEvent"
    AGGREGATION = "AggregationEvent"
    TRANSACTION = "TransactionEvent"
    TRANSFORMATION = "TransformationEvent"
    ASSOCIATION = "AssociationEvent"


class Action(StrEnum):
    """The action of an event (EPCIS 2.0 §7.3.2); TransformationEvent has none."""

    ADD = "ADD"
    OBSERVE = "OBSERVE"
    DELETE = "DELETE"


class FieldKind(StrEnum):
    """What a field's value is, in the JSON binding (EPCIS 2.0 §7.3, §12)."""

    EVENT_TYPE = "event_type"  # the ``type`` discriminator
    CONTEXT = "context"  # a JSON-LD ``@context`` carried by a bare event (§12.2)
    DATE_TIME = "date_time"  # ISO 8601 date-time with offset or Z (§7.3.5 / XSD DateTimeStamp)
    TIME_ZONE_OFFSET = "tz_offset"  # ±HH:MM, within ±14:00 (§7.4.1)
    URI = "uri"  # one identifier: EPC URN, Digital Link or any absolute URI (§7.3.1)
    URI_LIST = "uri_list"  # an unordered list of identifiers (epcList, childEPCs …)
    URI_OR_URI_LIST = "uri_or_list"  # certificationInfo: one URI or a list of URIs (§7.4.1)
    QUANTITY_LIST = "quantity_list"  # list of quantity elements (§7.3.3.3)
    ACTION = "action"  # ADD / OBSERVE / DELETE (§7.3.2)
    VOCABULARY = "vocabulary"  # a CBV value: bare word, or a URI (CBV 2.0 §8)
    VOCABULARY_LIST = "vocabulary_list"
    PERSISTENT_DISPOSITION = "persistent_disposition"  # {set: [...], unset: [...]} (§7.3.6)
    LOCATION = "location"  # readPoint / bizLocation: {id, extensions} (§7.3.4)
    BIZ_TRANSACTION_LIST = "biz_transaction_list"  # (§7.3.5.3)
    SOURCE_LIST = "source_list"  # (§7.3.5.4)
    DESTINATION_LIST = "destination_list"
    SENSOR_ELEMENT_LIST = "sensor_element_list"  # (§7.3.8)
    SENSOR_METADATA = "sensor_metadata"
    SENSOR_REPORT_LIST = "sensor_report_list"
    ILMD = "ilmd"  # instance / lot master data, extension keys only (§7.3.7)
    ERROR_DECLARATION = "error_declaration"  # (§7.4.1.2)
    NUMBER = "number"  # a JSON number (decimal / double)
    STRING = "string"
    BOOLEAN = "boolean"
    HEX_BINARY = "hex_binary"  # xsd:hexBinary: pairs of hex digits
    UOM = "uom"  # UN/CEFACT Rec. 20 unit code, 2-3 characters
    MEASUREMENT_TYPE = "measurement_type"  # gs1:MeasurementType word, or a URI (§7.3.8.3)
    ALERT_TYPE = "alert_type"  # gs1:SensorAlertType: ALARM_CONDITION / ERROR_CONDITION


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One standard field: its name (JSON key and XML element), kind, and what it means.

    zh: its Chinese name (forms, messages); clause: the EPCIS 2.0 clause that defines it.
    required: required whenever the structure is present (conditional requirements, such as
        parentID on an AggregationEvent, are rules of ``zhuisu.capture.validation``).
    vocabulary: for VOCABULARY / VOCABULARY_LIST fields, the CBV vocabulary of its standard words.
    xml_item: for a list, the name of each item's element in the XML binding (``epcList`` holds
        ``epc`` elements, ``bizTransactionList`` ``bizTransaction`` elements …; §9, XSD 2.0).
    """

    name: str
    kind: FieldKind
    zh: str
    clause: str
    required: bool = False
    vocabulary: Vocabulary | None = None
    xml_item: str | None = None


@dataclass(frozen=True, slots=True)
class StructureSpec:
    """A structure (event or nested object) and the standard fields it may carry.

    extensible: whether namespaced extension keys may appear beside the standard fields
        (EPCIS 2.0 §9.4 / §12: true for events, readPoint, bizLocation, ILMD, errorDeclaration and the
        sensor structures; false for quantity elements, business transactions, source/destination and
        persistent disposition, whose JSON form is closed).
    """

    name: str
    fields: Mapping[str, FieldSpec]
    extensible: bool

    @property
    def required(self) -> frozenset[str]:
        return frozenset(f.name for f in self.fields.values() if f.required)


def _fields(*specs: FieldSpec) -> Mapping[str, FieldSpec]:
    return MappingProxyType({s.name: s for s in specs})


_K = FieldKind

# ---- common fields of every event (EPCIS 2.0 §7.4.1) -------------------------------------------
_COMMON: tuple[FieldSpec, ...] = (
    FieldSpec("type", _K.EVENT_TYPE, "事件类型", "§12.2", required=True),
    FieldSpec("@context", _K.CONTEXT, "JSON-LD 上下文", "§12.2"),
    FieldSpec("eventTime", _K.DATE_TIME, "事件时间", "§7.4.1", required=True),
    FieldSpec("eventTimeZoneOffset", _K.TIME_ZONE_OFFSET, "事件时区偏移", "§7.4.1", required=True),
    FieldSpec("recordTime", _K.DATE_TIME, "记录时间", "§7.4.1"),
    FieldSpec("eventID", _K.URI, "事件标识", "§7.4.1"),
    FieldSpec("certificationInfo", _K.URI_OR_URI_LIST, "认证信息", "§7.4.1"),
    FieldSpec("errorDeclaration", _K.ERROR_DECLARATION, "错误声明", "§7.4.1.2"),
)

# ---- fields shared by several event types (§7.3) ------------------------------------------------
_ACTION = FieldSpec("action", _K.ACTION, "动作", "§7.3.2", required=True)
_BIZ_STEP = FieldSpec("bizStep", _K.VOCABULARY, "业务步骤", "§7.3.5.1", vocabulary=Vocabulary.BIZ_STEP)
_DISPOSITION = FieldSpec(
    "disposition", _K.VOCABULARY, "处置状态", "§7.3.5.2", vocabulary=Vocabulary.DISPOSITION
)
_PERSISTENT = FieldSpec("persistentDisposition", _K.PERSISTENT_DISPOSITION, "持久处置状态", "§7.3.6")
_READ_POINT = FieldSpec("readPoint", _K.LOCATION, "读取点", "§7.3.4")
_BIZ_LOCATION = FieldSpec("bizLocation", _K.LOCATION, "业务地点", "§7.3.4")
_BIZ_TX = FieldSpec(
    "bizTransactionList", _K.BIZ_TRANSACTION_LIST, "业务交易列表", "§7.3.5.3", xml_item="bizTransaction"
)
_SOURCES = FieldSpec("sourceList", _K.SOURCE_LIST, "来源列表", "§7.3.5.4", xml_item="source")
_DESTINATIONS = FieldSpec(
    "destinationList", _K.DESTINATION_LIST, "去向列表", "§7.3.5.4", xml_item="destination"
)
_SENSORS = FieldSpec(
    "sensorElementList", _K.SENSOR_ELEMENT_LIST, "传感器数据列表", "§7.3.8", xml_item="sensorElement"
)
_ILMD = FieldSpec("ilmd", _K.ILMD, "实例/批次主数据", "§7.3.7")


def _epcs(name: str, zh: str, clause: str) -> FieldSpec:
    return FieldSpec(name, _K.URI_LIST, zh, clause, xml_item="epc")


def _quantities(name: str, zh: str, clause: str) -> FieldSpec:
    return FieldSpec(name, _K.QUANTITY_LIST, zh, clause, xml_item="quantityElement")


_EPC_LIST = _epcs("epcList", "EPC 列表", "§7.3.3.1")
_QUANTITY_LIST = _quantities("quantityList", "数量列表", "§7.3.3.3")
_PARENT = FieldSpec("parentID", _K.URI, "父级标识", "§7.4.3")
_CHILD_EPCS = _epcs("childEPCs", "子级 EPC 列表", "§7.4.3")
_CHILD_QUANTITIES = _quantities("childQuantityList", "子级数量列表", "§7.4.3")

_WHY_WHERE = (
    _BIZ_STEP,
    _DISPOSITION,
    _PERSISTENT,
    _READ_POINT,
    _BIZ_LOCATION,
    _BIZ_TX,
    _SOURCES,
    _DESTINATIONS,
    _SENSORS,
)


def _event(event_type: EventType, *specs: FieldSpec) -> StructureSpec:
    return StructureSpec(event_type.value, _fields(*_COMMON, *specs), extensible=True)


#: per event type, the standard fields it may carry (EPCIS 2.0 §7.4.2-§7.4.6, JSON Schema of §12,
#: XSD of §9). persistentDisposition is allowed on all five, as the 2.0 XSD and §7.4 allow, although
#: the JSON Schema lists it only on ObjectEvent and TransformationEvent.
EVENT_TYPES: Mapping[EventType, StructureSpec] = MappingProxyType(
    {
        EventType.OBJECT: _event(EventType.OBJECT, _EPC_LIST, _QUANTITY_LIST, _ACTION, *_WHY_WHERE, _ILMD),
        EventType.AGGREGATION: _event(
            EventType.AGGREGATION, _PARENT, _CHILD_EPCS, _CHILD_QUANTITIES, _ACTION, *_WHY_WHERE
        ),
        EventType.TRANSACTION: _event(
            EventType.TRANSACTION,
            FieldSpec(
                "bizTransactionList",
                _K.BIZ_TRANSACTION_LIST,
                "业务交易列表",
                "§7.4.4",
                required=True,
                xml_item="bizTransaction",
            ),
            FieldSpec("parentID", _K.URI, "父级标识", "§7.4.4"),
            _EPC_LIST,
            _QUANTITY_LIST,
            _ACTION,
            *(s for s in _WHY_WHERE if s.name != "bizTransactionList"),
        ),
        EventType.TRANSFORMATION: _event(
            EventType.TRANSFORMATION,
            _epcs("inputEPCList", "投入 EPC 列表", "§7.4.5"),
            _quantities("inputQuantityList", "投入数量列表", "§7.4.5"),
            _epcs("outputEPCList", "产出 EPC 列表", "§7.4.5"),
            _quantities("outputQuantityList", "产出数量列表", "§7.4.5"),
            FieldSpec("transformationID", _K.URI, "转化标识", "§7.4.5"),
            *_WHY_WHERE,
            _ILMD,
        ),
        # parentID is required on every AssociationEvent: both bindings say so (XSD 2.0 minOccurs=1,
        # JSON Schema "required"), and TCR-54 rejects ADD/DELETE without it.
        EventType.ASSOCIATION: _event(
            EventType.ASSOCIATION,
            FieldSpec("parentID", _K.URI, "父级标识", "§7.4.6", required=True),
            _CHILD_EPCS,
            _CHILD_QUANTITIES,
            _ACTION,
            *_WHY_WHERE,
        ),
    }
)

#: every standard event-level field name, of any event type
STANDARD_EVENT_FIELDS: frozenset[str] = frozenset(
    name for spec in EVENT_TYPES.values() for name in spec.fields
)

#: the inline attributes that may sit in sensorMetadata or in a sensorReport, but not in both of
#: one sensor element (EPCIS 2.0 §7.3.8; conformance TCR-53, "set3" must be refused)
SENSOR_SHARED_ATTRIBUTES: tuple[str, ...] = (
    "time",
    "deviceID",
    "deviceMetadata",
    "rawData",
    "dataProcessingMethod",
)

#: numeric sensorReport attributes: a measurement, which needs a ``type`` (a report without one
#: may only state an ``exception``, described by booleanValue / uriValue / stringValue …)
SENSOR_NUMERIC_ATTRIBUTES: tuple[str, ...] = (
    "value",
    "minValue",
    "maxValue",
    "meanValue",
    "sDev",
    "percRank",
    "percValue",
)

#: numeric sensorReport attributes expressed in ``uom`` (percRank is a rank in percent, unitless)
SENSOR_UOM_ATTRIBUTES: tuple[str, ...] = ("value", "minValue", "maxValue", "meanValue", "sDev", "percValue")

#: measurement types whose values carry no unit (gs1:MeasurementType)
DIMENSIONLESS_MEASUREMENT_TYPES: frozenset[str] = frozenset({"Dimensionless", "Count"})

STRUCTURES: Mapping[str, StructureSpec] = MappingProxyType(
    {
        # §7.3.3.3; XSD: (quantity, uom?)? — a uom only with a quantity
        "quantityElement": StructureSpec(
            "quantityElement",
            _fields(
                FieldSpec("epcClass", _K.URI, "EPC 类别", "§7.3.3.3", required=True),
                FieldSpec("quantity", _K.NUMBER, "数量", "§7.3.3.3"),
                FieldSpec("uom", _K.UOM, "计量单位", "§7.3.3.3"),
            ),
            extensible=False,
        ),
        "bizTransaction": StructureSpec(
            "bizTransaction",
            _fields(
                FieldSpec(
                    "type", _K.VOCABULARY, "交易类型", "§7.3.5.3", vocabulary=Vocabulary.BIZ_TRANSACTION_TYPE
                ),
                FieldSpec("bizTransaction", _K.URI, "交易标识", "§7.3.5.3", required=True),
            ),
            extensible=False,
        ),
        "source": StructureSpec(
            "source",
            _fields(
                FieldSpec(
                    "type",
                    _K.VOCABULARY,
                    "来源类型",
                    "§7.3.5.4",
                    required=True,
                    vocabulary=Vocabulary.SOURCE_DEST_TYPE,
                ),
                FieldSpec("source", _K.URI, "来源", "§7.3.5.4", required=True),
            ),
            extensible=False,
        ),
        "destination": StructureSpec(
            "destination",
            _fields(
                FieldSpec(
                    "type",
                    _K.VOCABULARY,
                    "去向类型",
                    "§7.3.5.4",
                    required=True,
                    vocabulary=Vocabulary.SOURCE_DEST_TYPE,
                ),
                FieldSpec("destination", _K.URI, "去向", "§7.3.5.4", required=True),
            ),
            extensible=False,
        ),
        "location": StructureSpec(
            "location",
            _fields(
                FieldSpec("id", _K.URI, "地点标识", "§7.3.4", required=True),
            ),
            extensible=True,
        ),
        "persistentDisposition": StructureSpec(
            "persistentDisposition",
            _fields(
                FieldSpec("set", _K.VOCABULARY_LIST, "设置", "§7.3.6", vocabulary=Vocabulary.DISPOSITION),
                FieldSpec("unset", _K.VOCABULARY_LIST, "取消", "§7.3.6", vocabulary=Vocabulary.DISPOSITION),
            ),
            extensible=False,
        ),
        "errorDeclaration": StructureSpec(
            "errorDeclaration",
            _fields(
                FieldSpec("declarationTime", _K.DATE_TIME, "声明时间", "§7.4.1.2", required=True),
                FieldSpec(
                    "reason", _K.VOCABULARY, "错误原因", "§7.4.1.2", vocabulary=Vocabulary.ERROR_REASON
                ),
                FieldSpec(
                    "correctiveEventIDs",
                    _K.URI_LIST,
                    "纠正事件标识",
                    "§7.4.1.2",
                    xml_item="correctiveEventID",
                ),
            ),
            extensible=True,
        ),
        "sensorElement": StructureSpec(
            "sensorElement",
            _fields(
                FieldSpec("sensorMetadata", _K.SENSOR_METADATA, "传感器元数据", "§7.3.8.1"),
                FieldSpec("sensorReport", _K.SENSOR_REPORT_LIST, "传感器报告", "§7.3.8.2", required=True),
            ),
            extensible=True,
        ),
        "sensorMetadata": StructureSpec(
            "sensorMetadata",
            _fields(
                FieldSpec("time", _K.DATE_TIME, "时间", "§7.3.8.1"),
                FieldSpec("startTime", _K.DATE_TIME, "开始时间", "§7.3.8.1"),
                FieldSpec("endTime", _K.DATE_TIME, "结束时间", "§7.3.8.1"),
                FieldSpec("deviceID", _K.URI, "设备标识", "§7.3.8.1"),
                FieldSpec("deviceMetadata", _K.URI, "设备元数据", "§7.3.8.1"),
                FieldSpec("rawData", _K.URI, "原始数据", "§7.3.8.1"),
                FieldSpec("dataProcessingMethod", _K.URI, "数据处理方法", "§7.3.8.1"),
                FieldSpec("bizRules", _K.URI, "业务规则", "§7.3.8.1"),
            ),
            extensible=True,
        ),
        "sensorReport": StructureSpec(
            "sensorReport",
            _fields(
                FieldSpec("type", _K.MEASUREMENT_TYPE, "测量类型", "§7.3.8.2"),
                FieldSpec("exception", _K.ALERT_TYPE, "异常", "§7.3.8.2"),
                FieldSpec("deviceID", _K.URI, "设备标识", "§7.3.8.2"),
                FieldSpec("deviceMetadata", _K.URI, "设备元数据", "§7.3.8.2"),
                FieldSpec("rawData", _K.URI, "原始数据", "§7.3.8.2"),
                FieldSpec("dataProcessingMethod", _K.URI, "数据处理方法", "§7.3.8.2"),
                FieldSpec("bizRules", _K.URI, "业务规则", "§7.3.8.2"),
                FieldSpec("time", _K.DATE_TIME, "时间", "§7.3.8.2"),
                FieldSpec("microorganism", _K.URI, "微生物", "§7.3.8.2"),
                FieldSpec("chemicalSubstance", _K.URI, "化学物质", "§7.3.8.2"),
                FieldSpec("coordinateReferenceSystem", _K.URI, "坐标参考系", "§7.3.8.2"),
                FieldSpec("component", _K.VOCABULARY, "分量", "§7.3.8.2", vocabulary=Vocabulary.COMPONENT),
                FieldSpec("value", _K.NUMBER, "值", "§7.3.8.2"),
                FieldSpec("minValue", _K.NUMBER, "最小值", "§7.3.8.2"),
                FieldSpec("maxValue", _K.NUMBER, "最大值", "§7.3.8.2"),
                FieldSpec("meanValue", _K.NUMBER, "平均值", "§7.3.8.2"),
                FieldSpec("sDev", _K.NUMBER, "标准差", "§7.3.8.2"),
                FieldSpec("percRank", _K.NUMBER, "百分位秩", "§7.3.8.2"),
                FieldSpec("percValue", _K.NUMBER, "百分位值", "§7.3.8.2"),
                FieldSpec("stringValue", _K.STRING, "字符串值", "§7.3.8.2"),
                FieldSpec("booleanValue", _K.BOOLEAN, "布尔值", "§7.3.8.2"),
                FieldSpec("hexBinaryValue", _K.HEX_BINARY, "十六进制值", "§7.3.8.2"),
                FieldSpec("uriValue", _K.URI, "URI 值", "§7.3.8.2"),
                FieldSpec("uom", _K.UOM, "计量单位", "§7.3.8.2"),
            ),
            extensible=True,
        ),
    }
)

#: prefixes that the standard EPCIS 2.0 JSON-LD context declares (§12.2); extension keys may use
#: them without declaring them again in the document
STANDARD_CONTEXT_PREFIXES: Mapping[str, str] = MappingProxyType(
    {
        "epcis": "https://ref.gs1.org/epcis/",
        "cbv": "https://ref.gs1.org/cbv/",
        "cbvmda": "urn:epcglobal:cbv:mda:",
        "gs1": "https://gs1.org/voc/",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "owl": "http://www.w3.org/2002/07/owl#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "dcterms": "http://purl.org/dc/terms/",
    }
)


# ---- the zhuisu extension namespace -------------------------------------------------------------

ZHUISU_NS = "https://zhuisu.cn/epcis/"
ZHUISU_PREFIX = "zs"


class TraceValueKind(StrEnum):
    """What a trace field holds."""

    TEXT = "text"  # free text
    CODE = "code"  # an identifier or certificate number, kept exactly as issued
    DECIMAL = "decimal"  # a number (sent as a JSON number or decimal string)
    INTEGER = "integer"
    REGION = "region"  # a GB/T 2260 administrative-division code (6 digits), or place text


@dataclass(frozen=True, slots=True)
class TraceField:
    """A Chinese trace field carried as an extension in ``ZHUISU_NS``.

    name: the local name (English camelCase); the key in an event is ``zs:<name>``.
    zh: the Chinese name used on forms, labels and in the standards.
    meaning_zh / meaning_en: what it holds and where it comes from.
    basis: the source of the field (see reference/cn-standards.md; [S] found in a source,
        [R] recalled, [I] inferred), kept honest as DESIGN.md §6 asks.
    """

    name: str
    zh: str
    kind: TraceValueKind
    meaning_zh: str
    meaning_en: str
    basis: str

    @property
    def key(self) -> str:
        return f"{ZHUISU_PREFIX}:{self.name}"

    @property
    def iri(self) -> str:
        return f"{ZHUISU_NS}{self.name}"


_T = TraceValueKind
_MEAT_VEG = "全国肉类蔬菜流通追溯体系建设规范 / SB/T 10680-10684 [S]"

#: the Chinese trace fields of records, by local name (all in ``ZHUISU_NS``)
TRACE_FIELDS: Mapping[str, TraceField] = MappingProxyType(
    {
        f.name: f
        for f in (
            TraceField(
                "traceCode",
                "追溯码",
                _T.CODE,
                "本环节为追溯单元赋予的追溯码（出场/销售时新生成）",
                "the trace code this step gives the trace unit (new on each outgoing record)",
                "GB/T 38155-2019 追溯码; GB/T 44583-2024 [S]",
            ),
            TraceField(
                "traceVoucher",
                "追溯凭证号",
                _T.CODE,
                "上游交易的追溯码/交易凭证号，入场记录凭此与上游链接（卡单同行）",
                "the upstream transaction's trace code / voucher number; links an inbound record to "
                "its supplier's outgoing record",
                f"{_MEAT_VEG}; 进货/交易凭证号 JYPZH, ZSPZH",
            ),
            TraceField(
                "batchNo",
                "批次号",
                _T.CODE,
                "进场批次号或进货批次号（同一批发商 + 同一检疫证/产地证明 = 同一批次）",
                "entry or purchase lot number (same wholesaler + same certificate = same lot)",
                f"{_MEAT_VEG}; JCPCH, JHPCH",
            ),
            TraceField(
                "subject",
                "主体",
                _T.CODE,
                "记录所属追溯主体的统一社会信用代码",
                "the unified social credit code (USCC, GB 32100) of the subject that made the record",
                "GB/T 38155-2019 主体码; GB 32100 [S]",
            ),
            TraceField(
                "seller",
                "卖方",
                _T.CODE,
                "交易卖方（货主/批发商）的主体码或统一社会信用代码",
                "the seller (owner / wholesaler) subject code or USCC",
                f"GB/T 38156-2019 交易主体信息; {_MEAT_VEG}; 货主编码",
            ),
            TraceField(
                "buyer",
                "买方",
                _T.CODE,
                "交易买方（买主/零售商）的主体码或统一社会信用代码",
                "the buyer subject code or USCC",
                f"GB/T 38156-2019 交易主体信息; {_MEAT_VEG}; 买主编码 MZBM",
            ),
            TraceField(
                "nodeCode",
                "节点编码",
                _T.CODE,
                "流通节点编码：6 位行政区划码 + 3 位顺序码",
                "circulation node code: 6-digit region code + 3-digit sequence",
                "SB/T 10680 [S-meta]; cn-standards.md §3",
            ),
            TraceField(
                "operatorCode",
                "经营者编码",
                _T.CODE,
                "节点内经营者编码：节点编码 + 4 位顺序码",
                "operator code inside a node: node code + 4 digits",
                "SB/T 10680 [S-meta]; cn-standards.md §3",
            ),
            TraceField(
                "stallNo",
                "摊位号",
                _T.CODE,
                "批发/零售市场内的摊位号",
                "stall number inside a wholesale or retail market",
                f"{_MEAT_VEG}; position_id",
            ),
            TraceField(
                "origin",
                "产地",
                _T.REGION,
                "产品产地（GB/T 2260 行政区划代码，或省-市-县文字）",
                "place of origin (GB/T 2260 region code, or province-city-county text)",
                f"{_MEAT_VEG}; 生猪产地, 蔬菜产地",
            ),
            TraceField(
                "quarantineCertNo",
                "检疫证号",
                _T.CODE,
                "动物检疫合格证明编号（产地检疫证 / 动物产品检疫合格证）",
                "animal quarantine certificate number (origin quarantine or animal-product quarantine)",
                f"{_MEAT_VEG}; SZCDJYZH, 动物产品检疫合格证号",
            ),
            TraceField(
                "meatInspectionCertNo",
                "肉品品质检验合格证号",
                _T.CODE,
                "屠宰企业出具的肉品品质检验合格证编号",
                "meat quality inspection certificate number issued by the slaughterhouse",
                f"{_MEAT_VEG}; 肉品品质检验合格证",
            ),
            TraceField(
                "originCertNo",
                "产地证明号",
                _T.CODE,
                "蔬菜等食用农产品的产地证明号或上市凭证号",
                "certificate-of-origin / market-entry voucher number for vegetables and farm produce",
                f"{_MEAT_VEG}; 产地证明号或上市凭证号",
            ),
            TraceField(
                "vehicleDisinfectionCertNo",
                "车辆消毒证号",
                _T.CODE,
                "运输车辆消毒证明编号",
                "vehicle disinfection certificate number",
                f"{_MEAT_VEG}; 车辆消毒证号",
            ),
            TraceField(
                "vehiclePlate",
                "运输车牌号",
                _T.CODE,
                "运输车辆的车牌号",
                "licence plate of the transport vehicle",
                "CES 出栏 YSCPH [S]",
            ),
            TraceField(
                "productCode",
                "商品编码",
                _T.CODE,
                "商品（品种）编码",
                "product (variety) code",
                f"{_MEAT_VEG}; SPBM",
            ),
            TraceField(
                "productName",
                "商品名称",
                _T.TEXT,
                "商品（品种）名称",
                "product (variety) name",
                f"{_MEAT_VEG}; SPMC",
            ),
            TraceField(
                "weightKg",
                "重量",
                _T.DECIMAL,
                "重量，单位千克",
                "weight in kilograms",
                f"{_MEAT_VEG}; ZL 重量",
            ),
            TraceField(
                "headCount",
                "头数",
                _T.INTEGER,
                "牲畜头数（进厂、屠宰、检疫）",
                "number of animals (entry, slaughter, quarantine)",
                f"{_MEAT_VEG}; 头数",
            ),
            TraceField(
                "unitPrice",
                "单价",
                _T.DECIMAL,
                "单价，元/千克（或元/计量单位）",
                "unit price, yuan per kilogram (or per unit)",
                f"{_MEAT_VEG}; DJ 单价",
            ),
            TraceField(
                "amount",
                "金额",
                _T.DECIMAL,
                "交易金额，元",
                "transaction amount in yuan",
                f"{_MEAT_VEG}; JE 金额",
            ),
            TraceField(
                "destinationPlace",
                "到达地",
                _T.REGION,
                "货物到达地（行政区划代码或文字）",
                "place the goods go to (region code or text)",
                f"{_MEAT_VEG}; 到达地 DDD",
            ),
            TraceField(
                "testItem",
                "检测项目",
                _T.TEXT,
                "快速检测或抽检的项目",
                "item tested (rapid test or sampling inspection)",
                "CES 检测 [S]",
            ),
            TraceField(
                "testResult",
                "检测结果",
                _T.TEXT,
                "检测结果（合格/不合格或数值）",
                "test result (pass / fail or a value)",
                f"{_MEAT_VEG}; JCJG 检测结果",
            ),
            TraceField(
                "inspector",
                "检验员",
                _T.TEXT,
                "检验或检测人员",
                "the inspector or tester",
                f"{_MEAT_VEG}; 检验员",
            ),
        )
    }
)
