"""Tables of query subscriptions and their webhook deliveries."""

from __future__ import annotations

from zhuisu.store.tables import metadata

__all__ = ["metadata"]
