"""SQL of the trace catalogs (重点 / 鼓励追溯产品目录): publish a version, read one back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, func, insert, select

from zhuisu.store.template_tables import trace_catalog_items, trace_catalogs


@dataclass(frozen=True, slots=True)
class CatalogItemRow:
    category: str
    subclass: str
    variety: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class CatalogRow:
    kind: str
    region: str
    version: int
    title: str
    published_us: int
    published_by: str | None
    items: tuple[CatalogItemRow, ...]


def next_version(conn: Connection, kind: str, region: str) -> int:
    current = conn.execute(
        select(func.max(trace_catalogs.c.version)).where(
            trace_catalogs.c.kind == kind, trace_catalogs.c.region == region
        )
    ).scalar()
    return int(current or 0) + 1


def insert_catalog(
    conn: Connection,
    *,
    kind: str,
    region: str,
    version: int,
    title: str,
    published_us: int,
    published_by: str | None,
    items: Sequence[CatalogItemRow],
) -> None:
    catalog_id = conn.execute(
        insert(trace_catalogs)
        .values(
            kind=kind,
            region=region,
            version=version,
            title=title,
            published_us=published_us,
            published_by=published_by,
        )
        .returning(trace_catalogs.c.id)
    ).scalar_one()
    if items:
        conn.execute(
            insert(trace_catalog_items),
            [
                {
                    "catalog_id": catalog_id,
                    "category": i.category,
                    "subclass": i.subclass,
                    "variety": i.variety,
                    "note": i.note,
                }
                for i in items
            ],
        )


def get_catalog(conn: Connection, kind: str, region: str, version: int | None = None) -> CatalogRow | None:
    """One version of a catalog (the latest when ``version`` is None), or None."""
    query = select(trace_catalogs).where(trace_catalogs.c.kind == kind, trace_catalogs.c.region == region)
    query = query.where(trace_catalogs.c.version == version) if version is not None else query
    row = conn.execute(query.order_by(trace_catalogs.c.version.desc()).limit(1)).mappings().first()
    if row is None:
        return None
    items = conn.execute(
        select(
            trace_catalog_items.c.category,
            trace_catalog_items.c.subclass,
            trace_catalog_items.c.variety,
            trace_catalog_items.c.note,
        )
        .where(trace_catalog_items.c.catalog_id == row["id"])
        .order_by(trace_catalog_items.c.id)
    ).all()
    return CatalogRow(
        row["kind"],
        row["region"],
        row["version"],
        row["title"],
        row["published_us"],
        row["published_by"],
        tuple(CatalogItemRow(*item) for item in items),
    )
