"""Tables of query subscriptions and their webhook deliveries (EPCIS 2.0 §8.2.5, REST bindings
``/queries/{queryName}/subscriptions``).

* ``subscriptions``: one webhook subscription to a named query. Its position is ``last_pk``, the
  ``events.pk`` of the last event delivered (a keyset: capture writers are serialised and the pk
  only grows, so "pk greater than the position" is exactly "not yet delivered"). ``due_us`` is
  when the runner next looks at it: the next fire time of a schedule, the next retry after a
  failure, or at once for a stream. The ``signature_token`` is kept as given because every
  callback is signed with it (HMAC-SHA256); it is never returned by the API.
* ``subscription_deliveries``: the delivery log, one row per attempt (time, HTTP status or
  transport error, events sent).

A subscription belongs to its named query: deleting the query deletes its subscriptions
(REST bindings, ``DELETE /queries/{queryName}`` "forcibly unsubscribes"), and deleting a
subscription deletes its log.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from zhuisu.store.query_tables import named_queries
from zhuisu.store.tables import metadata

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column(
        "query_name",
        String(200),
        ForeignKey(named_queries.c.name, ondelete="CASCADE"),
        nullable=False,
    ),
    Column("dest", Text, nullable=False),
    Column("signature_token", Text),
    Column("report_if_empty", Boolean, nullable=False),
    Column("stream", Boolean, nullable=False),
    # JSON object of the schedule fields as given (second, minute, hour, dayOfMonth, month, dayOfWeek)
    Column("schedule", Text),
    # GS1-EPC-Format asked for when subscribing (how identifiers are written in the callbacks)
    Column("epc_format", String(32), nullable=False),
    # initialRecordTime: only events recorded at or after it are ever reported (null: from creation)
    Column("initial_record_us", BigInteger),
    Column("created_us", BigInteger, nullable=False),
    Column("last_pk", BigInteger, nullable=False),
    Column("last_notified_us", BigInteger),
    Column("due_us", BigInteger, nullable=False),
    # consecutive failed attempts of the pending delivery (0: none pending)
    Column("failures", Integer, nullable=False),
    # JSON of the creator's principal (access.principals): callbacks carry only what it may see
    Column("principal", Text),
    Index(None, "query_name", "id"),
    Index(None, "due_us"),
)

subscription_deliveries = Table(
    "subscription_deliveries",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column(
        "subscription_id",
        String(36),
        ForeignKey(subscriptions.c.id, ondelete="CASCADE"),
        nullable=False,
    ),
    Column("attempt", Integer, nullable=False),
    Column("at_us", BigInteger, nullable=False),
    Column("status_code", Integer),
    Column("error", Text),
    Column("event_count", Integer, nullable=False),
    # events.pk of the last event in the callback (null: an empty report)
    Column("through_pk", BigInteger),
    Index(None, "subscription_id", "id"),
)

__all__ = ["metadata", "subscription_deliveries", "subscriptions"]
