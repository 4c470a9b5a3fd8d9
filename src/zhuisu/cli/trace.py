"""zhuisu trace back | forward: trace an identifier from the command line."""

from __future__ import annotations

from typing import Annotated

import orjson
import typer
from rich.progress import Progress, TextColumn, TimeElapsedColumn

from zhuisu.chain.relink import relink as relink_chain
from zhuisu.chain.service import Direction, TraceResult, trace
from zhuisu.cli.common import DbOption, console, engine_for, fail
from zhuisu.errors import ZhuisuError
from zhuisu.store.engine import read_connection, write_transaction

Identifier = Annotated[str, typer.Argument(help="EPC URN, class+lot URN, GS1 Digital Link or trace code")]
JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
DepthOption = Annotated[int | None, typer.Option("--depth", min=0, help="At most this many links away.")]

trace_app = typer.Typer(help="Trace back (来源可查) or forward (去向可追). 追溯查询。", no_args_is_help=True)


def _run(identifier: str, direction: Direction, db: str | None, depth: int | None, json: bool) -> None:
    try:
        with engine_for(db) as engine, read_connection(engine) as conn:
            result = trace(conn, identifier, direction=direction, depth=depth)
    except ZhuisuError as exc:
        raise fail(exc) from None
    if json:
        doc = result.to_json()
        out = {k: doc[k] for k in ("identifier", "events", "nodes", "edges")}
        typer.echo(orjson.dumps(out, option=orjson.OPT_INDENT_2).decode())
    else:
        _print(result)


def _print(result: TraceResult) -> None:
    console.print(f"[bold]{result.identifier}[/bold] — {len(result.steps)} 个事件 events")
    for step in result.steps:
        where = step.biz_location or step.read_point or "-"
        who = step.subject or "-"
        console.print(f"  {step.event_time}  {step.biz_step or step.event_type:<16} {where}  {who}")
        console.print(f"      {step.event_id}")


@trace_app.command("back")
def back(
    identifier: Identifier, db: DbOption = None, depth: DepthOption = None, json: JsonFlag = False
) -> None:
    """Every event and lot the identifier came from, back to its origins. 溯源。"""
    _run(identifier, Direction.BACK, db, depth, json)


@trace_app.command("forward")
def forward(
    identifier: Identifier, db: DbOption = None, depth: DepthOption = None, json: JsonFlag = False
) -> None:
    """Everything the identifier went into and everywhere it went. 追踪去向。"""
    _run(identifier, Direction.FORWARD, db, depth, json)


@trace_app.command("relink")
def relink(db: DbOption = None, json: JsonFlag = False) -> None:
    """Derive the links of every stored event again with the current link rules (after an
    upgrade that changed them); one transaction, captures wait. 按当前规则重建追溯链。"""
    with (
        engine_for(db) as engine,
        Progress(
            TextColumn("重建追溯链 relinking"),
            TextColumn("{task.completed:,} 个事件 events"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=json,
        ) as bar,
    ):
        task = bar.add_task("relink", total=None)
        with write_transaction(engine) as conn:
            result = relink_chain(conn, progress=lambda n: bar.advance(task, n))
    if json:
        typer.echo(orjson.dumps(result.to_json()).decode())
        return
    console.print(
        f"已按当前规则重建 {result.events:,} 个事件的追溯链 relinked {result.events:,} events: "
        f"{result.rows_before:,} → {result.rows_after:,} 条链接行 link rows"
    )


def register(app: typer.Typer) -> None:
    """Add this group's commands to the ``zhuisu`` app."""
    app.add_typer(trace_app, name="trace")
