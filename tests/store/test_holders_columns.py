"""events.subject and event_ids.quantity / uom: written at capture, filled in by migration 0012."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, text

from tests.chain.scenarios import obj, qty, store
from zhuisu.domain import epc
from zhuisu.store import migrate
from zhuisu.store.engine import make_engine, read_connection

PLACE = "urn:epc:id:sgln:6901234.00001.0"
LOT = "urn:epc:class:lgtin:6901234.100001.F1"
LOT_2 = "urn:epc:class:lgtin:6901234.100001.F2"


def _event() -> dict[str, Any]:
    return obj(
        "urn:uuid:q01",
        "01T08:00",
        PLACE,
        [qty(LOT, 2, "KGM"), qty(LOT, 3, "KGM"), qty(LOT_2, 1, "KGM"), qty(LOT_2, 4, "LTR")],
        fields={"zs:subject": "91110000600037341L"},
    )


def _stored(engine: Engine) -> tuple[str | None, dict[str, tuple[Any, Any]]]:
    with read_connection(engine) as conn:
        subject = conn.execute(text("SELECT subject FROM events")).scalar_one()
        rows = conn.execute(text("SELECT identifier, quantity, uom FROM event_ids"))
        return subject, {r[0]: (r[1], r[2]) for r in rows}


def test_capture_stores_the_subject_and_the_amounts(engine: Engine) -> None:
    store(engine, [_event()])
    subject, amounts = _stored(engine)
    assert subject == "91110000600037341L"
    assert amounts == {epc.canonical(LOT): (5.0, "KGM"), epc.canonical(LOT_2): (None, "*")}


def test_the_migration_fills_them_in_for_stored_events(tmp_path: Path, engine: Engine) -> None:
    old = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    try:
        migrate.upgrade(old, to="0011")
        # an event as a release before 0012 stored it: no subject, no amounts
        store(engine, [_event()])
        with read_connection(engine) as conn:
            event = conn.execute(text("SELECT * FROM events")).mappings().one()
            ids = conn.execute(text("SELECT event_pk, role, identifier FROM event_ids")).all()
        with old.begin() as conn:
            columns = [c for c in event if c != "subject"]
            marks = [f":{c}" for c in columns]
            conn.execute(
                text(f"INSERT INTO events ({', '.join(columns)}) VALUES ({', '.join(marks)})"),
                {c: event[c] for c in columns},
            )
            conn.execute(
                text("INSERT INTO event_ids VALUES (:p, :r, :i)"),
                [{"p": p, "r": r, "i": i} for p, r, i in ids],
            )
        migrate.upgrade(old)
        assert _stored(old) == _stored(engine)
        assert orjson.loads(event["doc"])["zs:subject"] == "91110000600037341L"
    finally:
        old.dispose()
