"""bench query: query latency through the query service beside the same SQL run raw.

The store is built from the capture benchmark's workload (``bench.workload.object_event``, each
event given a quantityList with an LGTIN lot so MATCH_epcClass has lots to find) through capture
jobs of 1,000 events — the bulk store path (executemany on SQLite, COPY on PostgreSQL). A store
kept with ``--store`` is built once and reused by later runs of the same size.

"ours" is the whole service call: parse the SimpleEventQuery parameters, ``query.service.run_query``
(first page, perPage 30; the export: pages of 1,000 chained by signed tokens, each rendered as an
EPCISQueryDocument). "raw" runs exactly the SQL the service ran (``store.queries.scan_sql``: with a
principal, the SELECT compiled for the filter's and the visibility's shapes, and the values of
both) through the DB-API cursor and fetches the rows: the floor the service sits on.

The principal figures run the three queries as an enterprise (bound to one subject, whose PGLN is
the party of 1 in 50 events) and as a regulator (whose region holds the bizLocations of 10 of the
50 companies), with the visibility clause the API would put in the store query.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, make_url

from zhuisu.access.principals import Principal, Role
from zhuisu.access.visibility import viewer_scope, visibility
from zhuisu.bench.databases import scratch_database, store_url
from zhuisu.bench.workload import CONTEXT, object_event
from zhuisu.capture import jobs
from zhuisu.capture.formats.epcis_json import parse_json
from zhuisu.capture.service import ErrorBehaviour
from zhuisu.domain import epc
from zhuisu.errors import ConfigurationError
from zhuisu.query import documents, params, service
from zhuisu.runtime import tune_gc
from zhuisu.settings import Settings
from zhuisu.store import events as event_store
from zhuisu.store import migrate
from zhuisu.store import queries as store
from zhuisu.store import subjects as subject_store
from zhuisu.store.access import Visibility
from zhuisu.store.engine import make_engine, read_connection, write_transaction

SECRET = b"bench-query"
SAMPLES = 300
EXPORT_EVENTS = 10_000
EXPORT_PAGE = 1_000
#: events per capture document (and job) of the build
DOCUMENT_EVENTS = 1_000


def _event(n: int, rng: random.Random) -> dict[str, Any]:
    event = object_event(n, rng)
    company, item = f"{6901234 + n % 50:07d}", f"{n % 97:05d}"
    event["quantityList"] = [
        {"epcClass": f"urn:epc:class:lgtin:{company}.0{item}.L{n // 97}", "quantity": 10, "uom": "KGM"}
    ]
    return event


def build(engine: Engine, events: int, per_document: int = DOCUMENT_EVENTS, *, first: int = 0) -> None:
    """Capture events ``first`` … ``events`` - 1 of the workload (a build stopped after ``first``
    events continues where it stopped: the generator is replayed up to there, so the store is the
    same as one built in a single run)."""
    rng = random.Random(2026)
    for n in range(first):
        _event(n, rng)
    for start in range(first, events, per_document):
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


def _raw(
    conn: Connection,
    query: params.EventQuery,
    page: int,
    after: tuple[int, int] | None,
    vis: Visibility | None = None,
) -> tuple[str, Any]:
    """The SQL text and arguments the service ran for this page (``page`` + 1 rows, as it asks)."""
    flt = service.to_filter(conn, query)
    sort = store.SortColumn.PK
    return store.scan_sql(
        conn.dialect, flt, sort=sort, descending=False, after=after, limit=page + 1, visibility=vis
    )


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


# ------------------------------------------------------------------------------ principals

#: the enterprise's subject: its PGLN is the owning party (sourceList) of company 6901234's events
ENTERPRISE_KEY = "91310115MA1K000018"
ENTERPRISE_PGLN = "6901234000016"
#: the regulator's region holds the bizLocations of the first REGULATED_COMPANIES companies
REGULATOR_REGION = "310000"
REGULATED_COMPANIES = 10

PRINCIPALS = {
    "enterprise": Principal(Role.ENTERPRISE, "bench-enterprise", subject_keys=(ENTERPRISE_KEY,)),
    "regulator": Principal(Role.REGULATOR, "bench-regulator", regions=(REGULATOR_REGION,)),
}


def file_principals(engine: Engine) -> None:
    """The subject and master data the principals' visibility clauses select (idempotent)."""
    with write_transaction(engine) as conn:
        subject_store.insert_subject(
            conn,
            {
                "key": ENTERPRISE_KEY,
                "kind": "organisation",
                "uscc": ENTERPRISE_KEY,
                "name": "基准企业 bench enterprise",
                "subject_type": "wholesaler",
                "region": "310115",
                "node_types": "[]",
                "pgln": ENTERPRISE_PGLN,
                "status": "active",
                "filed_us": 0,
                "updated_us": 0,
            },
        )
        store.upsert_master(
            conn,
            "location",
            [
                {
                    "id": epc.canonical(f"urn:epc:id:sgln:{6901234 + c:07d}.00001.0"),
                    "name_zh": f"基准场所 {c}",
                    "region_code": "310115",
                    "updated_us": 0,
                }
                for c in range(REGULATED_COMPANIES)
            ],
        )


# ------------------------------------------------------------------------------ measuring


def _latencies(
    conn: Connection, events: int, samples: int, principal: Principal | None = None
) -> dict[str, dict[str, float]]:
    """p50 / p99 of each query, ours and raw, on the same random parameters. Which of the two runs
    first alternates from sample to sample, so neither always finds the pages the other just read
    in the cache."""
    rng = random.Random(7)
    cursor = conn.connection.cursor()
    scope = "events" if principal is None else f"events|{viewer_scope(principal)}"
    suffix = "" if principal is None else f" as {principal.role.value}"
    out: dict[str, dict[str, float]] = {}

    def run_ours(raw_params: dict[str, list[str]]) -> float:
        started = time.perf_counter()
        query = params.parse(raw_params)
        vis = None if principal is None else visibility(principal)
        service.run_query(conn, query, service.PageRequest(30, None, SECRET, 60, scope), visibility=vis)
        return time.perf_counter() - started

    def run_raw(raw_params: dict[str, list[str]]) -> float:
        vis = None if principal is None else visibility(principal)
        sql, args = _raw(conn, params.parse(raw_params), 30, None, vis)
        started = time.perf_counter()
        cursor.execute(sql, args)
        cursor.fetchall()
        return time.perf_counter() - started

    for name, make in _queries(events, rng).items():
        ours: list[float] = []
        raw: list[float] = []
        for sample in range(samples):
            raw_params = make()
            if sample % 2:
                raw.append(run_raw(raw_params))
                ours.append(run_ours(raw_params))
            else:
                ours.append(run_ours(raw_params))
                raw.append(run_raw(raw_params))
        p50, p99 = _percentiles(ours)
        raw_p50, raw_p99 = _percentiles(raw)
        out[name + suffix] = {"p50_ms": p50, "p99_ms": p99, "raw_p50_ms": raw_p50, "raw_p99_ms": raw_p99}
    cursor.close()
    return out


def _raw_pages(conn: Connection, query: params.EventQuery, total: int) -> int:
    """The export's pages as the service reads them (its SQL, page + 1 rows), through the cursor."""
    cursor = conn.connection.cursor()
    after: tuple[int, int] | None = None
    fetched = 0
    while fetched < total:
        sql, args = _raw(conn, query, EXPORT_PAGE, after)
        cursor.execute(sql, args)
        rows = cursor.fetchall()[:EXPORT_PAGE]
        if not rows:
            break
        fetched += len(rows)
        after = (rows[-1][0], rows[-1][0])
    cursor.close()
    return fetched


def _export(conn: Connection, total: int) -> tuple[float, float]:
    """Events per second of a paged export (pages of 1,000) through the service, rendered as
    EPCISQueryDocuments; then the same pages' SQL through the cursor, rows fetched. The pages are
    read once untimed first, so that both runs find them in the same (warm) cache."""
    query = params.parse({"EQ_bizStep": ["shipping"]})
    _raw_pages(conn, query, total)
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
    started = time.perf_counter()
    fetched = _raw_pages(conn, query, exported)
    raw = fetched / (time.perf_counter() - started)
    return ours, raw


def measure(engine: Engine, events: int, samples: int = SAMPLES, *, principals: bool = True) -> QueryFigures:
    """The figures on a built store of ``events`` events (with ``principals``, also as the
    enterprise and the regulator; their subject and master data are filed first)."""
    tune_gc(Settings())  # as the server runs (zhuisu.runtime)
    if principals:
        file_principals(engine)
    with read_connection(engine) as conn:
        latency = _latencies(conn, events, samples)
        export, raw_export = _export(conn, min(EXPORT_EVENTS, events))
        if principals:
            for principal in PRINCIPALS.values():
                latency.update(_latencies(conn, events, samples, principal))
    return QueryFigures(engine.dialect.name, events, latency, export, raw_export)


# ------------------------------------------------------------------------------ stores


@contextmanager
def kept_database(store_arg: str, events: int) -> Iterator[Engine]:
    """The database at ``store_arg`` (a path or a URL), migrated, holding the benchmark's store of
    ``events`` events: built there when it holds fewer (a stopped build is continued: capture jobs
    of 1,000 events commit whole, so a stopped build holds a multiple of 1,000), reused when it
    holds exactly as many. Nothing is dropped afterwards (delete the file, or the database)."""
    url = make_url(store_url(store_arg))
    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        migrate.upgrade(engine)
        with read_connection(engine) as conn:
            held = event_store.count_events(conn)
        if held > events or held % DOCUMENT_EVENTS:
            raise ConfigurationError(
                f"{store_arg} 中已有 {held} 个事件,不是 --events {events} 的基准库:请换一个位置或删除它",
                f"{store_arg} holds {held} events, not a benchmark store for --events {events}: "
                "use another store or delete it",
            )
        if held < events:
            build(engine, events, first=held)
        yield engine
    finally:
        engine.dispose()


def run(*, events: int, db: str | None, samples: int = SAMPLES, store_at: str | None = None) -> QueryFigures:
    """Build (or, with ``store_at``, reuse) the store and measure it."""
    if store_at is not None:
        with kept_database(store_at, events) as engine:
            return measure(engine, events, samples)
    with scratch_database(db) as engine:
        build(engine, events)
        return measure(engine, events, samples)
