"""Capture into the store: rollback and proceed, duplicates by hash across formats, eventID conflicts."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import Engine

from tests.factories import document_bytes, make_event, sgtin
from zhuisu.capture.formats.detect import parse_bytes
from zhuisu.capture.service import ErrorBehaviour, capture, capture_one
from zhuisu.domain.roles import IdRole
from zhuisu.errors import DuplicateEvent, ValidationFailed
from zhuisu.query import service as query
from zhuisu.store import events as event_store
from zhuisu.store.engine import read_connection, write_transaction


def _capture(engine: Engine, data: bytes, behaviour: ErrorBehaviour = ErrorBehaviour.ROLLBACK):  # type: ignore[no-untyped-def]
    doc = parse_bytes(data, "application/json")
    with write_transaction(engine) as conn:
        result = capture(conn, doc, error_behaviour=behaviour)
        if behaviour is ErrorBehaviour.ROLLBACK and not result.success:
            conn.rollback()
    return result


def _count(engine: Engine) -> int:
    with read_connection(engine) as conn:
        return event_store.count_events(conn)


def test_capture_stores_events_with_hash_ids_and_links(engine: Engine) -> None:
    events = [make_event(epcs=[sgtin(1), sgtin(2)]), make_event(epcs=[sgtin(3)], biz_step="receiving")]
    result = _capture(engine, document_bytes(events))
    assert result.success and result.inserted == 2 and result.duplicates == 0
    assert all(e.startswith("ni:///sha-256;") and e.endswith("?ver=CBV2.0") for e in result.event_ids)
    with read_connection(engine) as conn:
        stored = query.get_event(conn, result.event_ids[0])[0]
        doc = orjson.loads(stored.doc)
        assert doc["eventID"] == result.event_ids[0]
        assert doc["recordTime"].endswith("Z")
        assert doc["epcList"] == [sgtin(1), sgtin(2)]
        roles = {role for role, _ in event_store.identifiers_of(conn, stored.pk)}
        assert roles == {IdRole.EPC}


def test_resending_reports_duplicates_and_stores_nothing_twice(engine: Engine) -> None:
    data = document_bytes([make_event(epcs=[sgtin(1)]), make_event(epcs=[sgtin(2)])])
    assert _capture(engine, data).inserted == 2
    again = _capture(engine, data)
    assert again.success and again.inserted == 0 and again.duplicates == 2
    assert _count(engine) == 2


def test_same_event_twice_in_one_document_is_a_duplicate(engine: Engine) -> None:
    event = make_event(epcs=[sgtin(5)])
    result = _capture(engine, document_bytes([event, dict(event)]))
    assert result.inserted == 1 and result.duplicates == 1


def test_cbv_spellings_hash_alike(engine: Engine) -> None:
    bare = make_event(epcs=[sgtin(7)])
    urn = make_event(
        epcs=[sgtin(7)],
        biz_step="urn:epcglobal:cbv:bizstep:shipping",
        disposition="https://ref.gs1.org/cbv/Disp-in_transit",
    )
    assert _capture(engine, document_bytes([bare])).inserted == 1
    assert _capture(engine, document_bytes([urn])).duplicates == 1


def test_rollback_stores_nothing_of_a_document_with_one_bad_event(engine: Engine) -> None:
    events = [make_event(epcs=[sgtin(i)]) for i in range(5)]
    events[3]["action"] = "JUMP"
    result = _capture(engine, document_bytes(events))
    assert not result.success
    assert [p.index for p in result.problems] == [3]
    assert result.problems[0].path == "$.epcisBody.eventList[3].action"
    assert _count(engine) == 0


def test_rollback_reports_problems_of_later_batches_too(engine: Engine) -> None:
    events = [make_event(epcs=[sgtin(i)]) for i in range(2500)]
    events[10]["bizStep"] = "transforming"
    del events[2400]["eventTime"]
    doc = parse_bytes(document_bytes(events), "application/json")
    with write_transaction(engine) as conn:
        result = capture(conn, doc, error_behaviour=ErrorBehaviour.ROLLBACK, batch_size=1000)
        conn.rollback()
    assert {p.index for p in result.problems} == {10, 2400}
    assert _count(engine) == 0


def test_proceed_keeps_the_valid_events(engine: Engine) -> None:
    events = [make_event(epcs=[sgtin(i)]) for i in range(4)]
    events[1]["eventTimeZoneOffset"] = "+25:00"
    result = _capture(engine, document_bytes(events), ErrorBehaviour.PROCEED)
    assert not result.success and result.inserted == 3
    assert [p.index for p in result.problems] == [1]
    assert _count(engine) == 3


def test_event_id_reused_for_another_event_is_a_conflict(engine: Engine) -> None:
    first = make_event(epcs=[sgtin(1)], event_id="urn:uuid:2f0e1c2a-0000-4000-8000-000000000001")
    other = make_event(epcs=[sgtin(2)], event_id="urn:uuid:2f0e1c2a-0000-4000-8000-000000000001")
    assert _capture(engine, document_bytes([first])).inserted == 1
    result = _capture(engine, document_bytes([other]))
    assert [p.code for p in result.problems] == ["capture.event_id_conflict"]


def test_error_declaration_is_stored_beside_the_original(engine: Engine) -> None:
    event_id = "urn:uuid:2f0e1c2a-0000-4000-8000-000000000002"
    original = make_event(epcs=[sgtin(1)], event_id=event_id)
    declared = {
        **original,
        "errorDeclaration": {"declarationTime": "2026-05-02T10:00:00+08:00", "reason": "incorrect_data"},
    }
    assert _capture(engine, document_bytes([original])).inserted == 1
    assert _capture(engine, document_bytes([declared])).inserted == 1
    assert _capture(engine, document_bytes([declared])).duplicates == 1
    with read_connection(engine) as conn:
        both = query.get_event(conn, event_id)
    assert [s.error_declared for s in both] == [False, True]


def test_capture_one(engine: Engine) -> None:
    data = orjson.dumps(
        {
            "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
            **make_event(epcs=[sgtin(9)]),
        }
    )
    with write_transaction(engine) as conn:
        result = capture_one(conn, parse_bytes(data, "application/ld+json"))
    assert result.inserted == 1
    with pytest.raises(DuplicateEvent), write_transaction(engine) as conn:
        capture_one(conn, parse_bytes(data, "application/ld+json"))
    bad = orjson.dumps(make_event(epcs=[sgtin(10)], action="NOPE"))
    with pytest.raises(ValidationFailed) as info, write_transaction(engine) as conn:
        capture_one(conn, parse_bytes(bad, None))
    assert info.value.problems[0].path == "$.action"
