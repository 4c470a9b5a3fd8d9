"""Tables of trace-code issuance (赋码): requests, per-prefix sequences, issued codes and their use.

A request (赋码申请) asks for ``count`` codes of one scheme under one prefix (the platform prefix
region + subject number, a GTIN for SGTIN serials, an operator code for meat & vegetable trace
codes). Approval allocates the block from ``code_sequences`` — one row per (scheme, prefix),
incremented inside the approving transaction — and writes one ``trace_codes`` row per code. The
unique index on ``trace_codes.code`` is the last guard that a code is never issued twice.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, String, Table, Text

from zhuisu.store.tables import metadata

__all__ = ["code_requests", "code_sequences", "code_subject_numbers", "metadata", "trace_codes"]

code_requests = Table(
    "code_requests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject_id", Integer, ForeignKey("subjects.id", ondelete="CASCADE"), nullable=False),
    Column("scheme", String(32), nullable=False),  # zhuisu.platform | gs1.sgtin | cn.meat_veg
    Column("prefix", String(32), nullable=False),  # region+subject no. | GTIN-14 | operator code
    Column("count", Integer, nullable=False),
    Column("product_name", Text, nullable=False),
    Column("category", String(64)),
    Column("status", String(16), nullable=False),  # requested | issued | rejected
    Column("reason", Text),
    Column("requested_us", BigInteger, nullable=False),
    Column("decided_us", BigInteger),
    Column("actor", String(128)),
    Column("first_seq", BigInteger),
    Column("last_seq", BigInteger),
    Index(None, "subject_id", "id"),
    Index(None, "status", "id"),
)

# One row per (scheme, prefix): the last sequence number handed out, and the subject owning the
# prefix (a GTIN or an operator code serves one subject only; NULL for platform subject numbers).
code_sequences = Table(
    "code_sequences",
    metadata,
    Column("scheme", String(32), primary_key=True),
    Column("prefix", String(32), primary_key=True),
    Column("last", BigInteger, nullable=False),
    Column("subject_id", Integer, ForeignKey("subjects.id", ondelete="CASCADE")),
)

# The 5-digit platform subject number of a subject within its region (platform trace code).
code_subject_numbers = Table(
    "code_subject_numbers",
    metadata,
    Column("subject_id", Integer, ForeignKey("subjects.id", ondelete="CASCADE"), primary_key=True),
    Column("region", String(6), nullable=False),
    Column("number", Integer, nullable=False),
    Index(None, "region", "number", unique=True),
)

trace_codes = Table(
    "trace_codes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(160), nullable=False),  # canonical form (GS1: the canonical Digital Link)
    Column("request_id", Integer, ForeignKey("code_requests.id", ondelete="CASCADE"), nullable=False),
    Column("subject_id", Integer, ForeignKey("subjects.id", ondelete="CASCADE"), nullable=False),
    Column("scheme", String(32), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("status", String(16), nullable=False),  # issued | used | voided
    Column("issued_us", BigInteger, nullable=False),
    Column("used_us", BigInteger),
    Column("voided_us", BigInteger),
    Column("void_reason", Text),
    Index(None, "code", unique=True),
    Index(None, "request_id", "seq"),
)
