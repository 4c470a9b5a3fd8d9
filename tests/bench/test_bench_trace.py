"""bench trace at a tiny size: the runner works on both databases and prints the agreed JSON shape.

Never a time limit: benchmarks are not tests; only the shape and the graph are checked.
"""

from __future__ import annotations

from pathlib import Path

import orjson
from sqlalchemy import Engine
from typer.testing import CliRunner

from zhuisu.bench import trace as trace_bench
from zhuisu.cli.main import app

KEYS = {
    "db",
    "links",
    "back_p50_ms",
    "back_p99_ms",
    "forward_p50_ms",
    "forward_p99_ms",
    "recall_1000_s",
    "raw_back_p99_ms",
    "raw_forward_p99_ms",
    "raw_recall_1000_s",
}


def test_the_runner_reports_every_figure(engine: Engine, db_url: str) -> None:
    db = None if engine.dialect.name == "sqlite" else db_url
    figures = trace_bench.run(links=3_000, db=db, samples=100).as_dict()
    assert set(figures) >= KEYS
    assert figures["db"] == engine.dialect.name
    assert 2_500 <= figures["links"] <= 3_500
    assert figures["recall_holdings"] > 0 and figures["raw_recall_nodes"] > 0
    assert all(isinstance(figures[k], float | int) and figures[k] >= 0 for k in KEYS - {"db"})


def test_the_command_prints_json() -> None:
    result = CliRunner().invoke(app, ["bench", "trace", "--links", "2000", "--samples", "100", "--json"])
    assert result.exit_code == 0, result.output
    assert set(orjson.loads(result.stdout)) >= KEYS


def test_a_kept_store_is_built_once_and_reused(tmp_path: Path) -> None:
    store = tmp_path / "trace.sqlite3"
    first = trace_bench.run(links=2_000, samples=100, store_at=str(store)).as_dict()
    assert first["build_s"] > 0 and store.exists()
    again = trace_bench.run(links=2_000, samples=100, store_at=str(store)).as_dict()
    assert again["build_s"] == 0  # nothing rebuilt
    assert (again["links"], again["events"]) == (first["links"], first["events"])


def test_a_store_of_another_size_is_refused(tmp_path: Path) -> None:
    store = tmp_path / "trace.sqlite3"
    trace_bench.run(links=2_000, samples=100, store_at=str(store))
    result = CliRunner().invoke(
        app, ["bench", "trace", "--links", "4000", "--samples", "100", "--store", str(store)]
    )
    assert result.exit_code != 0
    assert "--links 4000" in result.output and "追溯基准库" in result.output
