"""zhuisu bench all: registered on the ``bench`` group by ``cli.bench``."""

from __future__ import annotations

from typing import Annotated

import orjson
import typer
from rich.table import Table

from zhuisu.bench.suite import Scale, run_all
from zhuisu.cli.bench_public import demo_city
from zhuisu.cli.common import DbOption, console, err_console

BENCHES = ("capture", "query", "trace", "import", "public")


def bench_all(
    scale: Annotated[
        Scale, typer.Option("--scale", help="quick | standard | full (the acceptance sizes).")
    ] = (Scale.STANDARD),
    only: Annotated[
        list[str] | None, typer.Option("--only", help=f"Run only these: {', '.join(BENCHES)} (repeatable).")
    ] = None,
    workers: Annotated[int, typer.Option("--workers", min=0, help="Capture worker processes.")] = 0,
    db: DbOption = None,
    json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Every benchmark in turn: each figure beside the raw limit of the same run. 全部性能测试。"""
    unknown = sorted(set(only or ()) - set(BENCHES))
    if unknown:
        raise typer.BadParameter(f"未知的测试 unknown benchmark: {', '.join(unknown)}", param_hint="--only")
    figures = run_all(
        db=db,
        scale=scale,
        workers=workers,
        only=frozenset(only) if only else None,
        progress=lambda name: err_console.print(f"[dim]bench {name} …[/dim]"),
        city=lambda days: demo_city("small", days),
    )
    if json:
        typer.echo(orjson.dumps([f.as_dict() for f in figures]).decode())
        return
    table = Table(title=f"zhuisu bench all — scale {scale}")
    for column in ("bench", "figure", "unit", "zhuisu", "raw limit", "ratio", "target"):
        table.add_column(column, justify="left" if column in ("bench", "figure", "target") else "right")
    for f in figures:
        ratio = f.ratio
        table.add_row(
            f.bench,
            f.name,
            f.unit,
            f"{f.ours:,.3g}" if f.ours < 100 else f"{f.ours:,.0f}",
            f"{f.raw:,.3g}" if f.raw < 100 else f"{f.raw:,.0f}",
            "—" if ratio is None else f"{ratio:.2f}",
            f.target,
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the benchmark command to the ``zhuisu bench`` group."""
    app.command("all")(bench_all)
