"""zhuisu bench import: registered on the ``bench`` group by ``cli.bench``."""

from __future__ import annotations

from typing import Annotated

import orjson
import typer
from rich.table import Table

from zhuisu.bench import imports as import_bench
from zhuisu.cli.common import DbOption, console


def bench_import(
    rows: Annotated[
        int, typer.Option("--rows", min=1_000, help="Rows of wholesale entries (1,000,000 for the full run).")
    ] = 100_000,
    file_rows: Annotated[
        int, typer.Option("--file-rows", min=1_000, help="Rows per CSV file (one transaction each).")
    ] = 100_000,
    db: DbOption = None,
    json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """A CSV of wholesale entries through zhuisu import vs the raw insert of its rows. 导入性能。"""
    figures = import_bench.run(rows=rows, db=db, file_rows=file_rows).as_dict()
    if json:
        typer.echo(orjson.dumps(figures).decode())
        return
    table = Table(title=f"import — {figures['rows']:,} rows ({figures['file_mb']} MB CSV) on {figures['db']}")
    for column in ("figure", "zhuisu", "raw insert", "ratio"):
        table.add_column(column, justify="right")
    ours, raw = f"{figures['rows_per_s']:,}", f"{figures['raw_events_per_s']:,}"
    table.add_row("rows/s", ours, raw, str(figures["ratio"]))
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the benchmark command to the ``zhuisu bench`` group."""
    app.command("import")(bench_import)
