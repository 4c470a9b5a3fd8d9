"""zhuisu bench query: registered on the ``bench`` group by ``cli.bench``."""

from __future__ import annotations

from typing import Annotated

import orjson
import typer
from rich.table import Table

from zhuisu.bench import query as query_bench
from zhuisu.cli.common import DbOption, console, fail
from zhuisu.errors import ZhuisuError


def bench_query(
    events: Annotated[
        int, typer.Option("--events", min=1000, help="Events in the store the queries run on.")
    ] = 1_000_000,
    db: DbOption = None,
    json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            help="Keep the built store here (a SQLite path, or the URL of an existing database): "
            "reused by later runs of the same --events, continued by a larger one; --db is then "
            "ignored. 保留并复用基准数据库。",
        ),
    ] = None,
) -> None:
    """Query latency (p50 / p99) and paged export rate vs the same SQL run raw. 查询性能。"""
    try:
        figures = query_bench.run(events=events, db=db, store_at=store)
    except ZhuisuError as exc:
        raise fail(exc) from exc
    if json:
        typer.echo(orjson.dumps(figures.as_dict()).decode())
        return
    table = Table(title=f"query — {figures.events:,} events on {figures.db}")
    for column in ("query", "p50 ms", "p99 ms", "raw p50 ms", "raw p99 ms"):
        table.add_column(column, justify="right")
    for name, fig in figures.latency.items():
        table.add_row(
            name,
            *(f"{fig[k]:.2f}" for k in ("p50_ms", "p99_ms", "raw_p50_ms", "raw_p99_ms")),
        )
    table.add_row(
        "export events/s",
        f"{figures.export_events_per_s:,.0f}",
        "",
        f"{figures.raw_export_events_per_s:,.0f}",
        "",
    )
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the benchmark command to the ``zhuisu bench`` group."""
    app.command("query")(bench_query)
