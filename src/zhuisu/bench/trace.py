"""bench trace: trace back / forward and a 1,000-batch recall, each beside the raw recursive walk.

The graph (farm batches → slaughter → wholesale markets → retail) is built through the store's bulk
path: every event is an EPCIS document as a client would send it, its links are derived by
``domain.links.derive`` exactly as capture derives them, and events, identifier rows and link rows
are written with ``store.events.write_rows`` and ``store.chain.write_links`` (executemany on SQLite,
COPY on PostgreSQL) — the rows capture stores, without validation and hashing (``bench capture``
measures those). The shape follows the meat & vegetable chain of the pork test scenario:

* farm batch ``F{b}`` shipped under a trace code (``zs:traceCode``) and received at a slaughterhouse
  under that code as voucher (``zs:traceVoucher``), per slaughter lot it goes into;
* each slaughter lot ``S{s}`` a TransformationEvent of 1–3 farm batches;
* each wholesale lot ``W{w}`` received from 1–2 slaughter lots (code → voucher, as above);
* each retail lot ``R{r}`` received from one wholesale lot.

Per farm batch: 2 slaughter lots, 10 wholesale lots and 30 retail lots; ≈ 102 links (each stored as
two walk rows) and ≈ 100 events. "ours" runs ``chain.service.trace`` (what ``GET /trace`` runs) and
``chain.recall.recall_scope``; "raw" is the bare recursive CTE over the same link rows
(``store.chain.raw_closure``: nodes only, no time windows, no events), in the same run.
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

from zhuisu.bench.databases import scratch_database, store_url
from zhuisu.chain.recall import recall_scope
from zhuisu.chain.service import Direction, trace
from zhuisu.domain.epc import canonical
from zhuisu.domain.event_model import ZHUISU_NS
from zhuisu.domain.holders import amounts_of, subject_by_keys
from zhuisu.domain.links import derive, field_keys, keys_for, walk_template
from zhuisu.domain.roles import EVENT_TYPE_CODES, QUANTITY_ROLES
from zhuisu.errors import ConfigurationError
from zhuisu.runtime import tune_gc
from zhuisu.settings import Settings
from zhuisu.store import chain as chain_store
from zhuisu.store import events as event_store
from zhuisu.store import migrate
from zhuisu.store.engine import analyze, make_engine, read_connection, write_transaction
from zhuisu.store.events import write_rows

LINKS_PER_FARM_BATCH = 102
_GTIN = {
    "F": "16901234000013",
    "S": "26901234000010",
    "W": "36902000000019",
    "R": "46903000000013",
}
_NAMESPACES = orjson.dumps({"zs": ZHUISU_NS}).decode()
_KEYS = keys_for({"zs": ZHUISU_NS})
_SUBJECT_KEYS = field_keys({"zs": ZHUISU_NS}, "subject")
_T0_US = 1_777_593_600_000_000  # 2026-05-01T00:00:00Z
_BATCH = 20_000


def lot(level: str, n: int) -> str:
    return f"https://id.gs1.org/01/{_GTIN[level]}/10/{level}{n}"


@dataclass(frozen=True, slots=True)
class TraceFigures:
    db: str
    links: int
    events: int
    build_s: float
    back_ms: list[float]
    forward_ms: list[float]
    raw_back_ms: list[float]
    raw_forward_ms: list[float]
    recall_s: float
    raw_recall_s: float
    recall_holdings: int
    raw_recall_nodes: int
    recall_batches: int

    def as_dict(self) -> dict[str, Any]:
        def pct(values: list[float], q: int) -> float:
            return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 3)

        return {
            "db": self.db,
            "links": self.links,
            "events": self.events,
            "build_s": round(self.build_s, 1),
            "back_p50_ms": pct(self.back_ms, 50),
            "back_p99_ms": pct(self.back_ms, 99),
            "forward_p50_ms": pct(self.forward_ms, 50),
            "forward_p99_ms": pct(self.forward_ms, 99),
            "recall_1000_s": round(self.recall_s, 3),
            "raw_back_p50_ms": pct(self.raw_back_ms, 50),
            "raw_back_p99_ms": pct(self.raw_back_ms, 99),
            "raw_forward_p50_ms": pct(self.raw_forward_ms, 50),
            "raw_forward_p99_ms": pct(self.raw_forward_ms, 99),
            "raw_recall_1000_s": round(self.raw_recall_s, 3),
            "recall_batches": self.recall_batches,
            "recall_holdings": self.recall_holdings,
            "raw_recall_nodes": self.raw_recall_nodes,
        }


# --------------------------------------------------------------------------- the graph


class _Builder:
    """Events of the generated chain, in the rows capture would store."""

    def __init__(self) -> None:
        self.pk = 0
        self.events: list[tuple[Any, ...]] = []
        self.ids: list[tuple[Any, ...]] = []
        self.links: list[chain_store.LinkBatchItem] = []
        self.link_count = 0

    def add(self, event: dict[str, Any], t_us: int, location: str) -> None:
        self.pk += 1
        pk = self.pk
        event["eventID"] = f"urn:uuid:00000000-0000-4000-8000-{pk:012d}"
        event["eventTime"] = _iso(t_us)
        event["eventTimeZoneOffset"] = "+08:00"
        event["bizLocation"] = {"id": location}
        event["readPoint"] = {"id": location}
        doc = orjson.dumps(event).decode()
        self.events.append(
            (
                pk,
                event["eventID"],
                f"ni:///sha-256;{pk:064x}?ver=CBV2.0",
                EVENT_TYPE_CODES[event["type"]],
                event.get("action"),
                event.get("bizStep"),
                None,
                location,
                location,
                t_us,
                "+08:00",
                t_us,
                None,
                False,
                None,
                None,
                None,
                doc,
                _NAMESPACES,
                subject_by_keys(event, _SUBJECT_KEYS),
            )
        )
        for key, role in QUANTITY_ROLES.items():
            for node, (amount, uom) in amounts_of(event.get(key), canonical).items():
                self.ids.append((pk, int(role), node, amount, uom))
        links = derive(event, _KEYS)
        self.link_count += len(links)
        self.links.append((pk, t_us, walk_template(links), False))

    def flush(self, conn: Connection) -> None:
        write_rows(conn, self.events, self.ids)
        chain_store.write_links(conn, self.links)
        self.events, self.ids, self.links = [], [], []


def _iso(t_us: int) -> str:
    from datetime import UTC, datetime, timedelta

    moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=t_us)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _obj(step: str, level: str, n: int, qty: float, **fields: str) -> dict[str, Any]:
    return {
        "type": "ObjectEvent",
        "action": "OBSERVE",
        "bizStep": step,
        "quantityList": [{"epcClass": lot(level, n), "quantity": qty, "uom": "KGM"}],
        **fields,
    }


def _hops(rng: random.Random, farms: int) -> Iterator[tuple[str, dict[str, Any], int, str]]:
    """(kind, event, time µs, location) of the whole chain, in time order per stage."""
    slaughter, wholesale, retail = 2 * farms, 10 * farms, 30 * farms
    hour = 3_600_000_000
    for s in range(slaughter):
        inputs = sorted({s // 2, *rng.sample(range(farms), rng.randint(0, 2))})  # every batch is used
        plant = f"urn:epc:id:sgln:6901234.{s % 200:05d}.0"
        t = _T0_US + s * 1000
        for b in inputs:
            code = f"YZ{b}-{s}"
            farm = f"urn:epc:id:sgln:6901000.{b % 5000:05d}.0"
            ship = _obj("shipping", "F", b, 100, **{"zs:traceCode": code, "zs:subject": f"FARM{b % 5000}"})
            yield "farm", ship, t, farm
            receipt = _obj(
                "receiving", "F", b, 100, **{"zs:traceVoucher": code, "zs:subject": f"PLANT{s % 200}"}
            )
            yield "plant", receipt, t + hour, plant
        xform = {
            "type": "TransformationEvent",
            "bizStep": "commissioning",
            "inputQuantityList": [{"epcClass": lot("F", b), "quantity": 100, "uom": "KGM"} for b in inputs],
            "outputQuantityList": [{"epcClass": lot("S", s), "quantity": 150, "uom": "KGM"}],
            "zs:subject": f"PLANT{s % 200}",
        }
        yield "plant", xform, t + 2 * hour, plant
    for w in range(wholesale):
        market = f"urn:epc:id:sgln:6902000.{w % 1000:05d}.0"
        t = _T0_US + 10 * hour + w * 1000
        for s in sorted(rng.sample(range(slaughter), rng.randint(1, 2))):
            code = f"TZ{s}-{w}"
            plant = f"urn:epc:id:sgln:6901234.{s % 200:05d}.0"
            ship = _obj("shipping", "S", s, 10, **{"zs:traceCode": code, "zs:subject": f"PLANT{s % 200}"})
            yield "plant", ship, t, plant
            receipt = _obj(
                "receiving", "W", w, 10, **{"zs:traceVoucher": code, "zs:subject": f"MARKET{w % 1000}"}
            )
            yield "market", receipt, t + hour, market
    for r in range(retail):
        w = rng.randrange(wholesale)
        market = f"urn:epc:id:sgln:6902000.{w % 1000:05d}.0"
        shop = f"urn:epc:id:sgln:6903000.{r % 10000:05d}.0"
        t = _T0_US + 20 * hour + r * 1000
        code = f"PF{w}-{r}"
        yield (
            "market",
            _obj("shipping", "W", w, 2, **{"zs:traceCode": code, "zs:subject": f"MARKET{w % 1000}"}),
            t,
            market,
        )
        receipt = _obj("receiving", "R", r, 2, **{"zs:traceVoucher": code, "zs:subject": f"SHOP{r % 10000}"})
        yield "shop", receipt, t + hour, shop


def build(engine: Engine, links: int, seed: int = 5) -> tuple[int, int, int]:
    """Write the generated chain of about ``links`` links; returns (farm batches, links, events)."""
    farms = max(links // LINKS_PER_FARM_BATCH, 20)
    builder = _Builder()
    rng = random.Random(seed)
    # a transaction per batch, as capture jobs commit: one transaction for the whole graph let the
    # SQLite WAL grow past 8 GB at 5M links (nothing can be checkpointed until the commit)
    for _, event, t_us, location in _hops(rng, farms):
        builder.add(event, t_us, location)
        if len(builder.events) >= _BATCH:
            with write_transaction(engine) as conn:
                builder.flush(conn)
    with write_transaction(engine) as conn:
        builder.flush(conn)
    analyze(engine)
    return farms, builder.link_count, builder.pk


# --------------------------------------------------------------------------- timing


def _paired(
    starts: list[str], ours: Callable[[str], object], raw: Callable[[str], object]
) -> tuple[list[float], list[float]]:
    """Milliseconds of ``ours`` and ``raw`` for each start, taking turns at going first: whichever
    runs first reads the start's pages cold (the OS cache, SQLite's map), so a fixed order would
    hand the other one warm pages every time."""
    mine: list[float] = []
    theirs: list[float] = []
    for n, start in enumerate(starts):
        order = ((ours, mine), (raw, theirs)) if n % 2 == 0 else ((raw, theirs), (ours, mine))
        for fn, out in order:
            began = time.perf_counter()
            fn(start)
            out.append(1000 * (time.perf_counter() - began))
    return mine, theirs


def expected_events(links: int, seed: int = 5) -> int:
    """How many events ``build`` writes for ``links`` (the generator replayed without deriving)."""
    farms = max(links // LINKS_PER_FARM_BATCH, 20)
    return sum(1 for _ in _hops(random.Random(seed), farms))


@contextmanager
def kept_database(store_arg: str, links: int, seed: int = 5) -> Iterator[tuple[Engine, int, float]]:
    """The database at ``store_arg`` (a path or a URL), migrated, holding the generated chain of
    ``links``: built there when empty, reused when it holds exactly that chain's events. Yields
    (engine, events, build seconds: 0 when reused). Nothing is dropped afterwards."""
    engine = make_engine(make_url(store_url(store_arg)).render_as_string(hide_password=False))
    try:
        migrate.upgrade(engine)
        with read_connection(engine) as conn:
            held = event_store.count_events(conn)
        expected = expected_events(links, seed)
        if held and held != expected:
            raise ConfigurationError(
                f"{store_arg} 中已有 {held} 个事件,不是 --links {links} 的追溯基准库({expected} 个事件):"
                "请换一个位置或删除它",
                f"{store_arg} holds {held} events, not the trace benchmark store of --links {links} "
                f"({expected} events): use another store or delete it",
            )
        build_s = 0.0
        if not held:
            started = time.perf_counter()
            build(engine, links, seed)
            build_s = time.perf_counter() - started
        yield engine, expected, build_s
    finally:
        engine.dispose()


def run(
    *,
    links: int = 200_000,
    db: str | None = None,
    samples: int = 300,
    seed: int = 5,
    store_at: str | None = None,
) -> TraceFigures:
    """Build (or, with ``store_at``, reuse) the generated chain and measure it."""
    if store_at is not None:
        with kept_database(store_at, links, seed) as (engine, events, build_s):
            return measure(engine, links, events, build_s, samples, seed)
    with scratch_database(db) as engine:
        started = time.perf_counter()
        _, _, events = build(engine, links, seed)
        return measure(engine, links, events, time.perf_counter() - started, samples, seed)


def measure(engine: Engine, links: int, events: int, build_s: float, samples: int, seed: int) -> TraceFigures:
    """The figures on a built chain of ``links`` (the starts drawn as ``build`` numbered the lots)."""
    rng = random.Random(seed + 1)
    farms = max(links // LINKS_PER_FARM_BATCH, 20)
    tune_gc(Settings())  # as the server runs (zhuisu.runtime)
    backs = [lot("R", rng.randrange(30 * farms)) for _ in range(samples)]
    forwards = [lot("F", rng.randrange(farms)) for _ in range(samples)]
    recall = [lot("F", b) for b in rng.sample(range(farms), min(1000, farms))]
    with read_connection(engine) as conn:
        # each link is two walk rows here (one event states one link per pair: no hubs)
        made = chain_store.count_links(conn) // 2
        for start in backs[:50] + forwards[:50]:  # warm the page cache and the statement cache
            trace(conn, start, direction=Direction.BACK)
            chain_store.raw_closure(conn, [start], backward=False)
        back, raw_back = _paired(
            backs,
            lambda s: trace(conn, s, direction=Direction.BACK),
            lambda s: chain_store.raw_closure(conn, [s], backward=True),
        )
        forward, raw_forward = _paired(
            forwards,
            lambda s: trace(conn, s, direction=Direction.FORWARD),
            lambda s: chain_store.raw_closure(conn, [s], backward=False),
        )
        recall_scope(conn, recall[:10])
        # the walk's pages once for both, untimed: whichever ran first would read them cold
        chain_store.raw_closure(conn, recall, backward=False)
        t0 = time.perf_counter()
        scope = recall_scope(conn, recall)
        recall_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        nodes = chain_store.raw_closure(conn, recall, backward=False)
        raw_recall_s = time.perf_counter() - t0
    return TraceFigures(
        engine.url.get_backend_name(),
        made,
        events,
        build_s,
        back,
        forward,
        raw_back,
        raw_forward,
        recall_s,
        raw_recall_s,
        len(scope.holdings),
        len(nodes),
        len(recall),
    )
