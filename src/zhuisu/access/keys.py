"""API keys (issue 3, "Credentials": stored hashed, shown once, revocable, with an expiry).

A key is ``zs_`` followed by 43 URL-safe characters of 256 random bits (``secrets``). Only its
SHA-256 is stored: a key that random cannot be guessed from its hash, so a slow password hash
would only slow every request. The first characters (``prefix``) are kept in clear to tell keys
apart in listings. The principal of a key is named ``key:<id>``.
"""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass

import orjson
from sqlalchemy import Connection

from zhuisu.access.grants import check_grant
from zhuisu.access.principals import Principal, Role
from zhuisu.errors import NotFound, Unauthorized
from zhuisu.store import access as store
from zhuisu.store.access import KeyRow

KEY_MARK = "zs_"
PREFIX_LENGTH = 10
#: last_used is written at most this often per key (a write per request would serialise reads)
TOUCH_EVERY_US = 60_000_000


def _now_us() -> int:
    return time.time_ns() // 1000


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class NewKey:
    """A key just made: ``key`` is shown this once and never again."""

    id: str
    key: str
    row: KeyRow
    principal: Principal


def principal_of_key(row: KeyRow) -> Principal:
    return Principal(
        Role(row.role),
        f"key:{row.id}",
        tuple(orjson.loads(row.subject_keys)),
        tuple(orjson.loads(row.regions)),
    )


def create_key(
    conn: Connection,
    *,
    role: Role,
    name: str | None = None,
    subject_keys: tuple[str, ...] = (),
    regions: tuple[str, ...] = (),
    expires_us: int | None = None,
    now_us: int | None = None,
) -> NewKey:
    """Make a key for a role and its subjects or regions (see access.grants)."""
    role = Role(role)
    subject_keys, regions = check_grant(role, subject_keys, regions)
    now = _now_us() if now_us is None else now_us
    key = KEY_MARK + secrets.token_urlsafe(32)
    key_id = str(uuid.uuid4())
    row = KeyRow(
        id=key_id,
        prefix=key[:PREFIX_LENGTH],
        key_hash=hash_key(key),
        name=name or f"{role.value} key",
        role=role.value,
        subject_keys=orjson.dumps(list(subject_keys)).decode(),
        regions=orjson.dumps(list(regions)).decode(),
        created_us=now,
        expires_us=expires_us,
        revoked_us=None,
        last_used_us=None,
    )
    store.insert_key(conn, row)
    return NewKey(key_id, key, row, principal_of_key(row))


def revoke_key(conn: Connection, key_id: str, *, now_us: int | None = None) -> None:
    """Revoke a key at once; NotFound when there is no such unrevoked key."""
    if not store.revoke_key(conn, key_id, _now_us() if now_us is None else now_us):
        raise NotFound(f"没有编号为 {key_id} 的有效密钥", f"no unrevoked API key {key_id}")


def list_keys(conn: Connection) -> list[KeyRow]:
    return store.list_keys(conn)


def key_row(conn: Connection, key: str, *, now_us: int | None = None) -> KeyRow:
    """The row of a presented key that is known, unrevoked and unexpired; Unauthorized otherwise."""
    row = store.key_by_hash(conn, hash_key(key)) if key.startswith(KEY_MARK) else None
    now = _now_us() if now_us is None else now_us
    if row is None:
        raise Unauthorized("API 密钥无效", "invalid API key")
    if row.revoked_us is not None:
        raise Unauthorized(f"API 密钥 {row.prefix}… 已被吊销", f"the API key {row.prefix}… has been revoked")
    if row.expires_us is not None and row.expires_us <= now:
        raise Unauthorized(f"API 密钥 {row.prefix}… 已过期", f"the API key {row.prefix}… has expired")
    return row


def touch_due(row: KeyRow, *, now_us: int | None = None) -> bool:
    now = _now_us() if now_us is None else now_us
    return row.last_used_us is None or now - row.last_used_us >= TOUCH_EVERY_US


def record_use(conn: Connection, key_id: str, *, now_us: int | None = None) -> None:
    store.touch_key(conn, key_id, _now_us() if now_us is None else now_us)
