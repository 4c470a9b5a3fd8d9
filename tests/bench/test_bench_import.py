"""bench import at a tiny size: the generated file is valid, every row becomes one event, and the
command prints its figures. Never a time limit: only the shape and the counts are checked."""

from __future__ import annotations

import orjson
from sqlalchemy import Engine
from typer.testing import CliRunner

from zhuisu.bench import imports as import_bench
from zhuisu.capture.imports import read_table
from zhuisu.cli.main import app
from zhuisu.domain.codes import identify


def test_the_file_is_what_a_market_exports() -> None:
    data = import_bench.wholesale_csv(50, start=9_999_990)
    assert data.startswith("\ufeff".encode())
    table = read_table(data, "entries.csv")
    assert len(table.rows) == 50
    assert all(list(row) == list(import_bench.HEADER) for _, row in table.rows)
    codes = [row["追溯码"] for _, row in table.rows]
    assert len(set(codes)) == 50  # the serial wraps at 10⁷ without repeating within a file
    assert all(identify(c).scheme == "cn.meat_veg" for c in codes)


def test_the_runner_imports_every_row(engine: Engine, db_url: str) -> None:
    db = None if engine.dialect.name == "sqlite" else db_url
    figures = import_bench.run(rows=2_000, db=db, file_rows=1_000).as_dict()
    assert figures["db"] == engine.dialect.name and figures["rows"] == 2_000
    assert isinstance(figures["rows_per_s"], int) and figures["rows_per_s"] > 0
    assert isinstance(figures["raw_events_per_s"], int) and figures["raw_events_per_s"] > 0


def test_the_command_prints_json() -> None:
    result = CliRunner().invoke(app, ["bench", "import", "--rows", "1000", "--json"])
    assert result.exit_code == 0, result.output
    figures = orjson.loads(result.stdout)
    assert figures["rows"] == 1_000 and set(figures) >= {"rows_per_s", "raw_events_per_s", "ratio"}
