"""zhuisu commands: Chinese trace records: zhuisu import."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from zhuisu.capture.records import import_file
from zhuisu.cli.common import DbOption, console, engine_for, err_console
from zhuisu.errors import ValidationFailed, ZhuisuError
from zhuisu.store import migrate
from zhuisu.store.engine import write_transaction


def import_records(
    file: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, readable=True, help="CSV (UTF-8 / GBK) or .xlsx file"),
    ],
    step: Annotated[
        str | None, typer.Option("--step", help="Template step, e.g. pork.wholesale.entry 模板环节")
    ] = None,
    keep_good_rows: Annotated[
        bool, typer.Option("--keep-good-rows", help="Store the valid rows even if others are bad.")
    ] = False,
    json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    db: DbOption = None,
) -> None:
    """Import trace records from a CSV or Excel file; re-importing adds nothing. 导入追溯记录文件。"""
    data = file.read_bytes()
    with (
        engine_for(db) as engine,
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=err_console,
            disable=json,
        ) as progress,
    ):
        migrate.upgrade(engine)
        task = progress.add_task(file.name, total=None)
        try:
            with write_transaction(engine) as conn:
                result = import_file(
                    conn,
                    data,
                    filename=file.name,
                    step=step,
                    keep_good=keep_good_rows,
                    progress=lambda n: progress.advance(task, n),
                    on_total=lambda n: progress.update(task, total=n),
                )
        except ValidationFailed as exc:
            _report_failure(exc, json)
            raise typer.Exit(code=1) from None
        except ZhuisuError as exc:
            err_console.print(f"[red]错误 error[/red] {exc.message}")
            raise typer.Exit(code=2) from None
    report = result.as_dict()
    if json:
        typer.echo(
            orjson.dumps({"success": not result.problems, **report}, option=orjson.OPT_INDENT_2).decode()
        )
    else:
        console.print(
            f"{'[green]✓[/green]' if not result.problems else '[yellow]![/yellow]'} {file}: "
            f"{report['rows']} 行 rows, 新增 inserted {result.inserted}, "
            f"重复 duplicates {result.duplicates}, "
            f"跳过 rejected {result.rejected}"
        )
        for p in result.problems:
            console.print(f"    [red]第 {p.index} 行 row {p.index}[/red] 「{p.path}」 [{p.code}] {p.message}")
    if result.problems:
        raise typer.Exit(code=1)


def _report_failure(exc: ValidationFailed, json: bool) -> None:
    if json:
        body = {
            "success": False,
            "message": exc.message,
            "inserted": 0,
            "problems": [p.as_dict() for p in exc.problems],
        }
        typer.echo(orjson.dumps(body, option=orjson.OPT_INDENT_2).decode())
        return
    err_console.print(f"[red]✗ {exc.message}[/red]")
    for p in exc.problems:
        where = f"第 {p.index} 行 row {p.index} " if p.index is not None else ""
        err_console.print(f"    {where}「{p.path}」 [{p.code}] {p.message}")


def register(app: typer.Typer) -> None:
    """Add this group's commands to the ``zhuisu`` app."""
    app.command("import")(import_records)
