"""Tables of integrity findings of the trace chain (chain/checks.py writes them, oversight reads them).

``chain_findings`` holds one row per finding. ``fingerprint`` (a hash of the kind and the events and
identifiers involved) is unique, so running a check again over the same window adds nothing: the
checks are idempotent. ``chain_finding_refs`` repeats every event ID and identifier a finding names,
one row each, so ``GET /findings?identifier=`` is one index range.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, String, Table, Text

from zhuisu.store.tables import metadata

__all__ = ["chain_finding_refs", "chain_findings", "metadata"]

_PK = BigInteger().with_variant(Integer, "sqlite")

chain_findings = Table(
    "chain_findings",
    metadata,
    Column("id", _PK, primary_key=True, autoincrement=True),
    Column("fingerprint", String(64), nullable=False),
    # chain.checks.FindingKind: chain_break.unmatched_receipt, quantity.oversold, …
    Column("kind", String(48), nullable=False),
    # info | warning | critical
    Column("severity", String(8), nullable=False),
    # JSON lists of the eventIDs and of the identifiers (lots, codes, vouchers) involved
    Column("event_ids", Text, nullable=False),
    Column("identifiers", Text, nullable=False),
    Column("message_zh", Text, nullable=False),
    Column("message_en", Text, nullable=False),
    # the eventTime (µs) the finding is about: the first event involved
    Column("event_time_us", BigInteger, nullable=False),
    Column("detected_us", BigInteger, nullable=False),
    Index(None, "fingerprint", unique=True),
    Index(None, "kind", "event_time_us"),
    Index(None, "event_time_us"),
)

chain_finding_refs = Table(
    "chain_finding_refs",
    metadata,
    Column("ref", Text, primary_key=True),
    Column("finding_id", _PK, ForeignKey("chain_findings.id", ondelete="CASCADE"), primary_key=True),
    sqlite_with_rowid=False,
)
