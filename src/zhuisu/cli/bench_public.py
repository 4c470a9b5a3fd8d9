"""zhuisu bench public: registered on the ``bench`` group by ``cli.bench``."""

from __future__ import annotations

from typing import Annotated

import orjson
import typer
from rich.table import Table
from sqlalchemy import Engine

from zhuisu.bench import public as public_bench
from zhuisu.cli.common import DbOption, console
from zhuisu.cli.demo import ScaleName
from zhuisu.demo.builder import BuildOptions, build
from zhuisu.demo.scale import scale_for


def demo_city(city: str = "small", days: int | None = None, seed: int = 2026) -> public_bench.CityBuilder:
    """The store ``bench public`` looks codes up in: the demo city built through its builder, as
    ``zhuisu demo`` builds it (the bench layer may not import the demo layer: this one joins them)."""

    def build_city(engine: Engine) -> int:
        manifest = build(engine, BuildOptions(scale_for(city, days=days), city, seed)).manifest
        return int(manifest["events"])

    return build_city


def bench_public(
    codes: Annotated[
        int, typer.Option("--codes", min=1, help="Random retail trace codes of the demo city to look up.")
    ] = 200,
    samples: Annotated[
        int, typer.Option("--samples", min=10, help="Lookups timed of each kind (spread over the codes).")
    ] = 500,
    city: Annotated[
        ScaleName, typer.Option("--city", help="Demo city size: small (seconds), city, province.")
    ] = ScaleName.SMALL,
    days: Annotated[
        int | None, typer.Option("--days", min=1, help="Days simulated (default: the city size's own).")
    ] = None,
    db: DbOption = None,
    json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Consumer lookup of a trace code (/t/{code}) vs the raw read of its events. 公众查询性能。"""
    run = public_bench.run(build_city=demo_city(str(city), days), codes=codes, samples=samples, db=db)
    figures = run.as_dict()
    if json:
        typer.echo(orjson.dumps(figures).decode())
        return
    title = f"public — {figures['codes']:,} retail codes, {run.events:,}-event demo city on {figures['db']}"
    table = Table(title=title)
    for column in ("figure", "zhuisu", "raw read", "ratio"):
        table.add_column(column, justify="right")
    for label, ours, raw in (
        ("lookup p50 ms", "lookup_p50_ms", "raw_p50_ms"),
        ("lookup p99 ms", "lookup_p99_ms", "raw_p99_ms"),
        ("page p50 ms", "page_p50_ms", "raw_p50_ms"),
        ("page p99 ms", "page_p99_ms", "raw_p99_ms"),
    ):
        ratio = figures[ours] / figures[raw] if figures[raw] else float("nan")
        table.add_row(label, f"{figures[ours]:.3f}", f"{figures[raw]:.3f}", f"{ratio:.1f}")
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the benchmark command to the ``zhuisu bench`` group."""
    app.command("public")(bench_public)
