"""The query benchmark runs end to end on a tiny store and reports every figure (never timed),
and a kept store is built once and then reused."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from zhuisu.access.visibility import visibility
from zhuisu.bench import query as query_bench
from zhuisu.errors import ConfigurationError
from zhuisu.query import params, service
from zhuisu.store import events as event_store
from zhuisu.store.engine import read_connection

QUERIES = ("MATCH_epc", "MATCH_epcClass_lot", "EQ_bizLocation_window")


def test_runner_reports_every_figure(engine: Engine) -> None:
    query_bench.build(engine, 1000)
    figures = query_bench.measure(engine, 1000, samples=5).as_dict()
    names = [*QUERIES, *(f"{q} as {who}" for who in ("enterprise", "regulator") for q in QUERIES)]
    for name in names:
        assert set(figures[name]) == {"p50_ms", "p99_ms", "raw_p50_ms", "raw_p99_ms"}
        assert all(value >= 0 for value in figures[name].values())
    assert figures["export_events_per_s"] > 0 and figures["raw_export_events_per_s"] > 0


def test_principals_see_part_of_the_store(engine: Engine) -> None:
    query_bench.build(engine, 1000)
    query_bench.file_principals(engine)
    query_bench.file_principals(engine)  # idempotent: a kept store is measured again and again
    seen = {}
    for who, principal in query_bench.PRINCIPALS.items():
        with read_connection(engine) as conn:
            query = params.parse({"EQ_bizStep": ["shipping"]})
            seen[who] = sum(1 for _ in service.all_events(conn, query, visibility=visibility(principal)))
    # the enterprise's PGLN owns 1 event in 50; the regulator's region holds 10 of 50 locations
    assert seen == {"enterprise": 20, "regulator": 200}


def _event_ids(engine: Engine) -> list[str]:
    with read_connection(engine) as conn:
        return [row.event_id for row in service.all_events(conn, params.parse({}))]


def test_kept_store_is_built_once_then_continued_or_reused(tmp_path: Path) -> None:
    path = str(tmp_path / "kept.sqlite3")
    with query_bench.kept_database(path, 1000) as engine, read_connection(engine) as conn:
        assert event_store.count_events(conn) == 1000
    with query_bench.kept_database(path, 2000) as engine:  # a stopped build, continued
        continued = _event_ids(engine)
    with query_bench.kept_database(path, 2000) as engine:  # reused as it is
        assert _event_ids(engine) == continued
    with query_bench.kept_database(str(tmp_path / "whole.sqlite3"), 2000) as engine:
        assert _event_ids(engine) == continued  # the same store as one built in one run
    assert len(set(continued)) == 2000
    with pytest.raises(ConfigurationError), query_bench.kept_database(path, 1000):
        pass
