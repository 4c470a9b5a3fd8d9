"""zhuisu commands: API keys and accounts (stub: the access-control work fills this in)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the access-control commands (keys create / revoke / list, accounts …) to ``app``."""
