"""zhuisu recall scope and zhuisu check run | list, as a market inspector runs them."""

from __future__ import annotations

from pathlib import Path

import orjson
from openpyxl import load_workbook
from sqlalchemy import Engine
from typer.testing import CliRunner

from tests.chain import scenarios as sc
from zhuisu.chain.recall import recall_scope
from zhuisu.chain.recall_report import ReportInfo, chain_svg, scope_pdf
from zhuisu.cli.main import app
from zhuisu.domain import epc
from zhuisu.store.engine import read_connection

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


def test_recall_scope_as_workbook_and_pdf_report(engine: Engine, db_url: str, tmp_path: Path) -> None:
    sc.store(engine, sc.pork_chain())
    book, report = tmp_path / "scope.xlsx", tmp_path / "scope.pdf"
    args = ["recall", "scope", sc.PIGS, "--xlsx", str(book), "--pdf", str(report), "--db", db_url]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    sheets = load_workbook(book, read_only=True)
    holdings = list(sheets["持有者 Holdings"].iter_rows(values_only=True))
    assert holdings[0][0] == "持有地点 Location" and [r[7] for r in holdings[1:4]] == [795, 600, 99]
    lots = [r[0] for r in sheets["批次 Lots"].iter_rows(min_row=2, values_only=True)]
    assert epc.canonical(sc.PIGS) in lots
    assert report.read_bytes().startswith(b"%PDF-")


def test_the_pdf_report_embeds_the_cjk_font_and_draws_the_chain(engine: Engine) -> None:
    sc.store(engine, sc.pork_chain())
    with read_connection(engine) as conn:
        scope = recall_scope(conn, [sc.PIGS])
    svg = chain_svg(scope)
    assert svg.count("<rect") == len({h.identifier for h in scope.holdings}) + len(scope.holders)
    assert svg.count('stroke="#c62828"') == sum(1 for h in scope.holdings if h.still_holds > 0)
    pdf = scope_pdf(scope, ReportInfo(made_us=0), compress=False)
    assert b"WenQuanYi" in pdf  # the CJK font is embedded, so 召回 prints


def _failed_carcass_test() -> dict[str, object]:
    """The slaughterhouse's carcass lot fails a test after both its sales went out."""
    event = sc.obj(
        "urn:uuid:t01", "02T05:00", sc.SLAUGHTER, [sc.qty(sc.CARCASS)], step="inspecting", fields={}
    )
    event["disposition"] = "non_conformant"
    return event


def test_recall_scope_from_a_failed_test_is_the_stop_trading_list(engine: Engine, db_url: str) -> None:
    sc.store(engine, [*sc.pork_chain(), _failed_carcass_test()])
    args = ["recall", "scope", "--failed-test", "urn:uuid:t01", "--db", db_url]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    body = orjson.loads(result.stdout)
    assert body["failedTest"]["eventID"] == "urn:uuid:t01"
    assert body["failedTest"]["identifiers"] == [epc.canonical(sc.CARCASS)]
    assert [h["stillHolds"] for h in body["holdings"][:3]] == [795, 600, 99]
    text = runner.invoke(app, args)
    assert text.exit_code == 0, text.output
    assert "停止交易名单 stop-trading list" in text.stdout and "urn:uuid:t01" in text.stdout


def test_recall_scope_takes_identifiers_or_a_failed_test(engine: Engine, db_url: str) -> None:
    sc.store(engine, [*sc.pork_chain(), _failed_carcass_test()])
    for args in ([], [sc.PIGS, "--failed-test", "urn:uuid:t01"]):
        result = runner.invoke(app, ["recall", "scope", *args, "--db", db_url])
        said = " ".join(result.output.split())  # the console wraps long lines
        assert result.exit_code == 2
        assert "二者之一" in said and "either identifiers or --failed-test" in said
    passed = runner.invoke(app, ["recall", "scope", "--failed-test", "urn:uuid:e05", "--db", db_url])
    assert passed.exit_code == 2 and "no failed inspection" in " ".join(passed.output.split())
