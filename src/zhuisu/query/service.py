"""Running a SimpleEventQuery (EPCIS 2.0 §8.2.7.1) page by page, and reading events by eventID.

The query is split in two: what an index answers goes to the store as SQL (``store.queries``),
what tests nested structures is evaluated on each candidate (``query.filters``). The scan walks
the candidates in keyset order in batches until a page is full, so a page costs the same however
deep it is, and the position in the next page token is exact.

Ordering (§8.2.7.1 orderBy / orderDirection): without orderBy, capture order (events.pk); by
eventTime or recordTime, keyset on (time, pk). By an extension field, the matching events are
collected, sorted in memory (events without the field last, which §8.2.7.1 allows) and paged by
position; at most ``FIELD_ORDER_LIMIT`` events may match such a query (QueryTooLargeException).

``visibility`` is what the reader may see (access control: ``access.visibility``), one more WHERE
clause on ``events`` that the store ANDs into every scan and count, so nothing invisible is ever
read. A principal's visibility comes as shape and values (``store.access.Visibility``), so the
scan's SQL is compiled once per shape and only the principal's values change per request.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Connection

from zhuisu.errors import NotFound, QueryTooLarge
from zhuisu.query import filters, params, tokens
from zhuisu.query.params import EventQuery, OrderKey, location_spellings
from zhuisu.query.tokens import PagePosition
from zhuisu.store import access as access_store
from zhuisu.store import events as event_store
from zhuisu.store import queries as store
from zhuisu.store.events import StoredEvent
from zhuisu.store.queries import EventFilter, EventVisibility, IdFilter, QueryRow, SortColumn

#: eventIDs per query of ``events_by_ids`` (bound parameters stay well under every driver's limit)
_IDS_PER_QUERY = 500

#: most events an extension-field ordering may sort in memory
FIELD_ORDER_LIMIT = 100_000
#: candidates fetched per round when events are tested after the SQL
_RESIDUAL_BATCH = 500

#: a principal's visibility, any other WHERE clause on ``events``, or None (everything)
Visibility = EventVisibility


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Which page: its size, the token of the previous page (None: the first), and what tokens
    are signed and bound with (``scope``: the resource the query runs on)."""

    per_page: int
    token: str | None
    secret: bytes
    ttl_seconds: int
    scope: str = "events"


@dataclass(frozen=True, slots=True)
class QueryPage:
    events: list[QueryRow]
    next_token: str | None
    expires: datetime | None


def _expand_locations(
    conn: Connection, eq: frozenset[str] | None, wd: frozenset[str] | None
) -> tuple[str, ...] | None:
    """EQ_ and WD_ of one location dimension as the set of stored spellings (None: no constraint).

    WD_ (§8.2.7.1, "with descendants") adds every location below the given ones in the location
    master data (§6.5); when both are given, an event must satisfy both.
    """
    if wd is not None:
        found = store.location_descendants(conn, wd)
        wd = frozenset(s for loc in found for s in location_spellings("WD_", loc))
    if eq is None and wd is None:
        return None
    if eq is not None and wd is not None:
        return tuple(sorted(eq & wd))
    return tuple(sorted(eq if eq is not None else wd or ()))


def _optional(values: frozenset[Any] | None) -> tuple[Any, ...] | None:
    return None if values is None else tuple(sorted(values))


def to_filter(conn: Connection, query: EventQuery) -> EventFilter:
    """The SQL part of the query, with WD_ locations expanded from master data."""
    return EventFilter(
        event_types=_optional(query.event_types),
        event_time_ge=query.event_time.ge,
        event_time_lt=query.event_time.lt,
        record_time_ge=query.record_time.ge,
        record_time_lt=query.record_time.lt,
        actions=_optional(query.actions),
        biz_steps=_optional(query.biz_steps),
        dispositions=_optional(query.dispositions),
        read_points=_expand_locations(conn, query.read_points, query.wd_read_points),
        biz_locations=_expand_locations(conn, query.biz_locations, query.wd_biz_locations),
        transformation_ids=_optional(query.transformation_ids),
        event_ids=_optional(query.event_ids),
        error_declared=query.error_declared,
        error_declaration_ge=query.error_declaration_time.ge,
        error_declaration_lt=query.error_declaration_time.lt,
        error_reasons=_optional(query.error_reasons),
        ids=tuple(
            IdFilter(tuple(sorted(int(r) for r in m.roles)), tuple(sorted(m.exact)), m.prefixes)
            for m in query.id_matches
        ),
        doc_contains=filters.doc_hints(query),
    )


def _sort(query: EventQuery) -> tuple[SortColumn, bool]:
    if query.order is OrderKey.EVENT_TIME:
        return SortColumn.EVENT_TIME, query.descending
    if query.order is OrderKey.RECORD_TIME:
        return SortColumn.RECORD_TIME, query.descending
    return SortColumn.PK, False


def _decoded(row: QueryRow) -> tuple[dict[str, Any], dict[str, str]]:
    return orjson.loads(row.doc), (orjson.loads(row.namespaces) if row.namespaces else {})


def _accept(tests: list[filters.Predicate]) -> Callable[[QueryRow], bool]:
    if not tests:
        return lambda _row: True

    def accept(row: QueryRow) -> bool:
        event, namespaces = _decoded(row)
        return all(test(event, namespaces) for test in tests)

    return accept


def _matches(
    conn: Connection,
    flt: EventFilter,
    accept: Callable[[QueryRow], bool],
    *,
    sort: SortColumn,
    descending: bool,
    after: tuple[int, int] | None,
    batch: int,
    visibility: Visibility,
) -> Iterator[QueryRow]:
    """Every matching event from ``after`` on, in order, fetched ``batch`` candidates at a time."""
    while True:
        rows = store.scan(
            conn, flt, sort=sort, descending=descending, after=after, limit=batch, visibility=visibility
        )
        for row in rows:
            if accept(row):
                yield row
        if len(rows) < batch:
            return
        last = rows[-1]
        after = (last.key(sort), last.pk)


def _check_max(
    conn: Connection,
    query: EventQuery,
    flt: EventFilter,
    accept: Callable[[QueryRow], bool],
    residual: bool,
    visibility: Visibility,
) -> None:
    """maxEventCount (§8.2.7.1): more matches than this → QueryTooLargeException, no result."""
    limit = query.max_event_count
    if limit is None:
        return
    if residual:
        matches = _matches(
            conn,
            flt,
            accept,
            sort=SortColumn.PK,
            descending=False,
            after=None,
            batch=_RESIDUAL_BATCH,
            visibility=visibility,
        )
        found = sum(1 for _ in itertools.islice(matches, limit + 1))
    else:
        found = store.count_up_to(conn, flt, limit + 1, visibility)
    if found > limit:
        raise QueryTooLarge(
            f"匹配的事件超过 maxEventCount={limit},请缩小查询范围",
            f"more events match than maxEventCount={limit}; narrow the query",
        )


def run_query(
    conn: Connection,
    query: EventQuery,
    page: PageRequest,
    *,
    visibility: Visibility = None,
    now: float | None = None,
) -> QueryPage:
    """One page of the query's result and the token of the next page (None on the last page)."""
    now_s = int(time.time() if now is None else now)
    fingerprint = query.fingerprint(page.scope)
    position = (
        tokens.decode(page.token, fingerprint=fingerprint, secret=page.secret, now=now_s)
        if page.token
        else PagePosition(None, None)
    )
    flt = to_filter(conn, query)
    tests = filters.predicates(query)
    accept = _accept(tests)
    if page.token is None:
        _check_max(conn, query, flt, accept, bool(tests), visibility)
    want = page.per_page
    if query.event_count_limit is not None:
        want = min(want, query.event_count_limit - position.emitted)
    if want <= 0:
        return QueryPage([], None, None)
    if query.order is OrderKey.FIELD:
        rows, more, next_position = _field_ordered(conn, query, flt, accept, position, want, visibility)
    else:
        sort, descending = _sort(query)
        after = (
            None if position.pk is None else (position.key if position.key is not None else 0, position.pk)
        )
        if tests:
            matches = _matches(
                conn,
                flt,
                accept,
                sort=sort,
                descending=descending,
                after=after,
                batch=max(want + 1, _RESIDUAL_BATCH),
                visibility=visibility,
            )
            rows = list(itertools.islice(matches, want + 1))
        else:
            # everything is answered in SQL: one scan of the page and one row more (is there a
            # next page?), what _matches would yield from its first batch, without a generator
            # step per row
            rows = store.scan(
                conn,
                flt,
                sort=sort,
                descending=descending,
                after=after,
                limit=want + 1,
                visibility=visibility,
            )
        more = len(rows) > want
        rows = rows[:want]
        next_position = PagePosition(
            rows[-1].key(sort) if rows and sort is not SortColumn.PK else None,
            rows[-1].pk if rows else None,
            position.emitted + len(rows),
        )
    if query.event_count_limit is not None and next_position.emitted >= query.event_count_limit:
        more = False
    if not more:
        return QueryPage(rows, None, None)
    expires = now_s + page.ttl_seconds
    token = tokens.encode(next_position, fingerprint=fingerprint, secret=page.secret, expires=expires)
    return QueryPage(rows, token, datetime.fromtimestamp(expires, UTC))


def _field_ordered(
    conn: Connection,
    query: EventQuery,
    flt: EventFilter,
    accept: Callable[[QueryRow], bool],
    position: PagePosition,
    want: int,
    visibility: Visibility,
) -> tuple[list[QueryRow], bool, PagePosition]:
    assert query.order_field is not None
    keyed: list[tuple[tuple[int, float, str] | None, QueryRow]] = []
    for row in _matches(
        conn,
        flt,
        accept,
        sort=SortColumn.PK,
        descending=False,
        after=None,
        batch=_RESIDUAL_BATCH,
        visibility=visibility,
    ):
        if len(keyed) >= FIELD_ORDER_LIMIT:
            raise QueryTooLarge(
                f"按扩展字段排序时最多 {FIELD_ORDER_LIMIT} 个事件,请缩小查询范围",
                f"ordering by an extension field sorts at most {FIELD_ORDER_LIMIT} events; narrow the query",
            )
        event, namespaces = _decoded(row)
        keyed.append((filters.sort_value(event, namespaces, query.order_field), row))
    present = sorted(
        ((k, r) for k, r in keyed if k is not None),
        key=lambda kr: (kr[0], kr[1].pk),
        reverse=query.descending,
    )
    ordered = [r for _, r in present] + [r for k, r in keyed if k is None]
    start = position.offset
    rows = ordered[start : start + want]
    more = start + want < len(ordered)
    return rows, more, PagePosition(None, None, position.emitted + len(rows), start + len(rows))


def all_events(conn: Connection, query: EventQuery, *, visibility: Visibility = None) -> Iterator[QueryRow]:
    """Every event of the query's result in its order (the CLI, exports): pages of 1000, chained
    in memory without tokens leaving the process."""
    secret = b"in-process"
    token: str | None = None
    while True:
        page = run_query(conn, query, PageRequest(1000, token, secret, 3600, "all"), visibility=visibility)
        yield from page.events
        if page.next_token is None:
            return
        token = page.next_token


def events_after(
    conn: Connection,
    query: EventQuery,
    *,
    after_pk: int,
    limit: int,
    record_time_ge: int | None = None,
    visibility: Visibility = None,
) -> list[QueryRow]:
    """Up to ``limit`` events of the query with ``events.pk`` above ``after_pk``, in capture order.

    The reading side of a subscription (EPCIS 2.0 §8.2.5): the position is a keyset on the pk,
    which only grows and is handed out by serialised capture writers, so what lies above the
    position is exactly what was not yet delivered. ``record_time_ge`` is the subscription's
    initialRecordTime; the query's own ordering and limits do not apply to a subscription.
    """
    flt = to_filter(conn, query)
    if record_time_ge is not None:
        flt = replace(flt, record_time_ge=max(record_time_ge, flt.record_time_ge or record_time_ge))
    tests = filters.predicates(query)
    batch = limit + 1 if not tests else max(limit + 1, _RESIDUAL_BATCH)
    matches = _matches(
        conn,
        flt,
        _accept(tests),
        sort=SortColumn.PK,
        descending=False,
        after=(after_pk, after_pk),
        batch=batch,
        visibility=visibility,
    )
    return list(itertools.islice(matches, limit))


def get_event(conn: Connection, event_id: str, *, visibility: Visibility = None) -> list[StoredEvent]:
    """The event with this eventID (and its error declaration, if any); NotFound otherwise, and
    NotFound too when ``visibility`` hides it (so an invisible event's existence does not leak)."""
    found = event_store.find_by_event_id(conn, event_id)
    if found and visibility is not None:
        shown = access_store.visible_pks(conn, [e.pk for e in found], visibility)
        found = [e for e in found if e.pk in shown]
    if not found:
        raise NotFound(f"没有 eventID 为 {event_id} 的事件", f"no event with eventID {event_id}")
    return found


def list_events(conn: Connection, *, per_page: int, after: int = 0) -> tuple[list[StoredEvent], int | None]:
    """A page of events in capture order, and the pk cursor of the next page (None at the end)."""
    page = event_store.list_recent(conn, limit=per_page + 1, after_pk=after)
    if len(page) > per_page:
        return page[:per_page], page[per_page - 1].pk
    return page, None


def events_by_ids(
    conn: Connection, event_ids: Sequence[str], *, visibility: Visibility = None
) -> list[QueryRow]:
    """The stored events with these eventIDs that the reader may see, in the order given (exports
    of a list someone else chose, such as the affected events of a recall scope). An eventID that
    names an event and its error declaration yields both rows, as EQ_eventID does."""
    wanted = list(dict.fromkeys(event_ids))
    found: dict[str, list[QueryRow]] = {}
    for start in range(0, len(wanted), _IDS_PER_QUERY):
        query = params.parse({"EQ_eventID": wanted[start : start + _IDS_PER_QUERY]}, pipe_delimited=False)
        for row in all_events(conn, query, visibility=visibility):
            found.setdefault(row.event_id, []).append(row)
    return [row for event_id in wanted for row in found.get(event_id, ())]
