"""Tables of the chain capability (registered in the shared MetaData of ``store.tables``)."""

from __future__ import annotations

from zhuisu.store.tables import metadata

__all__ = ["metadata"]
