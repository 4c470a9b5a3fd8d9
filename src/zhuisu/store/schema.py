"""Every table of the platform in one MetaData: alembic's target and the tests' cleaner.

Each capability keeps its tables in its own module of ``store/`` (``tables`` for events and capture
jobs, then one ``*_tables`` module per capability); importing this module registers them
all, so the model-versus-migrations check sees the whole schema.
"""

from __future__ import annotations

from zhuisu.store import (
    access_tables,
    chain_tables,
    check_tables,
    code_tables,
    query_tables,
    subject_tables,
    subscription_tables,
    template_tables,
)
from zhuisu.store.tables import metadata

__all__ = [
    "access_tables",
    "chain_tables",
    "check_tables",
    "code_tables",
    "metadata",
    "query_tables",
    "subject_tables",
    "subscription_tables",
    "template_tables",
]
