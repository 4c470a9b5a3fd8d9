"""bench capture: end-to-end capture rate beside the raw DB-API insert rate of the same rows.

"ours" is the whole path a client's documents take through ``zhuisu capture``: parse, validate,
hash, identifier link rows, duplicate check, bulk insert, one capture job (and transaction) per
document. "raw" inserts exactly the rows ours stored, with the driver's bulk method
(executemany on SQLite, COPY on PostgreSQL), one transaction per document's rows, into a fresh
database with the same schema and indexes; only the inserts and commits are timed.
"""

from __future__ import annotations

import time
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select

from zhuisu.bench.databases import scratch_database
from zhuisu.bench.workload import capture_documents
from zhuisu.capture import jobs
from zhuisu.capture.formats.epcis_json import parse_json
from zhuisu.capture.pipeline import PoolPreparer
from zhuisu.capture.service import ErrorBehaviour, Preparer
from zhuisu.store.engine import write_transaction
from zhuisu.store.events import EVENT_COLUMNS, write_rows
from zhuisu.store.tables import event_ids, events

#: events per chunk when worker processes prepare them
PIPELINE_CHUNK = 250


@dataclass(frozen=True, slots=True)
class CaptureFigures:
    db: str
    events: int
    seconds: float
    raw_seconds: float

    @property
    def events_per_s(self) -> float:
        return self.events / self.seconds

    @property
    def raw_events_per_s(self) -> float:
        return self.events / self.raw_seconds

    @property
    def ratio(self) -> float:
        return self.events_per_s / self.raw_events_per_s

    def as_dict(self) -> dict[str, Any]:
        return {
            "db": self.db,
            "events": self.events,
            "events_per_s": round(self.events_per_s),
            "raw_events_per_s": round(self.raw_events_per_s),
            "ratio": round(self.ratio, 3),
            "seconds": round(self.seconds, 2),
            "raw_seconds": round(self.raw_seconds, 2),
        }


def _ours(engine: Engine, documents: list[bytes], preparer: Preparer | None = None) -> float:
    # With worker processes, a document goes in chunks so that one is prepared while another
    # is written; inline, the whole document is one chunk.
    started = time.perf_counter()
    for data in documents:
        doc = parse_json(data)
        job = jobs.start(engine, error_behaviour=ErrorBehaviour.ROLLBACK, doc=doc)
        size = len(doc.events) if preparer is None else PIPELINE_CHUNK
        result = jobs.run_job(engine, job, doc, batch_size=size, preparer=preparer)
        if not result.success:
            raise RuntimeError(f"benchmark workload rejected: {result.problems[:3]}")
    return time.perf_counter() - started


def _stored_rows(
    engine: Engine, per_document: int
) -> list[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
    """The rows ours wrote, grouped as they were written (per document), for the raw run."""
    with engine.connect() as conn:
        rows = [
            tuple(r)
            for r in conn.execute(select(*[events.c[name] for name in EVENT_COLUMNS]).order_by(events.c.pk))
        ]
        ids = [
            tuple(r)
            for r in conn.execute(
                select(event_ids.c.event_pk, event_ids.c.role, event_ids.c.identifier).order_by(
                    event_ids.c.event_pk
                )
            )
        ]
    by_event: dict[int, list[tuple[Any, ...]]] = {}
    for row in ids:
        by_event.setdefault(int(row[0]), []).append(row)
    groups = []
    for start in range(0, len(rows), per_document):
        chunk = [(*r[:16], None, *r[17:]) for r in rows[start : start + per_document]]  # no job rows in raw
        groups.append((chunk, [i for r in chunk for i in by_event.get(int(r[0]), [])]))
    return groups


def _raw(engine: Engine, groups: list[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]) -> float:
    started = time.perf_counter()
    for event_rows, id_rows in groups:
        with write_transaction(engine) as conn:
            write_rows(conn, event_rows, id_rows)
    return time.perf_counter() - started


def run(*, events: int, db: str | None, per_document: int = 1000, workers: int = 0) -> CaptureFigures:
    documents = list(capture_documents(events, per_document))
    with scratch_database(db) as engine, ExitStack() as stack:
        name = engine.dialect.name
        preparer = stack.enter_context(PoolPreparer(workers)) if workers else None
        seconds = _ours(engine, documents, preparer)
        groups = _stored_rows(engine, per_document)
    with scratch_database(db) as engine:
        raw_seconds = _raw(engine, groups)
    return CaptureFigures(name, events, seconds, raw_seconds)
