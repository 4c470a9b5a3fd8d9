"""bench public on a two-day demo city: the agreed JSON shape, positive figures, and lookups that
read the looked-up code's own events. Never a time limit: benchmarks are not tests."""

from __future__ import annotations

import asyncio
import random

import orjson
import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from zhuisu.bench import public as public_bench
from zhuisu.bench.databases import scratch_database
from zhuisu.chain.service import Direction, trace
from zhuisu.cli.bench_public import demo_city
from zhuisu.cli.main import app
from zhuisu.errors import NotFound
from zhuisu.store import chain as chain_store
from zhuisu.store.engine import read_connection

KEYS = {
    "db",
    "codes",
    "lookup_p50_ms",
    "lookup_p99_ms",
    "page_p50_ms",
    "page_p99_ms",
    "raw_p50_ms",
    "raw_p99_ms",
}


def _db(engine: Engine, db_url: str) -> str | None:
    return None if engine.dialect.name == "sqlite" else db_url


def test_the_runner_reports_every_figure(engine: Engine, db_url: str) -> None:
    figures = public_bench.run(
        build_city=demo_city("small", days=2), codes=5, samples=10, db=_db(engine, db_url)
    ).as_dict()
    assert set(figures) == KEYS
    assert figures["db"] == engine.dialect.name and figures["codes"] == 5
    assert all(isinstance(figures[k], float) and figures[k] > 0 for k in KEYS - {"db", "codes"})


async def _page(engine: Engine, code: str) -> str:
    app_ = public_bench.public_app(engine)
    try:
        async with public_bench.app_client(app_) as client:
            return await public_bench.fetch_page(client, code)
    finally:
        app_.state.engine.dispose()


def test_lookups_read_the_codes_own_events(engine: Engine, db_url: str) -> None:
    with scratch_database(_db(engine, db_url)) as scratch:
        assert demo_city("small", days=2)(scratch) > 0
        with read_connection(scratch) as conn:
            codes = public_bench.retail_codes(conn)
        assert len(codes) == len(set(codes)) > 10
        for code in random.Random(6).sample(codes, 3):
            view = public_bench.lookup(scratch, code)
            raw = public_bench.raw_lookup(scratch, code)
            with read_connection(scratch) as conn:
                docs = {
                    pk: orjson.loads(d)
                    for pk, d in chain_store.documents_by_pk(conn, {r.pk for r in raw}).items()
                }
            # the retail sale that issued the code is read by both: among the raw rows, and in the
            # consumer view as a 零售 step by the selling subject
            (sale,) = {
                r.event_id: r
                for r in raw
                if r.biz_step == public_bench.RETAIL_SELLING and docs[r.pk].get("zs:traceCode") == code
            }.values()
            assert view.code == code
            retail = [s for s in view.steps if s.step_en == "retail sale"]
            assert retail and sale.subject == docs[sale.pk]["zs:subject"]
            assert sale.subject in {s.subject_key for s in retail}
            with read_connection(scratch) as conn:
                walked = {s.event_id for s in trace(conn, code, direction=Direction.BACK).steps}
            assert walked <= {r.event_id for r in raw}  # raw reads every event the lookup shows
            assert code in asyncio.run(_page(scratch, code))
        unknown = "31010400100099999999"
        assert unknown not in codes
        with pytest.raises(NotFound):
            public_bench.lookup(scratch, unknown)
        with pytest.raises(RuntimeError, match="404"):
            asyncio.run(_page(scratch, unknown))


def test_the_command_prints_json() -> None:
    result = CliRunner().invoke(
        app, ["bench", "public", "--days", "1", "--codes", "3", "--samples", "10", "--json"]
    )
    assert result.exit_code == 0, result.output
    figures = orjson.loads(result.stdout)
    assert set(figures) == KEYS and figures["codes"] == 3
