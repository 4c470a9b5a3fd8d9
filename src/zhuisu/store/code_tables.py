"""Tables of trace-code issuance: blocks, codes and their use."""

from __future__ import annotations

from zhuisu.store.tables import metadata

__all__ = ["metadata"]
