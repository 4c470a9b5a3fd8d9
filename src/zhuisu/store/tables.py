"""The schema, in SQLAlchemy Core: one schema for SQLite and PostgreSQL.

Times are stored as integer microseconds since the Unix epoch, UTC (``*_us`` columns): exact,
portable, cheap to index and compare on both databases, and the unit the bulk path writes with
the DB-API driver directly. The captured event itself is kept as the exact JSON text zhuisu
returns on query (``doc``), so what was captured comes back unchanged; the columns and the
``event_ids`` link rows exist only to find events fast.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    false,
)

# Explicit constraint names keep alembic migrations stable across SQLite and PostgreSQL.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

capture_jobs = Table(
    "capture_jobs",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("created_us", BigInteger, nullable=False),
    Column("finished_us", BigInteger),
    Column("running", Boolean, nullable=False),
    Column("success", Boolean, nullable=False),
    # rollback | proceed (GS1-Capture-Error-Behaviour)
    Column("error_behaviour", String(16), nullable=False),
    Column("format", String(16)),
    Column("event_count", Integer, nullable=False, default=0),
    Column("inserted", Integer, nullable=False, default=0),
    Column("duplicates", Integer, nullable=False, default=0),
    # JSON list of RFC 7807 problem objects
    Column("errors", Text),
    # host:pid of the process running the job, to tell interrupted jobs apart
    Column("owner", String(128)),
    Column("principal", String(128)),
    Index(None, "created_us"),
)

# EPCIS 2.0 event type codes (small integers keep the events table narrow)
events = Table(
    "events",
    metadata,
    Column("pk", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("event_id", Text, nullable=False),
    Column("event_hash", String(100), nullable=False),
    Column("event_type", SmallInteger, nullable=False),
    Column("action", String(8)),
    Column("biz_step", Text),
    Column("disposition", Text),
    Column("read_point", Text),
    Column("biz_location", Text),
    Column("event_time_us", BigInteger, nullable=False),
    Column("event_time_offset", String(6), nullable=False),
    Column("record_time_us", BigInteger, nullable=False),
    Column("transformation_id", Text),
    # An error declaration (EPCIS 2.0 §7.4.1.4) repeats the erroneous event with the same eventID
    # and the same hash; it is stored as its own row, told apart by this flag.
    Column("error_declared", Boolean, nullable=False, default=False),
    Column("error_declaration_us", BigInteger),
    Column("error_reason", Text),
    # true on an original once an error declaration of it is stored (set by ``store.events`` in
    # the capture transaction of whichever of the two arrives second): traces, recalls and checks
    # read this flag instead of looking for a declaration row per event (issue 5: that lookup was
    # half the cost of reading a trace's events)
    Column("retracted", Boolean, nullable=False, default=False, server_default=false()),
    Column("capture_job", String(36), ForeignKey("capture_jobs.id")),
    # the canonical event as JSON text, exactly as returned on query
    Column("doc", Text, nullable=False),
    # JSON object prefix -> namespace IRI for the extension keys used in doc (null: none)
    Column("namespaces", Text),
    # the responsible subject of the step (domain.holders.subject_of), worked out at capture so
    # that traces and recalls read no document for it
    Column("subject", Text),
    Index(None, "event_hash", "error_declared", unique=True),
    Index(None, "event_id", "error_declared", unique=True),
    Index(None, "event_time_us"),
    Index(None, "biz_location", "event_time_us"),
)

# Every identifier an event names, with its role, canonicalised (domain.epc.canonical) so that
# the URN and the Digital Link of one object meet. The primary key clusters rows by event.
event_ids = Table(
    "event_ids",
    metadata,
    Column(
        "event_pk",
        BigInteger().with_variant(Integer, "sqlite"),
        ForeignKey("events.pk", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("role", SmallInteger, primary_key=True),
    Column("identifier", Text, primary_key=True),
    # for a lot of a quantity list: the amount stated and its unit (domain.holders.amounts_of:
    # null when none is stated; uom "*" when the list states the lot in several units)
    Column("quantity", Float),
    Column("uom", String(16)),
    # every column a reader by identifier asks for, so that the index alone answers it (SQLite
    # reads the table of a WITHOUT ROWID row otherwise: a second seek per row of a recall)
    Index(None, "identifier", "event_pk", "role", "quantity", "uom"),
    sqlite_with_rowid=False,
)
