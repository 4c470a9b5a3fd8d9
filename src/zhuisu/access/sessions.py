"""Web sessions: a signed, expiring cookie value naming an account (issue 3).

The value is ``<username, base64url>.<expiry, Unix seconds>.<HMAC-SHA256 of the two, hex>``: the
server keeps no session table, the signature (RFC 2104, compared in constant time) stops forgery,
and every request re-reads the account, so a deactivated account loses its sessions at once.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time

from sqlalchemy import Connection

from zhuisu.access.accounts import principal_of
from zhuisu.access.principals import Principal

COOKIE_NAME = "zhuisu_session"


def _sign(secret: str, body: str) -> str:
    return hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()


def issue_session(username: str, *, secret: str, ttl_s: int, now_s: int | None = None) -> str:
    """A cookie value naming ``username``, signed with ``secret`` (HMAC-SHA256), valid ``ttl_s``."""
    if not secret:
        raise ValueError("a session secret is required")
    now = int(time.time()) if now_s is None else now_s
    name = base64.urlsafe_b64encode(username.encode()).decode().rstrip("=")
    body = f"{name}.{now + ttl_s}"
    return f"{body}.{_sign(secret, body)}"


def session_username(token: str, *, secret: str, now_s: int | None = None) -> str | None:
    """The username of a well-signed, unexpired cookie value, else None."""
    parts = token.split(".")
    if len(parts) != 3 or not secret or not parts[1].isdigit():
        return None
    name, expires, signature = parts
    if not hmac.compare_digest(_sign(secret, f"{name}.{expires}"), signature):
        return None
    now = int(time.time()) if now_s is None else now_s
    if int(expires) <= now:
        return None
    try:
        return base64.urlsafe_b64decode(name + "=" * (-len(name) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None


def session_principal(
    conn: Connection, token: str, *, secret: str, now_s: int | None = None
) -> Principal | None:
    """The principal of a valid, unexpired session cookie whose account is still active, else None."""
    username = session_username(token, secret=secret, now_s=now_s)
    return None if username is None else principal_of(conn, username)
