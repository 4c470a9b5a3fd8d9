"""Tables of the key / encouraged trace catalogs (重点 / 鼓励追溯产品目录), versioned per region.

A regulator publishes a catalog as a whole new version (商秩发〔2017〕53号: 建立目录管理制度 [S
partial]); older versions are kept so a record can be judged against the catalog in force at its
time. The lifecycle templates themselves are code (``domain/templates``), not rows.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, String, Table, Text

from zhuisu.store.tables import metadata

__all__ = ["metadata", "trace_catalog_items", "trace_catalogs"]

trace_catalogs = Table(
    "trace_catalogs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # key | encouraged
    Column("region", String(6), nullable=False),  # GB/T 2260 code of the publishing jurisdiction
    Column("version", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("published_us", BigInteger, nullable=False),
    Column("published_by", String(128)),
    Index(None, "kind", "region", "version", unique=True),
)

trace_catalog_items = Table(
    "trace_catalog_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("catalog_id", Integer, ForeignKey("trace_catalogs.id", ondelete="CASCADE"), nullable=False),
    Column("category", String(32), nullable=False),  # a Category id of domain.templates
    Column("subclass", Text, nullable=False),
    Column("variety", Text),
    Column("note", Text),
    Index(None, "catalog_id"),
)
