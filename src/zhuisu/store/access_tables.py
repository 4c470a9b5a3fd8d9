"""Tables of access control: API keys, user accounts and the parties each event names.

(Stub: the access-control work fills this module in.)
"""

from __future__ import annotations

from zhuisu.store.tables import metadata

__all__ = ["metadata"]
