"""zhuisu check run | list (integrity findings) and zhuisu recall scope (召回范围; from a failed
inspection with --failed-test: the stop-trading list)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import orjson
import typer

from zhuisu.chain.checks import list_findings, now_us, parse_time, run_checks
from zhuisu.chain.findings import check_options, timestamp
from zhuisu.chain.recall import FailedTest, failed_test_scope, recall_scope
from zhuisu.chain.recall_report import ReportInfo, scope_pdf, scope_workbook
from zhuisu.cli.common import DbOption, console, engine_for, fail, settings_for
from zhuisu.errors import ValidationFailed, ZhuisuError
from zhuisu.store.engine import read_connection, write_transaction

JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
SinceOption = Annotated[str | None, typer.Option("--since", help="ISO 8601 start of the window (eventTime).")]
UntilOption = Annotated[str | None, typer.Option("--until", help="ISO 8601 end of the window.")]
XlsxOption = Annotated[Path | None, typer.Option("--xlsx", help="Also write an Excel workbook.")]
PdfOption = Annotated[Path | None, typer.Option("--pdf", help="Also write a PDF report.")]
DAY_US = 86_400_000_000
_STOP_TITLE = "停止交易名单 Stop-trading list"

check_app = typer.Typer(help="Integrity checks of the trace chain. 链条完整性检查。", no_args_is_help=True)
recall_app = typer.Typer(help="Recall scope. 召回范围。", no_args_is_help=True)


def _dump(doc: object) -> None:
    typer.echo(orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode())


@check_app.command("run")
def check_run(
    since: SinceOption = None, until: UntilOption = None, db: DbOption = None, json: JsonFlag = False
) -> None:
    """Run every check over a window (default: the last 30 days) and store new findings. 运行检查。"""
    settings = settings_for(db)
    options = check_options(settings)
    try:
        now = now_us()
        end = parse_time(until) if until else now
        start = parse_time(since) if since else end - 30 * DAY_US
        with engine_for(db) as engine, write_transaction(engine) as conn:
            run = run_checks(conn, since_us=start, until_us=end, now_us=now, options=options)
    except ZhuisuError as exc:
        raise fail(exc) from None
    if json:
        _dump(run.to_json())
        return
    console.print(f"{len(run.findings)} 个问题 findings, {run.stored} 个新 new")
    for f in run.findings:
        console.print(f"  [{f.severity}] {f.kind}  {f.message_zh} / {f.message_en}")


@check_app.command("list")
def check_list(
    kind: Annotated[str | None, typer.Option("--kind", help="A kind or family (chain_break …).")] = None,
    identifier: Annotated[str | None, typer.Option("--identifier", help="Lot, code or eventID.")] = None,
    db: DbOption = None,
    json: JsonFlag = False,
) -> None:
    """Stored findings. 已发现的问题。"""
    try:
        with engine_for(db) as engine, read_connection(engine) as conn:
            findings = list_findings(conn, kind=kind, identifier=identifier)
    except ZhuisuError as exc:
        raise fail(exc) from None
    if json:
        _dump({"findings": [f.to_json() for f in findings]})
        return
    for f in findings:
        console.print(
            f"[{f.severity}] {f.kind}  {', '.join(f.event_ids)}\n    {f.message_zh} / {f.message_en}"
        )


FailedTestOption = Annotated[
    str | None,
    typer.Option(
        "--failed-test",
        help="Start from a failed inspection (its eventID): the stop-trading list. 从不合格检测开始。",
    ),
]


@recall_app.command("scope")
def scope(
    identifiers: Annotated[
        list[str] | None, typer.Argument(help="Batch, lot, trace code … (one or more)")
    ] = None,
    failed_test: FailedTestOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    db: DbOption = None,
    json: JsonFlag = False,
    xlsx: XlsxOption = None,
    pdf: PdfOption = None,
) -> None:
    """Every affected lot and holder, still in stock first (a mock recall); with --failed-test, the
    stop-trading list of a failed inspection. 召回范围 / 停止交易名单。"""
    if bool(identifiers) == (failed_test is not None):
        raise fail(
            ValidationFailed(
                "请给出标识符或 --failed-test 二者之一",
                "give either identifiers or --failed-test, not both and not neither",
            )
        )
    test: FailedTest | None = None
    try:
        start = parse_time(since) if since else None
        end = parse_time(until) if until else None
        with engine_for(db) as engine, read_connection(engine) as conn:
            if failed_test is not None:
                test, result = failed_test_scope(conn, failed_test, since_us=start, until_us=end)
            else:
                result = recall_scope(conn, identifiers or [], since_us=start, until_us=end)
    except ZhuisuError as exc:
        raise fail(exc) from None
    if xlsx is not None:
        xlsx.write_bytes(scope_workbook(result))
    if pdf is not None:
        info = ReportInfo(made_us=now_us()) if test is None else ReportInfo(_STOP_TITLE, now_us())
        pdf.write_bytes(scope_pdf(result, info))
    if json:
        _dump(result.to_json() if test is None else {"failedTest": test.to_json(), **result.to_json()})
        return
    if test is not None:
        console.print(
            f"停止交易名单 stop-trading list: 检测 test {test.event_id}  {timestamp(test.time_us)}"
            f"  {test.location or '-'}  不合格 failed: {', '.join(test.identifiers)}"
        )
    console.print(f"{len(result.lots)} 个批次/物品 lots, {len(result.holders)} 个持有者 holders")
    for h in result.holdings:
        console.print(
            f"  {h.location or '-'}  {h.subject or '-'}  {h.identifier}  收 in {h.received:g}"
            f"  出 out {h.sold_on:g}  用 used {h.used:g}  存 holds {h.still_holds:g} {h.uom}"
        )


def register(app: typer.Typer) -> None:
    """Add this group's commands to the ``zhuisu`` app."""
    app.add_typer(check_app, name="check")
    app.add_typer(recall_app, name="recall")
