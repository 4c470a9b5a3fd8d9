"""The problem codes of event validation, their severity and their messages (zh / en).

Problem codes (stable: messages may change, codes never)::

    event.not_object                  the event is not a JSON object
    event.unknown_type                type is not one of the five event types (§7.4)
    event.missing_field               a required field is absent (eventTime, eventTimeZoneOffset,
                                      action, Association parentID, Transaction bizTransactionList,
                                      declarationTime, epcClass, readPoint id, sensorReport …)
    event.bad_type                    wrong JSON type (string, list, object, finite number, boolean)
    event.field_not_allowed           a standard field this event type has not (action on a
                                      TransformationEvent, childEPCs on an ObjectEvent …)
    event.unknown_field               a key a closed structure has not (quantity element,
                                      bizTransaction, source, destination, persistentDisposition)
    event.empty                       an empty list that must not be (bizTransactionList of a
                                      TransactionEvent, sensorReport, persistentDisposition set/unset)
    event.duplicate                   a value twice in a set (EPC lists, persistentDisposition)
    event.bad_action                  action is not ADD, OBSERVE or DELETE (§7.3.2)
    id.not_uri                        an identifier or URI value is not an absolute URI (§7.3.1)
    time.bad_format                   not YYYY-MM-DDThh:mm:ss[.s](Z|±hh:mm), no such date, or an
                                      offset beyond ±14:00 (XSD 2.0 DateTimeStamp)
    time.no_offset                    a date-time without Z or an offset
    time.bad_offset                   eventTimeZoneOffset is not ±hh:mm within ±14:00 (§7.4.1)
    cbv.unknown_value                 neither a CBV standard word (in any spelling) nor a URI outside
                                      the CBV namespace, e.g. bizStep "transforming" (CBV 2.0 §8.2)
    cbv.unlisted_word                 (warning) a URI in the CBV namespace whose word CBV 2.0 does not
                                      list (GS1's own examples use ``…/cbv/Bizstep-sensor_reporting``);
                                      kept as given
    extension.unnamespaced            an unknown key without a namespace prefix (§12.2)
    extension.undeclared_prefix       an extension key whose prefix is not declared
    rule.ilmd_not_allowed             ILMD other than on an ObjectEvent ADD or a TransformationEvent
    rule.parent_required              AggregationEvent ADD / DELETE without parentID (§7.4.3)
    rule.what_missing                 no objects: ObjectEvent without EPCs or quantities (unless
                                      sensor data with a readPoint); Aggregation / Association /
                                      Transaction ADD or OBSERVE without children or objects (TCR-54)
    rule.transformation_io            TransformationEvent without inputs and outputs, or with a
                                      transformationID but neither (§7.4.5)
    rule.persistent_disposition_conflict  a disposition both set and unset (§7.3.6)
    quantity.negative                 a quantity below zero (§7.3.3.3)
    quantity.uom_without_quantity     uom given without quantity (XSD 2.0 QuantityElement)
    uom.bad_code                      uom not a 2-3 character UN/CEFACT Rec. 20 code
    sensor.type_missing               a sensorReport without type that measures a value or states
                                      no exception (§7.3.8.2)
    sensor.unknown_type               type neither a GS1 MeasurementType nor a user URI
    sensor.unlisted_type              (warning) a ``gs1:`` type not in the GS1 Web Vocabulary list
                                      zhuisu knows; kept as given
    sensor.bad_exception              exception other than ALARM_CONDITION / ERROR_CONDITION
    sensor.uom_missing                numeric values without uom (unless Dimensionless / Count)
    sensor.min_gt_max                 minValue greater than maxValue
    sensor.out_of_range               meanValue or percValue outside [minValue, maxValue]
    sensor.negative_sdev              sDev below zero
    sensor.perc_rank_range            percRank outside 0-100
    sensor.bad_hex                    hexBinaryValue not pairs of hex digits (xsd:hexBinary)
    sensor.bad_interval               startTime after endTime
    sensor.time_outside_interval      a time outside startTime-endTime
    sensor.time_after_event           a sensor time later than eventTime (conformance M122)
    sensor.duplicate_attribute        time / deviceID / deviceMetadata / rawData /
                                      dataProcessingMethod in both sensorMetadata and a sensorReport
                                      of one sensor element (conformance TCR-53)

Severity: the four sensor consistency rules (out_of_range, time_outside_interval, time_after_event,
duplicate_attribute) and the two "unlisted" codes are warnings: GS1's own schema-valid examples
break them, and the standard states them as conformance checks, not as reasons to refuse an event.
The event is stored and the warning reported with the capture job; every other code is an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class Code(StrEnum):
    """The problem codes of event validation (documented in the module docstring)."""

    NOT_OBJECT = "event.not_object"
    UNKNOWN_TYPE = "event.unknown_type"
    MISSING_FIELD = "event.missing_field"
    BAD_TYPE = "event.bad_type"
    FIELD_NOT_ALLOWED = "event.field_not_allowed"
    UNKNOWN_FIELD = "event.unknown_field"
    EMPTY = "event.empty"
    DUPLICATE = "event.duplicate"
    BAD_ACTION = "event.bad_action"
    NOT_URI = "id.not_uri"
    TIME_BAD_FORMAT = "time.bad_format"
    TIME_NO_OFFSET = "time.no_offset"
    TIME_BAD_OFFSET = "time.bad_offset"
    CBV_UNKNOWN = "cbv.unknown_value"
    CBV_UNLISTED = "cbv.unlisted_word"
    EXT_UNNAMESPACED = "extension.unnamespaced"
    EXT_UNDECLARED = "extension.undeclared_prefix"
    ILMD_NOT_ALLOWED = "rule.ilmd_not_allowed"
    PARENT_REQUIRED = "rule.parent_required"
    WHAT_MISSING = "rule.what_missing"
    TRANSFORMATION_IO = "rule.transformation_io"
    DISPOSITION_CONFLICT = "rule.persistent_disposition_conflict"
    QUANTITY_NEGATIVE = "quantity.negative"
    UOM_WITHOUT_QUANTITY = "quantity.uom_without_quantity"
    BAD_UOM = "uom.bad_code"
    SENSOR_TYPE_MISSING = "sensor.type_missing"
    SENSOR_UNKNOWN_TYPE = "sensor.unknown_type"
    SENSOR_UNLISTED_TYPE = "sensor.unlisted_type"
    SENSOR_BAD_EXCEPTION = "sensor.bad_exception"
    SENSOR_UOM_MISSING = "sensor.uom_missing"
    SENSOR_MIN_GT_MAX = "sensor.min_gt_max"
    SENSOR_OUT_OF_RANGE = "sensor.out_of_range"
    SENSOR_NEGATIVE_SDEV = "sensor.negative_sdev"
    SENSOR_PERC_RANK = "sensor.perc_rank_range"
    SENSOR_BAD_HEX = "sensor.bad_hex"
    SENSOR_BAD_INTERVAL = "sensor.bad_interval"
    SENSOR_TIME_OUTSIDE = "sensor.time_outside_interval"
    SENSOR_TIME_AFTER_EVENT = "sensor.time_after_event"
    SENSOR_DUPLICATE_ATTRIBUTE = "sensor.duplicate_attribute"


#: codes that report a data-quality finding without rejecting the event (see the module docstring)
WARNINGS: frozenset[Code] = frozenset(
    {
        Code.CBV_UNLISTED,
        Code.SENSOR_UNLISTED_TYPE,
        Code.SENSOR_OUT_OF_RANGE,
        Code.SENSOR_TIME_OUTSIDE,
        Code.SENSOR_TIME_AFTER_EVENT,
        Code.SENSOR_DUPLICATE_ATTRIBUTE,
    }
)

#: what each code means, in Chinese and English (the first half of every message)
MESSAGES: Mapping[Code, tuple[str, str]] = {
    Code.NOT_OBJECT: ("事件必须是 JSON 对象", "an event must be a JSON object"),
    Code.UNKNOWN_TYPE: (
        "事件类型缺失或不是 EPCIS 2.0 的五种事件之一",
        "event type missing or not one of the five EPCIS 2.0 event types",
    ),
    Code.MISSING_FIELD: ("缺少必填字段", "required field is missing"),
    Code.BAD_TYPE: ("数据类型错误", "wrong data type"),
    Code.FIELD_NOT_ALLOWED: ("该事件类型没有此标准字段", "this event type has no such standard field"),
    Code.UNKNOWN_FIELD: ("此结构不允许该字段", "this structure does not allow this key"),
    Code.EMPTY: ("列表不能为空", "the list must not be empty"),
    Code.DUPLICATE: ("列表中有重复值", "the list holds a value twice"),
    Code.BAD_ACTION: ("action 必须是 ADD、OBSERVE 或 DELETE", "action must be ADD, OBSERVE or DELETE"),
    Code.NOT_URI: (
        "标识必须是绝对 URI（EPC URN、GS1 数字链接或其他 URI）",
        "an identifier must be an absolute URI (EPC URN, GS1 Digital Link or another URI)",
    ),
    Code.TIME_BAD_FORMAT: (
        "不是有效的 ISO 8601 日期时间（YYYY-MM-DDThh:mm:ss±hh:mm）",
        "not a valid ISO 8601 date-time (YYYY-MM-DDThh:mm:ss±hh:mm)",
    ),
    Code.TIME_NO_OFFSET: ("日期时间必须带时区偏移或 Z", "a date-time must carry an offset or Z"),
    Code.TIME_BAD_OFFSET: (
        "时区偏移必须为 ±HH:MM，且在 ±14:00 以内",
        "the time zone offset must be ±HH:MM within ±14:00",
    ),
    Code.CBV_UNLISTED: (
        "CBV 命名空间中的此词不在 CBV 2.0 标准词表中（已按原样保存）",
        "CBV 2.0 does not list this word of the CBV namespace (kept as given)",
    ),
    Code.SENSOR_UNLISTED_TYPE: (
        "此 gs1: 测量类型不在已知的 GS1 Web 词汇表中（已按原样保存）",
        "this gs1: measurement type is not in the GS1 Web Vocabulary list zhuisu knows (kept as given)",
    ),
    Code.CBV_UNKNOWN: (
        "既不是 CBV 标准词，也不是 CBV 命名空间以外的完整 URI",
        "neither a CBV standard word nor a full URI outside the CBV namespace",
    ),
    Code.EXT_UNNAMESPACED: (
        "未知字段必须带命名空间前缀（prefix:name）",
        "an unknown key must be namespaced (prefix:name)",
    ),
    Code.EXT_UNDECLARED: ("扩展字段的前缀未在文档中声明", "the extension key's prefix is not declared"),
    Code.ILMD_NOT_ALLOWED: (
        "ILMD 只能出现在 action 为 ADD 的 ObjectEvent 或 TransformationEvent 中",
        "ILMD is only allowed on an ObjectEvent with action ADD or a TransformationEvent",
    ),
    Code.PARENT_REQUIRED: (
        "action 为 ADD 或 DELETE 时必须有 parentID",
        "parentID is required when action is ADD or DELETE",
    ),
    Code.WHAT_MISSING: (
        "事件没有涉及任何对象（EPC 或数量）",
        "the event names no objects (EPCs or quantities)",
    ),
    Code.TRANSFORMATION_IO: (
        "转化事件需要投入和产出（有 transformationID 时至少其一）",
        "a TransformationEvent needs inputs and outputs (at least one of them with a transformationID)",
    ),
    Code.DISPOSITION_CONFLICT: ("同一处置状态既被设置又被取消", "a disposition is both set and unset"),
    Code.QUANTITY_NEGATIVE: ("数量不能为负", "a quantity must not be negative"),
    Code.UOM_WITHOUT_QUANTITY: ("有计量单位却没有数量", "uom given without a quantity"),
    Code.BAD_UOM: (
        "计量单位必须是 2-3 位 UN/CEFACT 第 20 号建议代码",
        "uom must be a 2-3 character UN/CEFACT Rec. 20 code",
    ),
    Code.SENSOR_TYPE_MISSING: ("传感器报告缺少测量类型 type", "the sensor report has no measurement type"),
    Code.SENSOR_UNKNOWN_TYPE: (
        "测量类型既不是 GS1 MeasurementType 也不是 URI",
        "the measurement type is neither a GS1 MeasurementType nor a URI",
    ),
    Code.SENSOR_BAD_EXCEPTION: (
        "exception 只能是 ALARM_CONDITION 或 ERROR_CONDITION",
        "exception must be ALARM_CONDITION or ERROR_CONDITION",
    ),
    Code.SENSOR_UOM_MISSING: ("数值型传感器数据必须有计量单位 uom", "numeric sensor values need a uom"),
    Code.SENSOR_MIN_GT_MAX: ("minValue 大于 maxValue", "minValue is greater than maxValue"),
    Code.SENSOR_OUT_OF_RANGE: (
        "数值不在 [minValue, maxValue] 范围内",
        "the value lies outside [minValue, maxValue]",
    ),
    Code.SENSOR_NEGATIVE_SDEV: ("标准差不能为负", "a standard deviation must not be negative"),
    Code.SENSOR_PERC_RANK: ("percRank 必须在 0 到 100 之间", "percRank must be between 0 and 100"),
    Code.SENSOR_BAD_HEX: (
        "hexBinaryValue 必须是成对的十六进制数字",
        "hexBinaryValue must be pairs of hex digits",
    ),
    Code.SENSOR_BAD_INTERVAL: ("startTime 晚于 endTime", "startTime is after endTime"),
    Code.SENSOR_TIME_OUTSIDE: ("time 不在 startTime 与 endTime 之间", "time is outside startTime-endTime"),
    Code.SENSOR_TIME_AFTER_EVENT: (
        "传感器时间不能晚于事件时间 eventTime",
        "a sensor time must not be later than eventTime",
    ),
    Code.SENSOR_DUPLICATE_ATTRIBUTE: (
        "同一属性不能同时出现在 sensorMetadata 和 sensorReport 中",
        "the attribute must not be in both sensorMetadata and sensorReport",
    ),
}
