"""Database engines for SQLite (embedded default) and PostgreSQL, and the write transaction.

SQLite runs in WAL mode with synchronous=NORMAL: a crash or power cut can lose the last commits
but never corrupts the file, and readers never block the writer. pysqlite's own transaction
handling is switched off so that SQLAlchemy's BEGIN is the real one (SQLAlchemy 2.0 docs,
"Serializable isolation / Savepoints / Transactional DDL" for pysqlite).
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url, text

from zhuisu.errors import ConfigurationError

WRITE = "zhuisu_write"


def is_sqlite(engine_or_conn: Engine | Connection) -> bool:
    return engine_or_conn.dialect.name == "sqlite"


MMAP_BYTES = 2**31


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for ``url`` with zhuisu's connection settings (creates the SQLite directory)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30})
        _configure_sqlite(engine)
        if parsed.database and parsed.database != ":memory:":
            _start_checkpointer(engine, Path(parsed.database))
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
            # reads map the file instead of copying each page into the connection's cache: the
            # events of a trace read ~20 % faster at 1M links (bench trace, issue 5). SQLite caps
            # the map at its compile-time SQLITE_MAX_MMAP_SIZE (2 GiB in the usual builds); pages
            # past it are read as before. The map shares the OS page cache, so it costs address
            # space, not memory.
            f"PRAGMA mmap_size={MMAP_BYTES}",
            f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}",
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


# SQLite's automatic checkpoint runs inside the commit that crosses wal_autocheckpoint pages and
# copies the WAL into the database file with an fsync: at the default of 1,000 pages (4 MiB) a
# capture job of 1,000 events pays it on every commit, which cut the raw insert rate of this
# machine from ~23k to ~8k events/s (measured with bench capture's raw half). So the writer only
# checkpoints as a safety cap, and a background thread checkpoints PASSIVE (never blocking the
# writer or readers; SQLite "Write-Ahead Logging" §3.5) whenever the WAL has grown past
# CHECKPOINT_BYTES, off the capture path and on the other core.
WAL_AUTOCHECKPOINT_PAGES = 65_536  # 256 MiB of 4 KiB pages
CHECKPOINT_BYTES = 64 * 1024 * 1024
CHECKPOINT_INTERVAL_S = 0.5


def _start_checkpointer(engine: Engine, path: Path) -> None:
    stop = threading.Event()
    thread = threading.Thread(
        target=_checkpoint_loop, args=(path, stop), name=f"zhuisu-checkpoint-{path.name}", daemon=True
    )
    thread.start()
    weakref.finalize(engine, stop.set)


def _checkpoint_loop(path: Path, stop: threading.Event) -> None:
    conn: sqlite3.Connection | None = None
    try:
        while not stop.wait(CHECKPOINT_INTERVAL_S):
            conn = checkpoint_if_large(path, conn, CHECKPOINT_BYTES)
    finally:
        if conn is not None:
            conn.close()


def checkpoint_if_large(
    path: Path, conn: sqlite3.Connection | None, threshold: int
) -> sqlite3.Connection | None:
    """Checkpoint (PASSIVE) the WAL of ``path`` if it holds ``threshold`` bytes or more.

    Returns the connection to reuse next time (opened on first need). Errors are swallowed: the
    file went away or is busy, and the writer's own wal_autocheckpoint cap still holds.
    """
    wal = Path(f"{path}-wal")
    try:
        if not wal.exists() or wal.stat().st_size < threshold:
            return conn
        if conn is None:
            # mode=rw: never create a database that was removed meanwhile
            conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=1, check_same_thread=False)
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    except (OSError, sqlite3.Error):
        pass
    return conn


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


def analyze(engine: Engine) -> None:
    """Refresh the planner's statistics (SQLite ``ANALYZE``, PostgreSQL ``VACUUM ANALYZE``), as an
    operator does after a bulk load; the walks of ``store.chain`` are written to keep their plan
    with statistics present (``store.chain._node_match``)."""
    if engine.dialect.name == "sqlite":
        # inside a committed transaction: the connect hook leaves pysqlite in autocommit and the
        # begin hook opens every SQLAlchemy transaction itself, so "AUTOCOMMIT" here would run
        # ANALYZE in a transaction that is then rolled back, and keep no statistics
        with write_transaction(engine) as conn:
            conn.exec_driver_sql("ANALYZE")
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
