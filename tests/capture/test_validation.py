"""Event validation (zhuisu.capture.validation): the GS1 examples, one test per rule, normalisation,
robustness on arbitrary input, and a cross-check against the official EPCIS 2.0 JSON Schema.

GS1 files are read from ../shared/reference (skipped where absent); the events of the rule tests
are written here.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reference import REFERENCE, reference_path
from zhuisu.capture import validation, validation_codes
from zhuisu.capture.validation import Code, check_event
from zhuisu.domain.event_model import EVENT_TYPES, STRUCTURES, TRACE_FIELDS, ZHUISU_NS, EventType
from zhuisu.domain.problem import Problem

JSONLD = REFERENCE / "epcis" / "examples" / "jsonld"
NS = {"zs": ZHUISU_NS, "ex": "https://example.cn/trace/"}
DROP = object()

# ---- the GS1 examples ---------------------------------------------------------------------------

# GS1's "all possible fields" examples show every field once, with sensor data that contradicts
# itself, so they are refused for these reasons (and only these):
#  - the same inline attributes (time, deviceID, deviceMetadata, rawData, dataProcessingMethod) in
#    sensorMetadata and in the sensorReport: conformance TCR-53 says such a document is refused;
#  - meanValue 13.2 and percValue 12.7 outside [minValue 26, maxValue 26.2];
#  - the report's time (2019-07-19) outside the metadata's startTime-endTime (2019-04-02);
#  - sensor times (2019) after the eventTime (2005 / 2013), against conformance M122.
# The official JSON Schema cannot express any of these rules. Without the sensor element, the
# same events pass. (The README's known-flawed file, event_with_identical_hash_id_7.json, is an
# XML-folder file and not among the JSON-LD examples read here.)
ALL_FIELDS_FLAWS = frozenset(
    {
        Code.SENSOR_DUPLICATE_ATTRIBUTE.value,
        Code.SENSOR_OUT_OF_RANGE.value,
        Code.SENSOR_TIME_OUTSIDE.value,
        Code.SENSOR_TIME_AFTER_EVENT.value,
    }
)
FLAWED = {
    f"WithFullCombinationOfFields/{kind}_event_all_possible_fields.jsonld": ALL_FIELDS_FLAWS
    for kind in ("aggregation", "association", "object", "transaction", "transformation")
}


def _example_names() -> list[str]:
    if not JSONLD.exists():
        return ["<reference material absent>"]
    return sorted(str(p.relative_to(JSONLD)) for p in JSONLD.rglob("*.jsonld"))


@cache
def _schema() -> Any:
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    schema = orjson.loads(reference_path("epcis", "schema", "json", "EPCIS-JSON-Schema.json").read_bytes())
    return jsonschema_rs.validator_for(schema, validate_formats=True)


@cache
def _document(name: str) -> Any:
    return orjson.loads(reference_path("epcis", "examples", "jsonld", *Path(name).parts).read_bytes())


def _event_list(doc: dict[str, Any]) -> list[Any]:
    body = doc["epcisBody"]
    if "eventList" in body:
        return list(body["eventList"])
    return list(body["queryResults"]["resultsBody"]["eventList"])


def _namespaces(doc: dict[str, Any]) -> dict[str, str]:
    context = doc.get("@context", [])
    items = context if isinstance(context, list) else [context]
    return {k: v for item in items if isinstance(item, dict) for k, v in item.items()}


def _officially_valid_events(name: str) -> tuple[list[Any], dict[str, str]]:
    if name.startswith("<"):
        reference_path("epcis", "examples", "jsonld")  # skips with the reason
    doc = _document(name)
    if not _schema().is_valid(doc):
        pytest.skip("not valid per the official EPCIS 2.0 JSON Schema")
    return _event_list(doc), _namespaces(doc)


def _codes_paths(problems: list[Problem]) -> set[tuple[str, str]]:
    return {(p.code, p.path) for p in problems}


def _slow(event: Any, namespaces: dict[str, str]) -> tuple[dict[str, Any], list[Problem]]:
    """The reference (slow) pass alone: the fast pass must agree with it on every input."""
    out, ctx = validation._walk(event, namespaces, slow=True)
    if ctx.sensors:
        validation._check_sensor_times(ctx)
    return out, ctx.problems


@pytest.mark.parametrize("name", _example_names())
def test_officially_valid_example_passes(name: str) -> None:
    events, namespaces = _officially_valid_events(name)
    for index, event in enumerate(events):
        out, problems = check_event(event, namespaces)
        errors = [p for p in problems if p.is_error]
        assert errors == [], (index, [p.message_en for p in errors])
        assert out is not event
        assert _slow(event, namespaces) == (out, problems)


@pytest.mark.parametrize("name", sorted(FLAWED))
def test_all_fields_examples_warn_only_about_their_sensor_data(name: str) -> None:
    """GS1's "all possible fields" examples have contradictory sensor data: stored, with warnings."""
    events, namespaces = _officially_valid_events(name)
    for event in events:
        out, problems = check_event(event, namespaces)
        assert problems
        assert all(p.severity == "warning" for p in problems)
        assert {p.code for p in problems} <= FLAWED[name]
        assert all(p.path.startswith("sensorElementList[0]") for p in problems)
        assert _slow(event, namespaces) == (out, problems)
        without = {k: v for k, v in event.items() if k != "sensorElementList"}
        assert check_event(without, namespaces)[1] == []


# ---- events written here ------------------------------------------------------------------------

_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _set(event: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of ``event`` with the value at ``path`` (``a.b[0].c``) replaced or DROPped."""
    event = copy.deepcopy(event)
    parts: list[str | int] = [name if name else int(index) for name, index in _PATH_PART.findall(path)]
    target: Any = event
    for part in parts[:-1]:
        target = target[part]
    if value is DROP:
        del target[parts[-1]]
    else:
        target[parts[-1]] = value
    return event


def _sensor_element(**report: Any) -> dict[str, Any]:
    fields = {"type": "Temperature", "value": 3.5, "uom": "CEL", **report}
    return {
        "sensorMetadata": {"time": "2026-05-01T08:00:00.000+08:00", "deviceID": "urn:epc:id:giai:6901234.1"},
        "sensorReport": [{k: v for k, v in fields.items() if v is not DROP}],
    }


def make_event(*, type: str = "ObjectEvent", action: str | None = "ADD", **fields: Any) -> dict[str, Any]:
    """A valid event of ``type`` (written for these tests); ``fields`` add or replace fields,
    a field set to DROP is removed."""
    event: dict[str, Any] = {
        "type": type,
        "eventTime": "2026-05-01T08:30:00.000+08:00",
        "eventTimeZoneOffset": "+08:00",
    }
    if type != "TransformationEvent" and action is not None:
        event["action"] = action
    if type in ("ObjectEvent", "TransactionEvent"):
        event["epcList"] = [
            "urn:epc:id:sgtin:6901234.012345.1001",
            "urn:epc:id:sgtin:6901234.012345.1002",
            "https://id.gs1.org/01/06901234123457/21/1003",
        ]
        event["quantityList"] = [
            {"epcClass": "urn:epc:class:lgtin:6901234.012345.L1", "quantity": 12.5, "uom": "KGM"}
        ]
    if type in ("AggregationEvent", "AssociationEvent"):
        event["parentID"] = "urn:epc:id:sscc:6901234.0000000001"
        event["childEPCs"] = ["urn:epc:id:sgtin:6901234.012345.1001"]
    if type == "TransactionEvent":
        event["bizTransactionList"] = [{"type": "po", "bizTransaction": "urn:epc:id:gdti:6901234.00001.1"}]
    if type == "TransformationEvent":
        event["inputQuantityList"] = [
            {"epcClass": "urn:epc:class:lgtin:6901234.012345.L1", "quantity": 100, "uom": "KGM"}
        ]
        event["outputEPCList"] = ["urn:epc:id:sgtin:6901234.054321.2001"]
    event["bizStep"] = "commissioning" if type == "ObjectEvent" else "packing"
    event["readPoint"] = {"id": "urn:epc:id:sgln:6901234.00001.0"}
    if type == "ObjectEvent" and action == "ADD":
        event["ilmd"] = {"zs:origin": "370100"}
    event["sensorElementList"] = [_sensor_element()]
    event["zs:quarantineCertNo"] = "3701001234567"
    for name, value in fields.items():
        if value is DROP:
            event.pop(name, None)
        else:
            event[name] = value
    return event


SENSOR = "sensorElementList[0]"
REPORT = f"{SENSOR}.sensorReport[0]"
META = f"{SENSOR}.sensorMetadata"
OBJ = make_event()
AGG = make_event(type="AggregationEvent")

# (id, event, the exact (code, path) pairs expected)
RULE_CASES: list[tuple[str, Any, set[tuple[str, str]]]] = [
    ("not an object", ["ObjectEvent"], {("event.not_object", "")}),
    ("unknown event type", make_event(type="QuantityEvent"), {("event.unknown_type", "type")}),
    ("no event type", _set(OBJ, "type", DROP), {("event.missing_field", "type")}),
    ("bad action", make_event(action="MOVE"), {("event.bad_action", "action")}),
    ("action not a string", make_event(action=1), {("event.bad_type", "action")}),
    ("missing action", _set(OBJ, "action", DROP), {("event.missing_field", "action")}),
    (
        "action on TransformationEvent",
        make_event(type="TransformationEvent", action="ADD") | {"action": "ADD"},
        {("event.field_not_allowed", "action")},
    ),
    (
        "childEPCs on ObjectEvent",
        make_event(childEPCs=["urn:epc:id:sgtin:6901234.012345.9"]),
        {("event.field_not_allowed", "childEPCs")},
    ),
    ("unknown bizStep word", make_event(bizStep="shipped"), {("cbv.unknown_value", "bizStep")}),
    (
        "'transforming' is not a CBV bizStep",
        make_event(bizStep="transforming"),
        {("cbv.unknown_value", "bizStep")},
    ),
    (
        "unknown word in the CBV URN namespace",
        make_event(bizStep="urn:epcglobal:cbv:bizstep:flying"),
        {("cbv.unknown_value", "bizStep")},
    ),
    (
        "unlisted word in the CBV Web URI namespace (a warning: newer CBV versions add words there)",
        make_event(disposition="https://ref.gs1.org/cbv/Disp-lost"),
        {("cbv.unlisted_word", "disposition")},
    ),
    (
        "draft CBV namespace",
        make_event(bizStep="https://ns.gs1.org/cbv/BizStep-shipping"),
        {("cbv.unknown_value", "bizStep")},
    ),
    (
        "disposition with a space",
        make_event(disposition="in transit"),
        {("cbv.unknown_value", "disposition")},
    ),
    (
        "unknown bizTransaction type",
        make_event(
            bizTransactionList=[{"type": "order", "bizTransaction": "urn:epc:id:gdti:6901234.00001.1"}]
        ),
        {("cbv.unknown_value", "bizTransactionList[0].type")},
    ),
    (
        "unknown source type",
        make_event(sourceList=[{"type": "owner", "source": "urn:epc:id:pgln:6901234.00001"}]),
        {("cbv.unknown_value", "sourceList[0].type")},
    ),
    (
        "source without type",
        make_event(sourceList=[{"source": "urn:epc:id:pgln:6901234.00001"}]),
        {("event.missing_field", "sourceList[0].type")},
    ),
    (
        "unknown error reason",
        make_event(errorDeclaration={"declarationTime": "2026-05-02T08:00:00Z", "reason": "typo"}),
        {("cbv.unknown_value", "errorDeclaration.reason")},
    ),
    (
        "ILMD on OBSERVE",
        make_event(action="OBSERVE", ilmd={"zs:origin": "370100"}),
        {("rule.ilmd_not_allowed", "ilmd")},
    ),
    (
        "ILMD on DELETE",
        make_event(action="DELETE", ilmd={"zs:origin": "370100"}),
        {("rule.ilmd_not_allowed", "ilmd")},
    ),
    (
        "ILMD on AggregationEvent",
        make_event(type="AggregationEvent", ilmd={"zs:origin": "370100"}),
        {("rule.ilmd_not_allowed", "ilmd")},
    ),
    ("ILMD not an object", make_event(ilmd=["zs:origin"]), {("event.bad_type", "ilmd")}),
    ("missing eventTime", _set(OBJ, "eventTime", DROP), {("event.missing_field", "eventTime")}),
    (
        "eventTime without offset",
        make_event(eventTime="2026-05-01T08:30:00"),
        {("time.no_offset", "eventTime")},
    ),
    (
        "eventTime not a date",
        make_event(eventTime="2026-02-30T08:30:00Z"),
        {("time.bad_format", "eventTime")},
    ),
    (
        "eventTime with a space",
        make_event(eventTime="2026-05-01 08:30:00Z"),
        {("time.bad_format", "eventTime")},
    ),
    (
        "eventTime offset beyond 14:00",
        make_event(eventTime="2026-05-01T08:30:00+15:00"),
        {("time.bad_format", "eventTime")},
    ),
    (
        "eventTime lower-case z",
        make_event(eventTime="2026-05-01T08:30:00z"),
        {("time.bad_format", "eventTime")},
    ),
    ("eventTime a number", make_event(eventTime=1714523400), {("event.bad_type", "eventTime")}),
    (
        "recordTime without offset",
        make_event(recordTime="2026-05-01T08:30:00.5"),
        {("time.no_offset", "recordTime")},
    ),
    (
        "missing eventTimeZoneOffset",
        _set(OBJ, "eventTimeZoneOffset", DROP),
        {("event.missing_field", "eventTimeZoneOffset")},
    ),
    ("offset +15:00", make_event(eventTimeZoneOffset="+15:00"), {("time.bad_offset", "eventTimeZoneOffset")}),
    ("offset 8:00", make_event(eventTimeZoneOffset="8:00"), {("time.bad_offset", "eventTimeZoneOffset")}),
    ("offset +14:30", make_event(eventTimeZoneOffset="+14:30"), {("time.bad_offset", "eventTimeZoneOffset")}),
    ("un-namespaced extension", make_event(remark="fresh"), {("extension.unnamespaced", "remark")}),
    (
        "un-namespaced key in ilmd",
        make_event(ilmd={"lotNumber": "L1"}),
        {("extension.unnamespaced", "ilmd.lotNumber")},
    ),
    (
        "un-namespaced key in readPoint",
        make_event(readPoint={"id": "urn:epc:id:sgln:6901234.00001.0", "room": "3"}),
        {("extension.unnamespaced", "readPoint.room")},
    ),
    (
        "un-namespaced key in bizLocation",
        make_event(bizLocation={"id": "urn:epc:id:sgln:6901234.00001.0", "a": 1}),
        {("extension.unnamespaced", "bizLocation.a")},
    ),
    (
        "un-namespaced key in errorDeclaration",
        make_event(errorDeclaration={"declarationTime": "2026-05-02T08:00:00Z", "by": "me"}),
        {("extension.unnamespaced", "errorDeclaration.by")},
    ),
    (
        "un-namespaced key in sensorElement",
        _set(OBJ, f"{SENSOR}.note", "x"),
        {("extension.unnamespaced", f"{SENSOR}.note")},
    ),
    (
        "un-namespaced key in sensorMetadata",
        _set(OBJ, f"{META}.note", "x"),
        {("extension.unnamespaced", f"{META}.note")},
    ),
    (
        "un-namespaced key in sensorReport",
        _set(OBJ, f"{REPORT}.note", "x"),
        {("extension.unnamespaced", f"{REPORT}.note")},
    ),
    ("undeclared prefix", make_event(**{"xx:grade": "A"}), {("extension.undeclared_prefix", "xx:grade")}),
    (
        "undeclared prefix in ilmd",
        make_event(ilmd={"xx:grade": "A"}),
        {("extension.undeclared_prefix", "ilmd.xx:grade")},
    ),
    (
        "key in a closed structure",
        _set(OBJ, "quantityList[0].zs:note", "x"),
        {("event.unknown_field", "quantityList[0].zs:note")},
    ),
    (
        "negative quantity",
        _set(OBJ, "quantityList[0].quantity", -1),
        {("quantity.negative", "quantityList[0].quantity")},
    ),
    (
        "quantity as a string",
        _set(OBJ, "quantityList[0].quantity", "12"),
        {("event.bad_type", "quantityList[0].quantity")},
    ),
    (
        "quantity a boolean",
        _set(OBJ, "quantityList[0].quantity", True),
        {("event.bad_type", "quantityList[0].quantity")},
    ),
    (
        "quantity without epcClass",
        _set(OBJ, "quantityList[0].epcClass", DROP),
        {("event.missing_field", "quantityList[0].epcClass")},
    ),
    (
        "uom without quantity",
        _set(OBJ, "quantityList[0].quantity", DROP),
        {("quantity.uom_without_quantity", "quantityList[0].uom")},
    ),
    (
        "uom not a Rec. 20 code",
        _set(OBJ, "quantityList[0].uom", "kg"),
        {("uom.bad_code", "quantityList[0].uom")},
    ),
    (
        "AggregationEvent ADD without parentID",
        _set(AGG, "parentID", DROP),
        {("rule.parent_required", "parentID")},
    ),
    (
        "AggregationEvent DELETE without parentID",
        make_event(type="AggregationEvent", action="DELETE", parentID=DROP),
        {("rule.parent_required", "parentID")},
    ),
    (
        "AssociationEvent without parentID",
        make_event(type="AssociationEvent", action="OBSERVE", parentID=DROP),
        {("event.missing_field", "parentID")},
    ),
    (
        "AssociationEvent ADD without children",
        make_event(type="AssociationEvent", childEPCs=DROP),
        {("rule.what_missing", "childEPCs")},
    ),
    (
        "AggregationEvent OBSERVE with empty children",
        make_event(type="AggregationEvent", action="OBSERVE", childEPCs=[]),
        {("rule.what_missing", "childEPCs")},
    ),
    (
        "ObjectEvent with no objects",
        make_event(epcList=DROP, quantityList=[], sensorElementList=DROP),
        {("rule.what_missing", "epcList")},
    ),
    (
        "TransactionEvent with no bizTransaction",
        make_event(type="TransactionEvent", bizTransactionList=[]),
        {("event.empty", "bizTransactionList")},
    ),
    (
        "TransactionEvent without bizTransactionList",
        make_event(type="TransactionEvent", bizTransactionList=DROP),
        {("event.missing_field", "bizTransactionList")},
    ),
    (
        "TransformationEvent without outputs",
        make_event(type="TransformationEvent", outputEPCList=DROP),
        {("rule.transformation_io", "outputEPCList")},
    ),
    (
        "TransformationEvent with nothing",
        make_event(
            type="TransformationEvent",
            outputEPCList=DROP,
            inputQuantityList=DROP,
            transformationID="urn:x:t:1",
        ),
        {("rule.transformation_io", "inputEPCList")},
    ),
    (
        "persistentDisposition set and unset",
        make_event(persistentDisposition={"set": ["active"], "unset": ["active"]}),
        {("rule.persistent_disposition_conflict", "persistentDisposition.unset")},
    ),
    (
        "persistentDisposition empty set",
        make_event(persistentDisposition={"set": []}),
        {("event.empty", "persistentDisposition.set")},
    ),
    (
        "persistentDisposition with neither",
        make_event(persistentDisposition={}),
        {("event.missing_field", "persistentDisposition.set")},
    ),
    (
        "persistentDisposition twice the same",
        make_event(persistentDisposition={"set": ["active", "active"]}),
        {("event.duplicate", "persistentDisposition.set[1]")},
    ),
    ("sensor value without uom", _set(OBJ, f"{REPORT}.uom", DROP), {("sensor.uom_missing", f"{REPORT}.uom")}),
    ("sensor uom not a code", _set(OBJ, f"{REPORT}.uom", "°C"), {("uom.bad_code", f"{REPORT}.uom")}),
    (
        "minValue > maxValue",
        make_event(sensorElementList=[_sensor_element(minValue=5, maxValue=2)]),
        {("sensor.min_gt_max", f"{REPORT}.minValue")},
    ),
    (
        "meanValue outside min/max",
        make_event(sensorElementList=[_sensor_element(minValue=1, maxValue=2, meanValue=3)]),
        {("sensor.out_of_range", f"{REPORT}.meanValue")},
    ),
    (
        "negative sDev",
        make_event(sensorElementList=[_sensor_element(sDev=-0.1)]),
        {("sensor.negative_sdev", f"{REPORT}.sDev")},
    ),
    (
        "percRank above 100",
        make_event(sensorElementList=[_sensor_element(percRank=101)]),
        {("sensor.perc_rank_range", f"{REPORT}.percRank")},
    ),
    (
        "odd hexBinaryValue",
        make_event(sensorElementList=[_sensor_element(hexBinaryValue="abc")]),
        {("sensor.bad_hex", f"{REPORT}.hexBinaryValue")},
    ),
    (
        "non-hex hexBinaryValue",
        make_event(sensorElementList=[_sensor_element(hexBinaryValue="zz")]),
        {("sensor.bad_hex", f"{REPORT}.hexBinaryValue")},
    ),
    (
        "booleanValue not a boolean",
        make_event(sensorElementList=[_sensor_element(booleanValue="true")]),
        {("event.bad_type", f"{REPORT}.booleanValue")},
    ),
    ("sensor value a string", _set(OBJ, f"{REPORT}.value", "3.5"), {("event.bad_type", f"{REPORT}.value")}),
    (
        "uriValue not a URI",
        make_event(sensorElementList=[_sensor_element(uriValue="see manual")]),
        {("id.not_uri", f"{REPORT}.uriValue")},
    ),
    ("report without type", _set(OBJ, f"{REPORT}.type", DROP), {("sensor.type_missing", f"{REPORT}.type")}),
    (
        "unlisted gs1 measurement type (a warning, kept as given)",
        _set(OBJ, f"{REPORT}.type", "gs1:Warmth"),
        {("sensor.unlisted_type", f"{REPORT}.type")},
    ),
    (
        "measurement type neither GS1 word nor URI",
        _set(OBJ, f"{REPORT}.type", "warmth"),
        {("sensor.unknown_type", f"{REPORT}.type")},
    ),
    (
        "bad exception",
        make_event(sensorElementList=[_sensor_element(exception="WARNING")]),
        {("sensor.bad_exception", f"{REPORT}.exception")},
    ),
    (
        "empty sensorReport",
        _set(OBJ, f"{SENSOR}.sensorReport", []),
        {("event.empty", f"{SENSOR}.sensorReport")},
    ),
    (
        "no sensorReport",
        _set(OBJ, f"{SENSOR}.sensorReport", DROP),
        {("event.missing_field", f"{SENSOR}.sensorReport")},
    ),
    (
        "startTime after endTime",
        _set(OBJ, META, {"startTime": "2026-05-01T08:00:00Z", "endTime": "2026-05-01T07:00:00Z"}),
        {("sensor.bad_interval", f"{META}.startTime")},
    ),
    (
        "report time outside the interval",
        make_event(
            sensorElementList=[
                {
                    "sensorMetadata": {
                        "startTime": "2026-05-01T06:00:00+08:00",
                        "endTime": "2026-05-01T07:00:00+08:00",
                    },
                    "sensorReport": [
                        {
                            "type": "Temperature",
                            "value": 3.5,
                            "uom": "CEL",
                            "time": "2026-05-01T07:30:00+08:00",
                        }
                    ],
                }
            ]
        ),
        {("sensor.time_outside_interval", f"{REPORT}.time")},
    ),
    (
        "sensor time after eventTime",
        _set(OBJ, f"{META}.time", "2026-05-01T01:00:00Z"),
        {("sensor.time_after_event", f"{META}.time")},
    ),
    (
        "sensor time without offset",
        _set(OBJ, f"{META}.time", "2026-05-01T08:00:00"),
        {("time.no_offset", f"{META}.time")},
    ),
    (
        "deviceID in metadata and report",
        make_event(sensorElementList=[_sensor_element(deviceID="urn:epc:id:giai:6901234.1")]),
        {("sensor.duplicate_attribute", f"{REPORT}.deviceID")},
    ),
    (
        "errorDeclaration without declarationTime",
        make_event(errorDeclaration={"reason": "incorrect_data"}),
        {("event.missing_field", "errorDeclaration.declarationTime")},
    ),
    (
        "correctiveEventIDs not URIs",
        make_event(
            errorDeclaration={"declarationTime": "2026-05-02T08:00:00Z", "correctiveEventIDs": ["event 7"]}
        ),
        {("id.not_uri", "errorDeclaration.correctiveEventIDs[0]")},
    ),
    ("non-URI EPC", _set(OBJ, "epcList[1]", "6901234.012345.1002"), {("id.not_uri", "epcList[1]")}),
    (
        "EPC with a space",
        _set(OBJ, "epcList[0]", "urn:epc:id:sgtin:6901234.012345. 1001"),
        {("id.not_uri", "epcList[0]")},
    ),
    (
        "EPC with a bad escape",
        _set(OBJ, "epcList[0]", "urn:epc:id:sgtin:6901234.012345.%G1"),
        {("id.not_uri", "epcList[0]")},
    ),
    ("EPC with Chinese text", _set(OBJ, "epcList[0]", "urn:zhuisu:批次:1"), {("id.not_uri", "epcList[0]")}),
    ("EPC not a string", _set(OBJ, "epcList[2]", 6901234), {("event.bad_type", "epcList[2]")}),
    (
        "same EPC twice",
        _set(OBJ, "epcList[2]", "urn:epc:id:sgtin:6901234.012345.1001"),
        {("event.duplicate", "epcList[2]")},
    ),
    (
        "epcList a string",
        make_event(epcList="urn:epc:id:sgtin:6901234.012345.1001"),
        {("event.bad_type", "epcList")},
    ),
    (
        "readPoint a string",
        make_event(readPoint="urn:epc:id:sgln:6901234.00001.0"),
        {("event.bad_type", "readPoint")},
    ),
    ("readPoint without id", make_event(readPoint={}), {("event.missing_field", "readPoint.id")}),
    (
        "readPoint id not a URI",
        make_event(readPoint={"id": "cold store 3"}),
        {("id.not_uri", "readPoint.id")},
    ),
    (
        "parentID not a URI",
        make_event(type="AggregationEvent", parentID="pallet 1"),
        {("id.not_uri", "parentID")},
    ),
    (
        "bizTransaction not a URI",
        make_event(bizTransactionList=[{"type": "po", "bizTransaction": "PO 1"}]),
        {("id.not_uri", "bizTransactionList[0].bizTransaction")},
    ),
    (
        "destination not a URI",
        make_event(destinationList=[{"type": "location", "destination": "market"}]),
        {("id.not_uri", "destinationList[0].destination")},
    ),
    ("eventID not a URI", make_event(eventID="event-1"), {("id.not_uri", "eventID")}),
    (
        "certificationInfo list with a non-URI",
        make_event(certificationInfo=["https://cert.example.cn/1", "cert 2"]),
        {("id.not_uri", "certificationInfo[1]")},
    ),
    (
        "certificationInfo a number",
        make_event(certificationInfo=7),
        {("event.bad_type", "certificationInfo")},
    ),
    (
        "deviceID not a URI",
        _set(OBJ, f"{META}.deviceID", "thermometer 1"),
        {("id.not_uri", f"{META}.deviceID")},
    ),
]


@pytest.mark.parametrize(("event", "expected"), [pytest.param(e, x, id=i) for i, e, x in RULE_CASES])
def test_rule(event: Any, expected: set[tuple[str, str]]) -> None:
    out, problems = check_event(event, NS)
    assert _codes_paths(problems) == expected
    assert all(p.index is None and p.message_zh and p.message_en for p in problems)
    assert all(p.path in p.message_en and p.path in p.message_zh for p in problems)
    assert _slow(event, NS) == (out, problems)


def test_warnings_are_exactly_the_documented_ones() -> None:
    for _, event, _ in RULE_CASES:
        _, problems = check_event(event, NS)
        for p in problems:
            assert p.severity == ("warning" if Code(p.code) in validation.WARNINGS else "error")


def test_every_code_has_a_rule_test_and_is_documented() -> None:
    tested = {code for _, _, expected in RULE_CASES for code, _ in expected}
    assert tested == {c.value for c in Code}
    assert validation_codes.__doc__ is not None
    for code in Code:
        assert code.value in validation_codes.__doc__
        assert code in validation.MESSAGES


@pytest.mark.parametrize("event_type", [t.value for t in EventType])
def test_events_written_here_are_valid(event_type: str) -> None:
    event = make_event(type=event_type)
    original = copy.deepcopy(event)
    out, problems = check_event(event, NS)
    assert problems == [], [p.message_en for p in problems]
    assert out == event
    assert event == original


@pytest.mark.parametrize(
    "event",
    [
        pytest.param(
            make_event(type="AggregationEvent", action="OBSERVE", parentID=DROP),
            id="aggregation OBSERVE, no parent",
        ),
        pytest.param(
            make_event(type="AggregationEvent", action="DELETE", childEPCs=DROP),
            id="aggregation DELETE, no children",
        ),
        pytest.param(
            make_event(type="TransactionEvent", action="DELETE", epcList=DROP, quantityList=DROP),
            id="transaction DELETE, no objects",
        ),
        pytest.param(
            make_event(type="TransformationEvent", outputEPCList=DROP, transformationID="urn:x:t:1"),
            id="transformation with ID, inputs only",
        ),
        pytest.param(make_event(epcList=DROP, quantityList=DROP), id="sensor observation at a read point"),
        pytest.param(
            make_event(
                sensorElementList=[{"sensorReport": [{"exception": "ALARM_CONDITION", "booleanValue": True}]}]
            ),
            id="exception without measurement type",
        ),
        pytest.param(
            make_event(sensorElementList=[_sensor_element(type="Count", uom=DROP)]), id="count without uom"
        ),
        pytest.param(
            make_event(**{"https://zhuisu.cn/epcis/stallNo": "A-12", "zs:weightKg": 12.5}), id="full IRI key"
        ),
        pytest.param(make_event(**{"cbvmda:lotNumber": "L1"}), id="prefix of the standard context"),
        pytest.param(
            make_event(persistentDisposition={"set": ["completeness_verified"]}), id="persistent disposition"
        ),
        pytest.param(
            make_event(eventTimeZoneOffset="-14:00", eventTime="2026-05-01T08:30:00.123456789-14:00"),
            id="offset -14:00, nanoseconds",
        ),
        pytest.param(
            make_event(
                eventTime="2028-02-29T00:00:00Z", eventID="urn:uuid:9f1c2b1e-1d1e-4c55-9a51-2f4c1e0b7a10"
            ),
            id="leap day",
        ),
        pytest.param(make_event(certificationInfo="https://cert.example.cn/1"), id="one certificationInfo"),
    ],
)
def test_valid_edge_cases(event: dict[str, Any]) -> None:
    out, problems = check_event(event, NS)
    assert problems == [], [p.message_en for p in problems]
    assert _slow(event, NS) == (out, [])


def test_several_problems_are_all_reported() -> None:
    event = make_event(
        action="MOVE",
        bizStep="transforming",
        eventTimeZoneOffset="8:00",
        remark="x",
        epcList=["urn:epc:id:sgtin:6901234.012345.1001", "not a uri"],
    )
    event = _set(event, "quantityList[0].quantity", -2)
    event = _set(event, f"{REPORT}.uom", DROP)
    _, problems = check_event(event, NS)
    assert _codes_paths(problems) == {
        ("event.bad_action", "action"),
        ("cbv.unknown_value", "bizStep"),
        ("time.bad_offset", "eventTimeZoneOffset"),
        ("extension.unnamespaced", "remark"),
        ("id.not_uri", "epcList[1]"),
        ("quantity.negative", "quantityList[0].quantity"),
        ("sensor.uom_missing", f"{REPORT}.uom"),
    }


def test_a_bad_uri_is_found_after_good_ones_were_learnt() -> None:
    assert check_event(make_event(), NS)[1] == []
    event = _set(OBJ, "readPoint.id", "urn:epc:id:sgln:6901234.00001.0 ")
    assert _codes_paths(check_event(event, NS)[1]) == {("id.not_uri", "readPoint.id")}


def test_event_context_declares_prefixes() -> None:
    event = make_event(
        **{
            "@context": [
                "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
                {"yy": "https://example.cn/yy/"},
            ],
            "yy:grade": "A",
        }
    )
    assert check_event(event, {"zs": ZHUISU_NS})[1] == []
    assert _codes_paths(check_event(_set(event, "@context", 5), {"zs": ZHUISU_NS})[1]) == {
        ("event.bad_type", "@context"),
        ("extension.undeclared_prefix", "yy:grade"),
    }


# ---- normalisation ------------------------------------------------------------------------------


def test_cbv_urns_and_web_uris_become_bare_words() -> None:
    event = make_event(
        bizStep="urn:epcglobal:cbv:bizstep:commissioning",
        disposition="https://ref.gs1.org/cbv/Disp-active",
        persistentDisposition={
            "set": ["urn:epcglobal:cbv:disp:completeness_verified"],
            "unset": ["https://ref.gs1.org/cbv/Disp-completeness_inferred"],
        },
        bizTransactionList=[
            {"type": "urn:epcglobal:cbv:btt:po", "bizTransaction": "urn:x:po:1"},
            {"type": "https://ref.gs1.org/cbv/BTT-inv", "bizTransaction": "urn:x:inv:1"},
            {"type": "https://zhuisu.cn/btt/voucher", "bizTransaction": "urn:x:v:1"},
        ],
        sourceList=[{"type": "urn:epcglobal:cbv:sdt:owning_party", "source": "urn:x:party:1"}],
        destinationList=[
            {"type": "https://ref.gs1.org/cbv/SDT-location", "destination": "urn:epc:id:sgln:6901234.00002.0"}
        ],
        errorDeclaration={
            "declarationTime": "2026-05-02T08:00:00Z",
            "reason": "urn:epcglobal:cbv:er:incorrect_data",
        },
        sensorElementList=[
            {
                "sensorReport": [
                    {"type": "gs1:Temperature", "value": 3.5, "uom": "CEL"},
                    {"type": "https://gs1.org/voc/RelativeHumidity", "value": 80, "uom": "P1"},
                    {
                        "type": "Angle",
                        "component": "https://ref.gs1.org/cbv/Comp-latitude",
                        "value": 36.6,
                        "uom": "DD",
                    },
                    {"type": "Angle", "component": "cbv:Comp-longitude", "value": 117.0, "uom": "DD"},
                    {"type": "Temperature", "exception": "gs1:ALARM_CONDITION", "booleanValue": True},
                    {"type": "https://zhuisu.cn/measure/freshness", "value": 0.9, "uom": "C62"},
                ]
            }
        ],
    )
    original = copy.deepcopy(event)
    out, problems = check_event(event, NS)
    assert problems == [], [p.message_en for p in problems]
    assert event == original  # the input is not changed
    assert out["bizStep"] == "commissioning"
    assert out["disposition"] == "active"
    assert out["persistentDisposition"] == {
        "set": ["completeness_verified"],
        "unset": ["completeness_inferred"],
    }
    assert [b["type"] for b in out["bizTransactionList"]] == ["po", "inv", "https://zhuisu.cn/btt/voucher"]
    assert out["sourceList"][0]["type"] == "owning_party"
    assert out["destinationList"][0]["type"] == "location"
    assert out["errorDeclaration"]["reason"] == "incorrect_data"
    reports = out["sensorElementList"][0]["sensorReport"]
    assert [r["type"] for r in reports] == [
        "Temperature",
        "RelativeHumidity",
        "Angle",
        "Angle",
        "Temperature",
        "https://zhuisu.cn/measure/freshness",
    ]
    assert [r.get("component") for r in reports[2:4]] == ["latitude", "longitude"]
    assert reports[4]["exception"] == "ALARM_CONDITION"
    assert _slow(event, NS) == (out, [])


def test_user_uris_are_kept() -> None:
    event = make_event(
        bizStep="https://zhuisu.cn/bizstep/quarantine_check", disposition="urn:zhuisu:disp:held"
    )
    out, problems = check_event(event, NS)
    assert problems == []
    assert (out["bizStep"], out["disposition"]) == (event["bizStep"], event["disposition"])


# ---- the event model ----------------------------------------------------------------------------


def test_model_declares_the_standard_fields() -> None:
    assert set(EVENT_TYPES) == set(EventType)
    assert "action" not in EVENT_TYPES[EventType.TRANSFORMATION].fields
    assert "ilmd" in EVENT_TYPES[EventType.OBJECT].fields
    assert "ilmd" not in EVENT_TYPES[EventType.AGGREGATION].fields
    assert EVENT_TYPES[EventType.ASSOCIATION].required >= {"parentID", "action", "eventTime"}
    assert EVENT_TYPES[EventType.TRANSACTION].required >= {"bizTransactionList"}
    assert STRUCTURES["errorDeclaration"].required == {"declarationTime"}
    report = STRUCTURES["sensorReport"].fields
    for name in (
        "type",
        "exception",
        "deviceID",
        "deviceMetadata",
        "rawData",
        "dataProcessingMethod",
        "time",
        "microorganism",
        "chemicalSubstance",
        "coordinateReferenceSystem",
        "value",
        "component",
        "stringValue",
        "booleanValue",
        "hexBinaryValue",
        "uriValue",
        "minValue",
        "maxValue",
        "meanValue",
        "sDev",
        "percRank",
        "percValue",
        "uom",
    ):
        assert name in report
    for field in TRACE_FIELDS.values():
        assert field.key == f"zs:{field.name}" and field.iri.startswith(ZHUISU_NS)
        assert field.zh and field.meaning_zh and field.meaning_en and field.basis
        assert re.fullmatch(r"[a-z][A-Za-z]+", field.name)
    for name in (
        "quarantineCertNo",
        "meatInspectionCertNo",
        "originCertNo",
        "weightKg",
        "unitPrice",
        "amount",
        "traceVoucher",
        "traceCode",
        "subject",
        "stallNo",
        "origin",
    ):
        assert name in TRACE_FIELDS


# ---- robustness: arbitrary JSON-like input ------------------------------------------------------

_KEYS = sorted(
    {n for spec in EVENT_TYPES.values() for n in spec.fields}
    | {n for spec in STRUCTURES.values() for n in spec.fields}
    | {"sensorMetadata", "sensorReport", "zs:x", "xx:y", "foo", "@context", "http://x.cn/k"}
)
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(
        [
            "ADD",
            "OBSERVE",
            "DELETE",
            "shipping",
            "urn:epcglobal:cbv:bizstep:x",
            "2026-05-01T08:30:00Z",
            "2026-02-31T08:30:00+08:00",
            "+08:00",
            "KGM",
            "urn:epc:id:sgtin:1.2.3",
            "https://ref.gs1.org/cbv/Disp-active",
            "gs1:Count",
            "Temperature",
            "ALARM_CONDITION",
            "ff",
            "cbv:Comp-x",
            "a b",
            "%zz",
        ]
    )
    | st.sampled_from([t.value for t in EventType])
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(_KEYS) | st.text(max_size=6), inner, max_size=6)
    ),
    max_leaves=40,
)
_EVENTS = st.builds(
    lambda t, d: {"type": t, **d},
    st.sampled_from([t.value for t in EventType]),
    st.dictionaries(st.sampled_from(_KEYS), _JSON, max_size=12),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_JSON, _EVENTS))
def test_never_raises_and_fast_pass_agrees_with_reference(value: Any) -> None:
    before = copy.deepcopy(value)
    out, problems = check_event(value, NS)
    assert isinstance(out, dict) and isinstance(problems, list)
    assert all(
        isinstance(p, Problem) and p.index is None and p.code in Code.__members__.values() for p in problems
    )
    assert _slow(value, NS) == (out, problems)
    assert value == before


# ---- cross-check with the official JSON Schema --------------------------------------------------

_OTHER_TYPE = [0, True, None, [], {}, "x"]


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def _paths(value: Any, here: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*here, key)
            yield from _paths(item, (*here, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*here, index)
            yield from _paths(item, (*here, index))


@cache
def _valid_examples() -> list[tuple[str, int]]:
    if not JSONLD.exists():
        return []
    found = []
    for name in _example_names():
        if name in FLAWED or not _schema().is_valid(_document(name)):
            continue
        found += [(name, i) for i in range(len(_event_list(_document(name))))]
    return found


def _documented_divergence(event: dict[str, Any], where: tuple[Any, ...], mutation: str) -> bool:
    """Mutations the schema refuses and EPCIS 2.0 allows: a sensorReport that states an exception
    and measures nothing needs no ``type`` (XSD 2.0: type is optional; the JSON Schema requires it
    on every report)."""
    if mutation != "drop" or where[-1] != "type" or "sensorReport" not in where:
        return False
    report: Any = event
    for part in where[:-1]:
        report = report[part]
    return "exception" in report and not any(
        k in report for k in ("value", "minValue", "maxValue", "meanValue", "sDev", "percRank", "percValue")
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_everything_the_official_schema_refuses_is_refused(data: st.DataObject) -> None:
    examples = _valid_examples()
    if not examples:
        reference_path("epcis", "examples", "jsonld")
        pytest.skip("no JSON-LD example valid per the official schema")
    name, index = data.draw(st.sampled_from(examples), label="example")
    doc = _document(name)
    event = _event_list(doc)[index]
    where = data.draw(st.sampled_from(list(_paths(event))), label="path")
    event = copy.deepcopy(event)
    parent: Any = event
    for part in where[:-1]:
        parent = parent[part]
    mutation = data.draw(st.sampled_from(["drop", "retype"] if isinstance(parent, dict) else ["retype"]))
    if mutation == "drop":
        del parent[where[-1]]
    else:
        original = parent[where[-1]]
        parent[where[-1]] = data.draw(
            st.sampled_from([v for v in _OTHER_TYPE if _json_type(v) != _json_type(original)]),
            label="new value",
        )
    mutated = copy.deepcopy(doc)
    body = mutated["epcisBody"]
    (body if "eventList" in body else body["queryResults"]["resultsBody"])["eventList"] = [event]
    if _schema().is_valid(mutated) or _documented_divergence(event, where, mutation):
        return
    _, problems = check_event(event, _namespaces(doc))
    assert problems, f"{name}[{index}] {mutation} {where}: the official schema refuses, we accepted"


# ---- what the fast pass remembers ----------------------------------------------------------------


def test_an_extension_key_found_valid_is_checked_again_under_other_namespaces() -> None:
    # the fast pass remembers the extension keys it found valid, for the namespaces they were
    # valid under: the same key under namespaces without its prefix is still refused
    event = make_event(**{"ex:grade": "A"})
    assert check_event(event, NS)[1] == []
    assert check_event(event, NS)[1] == []
    assert _codes_paths(check_event(event, {"zs": ZHUISU_NS})[1]) == {
        ("extension.undeclared_prefix", "ex:grade")
    }
    assert check_event(event, NS)[1] == []


@pytest.mark.parametrize(
    ("report", "expected"),
    [
        ({"type": "Temperature", "value": 4.5, "uom": "CEL"}, set()),
        ({"type": "Temperature", "value": "4.5", "uom": "CEL"}, {("event.bad_type", f"{REPORT}.value")}),
        ({"type": "Temperature", "value": 4.5, "uom": "cel"}, {("uom.bad_code", f"{REPORT}.uom")}),
        ({"type": "Temprature", "value": 4.5, "uom": "CEL"}, {("sensor.unknown_type", f"{REPORT}.type")}),
        ({"type": "Temperature", "value": True, "uom": "CEL"}, {("event.bad_type", f"{REPORT}.value")}),
        ({"type": "Temperature", "value": 4.5, "uom": ["CEL"]}, {("event.bad_type", f"{REPORT}.uom")}),
    ],
)
def test_the_common_sensor_report_shape_is_checked_like_any_other(
    report: dict[str, Any], expected: set[tuple[str, str]]
) -> None:
    # the fast pass takes {type, value, uom} reports whole; a fault in one is found where it stands
    check_event(make_event(), NS)  # the unit CEL is learnt as valid
    event = _set(OBJ, "sensorElementList[0].sensorReport[0]", report)
    out, problems = check_event(event, NS)
    assert _codes_paths(problems) == expected
    assert (out, problems) == _slow(event, NS)
