"""EPCIS 2.0 XML ⇄ canonical events, checked against GS1's own examples, XSDs and JSON-LD twins.

What GS1 provides and how it is used here (../shared/reference/epcis, skipped when absent):

* every XML example under ``examples/xml`` (CaptureJob status documents aside, which are not EPCIS
  documents and are refused as ``xml.wrong_root``) parses without problems;
* every example is valid against the official XSD — all of them are, so the exclusion list
  ``NOT_XSD_VALID`` is empty;
* XML → canonical → ``render_xml`` → valid per the 2.0 XSD → ``parse_xml`` → the same events, as
  an EPCISDocument and as an EPCISQueryDocument, with URN and Web URI CBV values;
* XML → canonical equals the canonical form of the JSON-LD twin wherever GS1 has one
  (``TWINS``). GS1's twins are often not quite the same event; every remaining difference is
  listed in ``TWINS`` with the reason, and the test fails if one disappears or a new one appears;
* every JSON-LD example → ``render_xml`` → valid XML → ``parse_xml`` gives the events back.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from tests.reference import REFERENCE, reference_path
from zhuisu.capture.document import Format, ParsedDocument
from zhuisu.capture.formats.epcis_xml import parse_xml
from zhuisu.capture.formats.epcis_xml_render import render_xml
from zhuisu.domain import cbv

EXAMPLES = REFERENCE / "epcis" / "examples"
V = cbv.Vocabulary

# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------


def example_files(folder: str, pattern: str) -> list[Any]:
    base = EXAMPLES / folder
    if not base.is_dir():
        return [
            pytest.param(None, marks=pytest.mark.skip(reason=f"reference material not available: {base}"))
        ]
    return [
        pytest.param(path, id=path.relative_to(EXAMPLES).as_posix()) for path in sorted(base.rglob(pattern))
    ]


EPCIS_XML = [
    p for p in example_files("xml", "*.xml") if p.values[0] is None or "CaptureJob" not in p.values[0].parts
]
CAPTURE_JOBS = [
    p for p in example_files("xml", "*.xml") if p.values[0] is None or "CaptureJob" in p.values[0].parts
]
JSONLD = example_files("jsonld", "*.jsonld")

#: examples that are not valid against GS1's XSD (none: all are, as checked below)
NOT_XSD_VALID: dict[str, str] = {}

#: events / master data entries per example, so a silent loss shows
COUNTS = {
    "AssociationEvent/AssociationEventExamples.xml": (8, 0),
    "CBV/CBV-11.4-2020-06-16a.xml": (0, 3),
    "Mimasu/Example-masterData.xml": (0, 7),
    "WithFullCombinationOfFields/masterdata_all_possible_fields.xml": (0, 2),
    "WithSensorData/SensorDataExamples.xml": (14, 0),
    "Example-PersistentDisposition.xml": (2, 0),
}


@cache
def _schema(version: str) -> etree.XMLSchema:
    folder = reference_path("epcis", "schema", f"xsd-{version}")
    major = version[0]
    files = {
        f"urn:epcglobal:epcis:xsd:{major}": f"EPCglobal-epcis-{version.replace('.', '_')}.xsd",
        f"urn:epcglobal:epcis-query:xsd:{major}": f"EPCglobal-epcis-query-{version.replace('.', '_')}.xsd",
        f"urn:epcglobal:epcis-masterdata:xsd:{major}": (
            f"EPCglobal-epcis-masterdata-{version.replace('.', '_')}.xsd"
        ),
    }
    imports = "".join(
        f'<xsd:import namespace="{ns}" schemaLocation="{(folder / name).as_uri()}"/>'
        for ns, name in files.items()
    )
    wrapper = (
        '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:zhuisu:test:all">'
        f"{imports}</xsd:schema>"
    )
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), base_url=folder.as_uri() + "/"))


def assert_xsd_valid(data: bytes, version: str = "2.0") -> None:
    schema = _schema(version)
    document = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    assert schema.validate(document), str(schema.error_log)[:2000]


def resolve_path(data: bytes, path: str) -> etree._Element:
    """Follow an event path (local names, 1-based positions among same-named siblings)."""
    document = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    steps = []
    for step in path.strip("/").split("/"):
        match = re.fullmatch(r"([\w.:-]+?)(?:\[(\d+)\])?", step)
        assert match, step
        name, position = match.group(1).split(":")[-1], match.group(2)
        steps.append(f"*[local-name()='{name}']" + (f"[{position}]" if position else ""))
    found = document.xpath("/" + "/".join(steps))
    assert isinstance(found, list) and len(found) == 1, (path, found)
    element = found[0]
    assert isinstance(element, etree._Element)
    return element


def _word(vocabulary: cbv.Vocabulary, value: Any) -> Any:
    normalised = cbv.normalise(vocabulary, value) if isinstance(value, str) else None
    return value if normalised is None else normalised.value


def json_canonical(event: dict[str, Any]) -> dict[str, Any]:
    """A JSON-LD event as the JSON reader brings it to the canonical form (CBV bare words)."""
    e = copy.deepcopy(event)
    for key, vocabulary in (("bizStep", V.BIZ_STEP), ("disposition", V.DISPOSITION)):
        if key in e:
            e[key] = _word(vocabulary, e[key])
    for item in e.get("bizTransactionList", []):
        if "type" in item:
            item["type"] = _word(V.BIZ_TRANSACTION_TYPE, item["type"])
    for key in ("sourceList", "destinationList"):
        for item in e.get(key, []):
            if "type" in item:
                item["type"] = _word(V.SOURCE_DEST_TYPE, item["type"])
    if "reason" in e.get("errorDeclaration", {}):
        e["errorDeclaration"]["reason"] = _word(V.ERROR_REASON, e["errorDeclaration"]["reason"])
    for key in ("set", "unset"):
        if key in e.get("persistentDisposition", {}):
            e["persistentDisposition"][key] = [
                _word(V.DISPOSITION, w) for w in e["persistentDisposition"][key]
            ]
    for element in e.get("sensorElementList", []):
        for report in element.get("sensorReport", []):
            for key, fn in (
                ("type", cbv.normalise_measurement_type),
                ("exception", cbv.normalise_alert_type),
            ):
                if key in report:
                    normalised = fn(report[key])
                    report[key] = report[key] if normalised is None else normalised.value
            if "component" in report:
                report["component"] = _word(V.COMPONENT, report["component"])
    return e


def json_document(path: Path) -> tuple[list[dict[str, Any]], dict[str, str]]:
    document = json.loads(path.read_text(encoding="utf-8"))
    body = document["epcisBody"]
    events = body["eventList"] if "eventList" in body else body["queryResults"]["resultsBody"]["eventList"]
    context = document.get("@context", [])
    namespaces: dict[str, str] = {}
    for item in context if isinstance(context, list) else [context]:
        if isinstance(item, dict):
            namespaces.update({k: v for k, v in item.items() if isinstance(v, str)})
    return [json_canonical(e) for e in events], namespaces


_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT")


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str) and _TIMESTAMP.match(a) and _TIMESTAMP.match(b):
        return datetime.fromisoformat(a) == datetime.fromisoformat(b)  # the same instant
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return bool(a == b)  # 26 == 26.0: JSON numbers


def differences(a: Any, b: Any, path: str = "") -> Iterator[str]:
    """Paths at which two canonical values differ (timestamps compared as instants)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                yield f"{path}.{key}"
            else:
                yield from differences(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from differences(x, y, f"{path}[{i}]")
    elif not _same(a, b):
        yield path


def parse_file(path: Path) -> ParsedDocument:
    doc = parse_xml(path.read_bytes())
    assert doc.problems == [], [p.as_dict() for p in doc.problems]
    return doc


# ---------------------------------------------------------------------------------------------
# GS1 examples: parsing, XSD validity, round trip
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", EPCIS_XML)
def test_example_parses_without_problems(path: Path) -> None:
    data = path.read_bytes()
    doc = parse_file(path)
    assert doc.format is Format.XML
    assert doc.events or doc.masterdata
    assert len(doc.event_paths) == len(doc.events)
    for event, event_path in zip(doc.events, doc.event_paths, strict=True):
        assert resolve_path(data, event_path).tag == event["type"]
        assert event["type"] in (
            "ObjectEvent",
            "AggregationEvent",
            "TransactionEvent",
            "TransformationEvent",
            "AssociationEvent",
        )
    relative = path.relative_to(EXAMPLES / "xml").as_posix()
    if relative in COUNTS:
        assert (len(doc.events), len(doc.masterdata)) == COUNTS[relative]
    assert doc.namespaces.get("epcis", "urn:epcglobal:epcis:xsd:2") in (
        "urn:epcglobal:epcis:xsd:2",
        "urn:epcglobal:epcis-masterdata:xsd:2",
    )


@pytest.mark.parametrize("path", CAPTURE_JOBS)
def test_capture_job_documents_are_not_epcis_documents(path: Path) -> None:
    doc = parse_xml(path.read_bytes())
    assert [p.code for p in doc.problems] == ["xml.wrong_root"]
    assert doc.problems[0].path == "/EPCISCaptureJob"


@pytest.mark.parametrize("path", EPCIS_XML + CAPTURE_JOBS)
def test_example_is_valid_against_gs1_xsd(path: Path) -> None:
    if path.relative_to(EXAMPLES).as_posix() in NOT_XSD_VALID:
        pytest.skip(NOT_XSD_VALID[path.relative_to(EXAMPLES).as_posix()])
    assert_xsd_valid(path.read_bytes())


@pytest.mark.parametrize("cbv_format", ["No_Preference", "Always_URN", "Always_Web_URI"])
@pytest.mark.parametrize("query", [False, True], ids=["document", "query"])
@pytest.mark.parametrize("path", EPCIS_XML)
def test_round_trip_is_a_fixed_point(path: Path, query: bool, cbv_format: str) -> None:
    doc = parse_file(path)
    out = render_xml(
        doc.events,
        doc.namespaces,
        query=query,
        cbv_format=cbv_format,
        query_name="SimpleEventQuery",
        subscription_id="sub-1" if query else None,
    )
    assert_xsd_valid(out)
    again = parse_xml(out)
    assert again.problems == []
    assert again.events == doc.events
    assert again.format is Format.XML
    root = "/EPCISQueryDocument/EPCISBody/QueryResults/resultsBody" if query else "/EPCISDocument/EPCISBody"
    assert all(p.startswith(root + "/EventList/") for p in again.event_paths)
    for prefix, uri in again.namespaces.items():  # the declarations come back unchanged
        if prefix in doc.namespaces and prefix != "epcis":
            assert doc.namespaces[prefix] == uri


# ---------------------------------------------------------------------------------------------
# JSON-LD twins
# ---------------------------------------------------------------------------------------------

_ONLY_IN_JSON = "the JSON-LD twin carries certificationInfo, errorDeclaration and an eventID the XML lacks"
_NESTING = "the JSON-LD twin nests ext1:object / ext2:object one level deeper than the XML elements do"
_HASH_TYPES = (
    "xsi:type integer/double: event_with_identical_hash_id_7.json writes JSON numbers, the "
    "XML binding gives strings (and the WithFullCombinationOfFields twins write strings too)"
)
_FULL_NESTING = {
    p: _NESTING
    for p in (
        ".ext1:array[5].ext1:object",
        ".ext1:object.ext2:object",
        ".sensorElementList[0].ext1:array[5].ext1:object",
        ".sensorElementList[0].ext1:object.ext2:object",
    )
}
_FULL_EXTRA = {".certificationInfo": _ONLY_IN_JSON, ".errorDeclaration": _ONLY_IN_JSON}
_HASH = {
    p: _HASH_TYPES
    for p in (
        ".ext1:float",
        ".ext1:int",
        ".ilmd.ext1:float",
        ".ilmd.ext1:int",
        ".sensorElementList[0].ext1:float",
        ".sensorElementList[0].ext1:int",
    )
}
_MEASURES = "the twin makes the two measures a list of objects"
_QUANTITY_ORDER = "the hash sorts quantity elements; the files list them in another order"
_JSON_TRUE = "the twin has JSON true here and strings elsewhere"
_EMPTY = 'the empty XML element is kept as ""; the twin omits it'
_XYZ = "XML example:x/y/z, JSON-LD the CBV x/y/z"
_NOT_SAME_EVENT = "GS1's XML and JSON-LD files here hold different events"

#: (XML example, event index, JSON-LD example, event index, {differing path prefix: why})
#: An ``eventID`` that only the JSON-LD twin has (GS1 added hash IDs there) is always tolerated.
TWINS: list[tuple[str, int, str, int, dict[str, str]]] = [
    (
        "xml/WithFullCombinationOfFields/aggregation_event_all_possible_fields.xml",
        0,
        "jsonld/WithFullCombinationOfFields/aggregation_event_all_possible_fields.jsonld",
        0,
        {
            **_FULL_EXTRA,
            **_FULL_NESTING,
            ".sensorElementList[0].sensorReport[0].component": "XML example:x, JSON-LD cbv:Comp-latitude",
        },
    ),
    (
        "xml/WithFullCombinationOfFields/association_event_all_possible_fields.xml",
        0,
        "jsonld/WithFullCombinationOfFields/association_event_all_possible_fields.jsonld",
        0,
        {**_FULL_EXTRA, **_FULL_NESTING},
    ),
    (
        "xml/WithFullCombinationOfFields/transaction_event_all_possible_fields.xml",
        0,
        "jsonld/WithFullCombinationOfFields/transaction_event_all_possible_fields.jsonld",
        0,
        {**_FULL_EXTRA, **_FULL_NESTING},
    ),
    (
        "xml/WithFullCombinationOfFields/transformation_event_all_possible_fields.xml",
        0,
        "jsonld/WithFullCombinationOfFields/transformation_event_all_possible_fields.jsonld",
        0,
        {
            **_FULL_EXTRA,
            **_FULL_NESTING,
            ".ilmd.ext1:array[5].ext1:object": _NESTING,
            ".ilmd.ext1:object.ext2:object": _NESTING,
            **{
                f".ilmd.cbvmda:{w}": 'the XML\'s measurementUnitCode="KGM" attribute is not in the JSON-LD '
                'twin (the canonical value keeps it: {"@measurementUnitCode": "KGM", "#text": "3.5"})'
                for w in ("drainedWeight", "grossWeight", "netWeight")
            },
        },
    ),
    (
        "xml/WithFullCombinationOfFields/object_event_all_possible_fields.xml",
        0,
        "jsonld/WithFullCombinationOfFields/object_event_all_possible_fields.jsonld",
        0,
        {
            **_FULL_EXTRA,
            ".action": "XML OBSERVE, JSON-LD ADD",
            ".ilmd": "only the JSON-LD twin has ILMD",
            ".ext1:": "only the JSON-LD twin has event-level extensions",
            ".sensorElementList[0].ext1:": "the XML sensorElement has fewer extension fields than the twin's",
        },
    ),
    ("xml/Example_9.6.1-ObjectEvent-2020_06_18a.xml", 0, "jsonld/Example_9.6.1-ObjectEvent.jsonld", 0, {}),
    ("xml/Example_9.6.1-ObjectEvent-2020_06_18a.xml", 1, "jsonld/Example_9.6.1-ObjectEvent.jsonld", 1, {}),
    ("xml/Example_9.6.1-ObjectEvent-2020_06_18a.xml", 0, "jsonld/EPCISQueryDocument.jsonld", 0, {}),
    ("xml/Example_9.6.1-ObjectEvent-2020_06_18a.xml", 1, "jsonld/EPCISQueryDocument.jsonld", 1, {}),
    (
        "xml/Example-TransactionEvent-2020_07_03y.xml",
        0,
        "jsonld/Example-TransactionEvents-2020_07_03y.jsonld",
        0,
        {},
    ),
    (
        "xml/Example-TransactionEvent-2020_07_03y.xml",
        1,
        "jsonld/Example-TransactionEvents-2020_07_03y.jsonld",
        1,
        {
            ".rail:vehicle[1].rail:vehicleMasterGIAI": _EMPTY,
            ".rail:vehicle[2].rail:vehicleUniquelyIdentified": _JSON_TRUE,
        },
    ),
    (
        "xml/Example-PersistentDisposition.xml",
        0,
        "jsonld/PersistentDisposition-example.jsonld",
        0,
        {
            p: _NOT_SAME_EVENT + " (AggregationEvent vs ObjectEvent)"
            for p in (".type", ".parentID", ".childEPCs", ".epcList")
        },
    ),
    (
        "xml/Example-PersistentDisposition.xml",
        1,
        "jsonld/PersistentDisposition-example.jsonld",
        1,
        {
            p: _NOT_SAME_EVENT + " (AggregationEvent vs ObjectEvent)"
            for p in (".type", ".parentID", ".childEPCs", ".epcList", ".action", ".bizStep")
        },
    ),
    *[
        (
            "xml/WithErrorDeclaration/ErrorDeclarationAndCorrectiveEvent.xml",
            i,
            "jsonld/WithErrorDeclaration/ErrorDeclarationAndCorrectiveEvent.jsonld",
            i,
            {
                ".inputQuantityList[0].quantity": 'XML <quantity xsi:nil="true"/>, JSON-LD 500 KGM',
                ".inputQuantityList[0].uom": 'XML <quantity xsi:nil="true"/>, JSON-LD 500 KGM',
                ".readPoint.id": _NOT_SAME_EVENT + " (another read point)",
            },
        )
        for i in (0, 1)
    ],
    (
        "xml/Mimasu/Example2.xml",
        0,
        "jsonld/Example_9.6.2-ObjectEvent.jsonld",
        0,
        {".epcList": "the XML's empty <epcList/> is kept as []; the twin omits epcList"},
    ),
    ("xml/Mimasu/Example3.xml", 0, "jsonld/Example_9.6.3-AggregationEvent.jsonld", 0, {}),
    ("xml/Mimasu/Example4.xml", 0, "jsonld/Example_9.6.4-TransformationEvent.jsonld", 0, {}),
    *[
        (
            "xml/WithSensorData/SensorDataExamples.xml",
            i,
            f"jsonld/WithSensorData/SensorDataExample{case}.jsonld",
            0,
            {},
        )
        for i, case in ((0, 1), (1, 2), (2, 3), (4, 5))
    ],
    (
        "xml/WithSensorData/SensorDataExamples.xml",
        3,
        "jsonld/WithSensorData/SensorDataExample4.jsonld",
        0,
        {
            f".sensorElementList[0].sensorReport[{i}].rawData": "the twin has per-device rawData URLs"
            for i in range(4)
        },
    ),
    (
        "xml/WithSensorData/SensorDataExamples.xml",
        5,
        "jsonld/WithSensorData/SensorDataExample6.jsonld",
        0,
        {
            ".epcList": _NOT_SAME_EVENT + " (the twin has an EPC and a quantity)",
            ".quantityList": _NOT_SAME_EVENT,
            ".sensorElementList[0].example:furtherSensorData": _MEASURES,
        },
    ),
    (
        "xml/WithSensorData/SensorDataExamples.xml",
        6,
        "jsonld/WithSensorData/SensorDataExample7.jsonld",
        0,
        {".sensorElementList[0].sensorReport[4].hexBinaryValue": "f0f0f0 vs F0F0F0 (kept as sent)"},
    ),
    (
        "xml/WithSensorData/SensorDataExamples.xml",
        7,
        "jsonld/WithSensorData/SensorDataExample8.jsonld",
        0,
        {
            ".childEPCs": "the XML's empty <childEPCs/> is kept as []; the twin omits it",
            ".sensorElementList[0].sensorReport[1].type": "XML gs1:Molar_concentration (not a GS1 term), "
            "JSON-LD AmountOfSubstancePerUnitVolume",
            ".sensorElementList[0].sensorReport[2].type": "as above",
            ".sensorElementList[1].example:furtherSensorData": _MEASURES,
        },
    ),
    (
        "xml/WithSensorData/SensorDataExamples.xml",
        8,
        "jsonld/WithSensorData/SensorDataExample9.jsonld",
        0,
        {
            ".sensorElementList[0].sensorReport[0].type": "only the twin names measurement types here",
            ".sensorElementList[0].sensorReport[1].type": "only the twin names measurement types here",
        },
    ),
    (
        "xml/WithSensorData/SensorDataExamples.xml",
        9,
        "jsonld/WithSensorData/SensorDataExample10.jsonld",
        0,
        {
            **{f".sensorElementList[0].sensorReport[{i}].component": _XYZ for i in range(3)},
            **{
                f".sensorElementList[0].sensorReport[{i}].ex:feature": "only the twin has ex:feature"
                for i in range(3)
            },
        },
    ),
    (
        "xml/WithSensorData/SensorDataExamples.xml",
        10,
        "jsonld/WithSensorData/SensorDataExample11.jsonld",
        0,
        {
            ".sensorElementList[0].sensorReport[0].type": "XML gs1:EffectiveDoseRate (not a GS1 term), "
            "JSON-LD DoseEquivalentRate"
        },
    ),
    (
        "xml/WithSensorData/SensorDataExamples.xml",
        11,
        "jsonld/WithSensorData/SensorDataExample12.jsonld",
        0,
        {
            ".readPoint.example:gs1ES": "only the XML has it",
            ".bizLocation.example:gs1ES": "only the XML has it",
            ".example2:furtherData": "only the XML has it",
            ".errorDeclaration.example:field": 'XML has an attribute, the twin the text "foo bar"',
        },
    ),
    *[
        (
            "xml/WithSensorData/SensorDataExamples.xml",
            i,
            f"jsonld/WithSensorData/SensorDataExample{case}.jsonld",
            0,
            {
                ".bizStep": "the XML writes https://ref.gs1.org/cbv/Bizstep-sensor_reporting (lower-case "
                "s: not a CBV Web URI, so kept as given); the twin sensor_reporting",
                ".sensorElementList[0].sensorReport[0].component": "the XML writes the CURIE cbv:Comp-…, "
                "which is not a URI of the CBV (kept as given); the twin the bare word",
                ".sensorElementList[0].sensorReport[1].component": "as above",
            },
        )
        for i, case in ((12, 14), (13, 15))
    ],
    *[
        (
            "xml/AssociationEvent/AssociationEventExamples.xml",
            i,
            f"jsonld/AssociationEvent/AssociationEvent-{c}.jsonld",
            0,
            {},
        )
        for i, c in enumerate("abcdefh")
        if c != "h"
    ],
    (
        "xml/AssociationEvent/AssociationEventExamples.xml",
        7,
        "jsonld/AssociationEvent/AssociationEvent-h.jsonld",
        0,
        {},
    ),
    (
        "xml/AssociationEvent/AssociationEventExamples.xml",
        6,
        "jsonld/AssociationEvent/AssociationEvent-g.jsonld",
        0,
        {".errorDeclaration.correctiveEventIDs[0]": "XML a urn:uuid, the twin a hash ID"},
    ),
    (
        "xml/AssociationEvent/AssociationEventExamples.xml",
        5,
        "jsonld/Example-Type-sourceOrDestination,measurement,bizTransaction.jsonld",
        0,
        {
            ".bizTransactionList": "the twin has a second bizTransaction",
            ".example:myField": "only the twin has it",
        },
    ),
    *[
        (
            f"xml/WithEventHashID/event_with_identical_hash_id_{k}.xml",
            0,
            "xml/WithEventHashID/event_with_identical_hash_id_7.json",
            0,
            {**_HASH, **extra},
        )
        for k, extra in (
            (1, {}),
            (6, {}),
            (2, {".eventTimeZoneOffset": "the hash ignores eventTimeZoneOffset; the files differ in it"}),
            (
                3,
                {
                    ".epcList[0]": "the hash sorts EPCs; the files list them in another order",
                    ".epcList[1]": "as above",
                },
            ),
            (
                4,
                {
                    ".quantityList[0]": _QUANTITY_ORDER,
                    ".quantityList[1]": "as above",
                },
            ),
        )
    ],
    (
        "xml/WithEventHashID/event_with_identical_hash_id_5.xml",
        0,
        "xml/WithEventHashID/event_with_identical_hash_id_7.json",
        0,
        {
            **{
                p: "the XML binds prefix ext2 to the namespace the JSON calls ext1: same expanded names, "
                "but the canonical keys keep each document's prefixes"
                for p in (
                    ".ext1:",
                    ".ext2:",
                    ".ilmd.ext1:",
                    ".ilmd.ext2:",
                    ".sensorElementList[0].ext1:",
                    ".sensorElementList[0].ext2:",
                    ".sensorElementList[0].sensorMetadata.ext",
                    ".sensorElementList[0].sensorReport[0].ext",
                )
            },
            ".quantityList[0]": _QUANTITY_ORDER,
            ".quantityList[1]": "as above",
        },
    ),
]


@pytest.mark.parametrize(
    ("xml_file", "xml_index", "json_file", "json_index", "expected"),
    [
        pytest.param(*twin, id=f"{Path(twin[0]).name}[{twin[1]}]~{Path(twin[2]).name}[{twin[3]}]")
        for twin in TWINS
    ],
)
def test_xml_equals_its_json_ld_twin(
    xml_file: str, xml_index: int, json_file: str, json_index: int, expected: dict[str, str]
) -> None:
    xml_event = parse_file(reference_path("epcis", "examples", xml_file)).events[xml_index]
    json_events, _ = json_document(reference_path("epcis", "examples", json_file))
    json_event = json_events[json_index]
    if "eventID" in json_event and "eventID" not in xml_event:
        del json_event["eventID"]  # GS1 added hash IDs to its JSON-LD twins only
    found = list(differences(xml_event, json_event))
    unexplained = [p for p in found if not any(p.startswith(prefix) for prefix in expected)]
    assert unexplained == [], unexplained
    stale = [prefix for prefix in expected if not any(p.startswith(prefix) for p in found)]
    assert stale == [], f"listed differences no longer occur: {stale}"


@pytest.mark.parametrize("path", JSONLD)
def test_json_ld_example_renders_to_valid_xml_and_back(path: Path) -> None:
    events, namespaces = json_document(path)
    out = render_xml(events, namespaces)
    assert_xsd_valid(out)
    back = parse_xml(out)
    assert back.problems == []
    found = [p for a, b in zip(events, back.events, strict=True) for p in differences(a, b)]
    if path.name == "Example-TransactionEvents-2020_07_03y.jsonld":
        # XML has no booleans in extensions: the twin's JSON true comes back as "true"
        assert found == [".rail:vehicle[2].rail:vehicleUniquelyIdentified"]
    else:
        assert found == []


# ---------------------------------------------------------------------------------------------
# master data
# ---------------------------------------------------------------------------------------------


def test_master_data_in_the_header() -> None:
    doc = parse_file(
        reference_path(
            "epcis", "examples", "xml", "WithFullCombinationOfFields", "masterdata_all_possible_fields.xml"
        )
    )
    assert doc.events == []
    assert [(m["type"], m["id"]) for m in doc.masterdata] == [
        ("urn:epcglobal:epcis:vtype:BusinessLocation", "urn:epc:id:sgln:0037000.00729.0"),
        ("urn:epcglobal:epcis:vtype:ReadPoint", "urn:epc:id:sgln:0037000.00729.0"),
    ]
    entry = doc.masterdata[0]
    assert entry["children"] == ["urn:epc:id:sgln:0037000.00729.8201"]
    attributes = entry["attributes"]
    assert attributes["http://example.com/ext1#string"] == "stringValue"
    assert attributes["http://example.com/ext1#array"] == ["string1InArray", "string2InArray"]
    assert attributes["http://example.com/ext1#object1"] == {
        "ext1:object2": {"inner1": "val1", "inner2": "val2"},
        "ext1:string": "string",
    }
    assert attributes["http://example.com/ext1#object2"]["ext1:int"] == "10"


def test_master_data_document() -> None:
    doc = parse_file(reference_path("epcis", "examples", "xml", "Mimasu", "Example-masterData.xml"))
    first = doc.masterdata[0]
    assert first["type"] == "urn:epcglobal:epcis:vtype:BusinessLocation"
    assert first["attributes"]["http://epcis.example.com/mda/latitude"] == "+18.0000"
    assert first["attributes"]["http://epcis.example.com/mda/address"] == {
        "example:Address": {"Street": "100 Nowhere Street", "City": "Fancy", "State": "DC", "Zip": "99999"}
    }
    assert first["children"][0] == "urn:epc:id:sgln:0037000.00729.8201"
    assert doc.namespaces["example"] == "http://epcis.example.com/ns"  # declared on a nested element
    assert doc.masterdata[1] == {
        "type": "urn:epcglobal:epcis:vtype:BusinessLocation",
        "id": "urn:epc:id:sgln:0037000.00729.8201",
        "attributes": {"urn:epcglobal:cbv:mda:sst": "201"},
        "children": [],
    }


# ---------------------------------------------------------------------------------------------
# conventions, on small documents (no reference material needed)
# ---------------------------------------------------------------------------------------------

HEAD = (
    '<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" xmlns:ex="https://ex.example/ns/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" schemaVersion="2.0" '
    'creationDate="2024-05-01T00:00:00Z"><EPCISBody><EventList>'
)
TAIL = "</EventList></EPCISBody></epcis:EPCISDocument>"
BASE = "<eventTime>2024-05-01T08:00:00.000+08:00</eventTime><eventTimeZoneOffset>+08:00</eventTimeZoneOffset>"


def one_event(body: str, head: str = HEAD) -> tuple[dict[str, Any], ParsedDocument]:
    doc = parse_xml((head + body + TAIL).encode())
    assert doc.problems == [], doc.problems
    assert len(doc.events) == 1
    return doc.events[0], doc


def test_standard_fields_map_to_json_keys() -> None:
    event, doc = one_event(
        f"<ObjectEvent>{BASE}<recordTime>2024-05-01T00:01:00Z</recordTime>"
        "<eventID>urn:uuid:1</eventID><certificationInfo>https://cert.example/1</certificationInfo>"
        "<epcList><epc> urn:epc:id:sgtin:0614141.107346.2017 </epc></epcList><action>ADD</action>"
        "<bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>"
        "<disposition>https://ref.gs1.org/cbv/Disp-active</disposition>"
        "<readPoint><id>urn:epc:id:sgln:0614141.00777.0</id></readPoint>"
        "<bizTransactionList><bizTransaction type='urn:epcglobal:cbv:btt:po'>"
        "urn:epcglobal:cbv:bt:0614141000005:1"
        "</bizTransaction><bizTransaction>https://po.example/2</bizTransaction></bizTransactionList>"
        "<quantityList><quantityElement><epcClass>urn:epc:class:lgtin:4012345.012345.998877</epcClass>"
        "<quantity>200.5</quantity><uom>KGM</uom></quantityElement><quantityElement>"
        "<epcClass>urn:epc:idpat:sgtin:4012345.066666.*</epcClass><quantity>20.0</quantity></quantityElement>"
        "<quantityElement><epcClass>urn:epc:class:lgtin:4012345.012345.1</epcClass>"
        "<quantity xsi:nil='true'/></quantityElement></quantityList>"
        "<sourceList><source type='urn:epcglobal:cbv:sdt:owning_party'>urn:epc:id:pgln:4012345.00225</source>"
        "</sourceList><destinationList><destination type='https://ex.example/sdt/x'>urn:epc:id:pgln:0614141.00777"
        "</destination></destinationList>"
        "<persistentDisposition><unset>urn:epcglobal:cbv:disp:completeness_inferred</unset>"
        "<set>completeness_verified</set></persistentDisposition>"
        "<ilmd><ex:lot>L1</ex:lot></ilmd></ObjectEvent>"
    )
    assert event == {
        "type": "ObjectEvent",
        "eventTime": "2024-05-01T08:00:00.000+08:00",
        "eventTimeZoneOffset": "+08:00",
        "recordTime": "2024-05-01T00:01:00Z",
        "eventID": "urn:uuid:1",
        "certificationInfo": "https://cert.example/1",
        "epcList": ["urn:epc:id:sgtin:0614141.107346.2017"],
        "action": "ADD",
        "bizStep": "commissioning",
        "disposition": "active",
        "readPoint": {"id": "urn:epc:id:sgln:0614141.00777.0"},
        "bizTransactionList": [
            {"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:0614141000005:1"},
            {"bizTransaction": "https://po.example/2"},
        ],
        "quantityList": [
            {"epcClass": "urn:epc:class:lgtin:4012345.012345.998877", "quantity": 200.5, "uom": "KGM"},
            {"epcClass": "urn:epc:idpat:sgtin:4012345.066666.*", "quantity": 20},
            {"epcClass": "urn:epc:class:lgtin:4012345.012345.1"},
        ],
        "sourceList": [{"type": "owning_party", "source": "urn:epc:id:pgln:4012345.00225"}],
        "destinationList": [
            {"type": "https://ex.example/sdt/x", "destination": "urn:epc:id:pgln:0614141.00777"}
        ],
        "persistentDisposition": {"unset": ["completeness_inferred"], "set": ["completeness_verified"]},
        "ilmd": {"ex:lot": "L1"},
    }
    assert isinstance(event["quantityList"][1]["quantity"], int)
    assert doc.event_paths == ["/EPCISDocument/EPCISBody/EventList/ObjectEvent[1]"]


def test_unknown_cbv_values_are_kept_as_given() -> None:
    event, _ = one_event(
        f"<ObjectEvent>{BASE}<action>OBSERVE</action><bizStep>urn:epcglobal:cbv:bizstep:transforming</bizStep>"
        "<disposition>https://ref.gs1.org/cbv/Disp-nonsense</disposition></ObjectEvent>"
    )
    assert event["bizStep"] == "urn:epcglobal:cbv:bizstep:transforming"
    assert event["disposition"] == "https://ref.gs1.org/cbv/Disp-nonsense"


def test_sensor_elements() -> None:
    event, _ = one_event(
        f"<ObjectEvent>{BASE}<action>OBSERVE</action><sensorElementList><sensorElement>"
        "<sensorMetadata time='2024-05-01T07:00:00Z' deviceID='urn:epc:id:giai:4000001.111' ex:batch='7'/>"
        "<sensorReport type='gs1:Temperature' value='26.0' minValue='-1.5' uom='CEL' percRank='50'"
        " booleanValue='true' hexBinaryValue='f0f0' component='urn:epcglobal:cbv:comp:x' ex:cv='123'/>"
        "<sensorReport type='https://gs1.org/voc/RelativeHumidity' exception='gs1:ALARM_CONDITION'"
        " booleanValue='false' value='1e2'/>"
        "<sensorReport type='ex:Custom' stringValue='abc' value='NaN'/>"
        "<ex:note>n</ex:note></sensorElement></sensorElementList></ObjectEvent>"
    )
    assert event["sensorElementList"] == [
        {
            "sensorMetadata": {
                "time": "2024-05-01T07:00:00Z",
                "deviceID": "urn:epc:id:giai:4000001.111",
                "ex:batch": "7",
            },
            "sensorReport": [
                {
                    "type": "Temperature",
                    "value": 26,
                    "minValue": -1.5,
                    "uom": "CEL",
                    "percRank": 50,
                    "booleanValue": True,
                    "hexBinaryValue": "f0f0",
                    "component": "x",
                    "ex:cv": "123",
                },
                {
                    "type": "RelativeHumidity",
                    "exception": "ALARM_CONDITION",
                    "booleanValue": False,
                    "value": 100,
                },
                {"type": "ex:Custom", "stringValue": "abc", "value": "NaN"},
            ],
            "ex:note": "n",
        }
    ]


def test_error_declaration() -> None:
    event, _ = one_event(
        f"<ObjectEvent>{BASE}<errorDeclaration><declarationTime>2024-05-02T00:00:00Z</declarationTime>"
        "<reason>urn:epcglobal:cbv:er:incorrect_data</reason><correctiveEventIDs>"
        "<correctiveEventID>urn:uuid:2</correctiveEventID><correctiveEventID>urn:uuid:3</correctiveEventID>"
        "</correctiveEventIDs><ex:by>clerk</ex:by></errorDeclaration><action>OBSERVE</action></ObjectEvent>"
    )
    assert event["errorDeclaration"] == {
        "declarationTime": "2024-05-02T00:00:00Z",
        "reason": "incorrect_data",
        "correctiveEventIDs": ["urn:uuid:2", "urn:uuid:3"],
        "ex:by": "clerk",
    }


def test_extension_value_conventions() -> None:
    event, _ = one_event(
        f"<ObjectEvent>{BASE}<action>OBSERVE</action>"
        "<ex:text>  some text  </ex:text>"
        "<ex:empty/>"
        "<ex:typed xsi:type='xsd:integer'>10</ex:typed>"
        "<ex:weight unit='KGM' ex:basis='net'>3.5</ex:weight>"
        "<ex:flag unit='x'/>"
        "<ex:obj><a>1</a><ex:b>2</ex:b><a>3</a><c><d>4</d></c></ex:obj>"
        "<ex:mixed>head <b>bold</b> tail</ex:mixed>"
        "<ex:list>1</ex:list><ex:list><ex:k>v</ex:k></ex:list>"
        "</ObjectEvent>"
    )
    assert event["ex:text"] == "some text"
    assert event["ex:empty"] == ""
    assert event["ex:typed"] == "10"  # xsi:type dropped
    assert event["ex:weight"] == {"@unit": "KGM", "@ex:basis": "net", "#text": "3.5"}
    assert event["ex:flag"] == {"@unit": "x"}
    assert event["ex:obj"] == {"a": ["1", "3"], "ex:b": "2", "c": {"d": "4"}}
    assert event["ex:mixed"] == {"b": "bold", "#text": "head  tail"}
    assert event["ex:list"] == ["1", {"ex:k": "v"}]
    out = render_xml([event], {"ex": "https://ex.example/ns/"})
    assert_xsd_valid_if_available(out)
    assert parse_xml(out).events == [event]


def assert_xsd_valid_if_available(data: bytes) -> None:
    if (REFERENCE / "epcis" / "schema").is_dir():
        assert_xsd_valid(data)


def test_extension_wrappers_are_flattened() -> None:
    # namespaced content is kept; unqualified content of extension slots is reserved for later
    # EPCIS versions and ignored ("must ignore"); other unqualified elements are kept (invalid)
    event, _ = one_event(
        f"<ObjectEvent>{BASE}<action>OBSERVE</action>"
        "<readPoint><id>urn:epc:id:sgln:0614141.00777.0</id><extension><floor>2</floor><ex:room>9</ex:room>"
        "</extension><ex:gln>0614141007770</ex:gln></readPoint>"
        "<ilmd><extension><later/></extension><ex:lot>L</ex:lot></ilmd>"
        "<errorDeclaration><declarationTime>2024-05-02T00:00:00Z</declarationTime><extension><later/>"
        "</extension></errorDeclaration>"
        "<sensorElementList><sensorElement><sensorReport value='1'/><extension><later/></extension>"
        "</sensorElement></sensorElementList>"
        "<extension><ex:inside>1</ex:inside><quantityList><quantityElement><epcClass>urn:epc:class:lgtin:1.2.3"
        "</epcClass><quantity>4</quantity></quantityElement></quantityList><future>x</future>"
        "<extension><further>y</further></extension></extension>"
        "<stray>z</stray><ex:outside>2</ex:outside></ObjectEvent>"
    )
    assert event["readPoint"] == {
        "id": "urn:epc:id:sgln:0614141.00777.0",
        "ex:room": "9",
        "ex:gln": "0614141007770",
    }
    assert event["ilmd"] == {"ex:lot": "L"}
    assert event["errorDeclaration"] == {"declarationTime": "2024-05-02T00:00:00Z"}
    assert event["sensorElementList"] == [{"sensorReport": [{"value": 1}]}]
    assert event["ex:inside"] == "1" and event["ex:outside"] == "2"
    assert event["quantityList"] == [{"epcClass": "urn:epc:class:lgtin:1.2.3", "quantity": 4}]
    assert event["extension"] == {"stray": "z"}
    assert "future" not in json.dumps(event) and "further" not in json.dumps(event)
    assert parse_xml(render_xml([event], {"ex": "https://ex.example/ns/"})).events == [event]


def test_prefixes_default_namespace_and_clashes() -> None:
    head = HEAD.replace(
        'xmlns:ex="https://ex.example/ns/"', 'xmlns:ex="https://ex.example/ns/" xmlns:ns1="urn:taken"'
    )
    event, doc = one_event(
        f"<ObjectEvent>{BASE}<action>OBSERVE</action>"
        "<ex:a>1</ex:a>"
        "<ex:b xmlns:ex='https://other.example/'>2</ex:b>"  # ex rebound to another IRI
        "<other:c xmlns:other='https://ex.example/ns/'>3</other:c>"  # another prefix for ex's IRI
        "<d xmlns='https://default.example/'><e>4</e></d>"  # default namespace
        "<f xml:lang='zh' ex:g='5'>6</f>"
        "</ObjectEvent>",
        head,
    )
    assert event["ex:a"] == "1" and event["ex:c"] == "3"
    assert event["ns2:b"] == "2"
    assert event["ns3:d"] == {"ns3:e": "4"}
    assert event["extension"] == {"f": {"@xml:lang": "zh", "@ex:g": "5", "#text": "6"}}
    assert doc.namespaces["ex"] == "https://ex.example/ns/"
    assert doc.namespaces["ns1"] == "urn:taken"
    assert doc.namespaces["ns2"] == "https://other.example/"
    assert doc.namespaces["ns3"] == "https://default.example/"
    assert "xml" not in doc.namespaces
    again = parse_xml(render_xml([event], doc.namespaces))
    assert again.events == [event]


def test_event_attributes_and_positions() -> None:
    doc = parse_xml(
        (
            HEAD + f"<ObjectEvent ex:source='erp'>{BASE}<action>ADD</action></ObjectEvent>"
            f"<AggregationEvent>{BASE}<action>ADD</action></AggregationEvent>"
            f"<ObjectEvent>{BASE}<action>DELETE</action></ObjectEvent>" + TAIL
        ).encode()
    )
    assert doc.problems == []
    assert doc.events[0]["@ex:source"] == "erp"
    assert doc.event_paths == [
        "/EPCISDocument/EPCISBody/EventList/ObjectEvent[1]",
        "/EPCISDocument/EPCISBody/EventList/AggregationEvent[1]",
        "/EPCISDocument/EPCISBody/EventList/ObjectEvent[2]",
    ]
    assert parse_xml(render_xml(doc.events, doc.namespaces)).events == doc.events


# ---------------------------------------------------------------------------------------------
# structural problems
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("xml", "code", "path"),
    [
        ("<EPCISDocument schemaVersion='2.0'/>", "xml.wrong_root", "/EPCISDocument"),
        ("<x:Foo xmlns:x='urn:epcglobal:epcis:xsd:2'/>", "xml.wrong_root", "/Foo"),
        (
            HEAD.replace("<EPCISBody><EventList>", "") + "</epcis:EPCISDocument>",
            "xml.missing_body",
            "/EPCISDocument",
        ),
        (
            HEAD.replace("<EventList>", "") + "</EPCISBody></epcis:EPCISDocument>",
            "xml.missing_event_list",
            "/EPCISDocument/EPCISBody/EventList",
        ),
        (
            HEAD.replace('schemaVersion="2.0"', 'schemaVersion="1.2"') + TAIL,
            "xml.schema_version",
            "/EPCISDocument/@schemaVersion",
        ),
        (
            HEAD + f"<QuantityEvent>{BASE}</QuantityEvent>" + TAIL,
            "xml.unknown_event",
            "/EPCISDocument/EPCISBody/EventList/QuantityEvent[1]",
        ),
        (
            HEAD + "<extension><ex:VendorEvent/></extension>" + TAIL,
            "xml.unknown_event",
            "/EPCISDocument/EPCISBody/EventList/extension[1]",
        ),
        (
            HEAD + f"<ObjectEvent>{BASE}<action>ADD</action><bizStep>shipping</bizStep>"
            "<bizStep>receiving</bizStep></ObjectEvent>" + TAIL,
            "xml.duplicate_element",
            "/EPCISDocument/EPCISBody/EventList/ObjectEvent[1]/bizStep",
        ),
        (
            '<q:EPCISQueryDocument xmlns:q="urn:epcglobal:epcis-query:xsd:2" schemaVersion="2.0" '
            'creationDate="2024-01-01T00:00:00Z"><EPCISBody><q:GetQueryNames/></EPCISBody></q:EPCISQueryDocument>',
            "xml.missing_event_list",
            "/EPCISQueryDocument/EPCISBody/QueryResults/resultsBody/EventList",
        ),
    ],
    ids=[
        "no-namespace",
        "unknown-root",
        "no-body",
        "no-event-list",
        "schema-version",
        "quantity-event-in-2.0",
        "vendor-event",
        "duplicate",
        "query-without-results",
    ],
)
def test_structural_problems(xml: str, code: str, path: str) -> None:
    doc = parse_xml(xml.encode())
    assert [(p.code, p.path) for p in doc.problems] == [(code, path)]
    problem = doc.problems[0]
    assert re.search(r"[\u4e00-\u9fff]", problem.message_zh) and problem.message_en
    if code == "xml.duplicate_element":
        assert problem.index == 0


def test_query_document_with_vocabulary_list() -> None:
    xml = (
        '<q:EPCISQueryDocument xmlns:q="urn:epcglobal:epcis-query:xsd:2" schemaVersion="2.0" '
        'creationDate="2024-01-01T00:00:00Z"><EPCISBody><q:QueryResults><queryName>SimpleMasterDataQuery'
        "</queryName><resultsBody><VocabularyList><Vocabulary type='urn:epcglobal:epcis:vtype:ReadPoint'>"
        "<VocabularyElementList><VocabularyElement id='urn:epc:id:sgln:1.2.3'>"
        "<attribute id='urn:epcglobal:cbv:mda:site'>0614141000005</attribute></VocabularyElement>"
        "</VocabularyElementList></Vocabulary></VocabularyList></resultsBody></q:QueryResults></EPCISBody>"
        "</q:EPCISQueryDocument>"
    )
    doc = parse_xml(xml.encode())
    assert doc.problems == [] and doc.events == []
    assert doc.masterdata == [
        {
            "type": "urn:epcglobal:epcis:vtype:ReadPoint",
            "id": "urn:epc:id:sgln:1.2.3",
            "attributes": {"urn:epcglobal:cbv:mda:site": "0614141000005"},
            "children": [],
        }
    ]


# ---------------------------------------------------------------------------------------------
# render_xml
# ---------------------------------------------------------------------------------------------

EVENT: dict[str, Any] = {
    "type": "ObjectEvent",
    "eventTime": "2024-05-01T08:00:00.000+08:00",
    "eventTimeZoneOffset": "+08:00",
    "epcList": ["urn:epc:id:sgtin:0614141.107346.2017"],
    "action": "OBSERVE",
    "bizStep": "shipping",
    "disposition": "in_transit",
    "bizTransactionList": [{"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:0614141000005:1"}],
    "sourceList": [{"type": "owning_party", "source": "urn:epc:id:pgln:4012345.00225"}],
    "persistentDisposition": {"set": ["completeness_verified"]},
    "errorDeclaration": {"declarationTime": "2024-05-02T00:00:00Z", "reason": "did_not_occur"},
    "sensorElementList": [
        {
            "sensorReport": [
                {
                    "type": "Temperature",
                    "value": 4.5,
                    "uom": "CEL",
                    "component": "x",
                    "exception": "ALARM_CONDITION",
                }
            ]
        }
    ],
    "quantityList": [{"epcClass": "urn:epc:class:lgtin:4012345.012345.998877", "quantity": 0.00001}],
    "ilmd": {"cbvmda:lotNumber": "L1"},
    "zs:weightKg": "12.5",
}


def child(el: etree._Element, path: str) -> etree._Element:
    found = el.find(path)
    assert found is not None, path
    return found


@pytest.mark.parametrize("cbv_format", ["No_Preference", "Always_URN", "Always_Web_URI"])
def test_cbv_format_header(cbv_format: str) -> None:
    out = render_xml([EVENT], {"zs": "https://zhuisu.cn/epcis/"}, cbv_format=cbv_format)
    assert_xsd_valid_if_available(out)
    root = etree.fromstring(out)
    expand = cbv.urn if cbv_format == "Always_URN" else cbv.web_uri
    event = child(root, "EPCISBody/EventList/ObjectEvent")
    assert event.findtext("bizStep") == expand(V.BIZ_STEP, "shipping")
    assert event.findtext("disposition") == expand(V.DISPOSITION, "in_transit")
    assert child(event, "bizTransactionList/bizTransaction").get("type") == expand(
        V.BIZ_TRANSACTION_TYPE, "po"
    )
    assert child(event, "sourceList/source").get("type") == expand(V.SOURCE_DEST_TYPE, "owning_party")
    assert event.findtext("persistentDisposition/set") == expand(V.DISPOSITION, "completeness_verified")
    assert event.findtext("errorDeclaration/reason") == expand(V.ERROR_REASON, "did_not_occur")
    report = child(event, "sensorElementList/sensorElement/sensorReport")
    assert report.get("component") == expand(V.COMPONENT, "x")
    web = cbv_format == "Always_Web_URI"
    assert report.get("type") == ("https://gs1.org/voc/Temperature" if web else "gs1:Temperature")
    assert report.get("exception") == (
        "https://gs1.org/voc/ALARM_CONDITION" if web else "gs1:ALARM_CONDITION"
    )
    assert event.findtext("quantityList/quantityElement/quantity") == "0.00001"  # no exponent in xsd:decimal
    assert event.findtext("{urn:epcglobal:cbv:mda}lotNumber") is None
    assert event.findtext("ilmd/{urn:epcglobal:cbv:mda}lotNumber") == "L1"  # predefined prefix
    assert event.findtext("{https://zhuisu.cn/epcis/}weightKg") == "12.5"
    assert parse_xml(out).events == [EVENT]


def test_official_web_uris_are_read_as_bare_words() -> None:
    event, _ = one_event(
        f"<ObjectEvent>{BASE}<action>OBSERVE</action><bizStep>https://ref.gs1.org/cbv/BizStep-shipping</bizStep>"
        "<disposition>https://ref.gs1.org/cbv/Disp-in_transit</disposition><bizTransactionList>"
        "<bizTransaction type='https://ref.gs1.org/cbv/BTT-po'>urn:x:1</bizTransaction></bizTransactionList>"
        "</ObjectEvent>"
    )
    assert (event["bizStep"], event["disposition"], event["bizTransactionList"][0]["type"]) == (
        "shipping",
        "in_transit",
        "po",
    )


def test_query_document_rendering() -> None:
    out = render_xml(
        [EVENT],
        {"zs": "https://zhuisu.cn/epcis/"},
        query=True,
        query_name="SimpleEventQuery",
        subscription_id="s-1",
    )
    assert_xsd_valid_if_available(out)
    root = etree.fromstring(out)
    assert root.tag == "{urn:epcglobal:epcis-query:xsd:2}EPCISQueryDocument"
    assert root.get("schemaVersion") == "2.0" and root.get("creationDate", "").endswith("Z")
    results = root.find("EPCISBody/{urn:epcglobal:epcis-query:xsd:2}QueryResults")
    assert results is not None
    assert results.findtext("queryName") == "SimpleEventQuery" and results.findtext("subscriptionID") == "s-1"
    doc = parse_xml(out)
    assert doc.events == [EVENT]
    assert doc.event_paths == [
        "/EPCISQueryDocument/EPCISBody/QueryResults/resultsBody/EventList/ObjectEvent[1]"
    ]
    empty = etree.fromstring(render_xml([], {}, query=True))
    assert child(empty, "EPCISBody/{urn:epcglobal:epcis-query:xsd:2}QueryResults/queryName").text == (
        "SimpleEventQuery"
    )


def test_json_ld_namespaces_are_written_as_xml_namespaces() -> None:
    # JSON-LD spells cbvmda "urn:epcglobal:cbv:mda:" (for concatenation); XML names it without ":"
    out = render_xml(
        [{**EVENT, "ilmd": {"cbvmda:lotNumber": "L1"}}],
        {
            "cbvmda": "urn:epcglobal:cbv:mda:",
            "epcis": "https://ref.gs1.org/epcis/",
            "zs": "https://zhuisu.cn/epcis/",
        },
    )
    root = etree.fromstring(out)
    assert root.nsmap["cbvmda"] == "urn:epcglobal:cbv:mda"
    assert root.nsmap["epcis"] == "urn:epcglobal:epcis:xsd:2"  # the document's own prefix wins
    assert root.find("EPCISBody/EventList/ObjectEvent/ilmd/{urn:epcglobal:cbv:mda}lotNumber") is not None


def test_full_iri_keys_need_no_prefix() -> None:
    out = render_xml([{**EVENT, "https://ex.example/ns#field": "v"}], {"zs": "https://zhuisu.cn/epcis/"})
    event = parse_xml(out).events[0]
    assert [k for k, v in event.items() if v == "v" and k.endswith(":field")]


@pytest.mark.parametrize(
    ("events", "kwargs", "message"),
    [
        ([EVENT], {"cbv_format": "Sometimes"}, "GS1-CBV-XML-Format"),
        ([{**EVENT, "type": "QuantityEvent"}], {}, "QuantityEvent"),
        ([{**EVENT, "nope:field": "x"}], {}, "nope:field"),
    ],
)
def test_render_refuses(events: list[dict[str, Any]], kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render_xml(events, {"zs": "https://zhuisu.cn/epcis/"}, **kwargs)
