"""User accounts for the web: argon2 password hashes (issue 3, "Credentials").

Passwords are kept only as argon2id hashes (argon2-cffi's defaults, RFC 9106 recommended
parameters); a hash made with older parameters is replaced on the next successful login. An
unknown username costs a hash verification too, so timing does not tell which usernames exist.
"""

from __future__ import annotations

import re
import time

import orjson
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection

from zhuisu.access.grants import check_grant
from zhuisu.access.principals import Principal, Role
from zhuisu.errors import Conflict, Unauthorized, ValidationFailed
from zhuisu.store import access as store
from zhuisu.store.access import AccountRow

#: letters (any script), digits, "_", "." and "-": never ":" (API-key principals are "key:…")
USERNAME = re.compile(r"^[\w.\-]{1,100}$")
MIN_PASSWORD = 8

_HASHER = PasswordHasher()
# verified against when the username is unknown, so that answer takes as long as a wrong password
_DUMMY_HASH = _HASHER.hash("zhuisu-no-such-account")


def _now_us() -> int:
    return time.time_ns() // 1000


def principal_of_row(row: AccountRow) -> Principal:
    return Principal(
        Role(row.role),
        row.username,
        tuple(orjson.loads(row.subject_keys)),
        tuple(orjson.loads(row.regions)),
    )


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
    if not USERNAME.match(username):
        raise ValidationFailed(
            f"用户名 {username!r} 无效:只能含字母、数字、下划线、点和连字符,最长 100 个字符",
            f"invalid username {username!r}: letters, digits, '_', '.' and '-' only, at most 100",
        )
    if len(password) < MIN_PASSWORD:
        raise ValidationFailed(
            f"密码太短:至少 {MIN_PASSWORD} 个字符",
            f"the password is too short: at least {MIN_PASSWORD} characters",
        )
    role = Role(role)
    subject_keys, regions = check_grant(role, subject_keys, regions)
    row = AccountRow(
        username=username,
        password_hash=_HASHER.hash(password),
        role=role.value,
        display_name=display_name,
        subject_keys=orjson.dumps(list(subject_keys)).decode(),
        regions=orjson.dumps(list(regions)).decode(),
        active=True,
        created_us=_now_us(),
    )
    if not store.insert_account(conn, row):
        raise Conflict(f"用户名 {username} 已被使用", f"the username {username} is taken")
    return principal_of_row(row)


def authenticate(conn: Connection, username: str, password: str) -> Principal:
    """The principal of a username and password; raises ``Unauthorized`` (401) otherwise."""
    row = store.account(conn, username) if USERNAME.match(username) else None
    try:
        _HASHER.verify(row.password_hash if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        row = None
    if row is None or not row.active:
        raise Unauthorized("用户名或密码错误", "wrong username or password")
    if _HASHER.check_needs_rehash(row.password_hash):
        store.set_password_hash(conn, username, _HASHER.hash(password))
    return principal_of_row(row)


def principal_of(conn: Connection, username: str) -> Principal | None:
    """The principal of an active account, or None."""
    row = store.account(conn, username)
    return principal_of_row(row) if row is not None and row.active else None


def list_accounts(conn: Connection) -> list[AccountRow]:
    """Every account (for ``zhuisu accounts list``)."""
    return store.list_accounts(conn)
