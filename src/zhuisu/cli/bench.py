"""zhuisu bench …: benchmarks that print the project's figure beside the raw limit of the same run."""

from __future__ import annotations

from typing import Annotated

import orjson
import typer
from rich.table import Table

from zhuisu.bench import capture as capture_bench
from zhuisu.cli import bench_all, bench_import, bench_public, bench_query, bench_trace
from zhuisu.cli.common import DbOption, console

app = typer.Typer(
    help="Benchmarks: our figure beside the machine's raw limit, measured in the same run. 性能基准。",
    no_args_is_help=True,
)


@app.command("capture")
def bench_capture(
    events: Annotated[
        int, typer.Option("--events", min=1000, help="Events to capture (documents of 1,000).")
    ] = 1_000_000,
    db: DbOption = None,
    workers: Annotated[
        int,
        typer.Option("--workers", min=0, help="Worker processes preparing events (0: all in this process)."),
    ] = 0,
    json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """End-to-end capture rate vs raw DB-API inserts of the same rows. 采集吞吐。"""
    figures = capture_bench.run(events=events, db=db, workers=workers)
    if json:
        typer.echo(orjson.dumps(figures.as_dict()).decode())
        return
    table = Table(title=f"capture — {figures.events:,} events on {figures.db}")
    for column in ("figure", "zhuisu", "raw limit", "ratio"):
        table.add_column(column, justify="right")
    table.add_row(
        "events/s", f"{figures.events_per_s:,.0f}", f"{figures.raw_events_per_s:,.0f}", f"{figures.ratio:.2f}"
    )
    console.print(table)


bench_query.register(app)
bench_trace.register(app)
bench_import.register(app)
bench_public.register(app)
bench_all.register(app)
