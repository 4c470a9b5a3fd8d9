"""zhuisu query: the same SimpleEventQuery as GET /events, from the command line."""

from __future__ import annotations

import orjson
from sqlalchemy import Engine
from typer.testing import CliRunner

from tests.query.conftest import L2, dataset_events, e, store
from zhuisu.cli.main import app

runner = CliRunner()


def test_query_prints_matching_events(engine: Engine, db_url: str) -> None:
    store(engine, dataset_events(), namespaces={"ex": "https://example.cn/trace/"})
    result = runner.invoke(
        app, ["query", "--db", db_url, "--param", f"EQ_readPoint={L2}", "-p", "eventType=ObjectEvent"]
    )
    assert result.exit_code == 0, result.output
    assert e(2) in result.stdout and e(5) in result.stdout and e(4) not in result.stdout
    assert "2 个事件 events" in result.stdout


def test_query_json_is_a_query_document(engine: Engine, db_url: str) -> None:
    store(engine, dataset_events(), namespaces={"ex": "https://example.cn/trace/"})
    result = runner.invoke(
        app,
        [
            "query",
            "--db",
            db_url,
            "--json",
            "-p",
            "EQ_bizStep=commissioning|packing",
            "-p",
            "orderBy=eventTime",
            "-p",
            "orderDirection=ASC",
        ],
    )
    assert result.exit_code == 0, result.output
    body = orjson.loads(result.stdout)
    got = [ev["eventID"] for ev in body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]]
    assert got == [e(1), e(1), e(3), e(4)]


def test_bad_parameter_exits_2_with_reason(db_url: str) -> None:
    result = runner.invoke(app, ["query", "--db", db_url, "-p", "EQ_bizStep=flying"])
    assert result.exit_code == 2
    assert "EQ_bizStep" in result.stderr
    result = runner.invoke(app, ["query", "--db", db_url, "-p", "nonsense"])
    assert result.exit_code == 2
