"""zhuisu commands: Chinese trace records: zhuisu import."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this group's commands to the ``zhuisu`` app."""
    del app  # the commands arrive with the capability
