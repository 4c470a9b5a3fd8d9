"""What every command shares: the --db option, settings and the engine (cli/ is a composition root)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import Engine

from zhuisu.errors import ZhuisuError
from zhuisu.settings import Settings
from zhuisu.store.engine import make_engine

console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: ZHUISU_DATABASE_URL, else SQLite under the data dir)."),
]


def settings_for(db: str | None) -> Settings:
    settings = Settings()
    if db:
        settings = settings.model_copy(update={"database_url": db})
    return settings


@contextmanager
def engine_for(db: str | None) -> Iterator[Engine]:
    """An engine for the command's database, disposed (connections closed) when the command ends."""
    engine = make_engine(settings_for(db).resolved_database_url())
    try:
        yield engine
    finally:
        engine.dispose()


def fail(exc: ZhuisuError) -> typer.Exit:
    """Print an expected error in both languages and return the exit to raise."""
    err_console.print(f"[red]错误 error[/red] {exc.message}")
    for problem in exc.problems:
        err_console.print(f"  #{problem.index} {problem.path} [{problem.code}] {problem.message}")
    return typer.Exit(code=2)
