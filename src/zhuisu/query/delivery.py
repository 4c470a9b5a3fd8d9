"""Delivering subscription results to webhooks (EPCIS 2.0 §8.2.5; REST bindings, the
``querySubscriptionResults`` callback of ``POST /queries/{queryName}/subscriptions``).

:func:`deliver_due` is the runner: the API's background task and ``zhuisu subscriptions deliver``
call it inside a write transaction they own. For each due subscription it POSTs the events
recorded since the subscription's position as EPCISQueryDocuments of at most
``DeliveryPolicy.batch_size`` events, in capture order, each signed in the ``GS1-Signature``
header as ``sha256=`` + the hex HMAC-SHA256 of the exact body under the subscription's
signatureToken (the bindings leave the signature scheme to the implementation and name HMAC with
SHA-256 as an example).

At least once: the position (``last_pk``) moves only after the receiver answered 2xx, and in the
same transaction as the log row; a crash between the POST and the commit sends the batch again.
A failed attempt (non-2xx, or a transport error) is logged and retried after an exponential
backoff, ``min(base · 2^(n−1), cap)`` for the n-th consecutive failure, with the same events
(plus any captured since). Nothing is skipped or sent twice under concurrent capture because the
position is a keyset on ``events.pk`` (see ``service.events_after``).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import httpx
from sqlalchemy import Connection, Engine

from zhuisu.errors import ZhuisuError
from zhuisu.query import documents, named, service, subscriptions
from zhuisu.query.documents import EpcFormat
from zhuisu.query.service import Visibility
from zhuisu.store import access as access_store
from zhuisu.store import subscriptions as store
from zhuisu.store.engine import read_connection, write_transaction
from zhuisu.store.subscriptions import DeliveryRow, SubscriptionRow

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    #: most events in one callback (the bindings: "group EPCIS events in manageable batches")
    batch_size: int = 1000
    #: most callbacks per subscription in one run (the rest follows on the next run)
    max_batches: int = 10
    #: most subscriptions handled in one run
    max_subscriptions: int = 100
    backoff_base_s: float = 10.0
    backoff_cap_s: float = 3600.0


@dataclass(slots=True)
class DeliveryReport:
    subscriptions: int = 0
    callbacks: int = 0
    failures: int = 0
    events: int = 0


def signature(body: bytes, token: str) -> str:
    """The ``GS1-Signature`` header value: ``sha256=`` and the hex HMAC-SHA256 of the body."""
    return "sha256=" + hmac.new(token.encode(), body, hashlib.sha256).hexdigest()


def backoff_us(failures: int, policy: DeliveryPolicy) -> int:
    """The wait before the next attempt after ``failures`` consecutive failures."""
    seconds = min(policy.backoff_base_s * 2 ** max(failures - 1, 0), policy.backoff_cap_s)
    return int(seconds * 1_000_000)


def any_due(conn: Connection, now: datetime) -> bool:
    """Whether some subscription is due (the runner's cheap check before a write transaction)."""
    return store.any_due(conn, subscriptions.to_us(now))


def _post(client: httpx.Client, row: SubscriptionRow, body: bytes) -> tuple[int | None, str | None]:
    headers = {"Content-Type": "application/ld+json", "GS1-EPCIS-Version": "2.0.0"}
    if row.signature_token:
        headers["GS1-Signature"] = signature(body, row.signature_token)
    try:
        response = client.post(row.dest, content=body, headers=headers)
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]
    if 200 <= response.status_code < 300:
        return response.status_code, None
    return response.status_code, f"HTTP {response.status_code}: {response.text[:300]}"


def _deliver_one(
    conn: Connection,
    client: httpx.Client,
    row: SubscriptionRow,
    now_us: int,
    policy: DeliveryPolicy,
    report: DeliveryReport,
    visibility: Visibility,
) -> None:
    try:
        query = named.query_of(conn, row.query_name)
    except ZhuisuError as exc:  # a stored query that no longer parses: log it and back off
        _failed(conn, row, now_us, policy, report, None, exc.message_en, 0)
        return
    if visibility is None:
        # the subscriber's view, resolved afresh on every run: a revoked key delivers nothing more
        visibility = access_store.visible_to_name(conn, row.principal)
    position = row.last_pk
    scheduled = not row.stream
    sent_any = False
    for _ in range(policy.max_batches):
        rows = service.events_after(
            conn,
            query,
            after_pk=position,
            limit=policy.batch_size,
            record_time_ge=row.initial_record_us,
            visibility=visibility,
        )
        if not rows and (sent_any or not (scheduled and row.report_if_empty)):
            break
        body = documents.query_document(
            rows, query_name=row.query_name, epc_format=EpcFormat(row.epc_format), subscription_id=row.id
        )
        status, error = _post(client, row, body)
        report.callbacks += 1
        if error is not None:
            _failed(conn, row, now_us, policy, report, status, error, len(rows))
            return
        through = rows[-1].pk if rows else None
        store.insert_delivery(
            conn, DeliveryRow(0, row.id, row.failures + 1, now_us, status, None, len(rows), through)
        )
        report.events += len(rows)
        sent_any = True
        position = through if through is not None else position
        row = _after_success(row, position, now_us)
        if len(rows) < policy.batch_size:
            break
    else:
        # more is waiting than one run sends: come back on the next run, whatever the schedule
        store.record_success(conn, row.id, last_pk=position, notified_us=now_us, due_us=now_us)
        return
    due = subscriptions.first_due(row, now_us) if scheduled else now_us
    if sent_any:
        store.record_success(conn, row.id, last_pk=position, notified_us=now_us, due_us=due)
    elif scheduled:
        store.reschedule(conn, row.id, due)  # nothing new and no empty report wanted: next fire


def _after_success(row: SubscriptionRow, position: int, now_us: int) -> SubscriptionRow:
    return replace(row, last_pk=position, last_notified_us=now_us, failures=0)


def _failed(
    conn: Connection,
    row: SubscriptionRow,
    now_us: int,
    policy: DeliveryPolicy,
    report: DeliveryReport,
    status: int | None,
    error: str,
    count: int,
) -> None:
    failures = row.failures + 1
    store.insert_delivery(conn, DeliveryRow(0, row.id, failures, now_us, status, error, count, None))
    store.record_failure(conn, row.id, failures=failures, due_us=now_us + backoff_us(failures, policy))
    report.failures += 1


def deliver_due(
    conn: Connection,
    client: httpx.Client,
    now: datetime,
    *,
    policy: DeliveryPolicy | None = None,
    visibility: Visibility = None,
) -> DeliveryReport:
    """Deliver every subscription due at ``now``; the caller owns (and commits) the transaction."""
    policy = policy or DeliveryPolicy()
    now_us = subscriptions.to_us(now)
    report = DeliveryReport()
    for row in store.lock_due(conn, now_us, policy.max_subscriptions):
        report.subscriptions += 1
        _deliver_one(conn, client, row, now_us, policy, report, visibility)
    return report


def run_once(engine: Engine, client: httpx.Client, now: datetime | None = None) -> DeliveryReport:
    """One delivery run that owns its transaction (the API loop and the CLI call this).

    A cheap read first: the write transaction (which on SQLite holds the one write lock while
    callbacks are in flight) is taken only when some subscription is due.
    """
    moment = now or datetime.now(UTC)
    with read_connection(engine) as conn:
        if not any_due(conn, moment):
            return DeliveryReport()
    with write_transaction(engine) as conn:
        return deliver_due(conn, client, moment)


async def delivery_loop(engine: Engine, client: httpx.Client, interval_s: float) -> None:
    """Run :func:`run_once` every ``interval_s`` seconds until cancelled (the API's background task)."""
    while True:
        await asyncio.sleep(interval_s)
        try:
            await asyncio.to_thread(run_once, engine, client)
        except Exception:  # a bug or an unreachable database must not end the loop: log, go on
            _log.exception("subscription delivery run failed / 订阅推送运行失败")
