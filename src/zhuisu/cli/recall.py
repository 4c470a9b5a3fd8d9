"""zhuisu check run | list (integrity findings) and zhuisu recall scope (召回范围)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import orjson
import typer

from zhuisu.chain.checks import CheckOptions, list_findings, now_us, parse_time, run_checks
from zhuisu.chain.recall import recall_scope
from zhuisu.chain.recall_report import ReportInfo, scope_pdf, scope_workbook
from zhuisu.cli.common import DbOption, console, engine_for, fail, settings_for
from zhuisu.errors import ZhuisuError
from zhuisu.store.engine import read_connection, write_transaction

JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
SinceOption = Annotated[str | None, typer.Option("--since", help="ISO 8601 start of the window (eventTime).")]
UntilOption = Annotated[str | None, typer.Option("--until", help="ISO 8601 end of the window.")]
XlsxOption = Annotated[Path | None, typer.Option("--xlsx", help="Also write an Excel workbook.")]
PdfOption = Annotated[Path | None, typer.Option("--pdf", help="Also write a PDF report.")]
DAY_US = 86_400_000_000

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
    options = CheckOptions(
        settings.chain_receipt_hours,
        settings.chain_clock_skew_minutes,
        settings.chain_same_time_minutes,
        settings.chain_travel_kmh,
    )
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


@recall_app.command("scope")
def scope(
    identifiers: Annotated[list[str], typer.Argument(help="Batch, lot, trace code … (one or more)")],
    since: SinceOption = None,
    until: UntilOption = None,
    db: DbOption = None,
    json: JsonFlag = False,
    xlsx: XlsxOption = None,
    pdf: PdfOption = None,
) -> None:
    """Every affected lot and holder, still in stock first (a mock recall). 召回范围。"""
    try:
        start = parse_time(since) if since else None
        end = parse_time(until) if until else None
        with engine_for(db) as engine, read_connection(engine) as conn:
            result = recall_scope(conn, identifiers, since_us=start, until_us=end)
    except ZhuisuError as exc:
        raise fail(exc) from None
    if xlsx is not None:
        xlsx.write_bytes(scope_workbook(result))
    if pdf is not None:
        pdf.write_bytes(scope_pdf(result, ReportInfo(made_us=now_us())))
    if json:
        _dump(result.to_json())
        return
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
