"""The GS1 EPCIS 2.0 examples, captured, are found again by queries built from their own content:
each event by its eventID, its type, its bizStep, its locations and each identifier it names
(in URN and Digital Link spelling alike). Skipped cleanly where ../shared/reference is absent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import Engine

from tests.query.conftest import run_ids
from tests.reference import REFERENCE, reference_path
from zhuisu.capture.formats.detect import parse_bytes
from zhuisu.capture.service import ErrorBehaviour, capture
from zhuisu.domain import epc
from zhuisu.query import params, service
from zhuisu.store.engine import read_connection, write_transaction

EXAMPLES = REFERENCE / "epcis" / "examples" / "jsonld"


def _files() -> list[Path]:
    return sorted(EXAMPLES.rglob("*.jsonld")) if EXAMPLES.exists() else []


def _queries(event: dict[str, Any]) -> list[dict[str, str | list[str]]]:
    out: list[dict[str, str | list[str]]] = [{"EQ_eventID": event["eventID"]}, {"eventType": event["type"]}]
    if event.get("bizStep"):
        out.append({"EQ_bizStep": event["bizStep"]})
    for key, param in (("readPoint", "EQ_readPoint"), ("bizLocation", "EQ_bizLocation")):
        if event.get(key):
            out.append({param: event[key]["id"]})
    for key in ("epcList", "childEPCs", "inputEPCList", "outputEPCList"):
        for value in event.get(key) or ():
            out.append({"MATCH_anyEPC": value})
            out.append({"MATCH_anyEPC": epc.canonical(value)})
    if event.get("parentID"):
        out.append({"MATCH_parentID": event["parentID"]})
    for key in ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"):
        for element in event.get(key) or ():
            out.append({"MATCH_anyEPCClass": element["epcClass"]})
    if event.get("sensorElementList"):
        out.append({"EXISTS_sensorElementList": "true"})
    if event.get("errorDeclaration"):
        out.append({"EXISTS_errorDeclaration": "true"})
    return out


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_example_events_are_found_by_their_content(path: Path, engine: Engine) -> None:
    reference_path("epcis", "examples", "jsonld")
    doc = parse_bytes(path.read_bytes(), "application/ld+json")
    if doc.problems or not doc.events:
        pytest.skip("not an event document zhuisu captures (see tests/capture/test_examples.py)")
    with write_transaction(engine) as conn:
        result = capture(conn, doc, error_behaviour=ErrorBehaviour.PROCEED)
    if not result.inserted:
        pytest.skip("no valid events in this example (the capture tests cover invalid files)")
    with read_connection(engine) as conn:
        stored = list(service.all_events(conn, params.parse({})))
    assert len(stored) == result.inserted
    for row in stored:
        event = orjson.loads(row.doc)
        for query in _queries(event):
            assert row.event_id in run_ids(engine, query), query
