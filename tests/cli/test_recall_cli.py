"""zhuisu recall scope and zhuisu check run | list, as a market inspector runs them."""

from __future__ import annotations

import orjson
from sqlalchemy import Engine
from typer.testing import CliRunner

from tests.chain import scenarios as sc
from zhuisu.cli.main import app

runner = CliRunner()


def test_recall_scope_json_and_text(engine: Engine, db_url: str) -> None:
    sc.store(engine, sc.pork_chain())
    result = runner.invoke(app, ["recall", "scope", sc.PIGS, "--json", "--db", db_url])
    assert result.exit_code == 0, result.output
    body = orjson.loads(result.stdout)
    assert [h["stillHolds"] for h in body["holdings"][:3]] == [795, 600, 99]
    text = runner.invoke(app, ["recall", "scope", sc.TO_SM, "--db", db_url])
    assert text.exit_code == 0, text.output
    assert "持有者 holders" in text.stdout and "99" in text.stdout


def test_recall_scope_unknown_fails_in_both_languages(engine: Engine, db_url: str) -> None:
    result = runner.invoke(app, ["recall", "scope", "NO-SUCH-CODE", "--db", db_url])
    assert result.exit_code == 2
    assert "没有记录" in result.output and "no record" in result.output


def test_check_run_and_list(engine: Engine, db_url: str) -> None:
    sc.store(engine, [e for e in sc.pork_chain() if e["eventID"] != "urn:uuid:e02"])
    window = ["--since", "2026-04-01", "--until", "2026-06-01"]
    result = runner.invoke(app, ["check", "run", *window, "--json", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert orjson.loads(result.stdout)["new"] == 1
    again = runner.invoke(app, ["check", "run", *window, "--db", db_url])
    assert again.exit_code == 0 and "0 个新 new" in again.stdout
    listed = runner.invoke(app, ["check", "list", "--json", "--db", db_url])
    assert [f["eventIDs"] for f in orjson.loads(listed.stdout)["findings"]] == [["urn:uuid:e03"]]
    text = runner.invoke(app, ["check", "list", "--kind", "chain_break", "--db", db_url])
    assert "chain_break.unmatched_receipt" in text.stdout
