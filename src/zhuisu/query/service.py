"""Reading events back: by eventID and in capture order.

The full SimpleEventQuery comes with the query issue.
"""

from __future__ import annotations

from sqlalchemy import Connection

from zhuisu.errors import NotFound
from zhuisu.store import events as event_store
from zhuisu.store.events import StoredEvent


def get_event(conn: Connection, event_id: str) -> list[StoredEvent]:
    """The event with this eventID (and its error declaration, if any); NotFound otherwise."""
    found = event_store.find_by_event_id(conn, event_id)
    if not found:
        raise NotFound(f"没有 eventID 为 {event_id} 的事件", f"no event with eventID {event_id}")
    return found


def list_events(conn: Connection, *, per_page: int, after: int = 0) -> tuple[list[StoredEvent], int | None]:
    """A page of events in capture order, and the cursor of the next page (None at the end)."""
    page = event_store.list_recent(conn, limit=per_page + 1, after_pk=after)
    if len(page) > per_page:
        return page[:per_page], page[per_page - 1].pk
    return page, None
