"""Request-scoped dependencies: the engine, the settings, transactions owned by the request, and
who is asking (issue 3: the principal of an API key, of a web session cookie, or PUBLIC)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Connection, Engine

from zhuisu.access import keys, sessions
from zhuisu.access.principals import PUBLIC, Principal, Role
from zhuisu.access.ratelimit import limiter_for
from zhuisu.errors import Forbidden, Unauthorized
from zhuisu.settings import Settings
from zhuisu.store.engine import read_connection, write_transaction


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _presented_key(request: Request) -> str | None:
    """The API key of ``Authorization: Bearer <key>`` (RFC 6750 §2.1) or ``X-API-Key``."""
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise Unauthorized(
                "Authorization 头应为 Bearer <API 密钥>", "the Authorization header must be Bearer <API key>"
            )
        return value.strip()
    return request.headers.get("x-api-key")


def _session_secret(request: Request) -> str:
    """The web's session secret: the setting, else the one the web pages made for this app."""
    configured = get_settings(request).session_secret
    return configured or str(getattr(request.app.state, "web_session_secret", "") or "")


def current_principal(request: Request) -> Principal:
    """Who is asking: the principal of the API key, else of the web session cookie, else PUBLIC.
    A presented key that is unknown, revoked or expired is a 401, never a silent PUBLIC."""
    cached: Principal | None = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    presented = _presented_key(request)
    principal = PUBLIC
    engine = get_engine(request)
    if presented is not None:
        with read_connection(engine) as conn:
            row = keys.key_row(conn, presented)
        principal = keys.principal_of_key(row)
        if keys.touch_due(row):
            # at most once a minute per key, before the request's own transaction opens (the
            # connection dependencies depend on this one), so SQLite's one writer never waits on itself
            with write_transaction(engine) as conn:
                keys.record_use(conn, row.id)
    else:
        token = request.cookies.get(sessions.COOKIE_NAME)
        secret = _session_secret(request)
        if token and secret:
            with read_connection(engine) as conn:
                principal = sessions.session_principal(conn, token, secret=secret) or PUBLIC
    request.state.principal = principal
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def read_conn(request: Request, principal: PrincipalDep) -> Iterator[Connection]:
    del principal  # resolved first: see current_principal
    with read_connection(get_engine(request)) as conn:
        yield conn


def write_conn(request: Request, principal: PrincipalDep) -> Iterator[Connection]:
    del principal
    with write_transaction(get_engine(request)) as conn:
        yield conn


def signed_in(principal: PrincipalDep) -> Principal:
    """A principal with credentials: PUBLIC gets a 401 (the raw event API is not public)."""
    if principal.role is Role.PUBLIC:
        raise Unauthorized(
            "需要 API 密钥(Authorization: Bearer … 或 X-API-Key)或登录",
            "an API key (Authorization: Bearer … or X-API-Key) or a login is required",
        )
    return principal


def supervisor(principal: Annotated[Principal, Depends(signed_in)]) -> Principal:
    """An admin or a regulator (reviews, approvals, integrity checks, recalls); others get a 403."""
    if principal.role not in (Role.ADMIN, Role.REGULATOR):
        raise Forbidden("仅管理员或监管部门可执行此操作", "only an admin or a regulator may do this")
    return principal


def admin(principal: Annotated[Principal, Depends(signed_in)]) -> Principal:
    """A platform admin; others get a 403."""
    if principal.role is not Role.ADMIN:
        raise Forbidden("仅平台管理员可执行此操作", "only a platform admin may do this")
    return principal


def rate_limited(request: Request, principal: PrincipalDep) -> Principal:
    """Count the request against its key and its client address (429 with Retry-After past either)."""
    address = request.client.host if request.client else "unknown"
    limiter_for(request.app.state, get_settings(request)).hit(principal, address)
    return principal


def reader(principal: Annotated[Principal, Depends(rate_limited)]) -> Principal:
    """A rate-limited principal with credentials: who reads the event API."""
    return signed_in(principal)


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
ReadConn = Annotated[Connection, Depends(read_conn)]
WriteConn = Annotated[Connection, Depends(write_conn)]
SignedIn = Annotated[Principal, Depends(signed_in)]
Supervisor = Annotated[Principal, Depends(supervisor)]
Admin = Annotated[Principal, Depends(admin)]
Reader = Annotated[Principal, Depends(reader)]
Limited = Annotated[Principal, Depends(rate_limited)]


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing to buffer more than ``limit`` bytes (413 past it)."""
    from zhuisu.errors import PayloadTooLarge

    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(
            f"请求体 {declared} 字节,超过上限 {limit} 字节",
            f"the body has {declared} bytes, over the limit of {limit}",
        )
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(
                f"请求体超过上限 {limit} 字节", f"the body is over the limit of {limit} bytes"
            )
        chunks.append(chunk)
    return b"".join(chunks)
