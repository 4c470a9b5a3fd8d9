"""Database engines for SQLite (embedded default) and PostgreSQL, and the write transaction.

SQLite runs in WAL mode with synchronous=NORMAL: a crash or power cut can lose the last commits
but never corrupts the file, and readers never block the writer. pysqlite's own transaction
handling is switched off so that SQLAlchemy's BEGIN is the real one (SQLAlchemy 2.0 docs,
"Serializable isolation / Savepoints / Transactional DDL" for pysqlite).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url, text

from zhuisu.errors import ConfigurationError

WRITE = "zhuisu_write"


def is_sqlite(engine_or_conn: Engine | Connection) -> bool:
    return engine_or_conn.dialect.name == "sqlite"


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for ``url`` with zhuisu's connection settings (creates the SQLite directory)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30})
        _configure_sqlite(engine)
        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, echo=echo, pool_pre_ping=True)
    raise ConfigurationError(
        f"不支持的数据库: {parsed.get_backend_name()}(仅支持 SQLite 与 PostgreSQL)",
        f"unsupported database {parsed.get_backend_name()!r}: zhuisu runs on SQLite or PostgreSQL",
    )


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA synchronous=NORMAL",
            "PRAGMA foreign_keys=ON",
            "PRAGMA busy_timeout=30000",
            "PRAGMA cache_size=-65536",
            "PRAGMA temp_store=MEMORY",
        ):
            cur.execute(pragma)
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A writer takes the lock at BEGIN: two deferred transactions that both read and then
        # write would otherwise fail with SQLITE_BUSY instead of waiting their turn.
        if conn.get_execution_options().get(WRITE):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that may write; committed on success, rolled back on error.

    On SQLite the write lock is taken at BEGIN. On PostgreSQL capture writers take a
    transaction-level advisory lock first (``lock_capture``) where they need one.
    """
    with engine.connect() as raw, raw.execution_options(**{WRITE: True}) as conn, conn.begin():
        yield conn


@contextmanager
def read_connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn, conn.begin():
        yield conn


def lock_capture(conn: Connection) -> None:
    """Serialise capture writers on PostgreSQL (SQLite has one writer anyway).

    Duplicate detection reads existing event hashes before the bulk COPY; two concurrent jobs
    with the same events could otherwise both pass the check and one would then fail on the
    unique index. The lock is released at commit or rollback.
    """
    if not is_sqlite(conn):
        conn.execute(text("SELECT pg_advisory_xact_lock(7428001)"))
