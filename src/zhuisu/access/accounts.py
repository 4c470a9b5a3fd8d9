"""User accounts for the web: argon2 password hashes (issue 3, "Credentials").

(Interface fixed now so the web pages and the demo can use it; the access-control work fills it in.)
"""

from __future__ import annotations

from sqlalchemy import Connection

from zhuisu.access.principals import Principal, Role


def create_account(
    conn: Connection,
    *,
    username: str,
    password: str,
    role: Role,
    subject_keys: tuple[str, ...] = (),
    regions: tuple[str, ...] = (),
    display_name: str | None = None,
) -> Principal:
    """Create an account (password kept only as an argon2 hash) and return its principal."""
    raise NotImplementedError


def authenticate(conn: Connection, username: str, password: str) -> Principal:
    """The principal of a username and password; raises ``Unauthorized`` (401) otherwise."""
    raise NotImplementedError


def principal_of(conn: Connection, username: str) -> Principal | None:
    """The principal of an active account, or None."""
    raise NotImplementedError
