"""Acceptance: every GS1 example that is valid per the official JSON Schema or XSD is captured,
and reading it back gives the same events (modulo recordTime, and eventID where none was given).

The GS1 files are read from ../shared/reference (skipped where absent). Validity is decided by
the official artefacts themselves (jsonschema-rs for JSON, lxml XMLSchema for XML), so the test
does not depend on our own validator's opinion of which examples are valid.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import orjson
import pytest
from lxml import etree
from sqlalchemy import Engine

from tests.reference import REFERENCE, reference_path
from zhuisu.capture.formats.detect import parse_bytes
from zhuisu.capture.service import ErrorBehaviour, capture
from zhuisu.capture.validation import check_event
from zhuisu.domain.event_hash import event_hash
from zhuisu.query import service as query
from zhuisu.store.engine import read_connection, write_transaction

EXAMPLES = REFERENCE / "epcis" / "examples"
# Files that are not EPCIS documents of events (capture-job status documents, query documents
# are re-captured as well: their events are events).
NOT_DOCUMENTS = {"CaptureJob"}


def _files(suffixes: tuple[str, ...]) -> list[Path]:
    if not EXAMPLES.exists():
        return []
    return sorted(
        p for p in EXAMPLES.rglob("*") if p.suffix in suffixes and not NOT_DOCUMENTS.intersection(p.parts)
    )


@cache
def _json_validator() -> Any:
    import jsonschema_rs

    schema = orjson.loads(reference_path("epcis", "schema", "json", "EPCIS-JSON-Schema.json").read_bytes())
    return jsonschema_rs.validator_for(schema, validate_formats=True)


@cache
def _xsd(version: str) -> etree.XMLSchema:
    folder = reference_path("epcis", "schema", f"xsd-{version}")
    return etree.XMLSchema(etree.parse(str(folder / f"EPCglobal-epcis-{version.replace('.', '_')}.xsd")))


def _officially_valid(path: Path) -> bool:
    data = path.read_bytes()
    if path.suffix in (".json", ".jsonld"):
        return bool(_json_validator().is_valid(orjson.loads(data)))
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    version = "1.2" if root.get("schemaVersion", "").startswith("1") else "2.0"
    if etree.QName(root).localname == "EPCISQueryDocument":
        schema_file = f"EPCglobal-epcis-query-{version.replace('.', '_')}.xsd"
        folder = reference_path("epcis", "schema", f"xsd-{version}")
        return bool(etree.XMLSchema(etree.parse(str(folder / schema_file))).validate(root))
    return bool(_xsd(version).validate(root))


def _expected(raw: dict[str, Any], namespaces: dict[str, str]) -> dict[str, Any]:
    event, problems = check_event(raw, namespaces)
    assert [p for p in problems if p.is_error] == []
    return event


@pytest.mark.parametrize(
    "path", _files((".json", ".jsonld", ".xml")), ids=lambda p: str(p.relative_to(EXAMPLES))
)
def test_valid_example_round_trips(path: Path, engine: Engine) -> None:
    if not _officially_valid(path):
        pytest.skip("not valid per the official JSON Schema / XSD; the invalid-input tests cover such files")
    doc = parse_bytes(path.read_bytes(), "application/xml" if path.suffix == ".xml" else "application/json")
    assert doc.problems == []
    expected = [_expected(e, doc.namespaces) for e in doc.events]
    with write_transaction(engine) as conn:
        result = capture(conn, doc, error_behaviour=ErrorBehaviour.ROLLBACK)
        assert result.problems == [], [p.message_en for p in result.problems]
    assert result.inserted + result.duplicates == len(doc.events)
    with read_connection(engine) as conn:
        stored, _ = query.list_events(conn, per_page=10_000)
    # error declarations are stored beside their originals; compare by (eventID, declared)
    by_key = {}
    for item in stored:
        event = orjson.loads(item.doc)
        by_key[(event["eventID"], "errorDeclaration" in event)] = event
    for want in expected:
        event_id = want.get("eventID") or event_hash(want, doc.namespaces)
        got = by_key[(event_id, "errorDeclaration" in want)]
        assert got.pop("recordTime")
        if "eventID" not in want:
            assert got.pop("eventID").startswith("ni:///sha-256;")
        else:
            assert got["eventID"] == want["eventID"]
        assert got == {k: v for k, v in want.items() if k != "recordTime"}
