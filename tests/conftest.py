"""Shared fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL is used when ZHUISU_TEST_POSTGRES_URL is set.

PostgreSQL tests get a database of their own per test process (``zhuisu_test_<pid>_<worker>``),
created fresh and migrated with alembic ``upgrade head``, so parallel workers, concurrent test runs
on one server and the developer's data never meet. Tables are emptied after each test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, make_url, text

from zhuisu.store import migrate
from zhuisu.store.engine import make_engine
from zhuisu.store.schema import metadata

POSTGRES_URL = os.environ.get("ZHUISU_TEST_POSTGRES_URL")
# the server freezes what is alive at its startup out of the garbage collector (zhuisu.runtime): in
# the test process, where apps start and stop by the hundred, that would keep every test's leftovers
os.environ.setdefault("ZHUISU_GC_YOUNG_THRESHOLD", "0")


def _backends() -> list[object]:
    marks = [] if POSTGRES_URL else [pytest.mark.skip(reason="ZHUISU_TEST_POSTGRES_URL not set")]
    return ["sqlite", pytest.param("postgresql", marks=[pytest.mark.postgres, *marks])]


def _postgres_engine(worker: str) -> Iterator[Engine]:
    yield from postgres_database(f"zhuisu_test_{os.getpid()}_{worker}")


def postgres_database(name: str) -> Iterator[Engine]:
    """A fresh, empty PostgreSQL database ``name`` on the test server, dropped afterwards."""
    assert POSTGRES_URL is not None
    url = make_url(POSTGRES_URL)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(url.set(database=name).render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session", params=_backends())
def migrated_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "zhuisu.sqlite3"
        engine = make_engine(f"sqlite:///{path}")
        migrate.upgrade(engine)
        yield engine
        engine.dispose()
        return
    for engine in _postgres_engine(worker):
        migrate.upgrade(engine)
        yield engine


def _empty(engine: Engine) -> None:
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def engine(migrated_engine: Engine) -> Iterator[Engine]:
    """A migrated, empty database (SQLite, then PostgreSQL when configured)."""
    yield migrated_engine
    _empty(migrated_engine)


@pytest.fixture
def db_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)
