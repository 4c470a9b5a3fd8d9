"""Subscriptions and webhook delivery (EPCIS 2.0 §8.2.5), against a real receiver on 127.0.0.1."""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine

from tests.factories import make_event
from tests.query.conftest import store
from tests.query.receiver import Receiver, receiver
from zhuisu.errors import InvalidUriError, NotFound, SubscriptionControlsError
from zhuisu.query import delivery, named, subscriptions
from zhuisu.query.documents import EpcFormat
from zhuisu.query.subscriptions import CST, next_fire, parse_schedule
from zhuisu.store.engine import read_connection, write_transaction

TOKEN = "s3cret-token"


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with receiver() as rec:
        yield rec


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30, trust_env=False) as c:  # loopback only, never a proxy
        yield c


def ev(n: int, biz_step: str = "shipping") -> dict[str, Any]:
    return make_event(
        event_id=f"urn:zhuisu:test:s{n}", biz_step=biz_step, epcs=[f"urn:epc:id:sgtin:6901234.012345.{n}"]
    )


def subscribe(engine: Engine, body: dict[str, Any], *, now: datetime | None = None) -> str:
    moment = now or datetime.now(UTC)
    with write_transaction(engine) as conn:
        if not _exists(conn, "shipped"):
            named.create_query(conn, {"name": "shipped", "query": {"EQ_bizStep": ["shipping"]}})
        created = subscriptions.create_subscription(
            conn, "shipped", body, epc_format=EpcFormat.NO_PREFERENCE, now_us=subscriptions.to_us(moment)
        )
    return str(created["subscriptionID"])


def _exists(conn: Any, name: str) -> bool:
    try:
        named.get_query(conn, name)
    except NotFound:
        return False
    return True


def deliver(engine: Engine, client: httpx.Client, now: datetime) -> delivery.DeliveryReport:
    with write_transaction(engine) as conn:
        return delivery.deliver_due(conn, client, now)


def log(engine: Engine, sub_id: str) -> list[dict[str, Any]]:
    with read_connection(engine) as conn:
        found, _ = subscriptions.list_deliveries(conn, "shipped", sub_id, before=None, limit=100)
    return found


# ------------------------------------------------------------------------------ schedules


def test_schedule_fills_finer_fields_with_their_first_value() -> None:
    daily = parse_schedule({"hour": "1", "minute": "5"})
    after = datetime(2026, 5, 1, 12, 0, tzinfo=CST)
    assert next_fire(daily, after) == datetime(2026, 5, 2, 1, 5, 0, tzinfo=CST)
    half_hourly = parse_schedule({"minute": "0,30"})
    assert next_fire(half_hourly, datetime(2026, 5, 1, 12, 10, tzinfo=CST)) == datetime(
        2026, 5, 1, 12, 30, tzinfo=CST
    )
    ranges = parse_schedule({"second": "[10-12]"})
    assert next_fire(ranges, datetime(2026, 5, 1, 12, 0, 11, tzinfo=CST)) == datetime(
        2026, 5, 1, 12, 0, 12, tzinfo=CST
    )


def test_schedule_day_of_week_and_month() -> None:
    mondays = parse_schedule({"dayOfWeek": 1})  # 2026-05-04 is a Monday
    assert next_fire(mondays, datetime(2026, 5, 1, tzinfo=CST)) == datetime(2026, 5, 4, tzinfo=CST)
    leap = parse_schedule({"month": "2", "dayOfMonth": "29"})
    assert next_fire(leap, datetime(2026, 1, 1, tzinfo=CST)) == datetime(2028, 2, 29, tzinfo=CST)


@pytest.mark.parametrize(
    "schedule",
    [
        {},
        {"hour": "24"},
        {"minute": "x"},
        {"weekday": "1"},
        {"month": "2", "dayOfMonth": "30"},
        {"hour": "[5-2]"},
    ],
)
def test_bad_schedules_are_refused(schedule: dict[str, Any]) -> None:
    with pytest.raises(SubscriptionControlsError):
        parse_schedule(schedule)


def test_subscribe_validates(engine: Engine) -> None:
    cases: list[tuple[dict[str, Any], type[Exception]]] = [
        ({"dest": "ftp://x/y", "stream": True}, InvalidUriError),
        ({"dest": "http://127.0.0.1/h"}, SubscriptionControlsError),
        (
            {"dest": "http://127.0.0.1/h", "stream": True, "schedule": {"hour": "1"}},
            SubscriptionControlsError,
        ),
        ({"dest": "http://127.0.0.1/h", "stream": False}, SubscriptionControlsError),
        ({"dest": "http://127.0.0.1/h", "stream": True, "colour": "red"}, SubscriptionControlsError),
    ]
    for body, error in cases:
        with pytest.raises(error):
            subscribe(engine, body)
    with write_transaction(engine) as conn, pytest.raises(NotFound):
        subscriptions.create_subscription(
            conn, "nope", {"dest": "http://127.0.0.1/h", "stream": True}, epc_format=EpcFormat.URN, now_us=0
        )


# ------------------------------------------------------------------------------ delivery


def test_stream_delivers_new_matching_events_signed(
    engine: Engine, hook: Receiver, client: httpx.Client
) -> None:
    store(engine, [ev(1)])  # before the subscription: not reported (no initialRecordTime)
    sub = subscribe(engine, {"dest": hook.url, "signatureToken": TOKEN, "stream": True})
    store(engine, [ev(2), ev(3, "receiving"), ev(4)])
    report = deliver(engine, client, datetime.now(UTC))
    assert (report.callbacks, report.failures, report.events) == (1, 0, 2)
    assert hook.event_ids() == ["urn:zhuisu:test:s2", "urn:zhuisu:test:s4"]
    headers, body = hook.calls[0]
    expected = "sha256=" + hmac.new(TOKEN.encode(), body, hashlib.sha256).hexdigest()
    assert headers["GS1-Signature"] == expected
    doc = hook.documents()[0]
    assert doc["type"] == "EPCISQueryDocument"
    assert doc["epcisBody"]["queryResults"]["subscriptionID"] == sub
    assert doc["epcisBody"]["queryResults"]["queryName"] == "shipped"
    # nothing new: a stream says nothing
    assert deliver(engine, client, datetime.now(UTC)).callbacks == 0
    assert [d["statusCode"] for d in log(engine, sub)] == [200]
    with read_connection(engine) as conn:
        described = subscriptions.get_subscription(conn, "shipped", sub)
    assert "signatureToken" not in described and described["lastNotifiedAt"]


def test_retry_after_500_with_backoff_then_success(
    engine: Engine, hook: Receiver, client: httpx.Client
) -> None:
    sub = subscribe(engine, {"dest": hook.url, "signatureToken": TOKEN, "stream": True})
    store(engine, [ev(1), ev(2)])
    hook.statuses.extend([500, 503])
    now = datetime.now(UTC)
    assert deliver(engine, client, now).failures == 1
    assert deliver(engine, client, now + timedelta(seconds=5)).callbacks == 0  # backing off (10 s)
    assert deliver(engine, client, now + timedelta(seconds=11)).failures == 1  # second failure: 20 s
    assert deliver(engine, client, now + timedelta(seconds=25)).callbacks == 0
    report = deliver(engine, client, now + timedelta(seconds=32))
    assert (report.failures, report.events) == (0, 2)
    entries = log(engine, sub)  # newest first
    assert [(d["attempt"], d["statusCode"], d["delivered"]) for d in entries] == [
        (3, 200, True),
        (2, 503, False),
        (1, 500, False),
    ]
    assert entries[1]["error"].startswith("HTTP 503")
    # every attempt carried the same two events; the receiver saw them three times, at least once
    assert hook.event_ids() == ["urn:zhuisu:test:s1", "urn:zhuisu:test:s2"] * 3


def test_unreachable_destination_is_logged(engine: Engine, client: httpx.Client) -> None:
    with receiver() as gone:
        url = gone.url
    sub = subscribe(engine, {"dest": url, "stream": True})
    store(engine, [ev(1)])
    assert deliver(engine, client, datetime.now(UTC)).failures == 1
    (entry,) = log(engine, sub)
    assert entry["statusCode"] is None and "Connect" in entry["error"]


@pytest.mark.parametrize("report_if_empty", [True, False])
def test_schedule_and_report_if_empty(
    engine: Engine, hook: Receiver, client: httpx.Client, report_if_empty: bool
) -> None:
    created = datetime(2026, 5, 1, 12, 0, 30, tzinfo=CST)
    body = {"dest": hook.url, "schedule": {"minute": "[0-59]"}, "reportIfEmpty": report_if_empty}
    sub = subscribe(engine, body, now=created)
    assert deliver(engine, client, created + timedelta(seconds=10)).callbacks == 0  # not yet 12:01:00
    report = deliver(engine, client, created + timedelta(seconds=31))
    assert report.callbacks == (1 if report_if_empty else 0)
    if report_if_empty:
        assert hook.event_ids() == []
        assert log(engine, sub)[0]["eventCount"] == 0
    # rescheduled to the next minute either way
    assert deliver(engine, client, created + timedelta(seconds=40)).callbacks == 0
    store(engine, [ev(7)])
    assert deliver(engine, client, created + timedelta(seconds=91)).events == 1
    assert hook.event_ids()[-1] == "urn:zhuisu:test:s7"


def test_initial_record_time_reports_earlier_events(
    engine: Engine, hook: Receiver, client: httpx.Client
) -> None:
    store(engine, [ev(1), ev(2)])
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    subscribe(engine, {"dest": hook.url, "stream": True, "initialRecordTime": past})
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    subscribe(engine, {"dest": hook.url + "/later", "stream": True, "initialRecordTime": future})
    deliver(engine, client, datetime.now(UTC))
    assert hook.event_ids() == ["urn:zhuisu:test:s1", "urn:zhuisu:test:s2"]


def test_batches_and_deleting_the_query_ends_subscriptions(
    engine: Engine, hook: Receiver, client: httpx.Client
) -> None:
    sub = subscribe(engine, {"dest": hook.url, "stream": True})
    store(engine, [ev(n) for n in range(5)])
    policy = delivery.DeliveryPolicy(batch_size=2, max_batches=2)
    with write_transaction(engine) as conn:
        assert delivery.deliver_due(conn, client, datetime.now(UTC), policy=policy).events == 4
    with write_transaction(engine) as conn:
        assert delivery.deliver_due(conn, client, datetime.now(UTC), policy=policy).events == 1
    assert hook.event_ids() == [f"urn:zhuisu:test:s{n}" for n in range(5)]
    with write_transaction(engine) as conn:
        named.delete_query(conn, "shipped")
    with read_connection(engine) as conn, pytest.raises(NotFound):
        subscriptions.get_subscription(conn, "shipped", sub)


def test_no_gaps_no_duplicates_under_concurrent_capture(
    engine: Engine, hook: Receiver, client: httpx.Client
) -> None:
    subscribe(engine, {"dest": hook.url, "stream": True})
    expected = [f"urn:zhuisu:test:s{n}" for n in range(60)]

    def capture_all() -> None:
        for start in range(0, 60, 4):
            store(engine, [ev(n) for n in range(start, start + 4)])

    writer = threading.Thread(target=capture_all)
    writer.start()
    while writer.is_alive():
        delivery.run_once(engine, client)
    writer.join()
    delivery.run_once(engine, client)
    assert sorted(hook.event_ids()) == sorted(expected)
    assert len(hook.event_ids()) == len(set(hook.event_ids()))
    assert len(hook.calls) >= 1
