"""bench all at a tiny size: every runner's figures line up with a raw limit and a target.
Never a time limit: only the shape is checked."""

from __future__ import annotations

import orjson
import pytest
from typer.testing import CliRunner

from zhuisu.bench import suite
from zhuisu.cli.bench_public import demo_city
from zhuisu.cli.main import app

TINY = {"capture": 1_000, "query": 2_000, "trace": 2_000, "import": 1_000, "public": 1}


def test_every_benchmark_reports_beside_its_raw_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(suite.SIZES, suite.Scale.QUICK, TINY)
    seen: list[str] = []
    figures = suite.run_all(
        db=None, scale=suite.Scale.QUICK, progress=seen.append, city=lambda days: demo_city("small", days)
    )
    assert seen == ["capture", "query", "trace", "import", "public"]
    assert {f.bench for f in figures} == set(seen)
    for f in figures:
        assert f.ours > 0 and f.raw > 0 and f.ratio is not None and f.ratio > 0, f
        assert f.target
    (capture,) = [f for f in figures if f.bench == "capture"]
    assert capture.higher and capture.ratio == pytest.approx(capture.ours / capture.raw)
    back = next(f for f in figures if f.name == "back p99")
    assert not back.higher and back.ratio == pytest.approx(back.raw / back.ours)
    page = next(f for f in figures if f.bench == "public" and f.name == "page p99")
    assert not page.higher and "50" in page.target


def test_the_command_runs_a_chosen_benchmark_and_refuses_unknown_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(suite.SIZES, suite.Scale.QUICK, TINY)
    runner = CliRunner()
    result = runner.invoke(app, ["bench", "all", "--scale", "quick", "--only", "import", "--json"])
    assert result.exit_code == 0, result.output
    (figure,) = orjson.loads(result.stdout)
    assert figure["bench"] == "import" and figure["unit"] == "rows/s" and figure["ratio"] > 0
    with pytest.raises(ValueError, match="city"):
        suite.run_all(db=None, scale=suite.Scale.QUICK, only=frozenset({"public"}))
    bad = runner.invoke(app, ["bench", "all", "--only", "nosuch"])
    assert bad.exit_code == 2 and "nosuch" in bad.output
