"""bench query: query latency through the query service beside the same SQL run raw.

The store is built from the capture benchmark's workload (``bench.workload.object_event``, each
event given a quantityList with an LGTIN lot so MATCH_epcClass has lots to find) through capture
jobs of 1,000 events — the bulk store path (executemany on SQLite, COPY on PostgreSQL).

"ours" is the whole service call: parse the SimpleEventQuery parameters, ``query.service.run_query``
(first page, perPage 30; the export: pages of 1,000 chained by signed tokens, each rendered as an
EPCISQueryDocument). "raw" runs exactly the SELECT the service ran (``store.queries.scan_statement``,
compiled once) through the DB-API cursor and fetches the rows: the floor the service sits on.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, Engine

from zhuisu.bench.databases import scratch_database
from zhuisu.bench.workload import CONTEXT, object_event
from zhuisu.capture import jobs
from zhuisu.capture.formats.epcis_json import parse_json
from zhuisu.capture.service import ErrorBehaviour
from zhuisu.query import documents, params, service
from zhuisu.store import queries as store
from zhuisu.store.engine import read_connection

SECRET = b"bench-query"
SAMPLES = 300
EXPORT_EVENTS = 10_000
EXPORT_PAGE = 1_000


def _event(n: int, rng: random.Random) -> dict[str, Any]:
    event = object_event(n, rng)
    company, item = f"{6901234 + n % 50:07d}", f"{n % 97:05d}"
    event["quantityList"] = [
        {"epcClass": f"urn:epc:class:lgtin:{company}.0{item}.L{n // 97}", "quantity": 10, "uom": "KGM"}
    ]
    return event


def build(engine: Engine, events: int, per_document: int = 1000) -> None:
    rng = random.Random(2026)
    for start in range(0, events, per_document):
        batch = [_event(n, rng) for n in range(start, min(events, start + per_document))]
        data = orjson.dumps(
            {
                "@context": CONTEXT,
                "type": "EPCISDocument",
                "schemaVersion": "2.0",
                "creationDate": "2026-03-31T00:00:00Z",
                "epcisBody": {"eventList": batch},
            }
        )
        doc = parse_json(data)
        job = jobs.start(engine, error_behaviour=ErrorBehaviour.ROLLBACK, doc=doc)
        if not jobs.run_job(engine, job, doc, batch_size=per_document).success:
            raise RuntimeError("benchmark workload rejected")


def _queries(events: int, rng: random.Random) -> dict[str, Callable[[], dict[str, list[str]]]]:
    def one() -> int:
        return rng.randrange(events)

    def match_epc() -> dict[str, list[str]]:
        n = one()
        return {"MATCH_epc": [f"urn:epc:id:sgtin:{6901234 + n % 50:07d}.0{n % 97:05d}.{n}{n % 3}"]}

    def match_lot() -> dict[str, list[str]]:
        n = one()
        lot = f"urn:epc:class:lgtin:{6901234 + n % 50:07d}.0{n % 97:05d}.L{n // 97}"
        return {"MATCH_epcClass": [lot]}

    def location_window() -> dict[str, list[str]]:
        n, day = one(), 1 + rng.randrange(27)
        return {
            "EQ_bizLocation": [f"urn:epc:id:sgln:{6901234 + n % 50:07d}.00001.0"],
            "GE_eventTime": [f"2026-03-{day:02d}T00:00:00+08:00"],
            "LT_eventTime": [f"2026-03-{day + 1:02d}T00:00:00+08:00"],
        }

    return {"MATCH_epc": match_epc, "MATCH_epcClass_lot": match_lot, "EQ_bizLocation_window": location_window}


def _raw(conn: Connection, query: params.EventQuery, page: int, after: tuple[int, int] | None) -> Any:
    """The service's SELECT, compiled, and its runner on the DB-API cursor."""
    flt = service.to_filter(conn, query)
    stmt = store.scan_statement(flt, sort=store.SortColumn.PK, descending=False, after=after, limit=page + 1)
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    sql = str(compiled)
    if conn.dialect.paramstyle == "qmark":
        args: Any = tuple(compiled.params[name] for name in compiled.positiontup or ())
    else:
        args = compiled.params
    return sql, args


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered) * 1000, p99 * 1000


@dataclass(frozen=True, slots=True)
class QueryFigures:
    db: str
    events: int
    latency: dict[str, dict[str, float]]
    export_events_per_s: float
    raw_export_events_per_s: float

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"db": self.db, "events": self.events}
        out.update({name: {k: round(v, 3) for k, v in fig.items()} for name, fig in self.latency.items()})
        out["export_events_per_s"] = round(self.export_events_per_s)
        out["raw_export_events_per_s"] = round(self.raw_export_events_per_s)
        return out


def _latencies(conn: Connection, events: int, samples: int) -> dict[str, dict[str, float]]:
    rng = random.Random(7)
    cursor = conn.connection.cursor()
    out: dict[str, dict[str, float]] = {}
    for name, make in _queries(events, rng).items():
        ours: list[float] = []
        raw: list[float] = []
        for _ in range(samples):
            raw_params = make()
            started = time.perf_counter()
            query = params.parse(raw_params)
            service.run_query(conn, query, service.PageRequest(30, None, SECRET, 60))
            ours.append(time.perf_counter() - started)
            sql, args = _raw(conn, query, 30, None)
            started = time.perf_counter()
            cursor.execute(sql, args)
            cursor.fetchall()
            raw.append(time.perf_counter() - started)
        p50, p99 = _percentiles(ours)
        raw_p50, raw_p99 = _percentiles(raw)
        out[name] = {"p50_ms": p50, "p99_ms": p99, "raw_p50_ms": raw_p50, "raw_p99_ms": raw_p99}
    cursor.close()
    return out


def _export(conn: Connection, total: int) -> tuple[float, float]:
    """Events per second of a paged export (pages of 1,000) through the service, then raw."""
    query = params.parse({"EQ_bizStep": ["shipping"]})
    started = time.perf_counter()
    token: str | None = None
    exported = 0
    while exported < total:
        page = service.run_query(conn, query, service.PageRequest(EXPORT_PAGE, token, SECRET, 600))
        documents.query_document(page.events)
        exported += len(page.events)
        token = page.next_token
        if token is None:
            break
    ours = exported / (time.perf_counter() - started)
    cursor = conn.connection.cursor()
    started = time.perf_counter()
    after: tuple[int, int] | None = None
    fetched = 0
    while fetched < exported:
        sql, args = _raw(conn, query, EXPORT_PAGE - 1, after)
        cursor.execute(sql, args)
        rows = cursor.fetchall()
        if not rows:
            break
        fetched += len(rows)
        after = (rows[-1][0], rows[-1][0])
    raw = fetched / (time.perf_counter() - started)
    cursor.close()
    return ours, raw


def measure(engine: Engine, events: int, samples: int = SAMPLES) -> QueryFigures:
    with read_connection(engine) as conn:
        latency = _latencies(conn, events, samples)
        export, raw_export = _export(conn, min(EXPORT_EVENTS, events))
    return QueryFigures(engine.dialect.name, events, latency, export, raw_export)


def run(*, events: int, db: str | None, samples: int = SAMPLES) -> QueryFigures:
    with scratch_database(db) as engine:
        build(engine, events)
        return measure(engine, events, samples)
