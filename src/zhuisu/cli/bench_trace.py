"""zhuisu bench trace: registered on the ``bench`` group by ``cli.bench``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the benchmark command to the ``zhuisu bench`` group."""
    del app  # the command arrives with the benchmark
