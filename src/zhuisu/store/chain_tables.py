"""Tables of the chain capability (registered in the shared MetaData of ``store.tables``).

``chain_links`` holds the walk rows of every link an event states (``domain.links``): each link is
stored once under each of its ends, so a walk standing on a node reads one contiguous range of the
primary key (clustered on SQLite, ``WITHOUT ROWID``; an index-only range on PostgreSQL) and learns
every way it may go, with the time of the event that said so. Where one event states a product of
links (its items → its transactions, batch and trace code), the sources go through a hub node of
that event instead (``domain.links.walk_rows``: sources + targets rows, not their product; the
readers in ``store.chain`` expand it back). The rows are derived data: written
in the capture transaction, deleted with their event (cascade) or when the event is declared
erroneous (EPCIS 2.0 §7.4.1.4).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, SmallInteger, String, Table, Text

from zhuisu.store.tables import metadata

__all__ = ["chain_links", "metadata"]

_PK = BigInteger().with_variant(Integer, "sqlite")

chain_links = Table(
    "chain_links",
    metadata,
    # the node the walk stands on (a canonical identifier or a pivot: trace code, voucher …)
    Column("node", Text, primary_key=True),
    # domain.links.Step: UP, DOWN, CARRIER, CONTENT, UNPACK
    Column("step", SmallInteger, primary_key=True),
    Column("other", Text, primary_key=True),
    # eventTime of the event that states the link, microseconds since the epoch (UTC)
    Column("t_us", BigInteger, primary_key=True),
    Column("event_pk", _PK, ForeignKey("events.pk", ondelete="CASCADE"), primary_key=True),
    # domain.links.LinkKind
    Column("kind", SmallInteger, nullable=False),
    # per mille: 1000 certain, less for a candidate link (commingled lots, purchase orders …)
    Column("confidence", SmallInteger, nullable=False),
    Column("reason", String(48), nullable=False),
    Index(None, "event_pk"),
    sqlite_with_rowid=False,
)
