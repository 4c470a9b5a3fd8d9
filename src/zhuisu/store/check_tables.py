"""Tables of integrity findings and recalls of the trace chain."""

from __future__ import annotations

from zhuisu.store.tables import metadata

__all__ = ["metadata"]
