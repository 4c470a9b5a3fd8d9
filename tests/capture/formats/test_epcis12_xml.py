"""EPCIS 1.2 XML → canonical EPCIS 2.0 events.

GS1's 1.2 examples (``examples/xml-1.2``) parse without problems, are valid against the 1.2 XSD,
convert to EPCIS 2.0 XML that is valid against the 2.0 XSD and read back the same; and they give
the same canonical events as their 2.0 counterparts (``EQUIVALENTS``, with every remaining
difference listed and explained).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from tests.reference import REFERENCE, reference_path
from zhuisu.capture.document import Format
from zhuisu.capture.formats.epcis_xml import parse_xml
from zhuisu.capture.formats.epcis_xml_render import render_xml

EXAMPLES = REFERENCE / "epcis" / "examples"


def _examples() -> list[Any]:
    folder = EXAMPLES / "xml-1.2"
    if not folder.is_dir():
        return [
            pytest.param(None, marks=pytest.mark.skip(reason=f"reference material not available: {folder}"))
        ]
    return [pytest.param(p, id=p.name) for p in sorted(folder.glob("*.xml"))]


EXAMPLES_12 = _examples()

#: 1.2 examples whose 2.0 rendering the 2.0 XSD rejects, and why
#: (1.2 example, 2.0 example, {"[event index].path prefix": why}) — same events, known differences
EQUIVALENTS: list[tuple[str, str, dict[str, str]]] = [
    # the 1.2 file's second event also carries <extension><extension><myField>: content the 1.2
    # schema reserves for later EPCIS versions, ignored by the reader as GS1's 2.0 file leaves it out
    ("ObjectEvent.xml", "Example_9.6.1-ObjectEvent-2020_06_18a.xml", {}),
    ("AggregationEvent.xml", "Mimasu/Example3.xml", {}),
    # the rail namespace is "urn:gs1:epcisapp:rail" in 1.2 and "urn:gs1:epcisapp:rail:" in 2.0: the
    # canonical keys (rail:…) agree, the namespace IRIs do not (checked in the test)
    ("TransactionEvent.xml", "Example-TransactionEvent-2020_07_03y.xml", {}),
    ("TransformationEvent.xml", "Mimasu/Example4.xml", {}),
    ("AssociationEvent.xml", "Mimasu/Example-associatonEvent-sensor.xml", {}),
    (
        "AssociationEvent.xml",
        "AssociationEvent/AssociationEventExamples.xml",
        {"[5].childQuantityList": "case (f) has a childQuantityList only in the 2.0 file"},
    ),
]
NAMESPACE_DIFFERENCES = {"TransactionEvent.xml": {"rail"}}


@cache
def _schema(version: str) -> etree.XMLSchema:
    folder = reference_path("epcis", "schema", f"xsd-{version}")
    major, stem = version[0], version.replace(".", "_")
    imports = "".join(
        f'<xsd:import namespace="urn:epcglobal:{kind}:xsd:{major}" '
        f'schemaLocation="{(folder / f"EPCglobal-{kind}-{stem}.xsd").as_uri()}"/>'
        for kind in ("epcis", "epcis-query", "epcis-masterdata")
    )
    wrapper = (
        '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:zhuisu:test:all">'
        f"{imports}</xsd:schema>"
    )
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), base_url=folder.as_uri() + "/"))


def xsd_valid(data: bytes, version: str) -> bool:
    return _schema(version).validate(etree.fromstring(data, etree.XMLParser(resolve_entities=False)))


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[str] = []
        for key in sorted(set(a) | set(b)):
            out += (
                [f"{path}.{key}"]
                if key not in a or key not in b
                else differences(a[key], b[key], f"{path}.{key}")
            )
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [
            p for i, (x, y) in enumerate(zip(a, b, strict=True)) for p in differences(x, y, f"{path}[{i}]")
        ]
    return [] if a == b and type(a) is type(b) else [path]


# ---------------------------------------------------------------------------------------------
# GS1's 1.2 examples
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES_12)
def test_example_parses_and_is_valid_1_2(path: Path) -> None:
    data = path.read_bytes()
    assert xsd_valid(data, "1.2"), str(_schema("1.2").error_log)
    doc = parse_xml(data)
    assert doc.problems == [], [p.as_dict() for p in doc.problems]
    assert doc.format is Format.XML12
    assert doc.events and len(doc.event_paths) == len(doc.events)
    root = etree.fromstring(data)
    for event, event_path in zip(doc.events, doc.event_paths, strict=True):
        steps = []
        for step in event_path.strip("/").split("/"):
            name, _, position = step.partition("[")
            steps.append(f"*[local-name()='{name}']" + (f"[{position}" if position else ""))
        found = root.getroottree().xpath("/" + "/".join(steps))
        assert isinstance(found, list) and len(found) == 1, event_path
        assert isinstance(found[0], etree._Element) and found[0].tag == event["type"]


@pytest.mark.parametrize("query", [False, True], ids=["document", "query"])
@pytest.mark.parametrize("path", EXAMPLES_12)
def test_conversion_to_2_0_round_trips(path: Path, query: bool) -> None:
    doc = parse_xml(path.read_bytes())
    out = render_xml(doc.events, doc.namespaces, query=query, cbv_format="Always_URN")
    assert xsd_valid(out, "2.0"), str(_schema("2.0").error_log)
    again = parse_xml(out)
    assert again.problems == []
    assert again.format is Format.XML
    assert again.events == doc.events


@pytest.mark.parametrize(("old", "new", "expected"), EQUIVALENTS, ids=[f"{a}~{b}" for a, b, _ in EQUIVALENTS])
def test_same_events_as_the_2_0_example(old: str, new: str, expected: dict[str, str]) -> None:
    doc12 = parse_xml(reference_path("epcis", "examples", "xml-1.2", old).read_bytes())
    doc20 = parse_xml(reference_path("epcis", "examples", "xml", new).read_bytes())
    assert len(doc12.events) == len(doc20.events)
    found = differences(doc12.events, doc20.events)
    assert [p for p in found if not any(p.startswith(prefix) for prefix in expected)] == []
    assert [prefix for prefix in expected if not any(p.startswith(prefix) for p in found)] == []
    extension_prefixes = {k.split(":")[0] for e in doc12.events for k in e if ":" in k}
    differing = {p for p in extension_prefixes if doc12.namespaces.get(p) != doc20.namespaces.get(p)}
    assert differing == NAMESPACE_DIFFERENCES.get(old, set())


# ---------------------------------------------------------------------------------------------
# where 1.2 puts things (no reference material needed)
# ---------------------------------------------------------------------------------------------

HEAD = (
    '<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:1" xmlns:ex="https://ex.example/ns/" '
    'schemaVersion="1.2" creationDate="2024-05-01T00:00:00Z"><EPCISBody><EventList>'
)
TAIL = "</EventList></EPCISBody></epcis:EPCISDocument>"
BASE = "<eventTime>2024-05-01T08:00:00+08:00</eventTime><eventTimeZoneOffset>+08:00</eventTimeZoneOffset>"
QUANTITY = (
    "<quantityElement><epcClass>urn:epc:class:lgtin:4012345.012345.998877</epcClass>"
    "<quantity>5</quantity><uom>KGM</uom></quantityElement>"
)
Q = [{"epcClass": "urn:epc:class:lgtin:4012345.012345.998877", "quantity": 5, "uom": "KGM"}]


def parse12(body: str, head: str = HEAD) -> tuple[list[dict[str, Any]], list[str]]:
    doc = parse_xml((head + body + TAIL).encode())
    assert doc.problems == [], doc.problems
    assert doc.format is Format.XML12
    return doc.events, doc.event_paths


def test_object_event_extension_fields_are_flattened() -> None:
    events, paths = parse12(
        f"<ObjectEvent>{BASE}"
        "<baseExtension><eventID>urn:uuid:e1</eventID><errorDeclaration>"
        "<declarationTime>2024-05-02T00:00:00Z</declarationTime><reason>urn:epcglobal:cbv:er:did_not_occur</reason>"
        "<correctiveEventIDs><correctiveEventID>urn:uuid:e2</correctiveEventID></correctiveEventIDs>"
        "</errorDeclaration></baseExtension>"
        "<epcList><epc>urn:epc:id:sgtin:0614141.107346.2017</epc></epcList><action>ADD</action>"
        "<bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep><disposition>urn:epcglobal:cbv:disp:active"
        "</disposition><readPoint><id>urn:epc:id:sgln:0614141.00777.0</id></readPoint>"
        "<bizTransactionList><bizTransaction type='urn:epcglobal:cbv:btt:inv'>urn:x:inv:1</bizTransaction>"
        "</bizTransactionList>"
        f"<extension><quantityList>{QUANTITY}</quantityList>"
        "<sourceList><source type='urn:epcglobal:cbv:sdt:possessing_party'>urn:epc:id:pgln:4012345.00001"
        "</source></sourceList><destinationList><destination type='urn:epcglobal:cbv:sdt:location'>"
        "urn:epc:id:sgln:0614141.00777.0</destination></destinationList>"
        "<ilmd><ex:bestBefore>2025-01-01</ex:bestBefore></ilmd>"
        "<extension><sensorElementList><sensorElement><sensorReport type='gs1:Temperature' value='4'/>"
        "</sensorElement></sensorElementList><futureField>f</futureField></extension></extension>"
        "<ex:note>n</ex:note></ObjectEvent>"
    )
    assert events == [
        {
            "type": "ObjectEvent",
            "eventTime": "2024-05-01T08:00:00+08:00",
            "eventTimeZoneOffset": "+08:00",
            "eventID": "urn:uuid:e1",
            "errorDeclaration": {
                "declarationTime": "2024-05-02T00:00:00Z",
                "reason": "did_not_occur",
                "correctiveEventIDs": ["urn:uuid:e2"],
            },
            "epcList": ["urn:epc:id:sgtin:0614141.107346.2017"],
            "action": "ADD",
            "bizStep": "commissioning",
            "disposition": "active",
            "readPoint": {"id": "urn:epc:id:sgln:0614141.00777.0"},
            "bizTransactionList": [{"type": "inv", "bizTransaction": "urn:x:inv:1"}],
            "quantityList": Q,
            "sourceList": [{"type": "possessing_party", "source": "urn:epc:id:pgln:4012345.00001"}],
            "destinationList": [{"type": "location", "destination": "urn:epc:id:sgln:0614141.00777.0"}],
            "ilmd": {"ex:bestBefore": "2025-01-01"},
            "sensorElementList": [{"sensorReport": [{"type": "Temperature", "value": 4}]}],
            "ex:note": "n",
        }
    ]
    assert paths == ["/EPCISDocument/EPCISBody/EventList/ObjectEvent[1]"]  # <futureField> ignored


def test_aggregation_and_transaction_quantities_in_extension() -> None:
    events, _ = parse12(
        f"<AggregationEvent>{BASE}<parentID>urn:epc:id:sscc:0614141.1234567890</parentID><childEPCs/>"
        f"<action>ADD</action><extension><childQuantityList>{QUANTITY}</childQuantityList></extension>"
        "</AggregationEvent>"
        f"<TransactionEvent>{BASE}<bizTransactionList><bizTransaction>urn:x:po:1</bizTransaction>"
        f"</bizTransactionList><epcList/><action>ADD</action><extension><quantityList>{QUANTITY}</quantityList>"
        "</extension></TransactionEvent>"
    )
    assert events[0]["childQuantityList"] == Q and events[0]["childEPCs"] == []
    assert events[1]["quantityList"] == Q and events[1]["bizTransactionList"] == [
        {"bizTransaction": "urn:x:po:1"}
    ]


def test_quantity_event_becomes_an_object_event() -> None:
    events, paths = parse12(
        f"<QuantityEvent>{BASE}<epcClass>urn:epc:idpat:sgtin:4012345.066666.*</epcClass><quantity>220</quantity>"
        "<bizStep>urn:epcglobal:cbv:bizstep:receiving</bizStep><readPoint><id>urn:epc:id:sgln:1.2.3</id>"
        "</readPoint></QuantityEvent>"
    )
    assert events == [
        {
            "type": "ObjectEvent",
            "eventTime": "2024-05-01T08:00:00+08:00",
            "eventTimeZoneOffset": "+08:00",
            "bizStep": "receiving",
            "readPoint": {"id": "urn:epc:id:sgln:1.2.3"},
            "action": "OBSERVE",
            "quantityList": [{"epcClass": "urn:epc:idpat:sgtin:4012345.066666.*", "quantity": 220}],
        }
    ]
    assert paths == ["/EPCISDocument/EPCISBody/EventList/QuantityEvent[1]"]


def test_newer_event_types_sit_in_event_list_extensions() -> None:
    events, paths = parse12(
        f"<ObjectEvent>{BASE}<epcList/><action>OBSERVE</action></ObjectEvent>"
        f"<extension><TransformationEvent>{BASE}<inputEPCList><epc>urn:epc:id:sgtin:1.2.3</epc></inputEPCList>"
        "</TransformationEvent></extension>"
        f"<extension><extension><AssociationEvent>{BASE}<parentID>urn:epc:id:grai:4012345.55555.987</parentID>"
        "<action>ADD</action><sensorElementList><sensorElement><sensorMetaData time='2024-05-01T00:00:00Z'/>"
        "<sensorReport type='gs1:AbsoluteHumidity' value='12.1'/></sensorElement></sensorElementList>"
        "</AssociationEvent></extension></extension>"
    )
    assert [e["type"] for e in events] == ["ObjectEvent", "TransformationEvent", "AssociationEvent"]
    assert paths == [
        "/EPCISDocument/EPCISBody/EventList/ObjectEvent[1]",
        "/EPCISDocument/EPCISBody/EventList/extension[1]/TransformationEvent[1]",
        "/EPCISDocument/EPCISBody/EventList/extension[2]/extension[1]/AssociationEvent[1]",
    ]
    # GS1's 1.2 AssociationEvent example spells <sensorMetaData>
    assert events[2]["sensorElementList"][0]["sensorMetadata"] == {"time": "2024-05-01T00:00:00Z"}


def test_sensor_meta_data_spelling_is_only_read_in_1_2() -> None:
    doc = parse_xml(
        (
            HEAD.replace("xsd:1", "xsd:2").replace('"1.2"', '"2.0"')
            + f"<ObjectEvent>{BASE}<action>OBSERVE</action><sensorElementList><sensorElement>"
            "<sensorMetaData time='2024-05-01T00:00:00Z'/><sensorReport value='1'/></sensorElement>"
            "</sensorElementList></ObjectEvent>" + TAIL
        ).encode()
    )
    assert doc.format is Format.XML
    assert "sensorMetadata" not in doc.events[0]["sensorElementList"][0]
    assert doc.events[0]["sensorElementList"][0]["sensorMetaData"] == {"@time": "2024-05-01T00:00:00Z"}


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ("<FooEvent/>", "/EPCISDocument/EPCISBody/EventList/FooEvent[1]"),
        (
            "<extension><ex:VendorEvent/></extension>",
            "/EPCISDocument/EPCISBody/EventList/extension[1]/ex:VendorEvent[1]",
        ),
        (
            "<extension><extension><Thing/></extension></extension>",
            "/EPCISDocument/EPCISBody/EventList/extension[1]/extension[1]/Thing[1]",
        ),
    ],
)
def test_unknown_events(body: str, path: str) -> None:
    doc = parse_xml((HEAD + body + TAIL).encode())
    assert [(p.code, p.path) for p in doc.problems] == [("xml.unknown_event", path)]


@pytest.mark.parametrize(("version", "ok"), [("1.0", True), ("1.1", True), ("1.2", True), ("2.0", False)])
def test_schema_version_must_match_the_namespace(version: str, ok: bool) -> None:
    doc = parse_xml((HEAD.replace('"1.2"', f'"{version}"') + TAIL).encode())
    assert doc.format is Format.XML12
    assert [p.code for p in doc.problems] == ([] if ok else ["xml.schema_version"])


def test_query_document_and_master_data_of_1_2() -> None:
    xml = (
        '<q:EPCISQueryDocument xmlns:q="urn:epcglobal:epcis-query:xsd:1" schemaVersion="1.2" '
        'creationDate="2024-01-01T00:00:00Z"><EPCISHeader><extension><EPCISMasterData><VocabularyList>'
        "<Vocabulary type='urn:epcglobal:epcis:vtype:BusinessLocation'><VocabularyElementList>"
        "<VocabularyElement id='urn:epc:id:sgln:1.2.3'>"
        "<attribute id='urn:epcglobal:cbv:mda:name'>仓库</attribute>"
        "<children><id>urn:epc:id:sgln:1.2.4</id></children></VocabularyElement></VocabularyElementList>"
        "</Vocabulary></VocabularyList></EPCISMasterData></extension></EPCISHeader>"
        "<EPCISBody><q:QueryResults><queryName>SimpleEventQuery</queryName><resultsBody><EventList>"
        f"<ObjectEvent>{BASE}<epcList/><action>OBSERVE</action><bizStep>urn:epcglobal:cbv:bizstep:shipping"
        "</bizStep></ObjectEvent></EventList></resultsBody></q:QueryResults></EPCISBody></q:EPCISQueryDocument>"
    )
    doc = parse_xml(xml.encode())
    assert doc.problems == [] and doc.format is Format.XML12
    assert doc.events[0]["bizStep"] == "shipping"
    assert doc.event_paths == [
        "/EPCISQueryDocument/EPCISBody/QueryResults/resultsBody/EventList/ObjectEvent[1]"
    ]
    assert doc.masterdata == [
        {
            "type": "urn:epcglobal:epcis:vtype:BusinessLocation",
            "id": "urn:epc:id:sgln:1.2.3",
            "attributes": {"urn:epcglobal:cbv:mda:name": "仓库"},
            "children": ["urn:epc:id:sgln:1.2.4"],
        }
    ]
