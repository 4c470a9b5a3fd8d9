"""Request-scoped dependencies: the engine, the settings, and transactions owned by the request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Connection, Engine

from zhuisu.settings import Settings
from zhuisu.store.engine import read_connection, write_transaction


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def read_conn(request: Request) -> Iterator[Connection]:
    with read_connection(get_engine(request)) as conn:
        yield conn


def write_conn(request: Request) -> Iterator[Connection]:
    with write_transaction(get_engine(request)) as conn:
        yield conn


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
ReadConn = Annotated[Connection, Depends(read_conn)]
WriteConn = Annotated[Connection, Depends(write_conn)]


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
