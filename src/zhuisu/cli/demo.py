"""zhuisu commands: the demo city (stub: the demo work fills this in)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add ``zhuisu demo`` to ``app``."""
