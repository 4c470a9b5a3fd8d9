"""The migrations build exactly the schema tables.py describes, and `upgrade` is idempotent."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from zhuisu.store import migrate
from zhuisu.store.schema import metadata


def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, metadata)
    assert diff == []


def test_upgrade_twice_is_harmless(engine: Engine) -> None:
    first = migrate.upgrade(engine)
    second = migrate.upgrade(engine)
    assert first == second == migrate.head_revision() == migrate.current_revision(engine)
