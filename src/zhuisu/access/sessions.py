"""Web sessions: a signed, expiring cookie value naming an account (issue 3).

(Interface fixed now so the web pages can use it; the access-control work fills it in.)
"""

from __future__ import annotations

from sqlalchemy import Connection

from zhuisu.access.principals import Principal

COOKIE_NAME = "zhuisu_session"


def issue_session(username: str, *, secret: str, ttl_s: int, now_s: int | None = None) -> str:
    """A cookie value naming ``username``, signed with ``secret`` (HMAC-SHA256), valid ``ttl_s``."""
    raise NotImplementedError


def session_principal(
    conn: Connection, token: str, *, secret: str, now_s: int | None = None
) -> Principal | None:
    """The principal of a valid, unexpired session cookie whose account is still active, else None."""
    raise NotImplementedError
