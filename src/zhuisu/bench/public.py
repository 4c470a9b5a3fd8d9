"""bench public: the consumer lookup of a trace code (来源可查), beside the raw read of its events.

The store is the demo city (``demo.builder``: subjects filed, codes issued, records and EPCIS events
captured through the services, day by day), built into a scratch database by the builder the caller
hands in (``cli.bench_public.demo_city``: bench and demo are sibling layers, so the command that
sits above both joins them). The codes looked up are real retail codes of that city: the
``zs:traceCode`` of its retail sales (CBV 2.0 bizStep ``retail_selling``: the portion a consumer
takes home and scans). Per code, in the same run and in turn, so that the machine's load falls on
all three alike:

* lookup — ``web.consumer_view.consumer_trace``, the one service call ``GET /t/{code}`` makes
  (web.public.consumer), in a read transaction of its own as the page opens one;
* page — ``GET /t/{code}`` through the whole ASGI app in-process (httpx ``ASGITransport``; no
  cookie, so the viewer is the anonymous PUBLIC principal): routing, the rate limiter, the lookup,
  Jinja rendering; no network;
* raw — the least SQL that reads the same code's events: the bare backward walk from the code
  (``store.chain.raw_closure``) and every valid event naming a node it reached
  (``store.chain.recall_rows``, driver cursor: identifiers, amounts, subjects, no documents), in a
  read transaction of its own.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
import orjson
from fastapi import FastAPI
from sqlalchemy import Connection, Engine

from zhuisu.api.app import create_app
from zhuisu.bench.databases import scratch_database
from zhuisu.chain.service import canonical_identifier
from zhuisu.runtime import tune_gc
from zhuisu.settings import Settings
from zhuisu.store import chain as chain_store
from zhuisu.store.engine import read_connection
from zhuisu.store.events import list_recent
from zhuisu.web.consumer_view import ZS, ConsumerTrace, consumer_trace

#: CBV 2.0 bizStep of a sale to a consumer: the records whose codes a consumer scans
RETAIL_SELLING = "retail_selling"
#: high enough that the bench is never refused (429): the limiter still counts every request
_NO_LIMIT = "10000000/second"
_WARM = 20
_PAGE = 1000

#: fills a migrated, empty database with the city whose codes are looked up; returns its events
CityBuilder = Callable[[Engine], int]


@dataclass(frozen=True, slots=True)
class PublicFigures:
    db: str
    codes: int
    events: int
    build_s: float
    lookup_ms: list[float]
    page_ms: list[float]
    raw_ms: list[float]

    def as_dict(self) -> dict[str, Any]:
        def pct(values: list[float], q: int) -> float:
            return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 3)

        return {
            "db": self.db,
            "codes": self.codes,
            "lookup_p50_ms": pct(self.lookup_ms, 50),
            "lookup_p99_ms": pct(self.lookup_ms, 99),
            "page_p50_ms": pct(self.page_ms, 50),
            "page_p99_ms": pct(self.page_ms, 99),
            "raw_p50_ms": pct(self.raw_ms, 50),
            "raw_p99_ms": pct(self.raw_ms, 99),
        }


# --------------------------------------------------------------------------- the store and its codes


def _trace_code(doc: dict[str, Any], namespaces: dict[str, str]) -> str | None:
    """The ``zs:traceCode`` of an event document, whatever prefix its namespaces give zhuisu's."""
    prefixes = [p for p, uri in namespaces.items() if uri == ZS] or ["zs"]
    for prefix in prefixes:
        value = doc.get(f"{prefix}:traceCode")
        if isinstance(value, str) and value:
            return value
    return None


def retail_codes(conn: Connection) -> list[str]:
    """The trace codes of every retail sale in the store, in capture order, each once."""
    found: dict[str, None] = {}
    after = 0
    while rows := list_recent(conn, limit=_PAGE, after_pk=after):
        after = rows[-1].pk
        for row in rows:
            if row.error_declared:
                continue
            doc = orjson.loads(row.doc)
            if doc.get("bizStep") != RETAIL_SELLING:
                continue
            code = _trace_code(doc, orjson.loads(row.namespaces) if row.namespaces else {})
            if code is not None:
                found[code] = None
    return list(found)


# --------------------------------------------------------------------------- the three reads


def lookup(engine: Engine, code: str) -> ConsumerTrace:
    """What ``GET /t/{code}`` gathers: the consumer view, in a read transaction of its own."""
    with read_connection(engine) as conn:
        return consumer_trace(conn, code)


def raw_lookup(engine: Engine, code: str) -> list[chain_store.RecallRow]:
    """The raw limit: the code's upstream walk and the events naming what it reached."""
    with read_connection(engine) as conn:
        nodes = chain_store.raw_closure(conn, [canonical_identifier(code)], backward=True)
        return chain_store.recall_rows(conn, nodes)


def page_path(code: str) -> str:
    return f"/t/{quote(code, safe='')}"


async def fetch_page(client: httpx.AsyncClient, code: str) -> str:
    """The consumer page of a code; RuntimeError unless it is a 200 page that names the code."""
    response = await client.get(page_path(code))
    if response.status_code != 200 or code not in response.text:
        raise RuntimeError(
            f"GET {page_path(code)} → {response.status_code}: 不是该码的公众页面 / not its consumer page"
        )
    return response.text


def public_app(engine: Engine) -> FastAPI:
    """The whole app on the same database, as ``zhuisu serve`` builds it; dispose of
    ``app.state.engine`` afterwards (no lifespan is run: it only recovers capture jobs and starts
    webhook deliveries, neither of which a page needs)."""
    settings = Settings(
        database_url=engine.url.render_as_string(hide_password=False),
        rate_limit_per_key=_NO_LIMIT,
        rate_limit_per_address=_NO_LIMIT,
        subscription_delivery_enabled=False,
    )
    return create_app(settings)


def app_client(app: FastAPI) -> httpx.AsyncClient:
    """An in-process HTTP client of the app: every layer of a request but the network."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench.local")


# --------------------------------------------------------------------------- timing


def _ms(began: float) -> float:
    return 1000 * (time.perf_counter() - began)


async def _time_all(engine: Engine, starts: list[str]) -> tuple[list[float], list[float], list[float]]:
    """Milliseconds of (lookup, page, raw) for each start, the three in turn per start."""
    lookups: list[float] = []
    pages: list[float] = []
    raws: list[float] = []
    app = public_app(engine)
    try:
        async with app_client(app) as client:
            for code in dict.fromkeys(starts[:_WARM]):  # warm caches, and check every path works
                if lookup(engine, code).code != code or not raw_lookup(engine, code):
                    raise RuntimeError(
                        f"查询 {code} 没有读到该码的事件 / the lookup of {code} found no events"
                    )
                await fetch_page(client, code)
            for code in starts:
                began = time.perf_counter()
                raw_lookup(engine, code)
                raws.append(_ms(began))
                began = time.perf_counter()
                lookup(engine, code)
                lookups.append(_ms(began))
                began = time.perf_counter()
                await fetch_page(client, code)
                pages.append(_ms(began))
    finally:
        app.state.engine.dispose()
    return lookups, pages, raws


def _starts(codes: list[str], samples: int, rng: random.Random) -> Iterator[str]:
    """``samples`` lookups spread evenly over the chosen codes, in random order."""
    order = [codes[i % len(codes)] for i in range(samples)]
    rng.shuffle(order)
    yield from order


def run(
    *,
    build_city: CityBuilder,
    codes: int = 200,
    samples: int = 500,
    db: str | None = None,
    seed: int = 2026,
) -> PublicFigures:
    """Build the city, pick ``codes`` random retail codes, time ``samples`` lookups of each kind."""
    rng = random.Random(seed + 6)
    with scratch_database(db) as engine:
        started = time.perf_counter()
        events = build_city(engine)
        build_s = time.perf_counter() - started
        with read_connection(engine) as conn:
            every = retail_codes(conn)
        if not every:
            raise RuntimeError("演示城市没有零售追溯码 / the demo city has no retail trace codes")
        chosen = rng.sample(every, min(codes, len(every)))
        tune_gc(Settings())  # as the server runs (zhuisu.runtime)
        starts = list(_starts(chosen, max(samples, 2), rng))
        lookups, pages, raws = asyncio.run(_time_all(engine, starts))
    return PublicFigures(engine.url.get_backend_name(), len(chosen), events, build_s, lookups, pages, raws)
