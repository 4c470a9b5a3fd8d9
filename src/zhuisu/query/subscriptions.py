"""Query subscriptions: webhooks on a named query (EPCIS 2.0 §8.2.5 subscribe / unsubscribe; REST
bindings ``/queries/{queryName}/subscriptions``).

A subscription is ``{dest, signatureToken?, initialRecordTime?}`` plus either ``"stream": true``
(report whenever new events match) or a ``schedule`` (report at the times it names, cron-like);
``reportIfEmpty`` asks a scheduled subscription to call back even when nothing new matched (the
bindings define it for schedules only; a stream reports only when there is something to say).

Schedules (EPCIS 2.0 §8.2.5.3 QuerySchedule, the REST field patterns): each of ``second``,
``minute``, ``hour``, ``dayOfMonth``, ``month``, ``dayOfWeek`` (1 = Monday … 7 = Sunday) is a
comma-separated list of numbers and ranges ``[a-b]``; every given field must match (day of month
and day of week both). A field left out matches any value if it is coarser than the finest field
given, and its smallest value if it is finer — so ``{"hour": "1", "minute": "5"}`` fires once a
day at 01:05:00, as the bindings' example intends. Schedules run in China Standard Time
(UTC+08:00, no daylight saving), the local time of every zhuisu deployment.

Delivery itself is ``query.delivery``; this module validates, stores, lists and removes.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

import orjson
from sqlalchemy import Connection

from zhuisu.errors import InvalidUriError, NotFound, SubscriptionControlsError
from zhuisu.query import named, params
from zhuisu.query.documents import EpcFormat
from zhuisu.store import subscriptions as store
from zhuisu.store.subscriptions import DeliveryRow, SubscriptionRow

#: the time zone schedules are evaluated in (China Standard Time)
CST = timezone(timedelta(hours=8), "CST")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

#: schedule fields from the finest to the coarsest, with their value ranges
_FIELDS: dict[str, tuple[int, int]] = {
    "second": (0, 59),
    "minute": (0, 59),
    "hour": (0, 23),
    "dayOfMonth": (1, 31),
    "dayOfWeek": (1, 7),
    "month": (1, 12),
}
_RANK = {"second": 0, "minute": 1, "hour": 2, "dayOfMonth": 3, "dayOfWeek": 3, "month": 4}
_ELEMENT = re.compile(r"\s*(?:(\d{1,2})|\[?\s*(\d{1,2})\s*-\s*(\d{1,2})\s*\]?)\s*")
_BODY_FIELDS = {"dest", "signatureToken", "reportIfEmpty", "stream", "schedule", "initialRecordTime"}
#: how far ahead a schedule is searched for its next time (a leap day needs up to eight years)
_HORIZON = timedelta(days=8 * 366)


def to_us(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def from_us(value: int) -> datetime:
    return EPOCH + timedelta(microseconds=value)


def iso(value: int | None) -> str | None:
    if value is None:
        return None
    return from_us(value).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# ------------------------------------------------------------------------------ schedules


@dataclass(frozen=True, slots=True)
class Schedule:
    """The allowed values of each field (already defaulted as the module docstring says)."""

    second: frozenset[int]
    minute: frozenset[int]
    hour: frozenset[int]
    day_of_month: frozenset[int]
    day_of_week: frozenset[int]
    month: frozenset[int]


def _bad_schedule(field: str, zh: str, en: str) -> SubscriptionControlsError:
    return SubscriptionControlsError(f"schedule.{field} 无效:{zh}", f"invalid schedule.{field}: {en}")


def _field_values(field: str, value: Any) -> frozenset[int]:
    low, high = _FIELDS[field]
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(text, str) or not text.strip():
        raise _bad_schedule(
            field, "应为数字、逗号分隔的数字或 [a-b] 区间", "use numbers, lists or [a-b] ranges"
        )
    out: set[int] = set()
    for element in text.split(","):
        found = _ELEMENT.fullmatch(element)
        if found is None:
            raise _bad_schedule(
                field, f"{element!r} 不是数字或 [a-b] 区间", f"{element!r} is not a number or [a-b]"
            )
        single, start, end = found.groups()
        first, last = (int(single), int(single)) if single is not None else (int(start), int(end))
        if not low <= first <= last <= high:
            raise _bad_schedule(
                field, f"取值应在 {low}–{high} 之间且区间不倒置", f"values must lie in {low}-{high}"
            )
        out.update(range(first, last + 1))
    return frozenset(out)


def parse_schedule(raw: Any) -> Schedule:
    """A ``schedule`` object → the set of allowed values per field."""
    if not isinstance(raw, dict) or not raw:
        raise SubscriptionControlsError(
            "schedule 应为至少含一个字段的对象(second、minute、hour、dayOfMonth、month、dayOfWeek)",
            "schedule must be an object with some of second, minute, hour, dayOfMonth, month, dayOfWeek",
        )
    unknown = sorted(set(raw) - set(_FIELDS))
    if unknown:
        raise SubscriptionControlsError(
            f"schedule 含未知字段:{', '.join(unknown)}", f"schedule has unknown fields: {', '.join(unknown)}"
        )
    given = {field: _field_values(field, value) for field, value in raw.items()}
    finest = min(_RANK[f] for f in given)
    values: dict[str, frozenset[int]] = {}
    for field, (low, high) in _FIELDS.items():
        if field in given:
            values[field] = given[field]
        elif _RANK[field] < finest and not (
            field == "dayOfWeek" or (field == "dayOfMonth" and "dayOfWeek" in given)
        ):
            values[field] = frozenset({low})  # finer than what was given: its first value
        else:
            values[field] = frozenset(range(low, high + 1))
    schedule = Schedule(
        values["second"],
        values["minute"],
        values["hour"],
        values["dayOfMonth"],
        values["dayOfWeek"],
        values["month"],
    )
    if next_fire(schedule, datetime(2000, 1, 1, tzinfo=UTC)) is None:
        raise SubscriptionControlsError("schedule 永远不会触发", "the schedule never fires")
    return schedule


def next_fire(schedule: Schedule, after: datetime) -> datetime | None:
    """The first time strictly after ``after`` that the schedule names (None: never)."""
    t = after.astimezone(CST).replace(microsecond=0) + timedelta(seconds=1)
    limit = t + _HORIZON
    while t < limit:
        if t.month not in schedule.month:
            t = (t.replace(day=1, hour=0, minute=0, second=0) + timedelta(days=32)).replace(day=1)
        elif t.day not in schedule.day_of_month or t.isoweekday() not in schedule.day_of_week:
            t = t.replace(hour=0, minute=0, second=0) + timedelta(days=1)
        elif t.hour not in schedule.hour:
            t = t.replace(minute=0, second=0) + timedelta(hours=1)
        elif t.minute not in schedule.minute:
            t = t.replace(second=0) + timedelta(minutes=1)
        elif t.second not in schedule.second:
            t += timedelta(seconds=1)
        else:
            return t.astimezone(UTC)
    return None


def first_due(row: SubscriptionRow, now_us: int) -> int:
    """When the runner should next look at a subscription: now for a stream, else its next fire."""
    if row.stream or row.schedule is None:
        return now_us
    fire = next_fire(parse_schedule(orjson.loads(row.schedule)), from_us(now_us))
    return to_us(fire) if fire is not None else 2**62


# ------------------------------------------------------------------------------ the resource


def _dest(value: Any) -> str:
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidUriError(
            f"dest 应为 http(s) 绝对地址,收到 {value!r}",
            f"dest must be an absolute http(s) URL, got {value!r}",
        )
    return str(value)


def _flag(body: dict[str, Any], name: str) -> bool | None:
    value = body.get(name)
    if value is not None and not isinstance(value, bool):
        raise SubscriptionControlsError(f"{name} 应为 true 或 false", f"{name} must be true or false")
    return value


def create_subscription(
    conn: Connection,
    query_name: str,
    body: Any,
    *,
    epc_format: EpcFormat,
    now_us: int,
    principal: str | None = None,
) -> dict[str, Any]:
    """Validate and store a subscription to a named query; returns its public description.
    ``principal`` names who subscribes: its callbacks carry only what it may see (None: the
    platform itself, which sees everything)."""
    named.get_query(conn, query_name)  # NotFound when there is no such query
    if not isinstance(body, dict):
        raise SubscriptionControlsError("请求体必须是 JSON 对象", "the body must be a JSON object")
    unknown = sorted(set(body) - _BODY_FIELDS)
    if unknown:
        raise SubscriptionControlsError(
            f"未知字段:{', '.join(unknown)}", f"unknown fields: {', '.join(unknown)}"
        )
    dest = _dest(body.get("dest"))
    token = body.get("signatureToken")
    if token is not None and (not isinstance(token, str) or not token):
        raise SubscriptionControlsError(
            "signatureToken 应为非空字符串", "signatureToken must be a non-empty string"
        )
    stream = _flag(body, "stream")
    report_if_empty = _flag(body, "reportIfEmpty") or False
    schedule = body.get("schedule")
    if stream is False:
        raise SubscriptionControlsError("stream 只能为 true(或不给出)", "stream may only be true (or absent)")
    if (schedule is None) == (stream is None):
        raise SubscriptionControlsError(
            '须给出 schedule 或 "stream": true,且只能给出其一',
            'give either a schedule or "stream": true, not both and not neither',
        )
    if schedule is not None:
        parse_schedule(schedule)
    initial = body.get("initialRecordTime")
    initial_us = None
    if initial is not None:
        if not isinstance(initial, str):
            raise params.bad("initialRecordTime", "应为日期时间字符串", "must be a date-time string")
        initial_us = params.parse_time("initialRecordTime", initial)
    row = SubscriptionRow(
        id=str(uuid.uuid4()),
        query_name=query_name,
        dest=dest,
        signature_token=token,
        report_if_empty=report_if_empty,
        stream=bool(stream),
        schedule=None if schedule is None else orjson.dumps(schedule).decode(),
        epc_format=epc_format.value,
        initial_record_us=initial_us,
        created_us=now_us,
        # initialRecordTime given: report from that record time on (position before every event);
        # omitted: "the default value is the current time", i.e. from the newest event stored now.
        last_pk=0 if initial_us is not None else store.max_event_pk(conn),
        last_notified_us=None,
        due_us=0,
        failures=0,
        principal=principal,
    )
    row = replace(row, due_us=first_due(row, now_us))
    store.insert_subscription(conn, row)
    return describe(row)


def describe(row: SubscriptionRow) -> dict[str, Any]:
    """The public form (REST bindings AbstractQuerySubscriptionResponse); never the secret."""
    out: dict[str, Any] = {
        "subscriptionID": row.id,
        "queryName": row.query_name,
        "dest": row.dest,
        "createdAt": iso(row.created_us),
        "reportIfEmpty": row.report_if_empty,
        "epcFormat": row.epc_format,
    }
    if row.stream:
        out["stream"] = True
    if row.schedule is not None:
        out["schedule"] = orjson.loads(row.schedule)
    if row.initial_record_us is not None:
        out["initialRecordTime"] = iso(row.initial_record_us)
    if row.last_notified_us is not None:
        out["lastNotifiedAt"] = iso(row.last_notified_us)
    minimum = row.last_notified_us if row.last_notified_us is not None else row.initial_record_us
    if minimum is not None:
        out["minRecordTime"] = iso(minimum)
    return out


def _found(conn: Connection, query_name: str, sub_id: str, owner: str | None = None) -> SubscriptionRow:
    row = store.subscription(conn, query_name, sub_id)
    # another principal's subscription is "not found": its existence is not for others to see
    if row is None or (owner is not None and row.principal != owner):
        raise NotFound(
            f"查询 {query_name} 没有订阅 {sub_id}", f"query {query_name} has no subscription {sub_id}"
        )
    return row


def get_subscription(
    conn: Connection, query_name: str, sub_id: str, *, owner: str | None = None
) -> dict[str, Any]:
    """One subscription (``owner``: only if that principal made it; None: any)."""
    return describe(_found(conn, query_name, sub_id, owner))


def list_subscriptions(
    conn: Connection, query_name: str, *, after: str | None, limit: int, owner: str | None = None
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of the query's subscriptions (``owner``'s only, when given) and the next cursor."""
    named.get_query(conn, query_name)
    rows = store.subscriptions_after(conn, query_name, after=after, limit=limit + 1, owner=owner)
    more = len(rows) > limit
    rows = rows[:limit]
    return [describe(r) for r in rows], (rows[-1].id if more and rows else None)


def delete_subscription(conn: Connection, query_name: str, sub_id: str, *, owner: str | None = None) -> None:
    """Unsubscribe (EPCIS 2.0 §8.2.5 unsubscribe); its delivery log goes with it."""
    _found(conn, query_name, sub_id, owner)
    if not store.delete_subscription(conn, query_name, sub_id):
        raise NotFound(
            f"查询 {query_name} 没有订阅 {sub_id}", f"query {query_name} has no subscription {sub_id}"
        )


def _delivery(row: DeliveryRow) -> dict[str, Any]:
    return {
        "attempt": row.attempt,
        "at": iso(row.at_us),
        "statusCode": row.status_code,
        "error": row.error,
        "eventCount": row.event_count,
        "delivered": row.status_code is not None and 200 <= row.status_code < 300,
    }


def list_deliveries(
    conn: Connection,
    query_name: str,
    sub_id: str,
    *,
    before: int | None,
    limit: int,
    owner: str | None = None,
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of the delivery log (newest first) and the cursor of the next page."""
    _found(conn, query_name, sub_id, owner)
    rows = store.deliveries_before(conn, sub_id, before=before, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return [_delivery(r) for r in rows], (rows[-1].id if more and rows else None)
