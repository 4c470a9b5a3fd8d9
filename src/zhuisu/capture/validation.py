"""Validation and normalisation of one EPCIS 2.0 event in canonical form (capture hot path).

``check_event(event, namespaces)`` checks an event against the EPCIS 2.0 event model (§7, JSON
binding §12, XML binding §9) and CBV 2.0, and returns the normalised event and *every* problem
found, with paths relative to the event (``epcList[2]``, ``sensorElementList[0].sensorReport[1].value``)
and ``Problem.index`` None (the caller re-roots them, ``Problem.at``). The fields come from
``zhuisu.domain.event_model``; the rules are written here.

Normalisation (CBV 2.0 §8.2): CBV standard values spelled as URN, Web URI or ``cbv:`` CURIE become
bare words (bizStep, disposition, persistentDisposition, bizTransaction / source / destination
type, error reason, sensor component), and sensorReport ``type`` / ``exception`` bare GS1 words
(``gs1:Temperature`` → ``Temperature``); all else is kept. The result is a new dict, as are the
standard structures in it; extension and ILMD values are shared with the input.

Speed: a first pass takes shortcuts for common valid shapes, queues URIs to check them in one
regex call and remembers URIs, offsets and units already found valid; if it finds anything wrong
the event is walked again by the reference pass, which checks every value where it stands.

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

import math
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from zhuisu.domain import cbv
from zhuisu.domain.cbv import Vocabulary
from zhuisu.domain.event_model import (
    DIMENSIONLESS_MEASUREMENT_TYPES,
    EVENT_TYPES,
    SENSOR_NUMERIC_ATTRIBUTES,
    SENSOR_SHARED_ATTRIBUTES,
    SENSOR_UOM_ATTRIBUTES,
    STANDARD_CONTEXT_PREFIXES,
    STANDARD_EVENT_FIELDS,
    STRUCTURES,
    EventType,
    FieldKind,
    FieldSpec,
    StructureSpec,
)
from zhuisu.domain.problem import Problem


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


# ---- lexical rules (precompiled) and caches -----------------------------------------------------

# RFC 3986 absolute URI: scheme ":" then URI characters only (percent-escapes are checked apart:
# they are rare); at most one "#". Non-ASCII IRIs are refused, as the JSON Schema "uri" format is.
_URI = (
    r"[A-Za-z][A-Za-z0-9+.\-]*:[A-Za-z0-9\-._~!$&'()*+,;=:@/?\[\]%]+"
    r"(?:#[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*)?"
)
_URI_RE = re.compile(_URI)
_BAD_PERCENT_RE = re.compile(r"%(?![0-9A-Fa-f]{2})")
# XSD 2.0 epcis:DateTimeStamp: YYYY-MM-DDThh:mm:ss[.s+](Z|±hh:mm), offset within ±14:00 (§7.3.5)
_TZ_OFFSET = r"[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00)"
_OFFSET = rf"(?:Z|{_TZ_OFFSET})"
_DATE_TIME = (
    r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
    rf"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?{_OFFSET}"
)
# the shape only, with the offset optional, to tell "no offset" from other faults (slow pass)
_DATE_TIME_SHAPE_RE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?"
)
# EPCIS 2.0 §7.4.1 eventTimeZoneOffset: ±hh:mm from -14:00 to +14:00
_TZ_OFFSET_RE = re.compile(_TZ_OFFSET)
_UOM_RE = re.compile(r"[A-Z0-9]{2,3}")
_HEX_RE = re.compile(r"(?:[0-9A-Fa-f]{2})+")
# a term of the GS1 Web Vocabulary, as a CURIE or Web URI (https://gs1.org/voc/ after _gs1_voc)
_GS1_TERM_RE = re.compile(r"(?:gs1:|https://gs1\.org/voc/)[A-Za-z][A-Za-z0-9_]*")
_DATE_TIME_RE = re.compile(_DATE_TIME)
# The URIs of one event are joined by newlines and checked in one regex call: on the capture hot
# path a regex call costs more than the characters it reads. A newline is not a URI character, so
# the batch splits exactly where the list does.
_URI_BATCH_RE = re.compile(f"{_URI}(?:\n{_URI})*")

#: URIs found valid before (locations, parties, classes and devices recur from event to event);
#: bounded: cleared when full. Valid offsets and units are few, so their sets stay small.
_KNOWN_URIS: set[str] = set()
_KNOWN_URIS_MAX = 100_000
_KNOWN_OFFSETS: set[str] = set()
_KNOWN_UOMS: set[str] = set()

# GS1 namespaces that are closed but are not among the spellings the normalisers accept
_CBV_OLD_NAMESPACES = ("https://ns.gs1.org/cbv/", "http://ns.gs1.org/cbv/")
_GS1_VOC_VARIANTS = ("http://gs1.org/voc/", "https://www.gs1.org/voc/", "http://www.gs1.org/voc/")
_MISSING: Any = object()


def is_uri(value: str) -> bool:
    """An absolute URI (RFC 3986), as EPCIS 2.0 §7.3.1 requires of every identifier."""
    if _URI_RE.fullmatch(value) is None:
        return False
    return "%" not in value or _BAD_PERCENT_RE.search(value) is None


def _parse_iso(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _show(value: Any) -> str:
    try:
        text = repr(value)
    except ValueError:  # an integer too long to print
        return "<number>"
    return text if len(text) <= 80 else f"{text[:77]}..."


def _join(base: str, key: str) -> str:
    return f"{base}.{key}" if base else key


class _Ctx:
    """What one pass over an event carries: problems, namespaces, and values checked at the end.

    In the fast pass URIs not known to be valid are queued in ``uris`` and checked in one batch at
    the end, and date-times are checked without building their path (``redo`` is set if one is
    wrong); then, if anything failed, the event is walked again with ``slow`` set, every value
    checked where it stands so that its problem carries its path. The slow pass is the reference;
    the fast pass takes shortcuts only for common, valid shapes.
    """

    __slots__ = ("event_time", "namespaces", "problems", "redo", "sensors", "slow", "uris")

    def __init__(self, namespaces: Mapping[str, str], slow: bool) -> None:
        self.problems: list[Problem] = []
        self.namespaces = namespaces
        self.slow = slow
        self.uris: list[str] = []
        self.redo = False
        self.event_time: str | None = None
        # per sensor element: (index, metadata times, [(report index, report times)])
        self.sensors: list[tuple[int, dict[str, str], list[tuple[int, dict[str, str]]]]] = []

    def add(self, code: Code, path: str, zh: str = "", en: str = "") -> None:
        what_zh, what_en = MESSAGES[code]
        self.problems.append(
            Problem(
                None,
                path,
                code.value,
                f"{path or '事件'}：{what_zh}" + (f"（{zh}）" if zh else ""),
                f"{path or 'event'}: {what_en}" + (f" ({en})" if en else ""),
                "warning" if code in WARNINGS else "error",
            )
        )

    def bad_type(self, path: str, zh: str, en: str, value: Any) -> None:
        shown = _show(value)
        self.add(Code.BAD_TYPE, path, f"应为{zh}，实际为 {shown}", f"expected {en}, got {shown}")

    def bad_value(self, code: Code, path: str, value: Any) -> None:
        shown = _show(value)
        self.add(code, path, shown, shown)

    def time(self, value: Any, base: str, key: str) -> bool:
        """Check (slow pass) or queue (fast pass) a date-time; False if it is known to be wrong."""
        if type(value) is str and not self.slow:
            if _DATE_TIME_RE.fullmatch(value) is not None and (
                (value[8:10] <= "28" and value[:4] != "0000") or _parse_iso(value) is not None
            ):
                return True  # the pattern allows 31 days in every month and the year 0
            self.redo = True
            return False
        path = _join(base, key)
        if type(value) is not str:
            self.bad_type(path, "日期时间字符串", "a date-time string", value)
            return False
        shape = _DATE_TIME_SHAPE_RE.fullmatch(value)
        if shape is None:
            self.bad_value(Code.TIME_BAD_FORMAT, path, value)
        elif shape.group(1) is None:
            self.bad_value(Code.TIME_NO_OFFSET, path, value)
        elif shape.group(1) != "Z" and _TZ_OFFSET_RE.fullmatch(shape.group(1)) is None:
            self.add(
                Code.TIME_BAD_FORMAT,
                path,
                f"偏移 {shape.group(1)} 须在 ±14:00 以内",
                f"offset {shape.group(1)} must be within ±14:00",
            )
        elif _parse_iso(value) is None:
            self.add(
                Code.TIME_BAD_FORMAT,
                path,
                f"不存在的日期或时间 {_show(value)}",
                f"no such date or time {_show(value)}",
            )
        else:
            return True
        return False


Checker = Callable[[Any, str, str, _Ctx], Any]


# ---- scalar checkers: (value, base path, key, ctx) -> normalised value --------------------------


def _check_uri(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    # EPCIS 2.0 §7.3.1: every identifier is a URI (EPC URN, GS1 Digital Link or any other)
    if type(value) is not str:
        ctx.bad_type(_join(base, key), "URI 字符串", "a URI string", value)
    elif value not in _KNOWN_URIS:
        if not ctx.slow:
            ctx.uris.append(value)
        elif not is_uri(value):
            ctx.bad_value(Code.NOT_URI, _join(base, key), value)
    return value


def _check_uri_list(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    # EPC lists are unordered sets of identifiers (§7.3.3.1; JSON Schema uniqueItems)
    if type(value) is not list:
        ctx.bad_type(_join(base, key), "URI 列表", "a list of URIs", value)
        return value
    clean = True
    known = _KNOWN_URIS
    queue = None if ctx.slow else ctx.uris
    for i, item in enumerate(value):
        if type(item) is not str:
            ctx.bad_type(f"{_join(base, key)}[{i}]", "URI 字符串", "a URI string", item)
            clean = False
        elif item not in known:
            if queue is not None:
                queue.append(item)
            elif not is_uri(item):
                ctx.bad_value(Code.NOT_URI, f"{_join(base, key)}[{i}]", item)
    if clean and len(set(value)) != len(value):
        seen: set[str] = set()
        for i, item in enumerate(value):
            if item in seen:
                ctx.bad_value(Code.DUPLICATE, f"{_join(base, key)}[{i}]", item)
            seen.add(item)
    return list(value)


def _check_uri_or_list(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    # certificationInfo: one URI, or a list of them (§7.4.1; JSON binding)
    if type(value) is list:
        return _check_uri_list(value, base, key, ctx)
    return _check_uri(value, base, key, ctx)


def _check_time(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    ctx.time(value, base, key)
    return value


def _check_event_time(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    if ctx.time(value, base, key):
        ctx.event_time = value
    return value


def _check_tz_offset(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    # EPCIS 2.0 §7.4.1: ±HH:MM, within ±14:00
    if type(value) is not str:
        ctx.bad_type(_join(base, key), "字符串 ±HH:MM", "a string ±HH:MM", value)
    elif value not in _KNOWN_OFFSETS:
        if _TZ_OFFSET_RE.fullmatch(value) is None:
            ctx.bad_value(Code.TIME_BAD_OFFSET, _join(base, key), value)
        else:
            _KNOWN_OFFSETS.add(value)
    return value


def _check_action(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    # EPCIS 2.0 §7.3.2
    if type(value) is not str:
        ctx.bad_type(_join(base, key), "字符串", "a string", value)
    elif value not in ("ADD", "OBSERVE", "DELETE"):
        ctx.bad_value(Code.BAD_ACTION, _join(base, key), value)
    return value


def _is_number(value: Any) -> bool:
    kind = type(value)  # bool is not a number here, though Python says it is an int
    return kind is int or (kind is float and math.isfinite(value))


def _check_number(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    if not _is_number(value):
        ctx.bad_type(_join(base, key), "有限数字", "a finite number", value)
    return value


def _check_string(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    if type(value) is not str:
        ctx.bad_type(_join(base, key), "字符串", "a string", value)
    return value


def _check_boolean(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    if type(value) is not bool:
        ctx.bad_type(_join(base, key), "布尔值", "a boolean", value)
    return value


def _check_hex(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    # xsd:hexBinary (EPCIS 2.0 §7.3.8.2 hexBinaryValue): an even number of hex digits
    if type(value) is not str:
        ctx.bad_type(_join(base, key), "十六进制字符串", "a hex string", value)
    elif _HEX_RE.fullmatch(value) is None:
        ctx.bad_value(Code.SENSOR_BAD_HEX, _join(base, key), value)
    return value


def _check_uom(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    # UN/CEFACT Recommendation 20 common codes (EPCIS 2.0 §7.3.3.3, §7.3.8.2)
    if type(value) is not str:
        ctx.bad_type(_join(base, key), "字符串", "a string", value)
    elif value not in _KNOWN_UOMS:
        if _UOM_RE.fullmatch(value) is None:
            ctx.bad_value(Code.BAD_UOM, _join(base, key), value)
        else:
            _KNOWN_UOMS.add(value)
    return value


def _vocabulary_checker(vocabulary: Vocabulary) -> Checker:
    words = cbv.WORDS[vocabulary]

    def check(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
        # CBV 2.0 §8.2: a standard word in any of its three spellings, or a user URI outside the CBV
        if type(value) is not str:
            ctx.bad_type(_join(base, key), "字符串", "a string", value)
            return value
        if value in words:
            return value
        spelled = value
        if value.startswith("http://ref.gs1.org/cbv/"):
            spelled = "https" + value[4:]
        elif value.startswith("cbv:"):  # the CURIE of the standard context (§12.2) for the Web URI
            spelled = cbv.WEB_URI_BASE + value[4:]
        found = None if value.startswith(_CBV_OLD_NAMESPACES) else cbv.normalise(vocabulary, spelled)
        if found is None and spelled.startswith(cbv.WEB_URI_BASE) and is_uri(value):
            shown = f"{vocabulary.value} {_show(value)}"
            ctx.add(Code.CBV_UNLISTED, _join(base, key), shown, shown)
            return value
        if found is None or (not found.standard and not is_uri(value)):
            ctx.add(
                Code.CBV_UNKNOWN,
                _join(base, key),
                f"{vocabulary.value} {_show(value)}",
                f"{vocabulary.value} {_show(value)}",
            )
            return value
        return found.value

    return check


def _gs1_voc(value: str) -> str:
    """Other spellings of the GS1 Web Vocabulary namespace, brought to https://gs1.org/voc/."""
    if value.startswith(_GS1_VOC_VARIANTS):
        return cbv.GS1_VOC_BASE + value.split("/voc/", 1)[1]
    return value


def _check_measurement_type(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    # EPCIS 2.0 §7.3.8.2 type: a gs1:MeasurementType (bare word, gs1: or Web URI) or a user URI
    if type(value) is not str:
        ctx.bad_type(_join(base, key), "字符串", "a string", value)
        return value
    if value in cbv.MEASUREMENT_TYPES:
        return value
    value = _gs1_voc(value)
    found = cbv.normalise_measurement_type(value)
    if found is None and _GS1_TERM_RE.fullmatch(value) is not None:
        ctx.bad_value(Code.SENSOR_UNLISTED_TYPE, _join(base, key), value)
        return value
    if found is None or (not found.standard and not is_uri(value)):
        ctx.bad_value(Code.SENSOR_UNKNOWN_TYPE, _join(base, key), value)
        return value
    return found.value


def _check_alert_type(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    # EPCIS 2.0 §7.3.8.2 exception: gs1:SensorAlertType, ALARM_CONDITION or ERROR_CONDITION
    if type(value) is not str:
        ctx.bad_type(_join(base, key), "字符串", "a string", value)
        return value
    found = cbv.normalise_alert_type(_gs1_voc(value))
    if found is None:
        ctx.bad_value(Code.SENSOR_BAD_EXCEPTION, _join(base, key), value)
        return value
    return found.value


def _check_context(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    # a bare event's own JSON-LD @context (§12.2): a URI, an object, or a list of them
    items = value if type(value) is list else [value]
    for i, item in enumerate(items):
        path = f"{key}[{i}]" if type(value) is list else key
        if type(item) is str:
            if not is_uri(item):
                ctx.bad_value(Code.NOT_URI, path, item)
        elif type(item) is not dict:
            ctx.bad_type(path, "URI 或对象", "a URI or an object", item)
    return value


def _check_passthrough(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    return value


# ---- extension keys (EPCIS 2.0 §6.3, §9.4, §12.2) ---------------------------------------------


def _check_extension_key(key: Any, base: str, ctx: _Ctx) -> None:
    """A key that is not a standard field must be ``prefix:local`` with a declared prefix (or a
    full IRI); ``@prefix:local`` is an XML attribute in that namespace (canonical form)."""
    if type(key) is not str:
        ctx.bad_value(Code.EXT_UNNAMESPACED, _join(base, str(key)), key)
        return
    colon = key.find(":")
    if colon <= 0:
        ctx.bad_value(Code.EXT_UNNAMESPACED, _join(base, key), key)
        return
    prefix = key[1:colon] if key[0] == "@" else key[:colon]
    if prefix in ctx.namespaces or prefix in STANDARD_CONTEXT_PREFIXES:
        return
    if (key.startswith("//", colon + 1) or prefix == "urn") and is_uri(key):
        return  # a full IRI key ("http://…", "urn:…") needs no declared prefix
    ctx.add(Code.EXT_UNDECLARED, _join(base, key), f"前缀 {prefix!r}", f"prefix {prefix!r}")


def _check_ilmd(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    # §7.3.7: ILMD holds extension fields only, each namespaced
    if type(value) is not dict:
        ctx.bad_type(_join(base, key), "对象", "an object", value)
        return value
    path = _join(base, key)
    for name in value:
        _check_extension_key(name, path, ctx)
    return value


# ---- structures ---------------------------------------------------------------------------------


class _Table:
    """The dispatch table of one structure, built from its StructureSpec."""

    __slots__ = ("checkers", "extensible", "required")

    def __init__(self, spec: StructureSpec, overrides: Mapping[str, Checker] | None = None) -> None:
        self.checkers: dict[str, Checker] = {name: _checker_for(f) for name, f in spec.fields.items()}
        self.checkers.update(overrides or {})
        self.required: tuple[str, ...] = tuple(sorted(spec.required))
        self.extensible = spec.extensible


def _check_structure(value: Any, path: str, ctx: _Ctx, table: _Table) -> Any:
    if type(value) is not dict:
        ctx.bad_type(path, "对象", "an object", value)
        return value
    out: dict[str, Any] = {}
    checkers = table.checkers
    for key, item in value.items():
        check = checkers.get(key)
        if check is not None:
            out[key] = check(item, path, key, ctx)
            continue
        if table.extensible:
            _check_extension_key(key, path, ctx)
        else:
            ctx.bad_value(Code.UNKNOWN_FIELD, _join(path, str(key)), key)
        out[key] = item
    for name in table.required:
        if name not in value:
            ctx.add(Code.MISSING_FIELD, _join(path, name))
    return out


def _check_location(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    # §7.3.4 readPoint / bizLocation: {id, extensions…}; fast pass: the bare {id} shape
    if not ctx.slow and type(value) is dict and len(value) == 1:
        ident = value.get("id")
        if type(ident) is str:
            if ident not in _KNOWN_URIS:
                ctx.uris.append(ident)
            return {"id": ident}
    return _check_structure(value, _join(base, key), ctx, _LOCATION_TABLE)


def _check_error_declaration(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    return _check_structure(value, _join(base, key), ctx, _ERROR_TABLE)


def _list_of(value: Any, path: str, ctx: _Ctx, what_zh: str, what_en: str) -> bool:
    if type(value) is list:
        return True
    ctx.bad_type(path, what_zh, what_en, value)
    return False


def _check_biz_transactions(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    # §7.3.5.3: [{type?, bizTransaction}], closed; fast pass: bare-word type, string id
    path = _join(base, key)
    if not _list_of(value, path, ctx, "业务交易列表", "a list of business transactions"):
        return value
    out = []
    words = _BTT_WORDS
    for i, item in enumerate(value):
        if not ctx.slow and type(item) is dict:
            ident = item.get("bizTransaction")
            kind = item.get("type", _MISSING)
            if type(ident) is str and (
                (kind is _MISSING and len(item) == 1)
                or (len(item) == 2 and type(kind) is str and kind in words)
            ):
                if ident not in _KNOWN_URIS:
                    ctx.uris.append(ident)
                out.append(item.copy())
                continue
        out.append(_check_structure(item, f"{path}[{i}]", ctx, _BIZ_TX_TABLE))
    return out


def _source_destination_checker(name: str, table: _Table) -> Checker:
    words = cbv.WORDS[Vocabulary.SOURCE_DEST_TYPE]

    def check(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
        # §7.3.5.4: [{type, source|destination}], closed; fast pass: bare-word type, string id
        path = _join(base, key)
        if not _list_of(value, path, ctx, "对象列表", "a list of objects"):
            return value
        out = []
        for i, item in enumerate(value):
            if not ctx.slow and type(item) is dict and len(item) == 2:
                ident = item.get(name)
                kind = item.get("type")
                if type(ident) is str and type(kind) is str and kind in words:
                    if ident not in _KNOWN_URIS:
                        ctx.uris.append(ident)
                    out.append({"type": kind, name: ident})
                    continue
            out.append(_check_structure(item, f"{path}[{i}]", ctx, table))
        return out

    return check


def _check_quantity_list(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    # §7.3.3.3 QuantityElement: epcClass, quantity ≥ 0, uom only with a quantity (XSD 2.0 sequence)
    path = _join(base, key)
    if not _list_of(value, path, ctx, "数量元素列表", "a list of quantity elements"):
        return value
    out = []
    for i, item in enumerate(value):
        if type(item) is not dict:
            out.append(_check_structure(item, f"{path}[{i}]", ctx, _QUANTITY_TABLE))
            continue
        quantity = item.get("quantity", _MISSING)
        uom = item.get("uom", _MISSING)
        if not ctx.slow:
            epc_class = item.get("epcClass")
            if (
                type(epc_class) is str
                and len(item) == 1 + (quantity is not _MISSING) + (uom is not _MISSING)
                and (quantity is _MISSING or (_is_number(quantity) and quantity >= 0))
                and (
                    uom is _MISSING or (quantity is not _MISSING and type(uom) is str and uom in _KNOWN_UOMS)
                )
            ):
                if epc_class not in _KNOWN_URIS:
                    ctx.uris.append(epc_class)
                out.append(item.copy())
                continue
        element_path = f"{path}[{i}]"
        out.append(_check_structure(item, element_path, ctx, _QUANTITY_TABLE))
        if quantity is _MISSING:
            if uom is not _MISSING:
                ctx.add(Code.UOM_WITHOUT_QUANTITY, f"{element_path}.uom")
        elif _is_number(quantity) and quantity < 0:
            ctx.bad_value(Code.QUANTITY_NEGATIVE, f"{element_path}.quantity", quantity)
    return out


def _vocabulary_list_checker(vocabulary: Vocabulary) -> Checker:
    check_one = _vocabulary_checker(vocabulary)

    def check(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
        path = _join(base, key)
        if not _list_of(value, path, ctx, "列表", "a list"):
            return value
        if not value:
            ctx.add(Code.EMPTY, path)
        out = [check_one(item, base, f"{key}[{i}]", ctx) for i, item in enumerate(value)]
        seen: set[str] = set()
        for i, item in enumerate(out):
            if type(item) is str:
                if item in seen:
                    ctx.bad_value(Code.DUPLICATE, f"{path}[{i}]", item)
                seen.add(item)
        return out

    return check


def _check_persistent_disposition(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    # §7.3.6: {set: [...], unset: [...]}, at least one of the two; a value not both set and unset
    path = _join(base, key)
    out = _check_structure(value, path, ctx, _PERSISTENT_TABLE)
    if type(out) is dict:
        set_ = out.get("set")
        unset = out.get("unset")
        if "set" not in out and "unset" not in out:
            ctx.add(
                Code.MISSING_FIELD, f"{path}.set", "至少需要 set 或 unset 之一", "set or unset is required"
            )
        elif type(set_) is list and type(unset) is list:
            both = {v for v in set_ if type(v) is str} & {v for v in unset if type(v) is str}
            for word in sorted(both):
                ctx.bad_value(Code.DISPOSITION_CONFLICT, f"{path}.unset", word)
    return out


# ---- sensor elements (EPCIS 2.0 §7.3.8) ---------------------------------------------------------

_SENSOR_TIME_KEYS = frozenset({"time", "startTime", "endTime"})
_SENSOR_SHARED = frozenset(SENSOR_SHARED_ATTRIBUTES)
_SENSOR_ELEMENT_KEYS = frozenset({"sensorMetadata", "sensorReport"})


def _check_sensor_object(value: Any, path: str, ctx: _Ctx, table: _Table, times: dict[str, str]) -> Any:
    """sensorMetadata or one sensorReport: open structure; its valid times are put in ``times``."""
    if type(value) is not dict:
        ctx.bad_type(path, "对象", "an object", value)
        return value
    out: dict[str, Any] = {}
    checkers = table.checkers
    for key, item in value.items():
        check = checkers.get(key)
        if check is None:
            _check_extension_key(key, path, ctx)
        elif key in _SENSOR_TIME_KEYS:
            if ctx.time(item, path, key):
                times[key] = item
        else:
            out[key] = check(item, path, key, ctx)
            continue
        out[key] = item
    return out


def _check_report_rules(report: dict[str, Any], path: str, ctx: _Ctx) -> None:
    """§7.3.8.2 consistency of one sensorReport (already normalised)."""
    measurement = report.get("type")
    if "type" not in report and (
        "exception" not in report or any(k in report for k in SENSOR_NUMERIC_ATTRIBUTES)
    ):
        # a report may go without a type only when it states an exception and measures nothing
        # (XSD 2.0: type is optional; the JSON Schema, stricter, always asks for one)
        ctx.add(Code.SENSOR_TYPE_MISSING, f"{path}.type")
    if "uom" not in report and (
        type(measurement) is not str or measurement not in DIMENSIONLESS_MEASUREMENT_TYPES
    ):
        numbers = [k for k in SENSOR_UOM_ATTRIBUTES if k in report]
        if numbers:
            listed = ", ".join(numbers)
            ctx.add(Code.SENSOR_UOM_MISSING, f"{path}.uom", f"有 {listed}", f"has {listed}")
    if "minValue" in report or "maxValue" in report:
        low: Any = report.get("minValue")
        high: Any = report.get("maxValue")
        low_ok = _is_number(low)
        high_ok = _is_number(high)
        if low_ok and high_ok and low > high:
            ctx.add(
                Code.SENSOR_MIN_GT_MAX,
                f"{path}.minValue",
                f"{_show(low)} > {_show(high)}",
                f"{_show(low)} > {_show(high)}",
            )
        else:
            for name in ("meanValue", "percValue"):
                number: Any = report.get(name)
                if _is_number(number) and ((low_ok and number < low) or (high_ok and number > high)):
                    ctx.bad_value(Code.SENSOR_OUT_OF_RANGE, f"{path}.{name}", number)
    if "sDev" in report:
        deviation = report["sDev"]
        if _is_number(deviation) and deviation < 0:
            ctx.bad_value(Code.SENSOR_NEGATIVE_SDEV, f"{path}.sDev", deviation)
    if "percRank" in report:
        rank = report["percRank"]
        if _is_number(rank) and not 0 <= rank <= 100:
            ctx.bad_value(Code.SENSOR_PERC_RANK, f"{path}.percRank", rank)


def _check_sensor_elements(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    path = _join(base, key)
    if not _list_of(value, path, ctx, "传感器元素列表", "a list of sensor elements"):
        return value
    out = []
    slow = ctx.slow  # a fast pass with a problem is redone, so it need not build exact paths
    for i, element in enumerate(value):
        element_path = f"{path}[{i}]" if slow else path
        if type(element) is not dict:
            ctx.bad_type(element_path, "对象", "an object", element)
            out.append(element)
            continue
        result = dict(element)
        meta = element.get("sensorMetadata", _MISSING)
        raw_reports = element.get("sensorReport", _MISSING)
        if len(element) > (meta is not _MISSING) + (raw_reports is not _MISSING):
            for name in element:
                if name not in _SENSOR_ELEMENT_KEYS:
                    _check_extension_key(name, element_path, ctx)
        meta_times: dict[str, str] = {}
        if meta is not _MISSING:
            result["sensorMetadata"] = meta = _check_sensor_object(
                meta, f"{element_path}.sensorMetadata", ctx, _METADATA_TABLE, meta_times
            )
        report_times: list[tuple[int, dict[str, str]]] = []
        reports: list[tuple[str, dict[str, Any]]] = []
        report_path = f"{element_path}.sensorReport"
        if raw_reports is _MISSING:
            ctx.add(Code.MISSING_FIELD, report_path)
        elif _list_of(raw_reports, report_path, ctx, "传感器报告列表", "a list of sensor reports"):
            if not raw_reports:  # conformance M121: one or more sensorReport
                ctx.add(Code.EMPTY, report_path)
            checked = []
            for j, raw in enumerate(raw_reports):
                times: dict[str, str] = {}
                one_path = f"{report_path}[{j}]" if slow else report_path
                report = _check_sensor_object(raw, one_path, ctx, _REPORT_TABLE, times)
                if type(report) is dict:
                    _check_report_rules(report, one_path, ctx)
                    reports.append((one_path, report))
                    if times:
                        report_times.append((j, times))
                checked.append(report)
            result["sensorReport"] = checked
        if type(meta) is dict and not _SENSOR_SHARED.isdisjoint(meta):
            # TCR-53 set3: an inline attribute in the metadata and in a report of one element
            shared = [k for k in SENSOR_SHARED_ATTRIBUTES if k in meta]
            for one_path, report in reports:
                for attribute in shared:
                    if attribute in report:
                        ctx.add(Code.SENSOR_DUPLICATE_ATTRIBUTE, f"{one_path}.{attribute}")
        if meta_times or report_times:
            ctx.sensors.append((i, meta_times, report_times))
        out.append(result)
    return out


def _later(a: str, b: str) -> bool:
    """Date-time ``a`` is after ``b`` (both valid DateTimeStamps)."""
    if len(a) == len(b) and a[-6:] == b[-6:]:
        return a > b  # same offset and same precision: the text orders like the time
    first = _parse_iso(a)
    second = _parse_iso(b)
    return first is not None and second is not None and first > second


def _check_sensor_times(ctx: _Ctx) -> None:
    """Order of the sensor times (§7.3.8.1; conformance M122), once every time is known valid."""
    event_time = ctx.event_time
    for i, meta_times, report_times in ctx.sensors:
        start = meta_times.get("startTime")
        end = meta_times.get("endTime")
        if start is not None and end is not None and _later(start, end):
            ctx.add(Code.SENSOR_BAD_INTERVAL, f"sensorElementList[{i}].sensorMetadata.startTime")
        moments = [("sensorMetadata", meta_times)] + [(f"sensorReport[{j}]", t) for j, t in report_times]
        for where, times in moments:
            moment = times.get("time")
            if moment is None:
                continue
            if (start is not None and _later(start, moment)) or (end is not None and _later(moment, end)):
                ctx.add(Code.SENSOR_TIME_OUTSIDE, f"sensorElementList[{i}].{where}.time")
            if event_time is not None and _later(moment, event_time):
                ctx.add(Code.SENSOR_TIME_AFTER_EVENT, f"sensorElementList[{i}].{where}.time")


# ---- the dispatch from field kinds to checkers --------------------------------------------------

_KIND_CHECKERS: dict[FieldKind, Checker] = {
    FieldKind.EVENT_TYPE: _check_passthrough,
    FieldKind.CONTEXT: _check_context,
    FieldKind.DATE_TIME: _check_time,
    FieldKind.TIME_ZONE_OFFSET: _check_tz_offset,
    FieldKind.URI: _check_uri,
    FieldKind.URI_LIST: _check_uri_list,
    FieldKind.URI_OR_URI_LIST: _check_uri_or_list,
    FieldKind.QUANTITY_LIST: _check_quantity_list,
    FieldKind.ACTION: _check_action,
    FieldKind.PERSISTENT_DISPOSITION: _check_persistent_disposition,
    FieldKind.LOCATION: _check_location,
    FieldKind.ERROR_DECLARATION: _check_error_declaration,
    FieldKind.BIZ_TRANSACTION_LIST: _check_biz_transactions,
    FieldKind.SENSOR_ELEMENT_LIST: _check_sensor_elements,
    FieldKind.ILMD: _check_ilmd,
    FieldKind.NUMBER: _check_number,
    FieldKind.STRING: _check_string,
    FieldKind.BOOLEAN: _check_boolean,
    FieldKind.HEX_BINARY: _check_hex,
    FieldKind.UOM: _check_uom,
    FieldKind.MEASUREMENT_TYPE: _check_measurement_type,
    FieldKind.ALERT_TYPE: _check_alert_type,
    # SENSOR_METADATA / SENSOR_REPORT_LIST are walked by _check_sensor_elements
}


def _checker_for(spec: FieldSpec) -> Checker:
    if spec.vocabulary is not None:
        if spec.kind is FieldKind.VOCABULARY_LIST:
            return _vocabulary_list_checker(spec.vocabulary)
        return _vocabulary_checker(spec.vocabulary)
    if spec.kind is FieldKind.SOURCE_LIST:
        return _source_destination_checker("source", _SOURCE_TABLE)
    if spec.kind is FieldKind.DESTINATION_LIST:
        return _source_destination_checker("destination", _DESTINATION_TABLE)
    return _KIND_CHECKERS.get(spec.kind, _check_passthrough)


_BTT_WORDS = cbv.WORDS[Vocabulary.BIZ_TRANSACTION_TYPE]
_QUANTITY_TABLE = _Table(STRUCTURES["quantityElement"])
_BIZ_TX_TABLE = _Table(STRUCTURES["bizTransaction"])
_SOURCE_TABLE = _Table(STRUCTURES["source"])
_DESTINATION_TABLE = _Table(STRUCTURES["destination"])
_LOCATION_TABLE = _Table(STRUCTURES["location"])
_ERROR_TABLE = _Table(STRUCTURES["errorDeclaration"])
_PERSISTENT_TABLE = _Table(STRUCTURES["persistentDisposition"])
_METADATA_TABLE = _Table(STRUCTURES["sensorMetadata"])
_REPORT_TABLE = _Table(STRUCTURES["sensorReport"])


# ---- per event type rules (EPCIS 2.0 §7.4.2-§7.4.6) -------------------------------------------


def _has(event: Mapping[str, Any], key: str) -> bool:
    """Present and not an empty list (a wrongly typed value counts: its problem is reported)."""
    value = event.get(key)
    return value is not None and value != []


def _rules_object(event: Mapping[str, Any], action: Any, ctx: _Ctx) -> None:
    # §7.4.2: ILMD only with action ADD
    if "ilmd" in event and action in ("OBSERVE", "DELETE"):
        ctx.add(Code.ILMD_NOT_ALLOWED, "ilmd", f"action 为 {action}", f"action is {action}")
    # some objects, or a sensor observation at a read point (JSON binding §12)
    if not (
        _has(event, "epcList")
        or _has(event, "quantityList")
        or (_has(event, "sensorElementList") and "readPoint" in event)
    ):
        ctx.add(
            Code.WHAT_MISSING,
            "epcList",
            "需要 epcList 或 quantityList（或传感器数据加 readPoint）",
            "needs epcList or quantityList (or sensor data with a readPoint)",
        )


def _rules_children(event: Mapping[str, Any], action: Any, ctx: _Ctx) -> None:
    # §7.4.3 / §7.4.6, TCR-54: children may be omitted only with DELETE (all children removed)
    if action in ("ADD", "OBSERVE") and not (_has(event, "childEPCs") or _has(event, "childQuantityList")):
        ctx.add(
            Code.WHAT_MISSING,
            "childEPCs",
            f"action 为 {action} 时需要 childEPCs 或 childQuantityList",
            f"childEPCs or childQuantityList needed when action is {action}",
        )


def _rules_aggregation(event: Mapping[str, Any], action: Any, ctx: _Ctx) -> None:
    # §7.4.3: parentID may be omitted only when action is OBSERVE
    if action in ("ADD", "DELETE") and "parentID" not in event:
        ctx.add(Code.PARENT_REQUIRED, "parentID", f"action 为 {action}", f"action is {action}")
    _rules_children(event, action, ctx)


def _rules_transaction(event: Mapping[str, Any], action: Any, ctx: _Ctx) -> None:
    # §7.4.4: at least one business transaction; objects unless all are removed (DELETE)
    if event.get("bizTransactionList") == []:
        ctx.add(Code.EMPTY, "bizTransactionList")
    if action in ("ADD", "OBSERVE") and not (_has(event, "epcList") or _has(event, "quantityList")):
        ctx.add(
            Code.WHAT_MISSING,
            "epcList",
            f"action 为 {action} 时需要 epcList 或 quantityList",
            f"epcList or quantityList needed when action is {action}",
        )


def _rules_transformation(event: Mapping[str, Any], action: Any, ctx: _Ctx) -> None:
    # §7.4.5: inputs and outputs; with a transformationID, inputs or outputs suffice
    inputs = _has(event, "inputEPCList") or _has(event, "inputQuantityList")
    outputs = _has(event, "outputEPCList") or _has(event, "outputQuantityList")
    if not (inputs and outputs) and not ("transformationID" in event and (inputs or outputs)):
        ctx.add(Code.TRANSFORMATION_IO, "outputEPCList" if inputs else "inputEPCList")


def _no_rules(event: Mapping[str, Any], action: Any, ctx: _Ctx) -> None:
    return None


_Rules = Callable[[Mapping[str, Any], Any, _Ctx], None]


class _EventTable(_Table):
    __slots__ = ("has_action", "rules")

    def __init__(self, spec: StructureSpec, rules: _Rules) -> None:
        super().__init__(spec, {"eventTime": _check_event_time})
        self.rules = rules
        self.has_action = "action" in spec.fields


_EVENT_TABLES: dict[str, _EventTable] = {
    EventType.OBJECT.value: _EventTable(EVENT_TYPES[EventType.OBJECT], _rules_object),
    EventType.AGGREGATION.value: _EventTable(EVENT_TYPES[EventType.AGGREGATION], _rules_aggregation),
    EventType.TRANSACTION.value: _EventTable(EVENT_TYPES[EventType.TRANSACTION], _rules_transaction),
    EventType.TRANSFORMATION.value: _EventTable(EVENT_TYPES[EventType.TRANSFORMATION], _rules_transformation),
    # §7.4.6: parentID is required (declared in the model); children as for aggregation
    EventType.ASSOCIATION.value: _EventTable(EVENT_TYPES[EventType.ASSOCIATION], _rules_children),
}


def _any_event_table() -> _EventTable:
    """For an event of unknown type: check every standard field of any type; no type rules."""
    fields: dict[str, FieldSpec] = {}
    for spec in EVENT_TYPES.values():
        for name, field in spec.fields.items():
            fields.setdefault(name, field)
    table = _EventTable(StructureSpec("event", fields, extensible=True), _no_rules)
    table.required = ("eventTime", "eventTimeZoneOffset")
    return table


_ANY_EVENT_TABLE = _any_event_table()


def _namespaces_with_context(context: Any, namespaces: Mapping[str, str]) -> Mapping[str, str]:
    """The document's namespaces plus the prefixes of the event's own @context objects."""
    items = context if type(context) is list else [context]
    extra = {
        k: v
        for item in items
        if type(item) is dict
        for k, v in item.items()
        if type(k) is str and type(v) is str
    }
    return {**namespaces, **extra} if extra else namespaces


# ---- entry point ----------------------------------------------------------------------------------


def check_event(
    event: Mapping[str, Any], namespaces: Mapping[str, str]
) -> tuple[dict[str, Any], list[Problem]]:
    """Validate one canonical event; return it normalised, and every problem found.

    ``namespaces`` maps the prefixes the document declares (JSON-LD ``@context`` objects or XML
    ``xmlns:``) to their IRIs; the prefixes of the standard EPCIS context (``cbvmda``, ``gs1`` …)
    are known without it. Problem paths are relative to the event and ``Problem.index`` is None.
    An event with problems is still returned (normalised as far as it could be), but must not be
    stored.
    """
    out, ctx = _walk(event, namespaces, slow=False)
    if not _batches_valid(ctx):
        out, ctx = _walk(event, namespaces, slow=True)  # find each faulty value where it stands
    elif ctx.uris:
        if len(_KNOWN_URIS) > _KNOWN_URIS_MAX:
            _KNOWN_URIS.clear()
        _KNOWN_URIS.update(ctx.uris)
    if ctx.sensors:
        _check_sensor_times(ctx)
    return out, ctx.problems


def _batches_valid(ctx: _Ctx) -> bool:
    """Whether the fast pass stands: no problem, and every queued URI and date-time valid."""
    if ctx.redo or ctx.problems:  # warnings too: the fast pass does not build exact paths
        return False
    if ctx.uris:
        joined = "\n".join(ctx.uris)
        if _URI_BATCH_RE.fullmatch(joined) is None or ("%" in joined and _BAD_PERCENT_RE.search(joined)):
            return False
    return True


def _walk(
    event: Mapping[str, Any], namespaces: Mapping[str, str], *, slow: bool
) -> tuple[dict[str, Any], _Ctx]:
    ctx = _Ctx(namespaces, slow)
    if type(event) is not dict and not isinstance(event, Mapping):
        ctx.bad_value(Code.NOT_OBJECT, "", event)
        return {}, ctx
    if "@context" in event:
        ctx.namespaces = _namespaces_with_context(event["@context"], namespaces)
    event_type = event.get("type")
    table = _EVENT_TABLES.get(event_type) if type(event_type) is str else None
    if table is None:
        if "type" in event:
            ctx.bad_value(Code.UNKNOWN_TYPE, "type", event_type)
        else:
            ctx.add(Code.MISSING_FIELD, "type")
        table = _ANY_EVENT_TABLE
    out: dict[str, Any] = {}
    checkers = table.checkers
    for key, value in event.items():
        check = checkers.get(key)
        if check is not None:
            out[key] = check(value, "", key, ctx)
            continue
        if key == "ilmd":
            ctx.add(Code.ILMD_NOT_ALLOWED, "ilmd", f"{event_type} 没有 ILMD", f"{event_type} has no ILMD")
        elif key in STANDARD_EVENT_FIELDS:
            ctx.add(Code.FIELD_NOT_ALLOWED, key, f"{event_type} 没有 {key}", f"{event_type} has no {key}")
        else:
            _check_extension_key(key, "", ctx)
        out[str(key)] = value
    for name in table.required:
        if name not in event:
            ctx.add(Code.MISSING_FIELD, name)
    table.rules(event, event.get("action") if table.has_action else None, ctx)
    return out, ctx
