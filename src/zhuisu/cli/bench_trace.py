"""zhuisu bench trace: registered on the ``bench`` group by ``cli.bench``."""

from __future__ import annotations

from typing import Annotated

import orjson
import typer
from rich.table import Table

from zhuisu.bench import trace as trace_bench
from zhuisu.cli.common import DbOption, console, fail
from zhuisu.errors import ZhuisuError


def bench_trace(
    links: Annotated[
        int,
        typer.Option(
            "--links", min=2_000, help="Links of the generated chain (≥ 5,000,000 for the full run)."
        ),
    ] = 200_000,
    db: DbOption = None,
    samples: Annotated[int, typer.Option("--samples", min=100, help="Traces timed per direction.")] = 300,
    json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            help="Keep the built chain here (a SQLite path, or the URL of an existing database) and "
            "reuse it in later runs of the same --links; --db is then ignored. 保留并复用基准数据库。",
        ),
    ] = None,
) -> None:
    """Trace back / forward and a 1,000-batch recall vs the raw recursive walk. 追溯与召回性能。"""
    try:
        figures = trace_bench.run(links=links, db=db, samples=samples, store_at=store).as_dict()
    except ZhuisuError as exc:
        raise fail(exc) from exc
    if json:
        typer.echo(orjson.dumps(figures).decode())
        return
    table = Table(
        title=f"trace — {figures['links']:,} links, {figures['events']:,} events on {figures['db']}"
    )
    for column in ("figure", "zhuisu", "raw walk", "ratio"):
        table.add_column(column, justify="right")
    for label, ours, raw in (
        ("back p50 ms", "back_p50_ms", "raw_back_p50_ms"),
        ("back p99 ms", "back_p99_ms", "raw_back_p99_ms"),
        ("forward p50 ms", "forward_p50_ms", "raw_forward_p50_ms"),
        ("forward p99 ms", "forward_p99_ms", "raw_forward_p99_ms"),
        ("recall 1,000 s", "recall_1000_s", "raw_recall_1000_s"),
    ):
        ratio = figures[ours] / figures[raw] if figures[raw] else float("nan")
        table.add_row(label, f"{figures[ours]:.3f}", f"{figures[raw]:.3f}", f"{ratio:.1f}")
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the benchmark command to the ``zhuisu bench`` group."""
    app.command("trace")(bench_trace)
