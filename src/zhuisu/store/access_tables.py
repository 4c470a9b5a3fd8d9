"""Tables of access control (issue 3, "Who may see what").

* ``api_keys``: one API key. Only the SHA-256 of the key is kept (the key is 256 random bits, so a
  plain hash is enough: nothing to brute-force); ``prefix`` is the key's first characters, shown in
  listings so an operator can tell keys apart. A key may expire and may be revoked; ``last_used_us``
  is refreshed (at most once a minute) when it is used.
* ``accounts``: web users. The password is kept only as an argon2id hash (argon2-cffi).
* ``event_parties``: every party or location identifier an event names (source / destination
  values and bizLocation, canonicalised) plus the identifiers of whoever captured it. The read
  paths' visibility clause is an ``EXISTS`` on this table, so reads are filtered in the query.

Subject keys and regions of a key or account are JSON lists of strings.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from zhuisu.store.tables import metadata

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("prefix", String(16), nullable=False),
    # hex SHA-256 of the whole key
    Column("key_hash", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("subject_keys", Text, nullable=False),
    Column("regions", Text, nullable=False),
    Column("created_us", BigInteger, nullable=False),
    Column("expires_us", BigInteger),
    Column("revoked_us", BigInteger),
    Column("last_used_us", BigInteger),
    Index(None, "key_hash", unique=True),
)

accounts = Table(
    "accounts",
    metadata,
    Column("username", String(100), primary_key=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("display_name", String(200)),
    Column("subject_keys", Text, nullable=False),
    Column("regions", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_us", BigInteger, nullable=False),
)

event_parties = Table(
    "event_parties",
    metadata,
    Column(
        "event_pk",
        BigInteger().with_variant(Integer, "sqlite"),
        ForeignKey("events.pk", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("party", Text, primary_key=True),
    Index(None, "party", "event_pk"),
    sqlite_with_rowid=False,
)

__all__ = ["accounts", "api_keys", "event_parties", "metadata"]
