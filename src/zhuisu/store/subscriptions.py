"""SQL of query subscriptions (EPCIS 2.0 §8.2.5) and their delivery log.

Due subscriptions are read ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several API workers
running the delivery loop never deliver one subscription at the same time; SQLite has one
writer, and the runner holds a write transaction, so it needs no lock of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, select, update

from zhuisu.store.subscription_tables import subscription_deliveries, subscriptions
from zhuisu.store.tables import events


@dataclass(frozen=True, slots=True)
class SubscriptionRow:
    id: str
    query_name: str
    dest: str
    signature_token: str | None
    report_if_empty: bool
    stream: bool
    schedule: str | None
    epc_format: str
    initial_record_us: int | None
    created_us: int
    last_pk: int
    last_notified_us: int | None
    due_us: int
    failures: int
    # the name of the principal that subscribed (access control): callbacks carry what it may see
    principal: str | None = None


@dataclass(frozen=True, slots=True)
class DeliveryRow:
    id: int
    subscription_id: str
    attempt: int
    at_us: int
    status_code: int | None
    error: str | None
    event_count: int
    through_pk: int | None


def _subscription(row: Any) -> SubscriptionRow:
    return SubscriptionRow(
        id=row.id,
        query_name=row.query_name,
        dest=row.dest,
        signature_token=row.signature_token,
        report_if_empty=bool(row.report_if_empty),
        stream=bool(row.stream),
        schedule=row.schedule,
        epc_format=row.epc_format,
        initial_record_us=row.initial_record_us,
        created_us=int(row.created_us),
        last_pk=int(row.last_pk),
        last_notified_us=row.last_notified_us,
        due_us=int(row.due_us),
        failures=int(row.failures),
        principal=row.principal,
    )


def max_event_pk(conn: Connection) -> int:
    """The highest events.pk stored (0 when there are none): a new subscription's position."""
    return int(conn.execute(select(func.coalesce(func.max(events.c.pk), 0))).scalar_one())


def insert_subscription(conn: Connection, row: SubscriptionRow) -> None:
    conn.execute(
        subscriptions.insert().values(
            id=row.id,
            query_name=row.query_name,
            dest=row.dest,
            signature_token=row.signature_token,
            report_if_empty=row.report_if_empty,
            stream=row.stream,
            schedule=row.schedule,
            epc_format=row.epc_format,
            initial_record_us=row.initial_record_us,
            created_us=row.created_us,
            last_pk=row.last_pk,
            last_notified_us=row.last_notified_us,
            due_us=row.due_us,
            failures=row.failures,
            principal=row.principal,
        )
    )


def subscription(conn: Connection, query_name: str, sub_id: str) -> SubscriptionRow | None:
    stmt = select(subscriptions).where(subscriptions.c.query_name == query_name, subscriptions.c.id == sub_id)
    row = conn.execute(stmt).first()
    return None if row is None else _subscription(row)


def subscriptions_after(
    conn: Connection, query_name: str, *, after: str | None, limit: int, owner: str | None = None
) -> list[SubscriptionRow]:
    """A keyset page of a query's subscriptions (only ``owner``'s when given)."""
    stmt = select(subscriptions).where(subscriptions.c.query_name == query_name)
    if owner is not None:
        stmt = stmt.where(subscriptions.c.principal == owner)
    if after is not None:
        stmt = stmt.where(subscriptions.c.id > after)
    rows = conn.execute(stmt.order_by(subscriptions.c.id).limit(limit))
    return [_subscription(r) for r in rows]


def delete_subscription(conn: Connection, query_name: str, sub_id: str) -> bool:
    stmt = delete(subscriptions).where(subscriptions.c.query_name == query_name, subscriptions.c.id == sub_id)
    return conn.execute(stmt).rowcount > 0


def any_due(conn: Connection, now_us: int) -> bool:
    """Whether some subscription is due (a cheap read before the runner takes a write transaction)."""
    stmt = select(subscriptions.c.id).where(subscriptions.c.due_us <= now_us).limit(1)
    return conn.execute(stmt).first() is not None


def lock_due(conn: Connection, now_us: int, limit: int) -> list[SubscriptionRow]:
    """Due subscriptions, earliest first, locked for this transaction (skipping locked ones)."""
    stmt = (
        select(subscriptions)
        .where(subscriptions.c.due_us <= now_us)
        .order_by(subscriptions.c.due_us, subscriptions.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [_subscription(r) for r in conn.execute(stmt)]


def record_success(conn: Connection, sub_id: str, *, last_pk: int, notified_us: int, due_us: int) -> None:
    conn.execute(
        update(subscriptions)
        .where(subscriptions.c.id == sub_id)
        .values(last_pk=last_pk, last_notified_us=notified_us, due_us=due_us, failures=0)
    )


def record_failure(conn: Connection, sub_id: str, *, failures: int, due_us: int) -> None:
    conn.execute(
        update(subscriptions).where(subscriptions.c.id == sub_id).values(failures=failures, due_us=due_us)
    )


def reschedule(conn: Connection, sub_id: str, due_us: int) -> None:
    conn.execute(update(subscriptions).where(subscriptions.c.id == sub_id).values(due_us=due_us))


def insert_delivery(conn: Connection, row: DeliveryRow) -> None:
    conn.execute(
        subscription_deliveries.insert().values(
            subscription_id=row.subscription_id,
            attempt=row.attempt,
            at_us=row.at_us,
            status_code=row.status_code,
            error=row.error,
            event_count=row.event_count,
            through_pk=row.through_pk,
        )
    )


def deliveries_before(conn: Connection, sub_id: str, *, before: int | None, limit: int) -> list[DeliveryRow]:
    """The delivery log of a subscription, newest first, keyset-paged on the log id."""
    t = subscription_deliveries
    stmt = select(t).where(t.c.subscription_id == sub_id)
    if before is not None:
        stmt = stmt.where(t.c.id < before)
    rows = conn.execute(stmt.order_by(t.c.id.desc()).limit(limit))
    return [
        DeliveryRow(
            int(r.id),
            r.subscription_id,
            int(r.attempt),
            int(r.at_us),
            r.status_code,
            r.error,
            int(r.event_count),
            r.through_pk,
        )
        for r in rows
    ]
