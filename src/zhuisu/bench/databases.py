"""Throwaway databases for benchmarks: a temp SQLite file, or a temporary PostgreSQL database."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, make_url, text

from zhuisu.store import migrate
from zhuisu.store.engine import make_engine


def store_url(store_arg: str) -> str:
    """A database URL as given, or a path as a SQLite URL (the ``--store`` of the benchmarks)."""
    return store_arg if "://" in store_arg else f"sqlite:///{store_arg}"


@contextmanager
def scratch_database(db: str | None) -> Iterator[Engine]:
    """A fresh, migrated database next to ``db`` (SQLite when None), removed afterwards.

    For PostgreSQL the benchmark creates ``zhuisu_bench_<random>`` on the same server and drops
    it at the end, so it never touches the tables of the database named in the URL.
    """
    if db is None or make_url(db).get_backend_name() == "sqlite":
        directory = Path(tempfile.mkdtemp(prefix="zhuisu-bench-"))
        path = directory / "bench.sqlite3"
        engine = make_engine(f"sqlite:///{path}")
        try:
            migrate.upgrade(engine)
            yield engine
        finally:
            engine.dispose()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            directory.rmdir()
        return
    url = make_url(db)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    name = f"zhuisu_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(url.set(database=name).render_as_string(hide_password=False))
    try:
        migrate.upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
