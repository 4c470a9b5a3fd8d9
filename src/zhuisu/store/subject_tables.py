"""Tables of the subject capability (registered in the shared MetaData of ``store.tables``).

A subject (追溯主体) is a filed legal entity keyed by its USCC, or an individual operator keyed
by ``P`` + a keyed hash of the ID-card number (the number itself is never stored: only that hash
and a masked form for display). Every filing (the initial one and each change) is kept with the
data it proposed; the subject row holds the data in force. Times are UTC microseconds (``*_us``),
dates (licence expiry, the day a change happened) are calendar dates in China Standard Time.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, Text

from zhuisu.store.tables import metadata

__all__ = [
    "metadata",
    "subject_audit",
    "subject_filings",
    "subject_keys",
    "subject_nodes",
    "subject_operators",
    "subject_qualifications",
    "subjects",
]

subjects = Table(
    "subjects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # USCC (organisation) or "P" + 17 hex digits of the ID-card HMAC (individual); the API key
    Column("key", String(18), nullable=False),
    Column("kind", String(16), nullable=False),  # organisation | individual
    Column("uscc", String(18)),
    Column("id_hash", String(64)),  # HMAC-SHA256 of the ID-card number (individuals only)
    Column("id_masked", String(18)),  # e.g. 110***********002X, for display
    Column("name", Text, nullable=False),
    Column("subject_type", String(32), nullable=False),
    Column("legal_rep", Text),
    Column("address", Text),
    Column("region", String(6), nullable=False),
    Column("contact_name", Text),
    Column("contact_phone", String(32)),
    Column("business_scope", Text),
    Column("node_types", Text, nullable=False),  # JSON list of NodeType values
    Column("pgln", String(13)),  # GS1 party GLN (AI 417), where the subject has one
    Column("status", String(16), nullable=False),
    Column("filed_us", BigInteger, nullable=False),
    Column("updated_us", BigInteger, nullable=False),
    Index(None, "key", unique=True),
    Index(None, "status", "region"),
)

subject_filings = Table(
    "subject_filings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject_id", Integer, ForeignKey("subjects.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),  # initial | change
    Column("data", Text, nullable=False),  # JSON of the proposed SubjectData
    Column("status", String(16), nullable=False),  # submitted | approved | rejected | superseded
    Column("submitted_us", BigInteger, nullable=False),
    Column("changed_on", Date),  # the day the change happened (上海办法 Art.12: file within 2 days)
    Column("late", Boolean, nullable=False, default=False),
    Column("decided_us", BigInteger),
    Column("reason", Text),
    Column("actor", String(128)),
    Index(None, "subject_id", "id"),
    Index(None, "late"),
)

subject_nodes = Table(
    "subject_nodes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject_id", Integer, ForeignKey("subjects.id", ondelete="CASCADE"), nullable=False),
    # SB/T 10680 style: 6-digit GB/T 2260 region + 3-digit filing sequence
    Column("node_code", String(9), nullable=False),
    Column("region", String(6), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("node_type", String(32), nullable=False),
    Column("stall_no", String(32)),
    Column("address", Text),
    Column("gln", Text),  # canonical GS1 Digital Link of the GLN / SGLN, where given
    Column("created_us", BigInteger, nullable=False),
    Index(None, "node_code", unique=True),
    Index(None, "subject_id"),
)

subject_operators = Table(
    "subject_operators",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("node_id", Integer, ForeignKey("subject_nodes.id", ondelete="CASCADE"), nullable=False),
    Column("operator_code", String(13), nullable=False),  # node code + 4-digit sequence
    Column("seq", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("stall_no", String(32)),
    Column("created_us", BigInteger, nullable=False),
    Index(None, "operator_code", unique=True),
)

subject_qualifications = Table(
    "subject_qualifications",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject_id", Integer, ForeignKey("subjects.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("number", String(64), nullable=False),
    Column("valid_until", Date),
    Column("issued_by", Text),
    Column("created_us", BigInteger, nullable=False),
    Index(None, "kind", "number", unique=True),
    Index(None, "valid_until"),
)

subject_audit = Table(
    "subject_audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject_id", Integer, ForeignKey("subjects.id", ondelete="CASCADE"), nullable=False),
    Column("action", String(40), nullable=False),
    Column("at_us", BigInteger, nullable=False),
    Column("actor", String(128)),
    Column("detail", Text),  # JSON object
    Index(None, "subject_id", "id"),
)

# Per-deployment secrets, made on first use (the key of the ID-card HMAC).
subject_keys = Table(
    "subject_keys",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", String(64), nullable=False),
)
