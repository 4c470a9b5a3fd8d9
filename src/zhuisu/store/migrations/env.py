"""Alembic environment: runs on the connection handed over by zhuisu.store.migrate."""

from __future__ import annotations

from alembic import context

from zhuisu.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - zhuisu always passes a connection
    raise RuntimeError("run migrations through `zhuisu init` (zhuisu.store.migrate.upgrade)")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
