"""Tables of catalogs, lifecycle templates and imported records."""

from __future__ import annotations

from zhuisu.store.tables import metadata

__all__ = ["metadata"]
