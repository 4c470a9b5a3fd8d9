"""zhuisu trace back | forward, as a market inspector runs it."""

from __future__ import annotations

import orjson
from sqlalchemy import Engine
from typer.testing import CliRunner

from tests.chain import scenarios as sc
from zhuisu.cli.main import app

runner = CliRunner()


def test_trace_back_json(engine: Engine, db_url: str) -> None:
    sc.store(engine, sc.pork_chain())
    result = runner.invoke(app, ["trace", "back", sc.RETAIL_SM, "--json", "--db", db_url])
    assert result.exit_code == 0, result.output
    body = orjson.loads(result.stdout)
    assert set(body) == {"identifier", "events", "nodes", "edges"}
    assert body["events"] == sc.ids(1, 2, 3, 4, 6, 10, 11, 12, 13)


def test_trace_forward_text(engine: Engine, db_url: str) -> None:
    sc.store(engine, sc.pork_chain())
    result = runner.invoke(app, ["trace", "forward", sc.TO_B, "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "urn:uuid:e13" in result.stdout and "5 个事件 events" in result.stdout


def test_trace_unknown_identifier_fails_in_both_languages(engine: Engine, db_url: str) -> None:
    result = runner.invoke(app, ["trace", "back", "NO-SUCH-CODE", "--db", db_url])
    assert result.exit_code == 2
    assert "没有记录" in result.output and "no record" in result.output
