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

The problem codes and their messages are in ``capture.validation_codes``; the lexical rules and
scalar checkers in ``capture.validation_scalars``; this module holds the structures, the sensor
rules, the per-type rules and the entry point.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from zhuisu.capture.validation_codes import MESSAGES, WARNINGS, Code
from zhuisu.capture.validation_scalars import (
    _BAD_PERCENT_RE,
    _KNOWN_UOMS,
    _KNOWN_URIS,
    _KNOWN_URIS_MAX,
    _MISSING,
    _URI_BATCH_RE,
    Checker,
    _check_action,
    _check_alert_type,
    _check_boolean,
    _check_context,
    _check_event_time,
    _check_extension_key,
    _check_hex,
    _check_ilmd,
    _check_measurement_type,
    _check_number,
    _check_passthrough,
    _check_string,
    _check_time,
    _check_tz_offset,
    _check_uom,
    _check_uri,
    _check_uri_list,
    _check_uri_or_list,
    _Ctx,
    _is_number,
    _join,
    _parse_iso,
    _show,
    _vocabulary_checker,
)
from zhuisu.domain import cbv
from zhuisu.domain.cbv import Vocabulary
from zhuisu.domain.event_model import (
    DIMENSIONLESS_MEASUREMENT_TYPES,
    EVENT_TYPES,
    SENSOR_NUMERIC_ATTRIBUTES,
    SENSOR_SHARED_ATTRIBUTES,
    SENSOR_UOM_ATTRIBUTES,
    STANDARD_EVENT_FIELDS,
    STRUCTURES,
    EventType,
    FieldKind,
    FieldSpec,
    StructureSpec,
)
from zhuisu.domain.problem import Problem

__all__ = ["MESSAGES", "WARNINGS", "Code", "check_event"]


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
_MEASUREMENT_WORDS = cbv.MEASUREMENT_TYPES
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
                if not slow and type(raw) is dict and len(raw) == 3:
                    # fast pass: the common report {type: a bare gs1:MeasurementType word, value:
                    # a finite number, uom: a unit found valid before}, which breaks no rule of
                    # _check_report_rules and names no time
                    kind = raw.get("type")
                    unit = raw.get("uom")
                    if (
                        type(kind) is str
                        and type(unit) is str
                        and kind in _MEASUREMENT_WORDS
                        and unit in _KNOWN_UOMS
                        and _is_number(raw.get("value", _MISSING))
                    ):
                        report = dict(raw)
                        reports.append((report_path, report))
                        checked.append(report)
                        continue
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
    if a[-6:] == b[-6:] and a[-6] in "+-":
        # same offset, other precision (a sensor time to the second, the event time to the
        # millisecond): the local date-times order like the time; fractions of up to 6 digits
        # (what datetime keeps) compare as digits, right-padded
        first_fraction = a[20:-6]
        second_fraction = b[20:-6]
        if len(first_fraction) <= 6 and len(second_fraction) <= 6:
            return (a[:19], first_fraction.ljust(6, "0")) > (b[:19], second_fraction.ljust(6, "0"))
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


# Event-level extension keys found valid (EPCIS 2.0 §6.3: ``prefix:local`` with a declared prefix),
# for the namespaces last seen, with their own copy of them: whether a key is valid depends only on
# the namespaces, and the events of a document repeat the same keys (eight per event of a trace
# record); other namespaces start a new set.
_VALID_KEYS_MAX = 10_000
_valid_keys: list[tuple[dict[str, str], set[str]]] = []


def _valid_extension_keys(namespaces: Mapping[str, str]) -> set[str]:
    for own, keys in _valid_keys:
        if own == namespaces:
            return keys
    keys = set()
    _valid_keys[:] = [(dict(namespaces), keys)]
    return keys


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
    valid_keys = _valid_extension_keys(ctx.namespaces)
    for key, value in event.items():
        check = checkers.get(key)
        if check is not None:
            out[key] = check(value, "", key, ctx)
            continue
        if key in valid_keys:
            out[key] = value  # an extension key found valid before (neither ilmd nor standard)
            continue
        if key == "ilmd":
            ctx.add(Code.ILMD_NOT_ALLOWED, "ilmd", f"{event_type} 没有 ILMD", f"{event_type} has no ILMD")
        elif key in STANDARD_EVENT_FIELDS:
            ctx.add(Code.FIELD_NOT_ALLOWED, key, f"{event_type} 没有 {key}", f"{event_type} has no {key}")
        else:
            found = len(ctx.problems)
            _check_extension_key(key, "", ctx)
            if len(ctx.problems) == found and type(key) is str and len(valid_keys) < _VALID_KEYS_MAX:
                valid_keys.add(key)
        out[str(key)] = value
    for name in table.required:
        if name not in event:
            ctx.add(Code.MISSING_FIELD, name)
    table.rules(event, event.get("action") if table.has_action else None, ctx)
    return out, ctx
