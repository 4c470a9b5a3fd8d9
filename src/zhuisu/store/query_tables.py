"""Tables of the query capability (registered in the shared MetaData of ``store.tables``).

* ``named_queries``: the EPCIS 2.0 REST ``/queries`` resource — a name and its SimpleEventQuery
  parameters (EPCIS 2.0 §8.2.7, query-schema.json), stored as JSON text.
* ``locations`` and ``parties``: the master data that WD_readPoint / WD_bizLocation walk
  (EPCIS 2.0 §6.5: "direct or indirect descendant … specified by master data") and that a
  trace page shows: names, address, GB/T 2260 region code, parent location.

The extra indexes on ``events`` serve the query dimensions that have no index yet (bizStep and
readPoint with a time window, recordTime for subscriptions and GE_/LT_recordTime), and bizStep in
capture order (an export by bizStep without orderBy pages on events.pk: on (biz_step, pk) a page
is a range scan after the last pk, where on (biz_step, event_time_us) it sorted every event of
the step). Each index slows capture, so only these four are added.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, String, Table, Text

from zhuisu.store.tables import events, metadata

named_queries = Table(
    "named_queries",
    metadata,
    Column("name", String(200), primary_key=True),
    # JSON object: parameter name -> list of values (strings), the normalised query definition
    Column("definition", Text, nullable=False),
    Column("created_us", BigInteger, nullable=False),
)

locations = Table(
    "locations",
    metadata,
    # the location's identifier as the events spell it (SGLN URN or GLN Digital Link, canonical)
    Column("id", Text, primary_key=True),
    Column("name_zh", Text),
    Column("name_en", Text),
    Column("address", Text),
    # GB/T 2260 administrative division code (6 digits)
    Column("region_code", String(6)),
    Column("parent_id", Text),
    # JSON object of further attributes (CBV master data attributes, zhuisu fields)
    Column("attributes", Text),
    Column("updated_us", BigInteger, nullable=False),
    Index(None, "parent_id"),
)

parties = Table(
    "parties",
    metadata,
    # PGLN URN or Digital Link (canonical), or a USCC-based private identifier
    Column("id", Text, primary_key=True),
    Column("name_zh", Text),
    Column("name_en", Text),
    Column("address", Text),
    Column("region_code", String(6)),
    Column("attributes", Text),
    Column("updated_us", BigInteger, nullable=False),
)

# Query indexes on the events table (see the module docstring for why exactly these).
Index(None, events.c.biz_step, events.c.event_time_us)
Index(None, events.c.read_point, events.c.event_time_us)
Index(None, events.c.record_time_us)
Index(None, events.c.biz_step, events.c.pk)

__all__ = ["locations", "metadata", "named_queries", "parties"]
