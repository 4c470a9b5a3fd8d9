"""bench capture: end-to-end capture rate beside the raw DB-API insert rate of the same rows.

"ours" is the whole path a client's documents take through ``zhuisu capture``: parse, validate,
hash, identifier link rows, duplicate check, bulk insert, one capture job (and transaction) per
document. "raw" inserts exactly the rows ours stored in every table capture writes (events and
every table hanging off an event: identifier rows, trace-chain link rows, named parties …), with
the driver's bulk method (executemany on SQLite, COPY on PostgreSQL), one transaction per
document's rows, into a fresh database with the same schema and indexes; only the inserts and
commits are timed. ``stored_rows`` and ``raw_seconds`` are shared with the other benchmarks.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Table, select

from zhuisu.bench.databases import scratch_database
from zhuisu.bench.workload import capture_documents
from zhuisu.capture import jobs
from zhuisu.capture.formats.epcis_json import parse_json
from zhuisu.capture.pipeline import PoolPreparer
from zhuisu.capture.service import ErrorBehaviour, Preparer
from zhuisu.store.engine import write_transaction
from zhuisu.store.events import EVENT_COLUMNS, bulk_insert
from zhuisu.store.schema import metadata
from zhuisu.store.tables import events

#: the rows of one document: its event rows, then (table, columns, rows) of each event table
RowGroup = tuple[list[tuple[Any, ...]], list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]]]

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


def _event_tables() -> list[Table]:
    """Every table whose rows hang off an event (a foreign key to ``events.pk``): what capture
    writes per event besides the event row (identifier rows, chain links, named parties …)."""
    return [
        table
        for table in metadata.sorted_tables
        if any(fk.target_fullname == "events.pk" for fk in table.foreign_keys)
    ]


def _event_pk_column(table: Table) -> str:
    return next(fk.parent.name for fk in table.foreign_keys if fk.target_fullname == "events.pk")


def stored_rows(engine: Engine, per_document: int) -> list[RowGroup]:
    """The rows ours wrote in every table, in groups of ``per_document`` events (as written)."""
    tables = _event_tables()
    with engine.connect() as conn:
        rows = [
            tuple(r)
            for r in conn.execute(select(*[events.c[name] for name in EVENT_COLUMNS]).order_by(events.c.pk))
        ]
        by_table = []
        for table in tables:
            pk_column = _event_pk_column(table)
            columns = tuple(c.name for c in table.columns)
            stored = conn.execute(select(*table.columns).order_by(table.c[pk_column]))
            by_table.append((table.name, columns, _by_event(stored, columns.index(pk_column))))
    groups = []
    for start in range(0, len(rows), per_document):
        chunk = [(*r[:16], None, *r[17:]) for r in rows[start : start + per_document]]  # no job rows in raw
        groups.append(
            (
                chunk,
                [
                    (name, columns, [row for r in chunk for row in per_event.get(int(r[0]), [])])
                    for name, columns, per_event in by_table
                ],
            )
        )
    return groups


def _by_event(rows: Iterable[Any], pk_index: int) -> dict[int, list[tuple[Any, ...]]]:
    out: dict[int, list[tuple[Any, ...]]] = {}
    for row in rows:
        out.setdefault(int(row[pk_index]), []).append(tuple(row))
    return out


def raw_seconds(engine: Engine, groups: list[RowGroup]) -> float:
    """Seconds to insert ``stored_rows`` into a fresh database, one transaction per group."""
    started = time.perf_counter()
    for event_rows, tables in groups:
        with write_transaction(engine) as conn:
            bulk_insert(conn, "events", EVENT_COLUMNS, event_rows)
            for name, columns, rows in tables:
                bulk_insert(conn, name, columns, rows)
    return time.perf_counter() - started


def run(*, events: int, db: str | None, per_document: int = 1000, workers: int = 0) -> CaptureFigures:
    documents = list(capture_documents(events, per_document))
    with scratch_database(db) as engine, ExitStack() as stack:
        name = engine.dialect.name
        preparer = stack.enter_context(PoolPreparer(workers)) if workers else None
        seconds = _ours(engine, documents, preparer)
        groups = stored_rows(engine, per_document)
    with scratch_database(db) as engine:
        raw = raw_seconds(engine, groups)
    return CaptureFigures(name, events, seconds, raw)
