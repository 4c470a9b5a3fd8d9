"""SQL of the trace chain: writing link rows at capture, and the recursive walks.

Writing: ``write_links`` runs inside the capture transaction right after the batch's events are
inserted (``executemany`` on SQLite, ``COPY`` on PostgreSQL, as ``store.events.write_rows``). Each
link of ``domain.links`` becomes one walk row under each end (``links.steps_of``), except that the
sources of an event with the same outgoing links share a hub node of the event (``links.walk_rows``:
sources + targets rows instead of their product). Every read below hands back the rows as if each
link were stored under both ends (``links.expand_hubs``), and the walks step through a hub without
counting the step and without changing the window, so a hub is invisible to every caller. An error
declaration (EPCIS 2.0 §7.4.1.4) deletes the rows of the event it declares erroneous; rows of an
event whose declaration is already stored are not written.

Walking: one ``WITH RECURSIVE … UNION`` statement per trace, backed by the primary key of
``chain_links`` (node, step, …): every step of the walk is one index range. A walk row is
(node, state, lo, hi, depth). ``state`` 0: the node is part of the trace as a whole; 1: it was
reached through a container that carried the traced object, so only its events and links inside
the window [lo, hi] count and the walk never goes down from it to other contents (the carton's
neighbours on the pallet). For whole nodes ``lo`` / ``hi`` bound the events that belong to the
trace: backward, a node's events up to the time it was used; forward, from the time it was
reached. Links between whole nodes are followed whatever their times, because the two sides of a
cross-enterprise link run on different clocks. UNION (not UNION ALL) ends every walk, cycles
included: the rows come from a finite set. ``depth`` counts steps only when a depth limit is
asked for; otherwise it stays 0 so that UNION merges rows reached by different paths (the
measured approach of reference/perf-limits.md §4: UNION over a covering index). A hub reached on the
way (store rows of one event, ``links.walk_rows``) is left out of the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Connection, TextClause, bindparam, delete, select, text

from zhuisu.domain.epc import CANONICAL_HOST
from zhuisu.domain.links import (
    HUB_PREFIX,
    LinkKind,
    Step,
    StoredRow,
    TemplateRow,
    expand_hubs,
)
from zhuisu.store.chain_tables import chain_links
from zhuisu.store.engine import is_sqlite
from zhuisu.store.events import bulk_insert, valid, valid_sql
from zhuisu.store.tables import event_ids, events

LINK_COLUMNS = ("node", "step", "other", "t_us", "event_pk", "kind", "confidence", "reason")
#: times outside any event: the open ends of a window
NEG = -(2**62)
POS = 2**62
UNLIMITED = 1 << 30
_CHUNK = 500
#: a row leading into an event's hub (domain.links.walk_rows): a step the walk takes unseen
_INTO_HUB = f"l.other LIKE '{HUB_PREFIX}%'"

#: what capture hands over per stored event: (pk, eventTime µs, its ``links.walk_template``, is an
#: error declaration)
LinkBatchItem = tuple[int, int, Sequence[TemplateRow], bool]


# --------------------------------------------------------------------------- writing


def write_links(conn: Connection, items: Sequence[LinkBatchItem]) -> None:
    """Store the walk rows of a capture batch's links, in the caller's transaction.

    The rows of each event were worked out when it was prepared (``links.walk_template``, unique
    per (node, step, other) within the event); here they only get the event's key and time.
    """
    if not items:
        return
    declarations = [pk for pk, _, _, declared in items if declared]
    if declarations:
        _retract(conn, declarations)
    linked = [item for item in items if item[2] and not item[3]]
    if not linked:
        return
    retracted = _already_declared(conn, [pk for pk, *_ in linked])
    rows: list[tuple[Any, ...]] = []
    for pk, t_us, template, _ in linked:
        if pk in retracted:
            continue
        hub = f"{HUB_PREFIX}{pk}."
        rows.extend(
            (
                node if node.__class__ is str else f"{hub}{node}",
                step,
                other if other.__class__ is str else f"{hub}{other}",
                t_us,
                pk,
                kind,
                confidence,
                reason,
            )
            for node, step, other, kind, confidence, reason in template
        )
    write_link_rows(conn, rows)


def write_link_rows(conn: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    """The raw write of complete ``chain_links`` rows (LINK_COLUMNS order), with the driver's bulk
    method (``store.events.bulk_insert``)."""
    bulk_insert(conn, "chain_links", LINK_COLUMNS, rows)


def delete_all_links(conn: Connection) -> None:
    """Empty ``chain_links`` (``chain.relink`` refills it in the same transaction)."""
    conn.execute(delete(chain_links))


def linkable_events(conn: Connection, after_pk: int, limit: int) -> list[tuple[int, int, str, str | None]]:
    """(pk, eventTime µs, stored JSON, namespaces column) of the next ``limit`` events after
    ``after_pk`` that may state links: neither error declarations nor retracted (§7.4.1.4)."""
    stmt = (
        select(events.c.pk, events.c.event_time_us, events.c.doc, events.c.namespaces)
        .where(events.c.pk > after_pk, valid())
        .order_by(events.c.pk)
        .limit(limit)
    )
    return [(int(r[0]), int(r[1]), r[2], r[3]) for r in conn.execute(stmt)]


def _retract(conn: Connection, declaration_pks: list[int]) -> None:
    """Delete the links of the events these error declarations declare erroneous."""
    declared = select(events.c.event_id).where(events.c.pk.in_(declaration_pks))
    originals = select(events.c.pk).where(events.c.event_id.in_(declared), events.c.error_declared.is_(False))
    conn.execute(delete(chain_links).where(chain_links.c.event_pk.in_(originals)))


def _already_declared(conn: Connection, pks: list[int]) -> set[int]:
    """Of these new events, those an already stored error declaration names (arrived first):
    ``store.events.mark_retracted`` flagged them when they were inserted."""
    found: set[int] = set()
    for start in range(0, len(pks), _CHUNK):
        chunk = pks[start : start + _CHUNK]
        stmt = select(events.c.pk).where(events.c.pk.in_(chunk), events.c.retracted.is_(True))
        found.update(int(pk) for pk in conn.execute(stmt).scalars())
    return found


# --------------------------------------------------------------------------- walking


class WalkRow(NamedTuple):
    """A node the walk reached: whole (state 0) or as a carrier (1), with its time window.

    The row types of this module are named tuples, not frozen dataclasses: a trace makes hundreds
    of them and a frozen dataclass costs three times as much to build (bench trace, issue 5)."""

    node: str
    state: int
    lo: int
    hi: int


def _node_match(sqlite: bool) -> str:
    """The join of a walk step: the link rows standing on the node the walk reached.

    On SQLite it is written as a one-value range, which the planner turns into the same primary
    key seek. The plain ``l.node = w.node`` lets SQLite (3.38 and later) put a Bloom filter on the
    join once ``ANALYZE`` has given ``chain_links`` statistics and the table is smaller than its
    guess of the walk's size; inside a recursive CTE the filter is rebuilt at every step, which
    made a 250-node walk over 200,000 rows 15-20 times slower (3 ms → 40-70 ms, measured
    2026-11-23; the Bloom filter needs an equality constraint, a range never gets one).
    """
    return "l.node >= w.node AND l.node <= w.node" if sqlite else "l.node = w.node"


def _walk_sql(backward: bool, sqlite: bool, seeds: int) -> str:
    greatest, least = ("max", "min") if sqlite else ("GREATEST", "LEAST")
    up, down = int(Step.UP), int(Step.DOWN)
    carrier, content, unpack = int(Step.CARRIER), int(Step.CONTENT), int(Step.UNPACK)
    material = up if backward else down
    # the end of a carrying window: the first DISAGGREGATION of this child (or of all children)
    # from this parent at or after the packing time (EPCIS 2.0 §7.4.3)
    until = (
        f"COALESCE((SELECT MIN(u.t_us) FROM chain_links u WHERE u.node = l.other AND u.step = {unpack}"
        f" AND u.other IN (l.node, '*') AND u.t_us >= l.t_us), {POS})"
    )
    if backward:
        lo = (
            f"CASE WHEN l.step = {carrier} THEN {greatest}(l.t_us, w.lo)"
            f" WHEN w.state = 1 THEN w.lo ELSE {NEG} END"
        )
        hi = f"CASE WHEN l.step = {carrier} THEN {least}(w.hi, {until}) ELSE l.t_us END"
        # children packed into a whole node before it was used are what it was packed from
        content_rule = "(w.state = 0 AND l.t_us <= w.hi)"
        carrier_rule = "l.t_us <= w.hi"
    else:
        lo = f"CASE WHEN l.step = {carrier} THEN {greatest}(l.t_us, w.lo) ELSE l.t_us END"
        # from a carrier, a business transaction (the same consignment moving on) or a logistic
        # unit / returnable asset (SSCC, GRAI, GIAI: GS1 General Specifications §2.2, §2.3) keeps
        # the carrying window; anything else the carrier was booked into (a lot, a trace code)
        # holds the content from then on, so the window opens
        same_carrier = " OR ".join(
            [f"l.kind = {int(LinkKind.BIZ_TRANSACTION)}"]
            + [f"l.other LIKE '{CANONICAL_HOST}/{ai}/%'" for ai in ("00", "8003", "8004")]
        )
        # into a hub the window stays as it is: the row out of the hub decides (it is the link's)
        hi = (
            f"CASE WHEN l.step = {carrier} THEN {least}(w.hi, {until})"
            f" WHEN w.state = 1 AND ({_INTO_HUB} OR {same_carrier}) THEN w.hi ELSE {POS} END"
        )
        content_rule = "w.state = 0"
        carrier_rule = "l.t_us BETWEEN w.lo AND w.hi"
    on = _node_match(sqlite)
    prefix = ""
    if seeds == 1:
        seed = f"SELECT CAST(:s0 AS TEXT), 0, CAST({NEG} AS BIGINT), CAST({POS} AS BIGINT), 0"
    else:
        # a VALUES list, not a compound SELECT: SQLite allows at most 500 terms in a compound SELECT
        prefix = f"seeds(s) AS (VALUES {', '.join(f'(CAST(:s{i} AS TEXT))' for i in range(seeds))}),\n"
        seed = f"SELECT s, 0, CAST({NEG} AS BIGINT), CAST({POS} AS BIGINT), 0 FROM seeds"
    return f"""WITH RECURSIVE {prefix}walk(node, state, lo, hi, depth) AS (
  {seed}
  UNION
  SELECT l.other, CASE WHEN l.step = {carrier} OR w.state = 1 THEN 1 ELSE 0 END, {lo}, {hi},
    w.depth + CASE WHEN {_INTO_HUB} THEN 0 ELSE :inc END
  FROM walk w JOIN chain_links l ON {on} AND l.step IN ({material}, {carrier}, {content})
  WHERE w.depth < :max_depth
    AND (l.step <> {content} OR {content_rule})
    AND (l.step <> {material} OR w.state = 0 OR l.t_us BETWEEN w.lo AND w.hi)
    AND (l.step <> {carrier} OR {carrier_rule})
)
SELECT node, state, lo, hi FROM walk WHERE node NOT LIKE '{HUB_PREFIX}%'"""


def walk_plan(conn: Connection, *, backward: bool) -> list[str]:
    """SQLite's query plan of the trace walk, one line per step (empty on PostgreSQL): lets a test
    hold the walk to its primary-key seek whatever the statistics."""
    if not is_sqlite(conn):
        return []
    sql = _walk_sql(backward, True, 1)
    params = {"s0": "", "inc": 0, "max_depth": UNLIMITED}
    return [str(row[3]) for row in _rows(conn, f"EXPLAIN QUERY PLAN {sql}", params)]


@lru_cache(maxsize=256)
def _walk_text(backward: bool, sqlite: bool, seeds: int) -> TextClause:
    return text(_walk_sql(backward, sqlite, seeds))


def walk(
    conn: Connection, seeds: Sequence[str], *, backward: bool, max_depth: int | None = None
) -> list[WalkRow]:
    """Every node reachable from the seeds backward (sources) or forward (destinations)."""
    # both drivers hand back str and int already: the rows become WalkRows as they are
    return list(map(WalkRow._make, _walk(conn, seeds, backward, max_depth)))


def walk_nodes(conn: Connection, seeds: Sequence[str], *, backward: bool) -> set[str]:
    """The nodes ``walk`` reaches, without their windows (the recall scope needs only these)."""
    return {str(row[0]) for row in _walk(conn, seeds, backward, None)}


def _walk(conn: Connection, seeds: Sequence[str], backward: bool, max_depth: int | None) -> list[Any]:
    if not seeds:
        return []
    params: dict[str, Any] = {f"s{i}": seed for i, seed in enumerate(seeds)}
    params["inc"] = 0 if max_depth is None else 1
    params["max_depth"] = UNLIMITED if max_depth is None else max_depth
    if is_sqlite(conn):
        # sqlite3 binds :name parameters itself: the rows come straight from the driver's cursor
        return _rows(conn, _walk_sql(backward, True, len(seeds)), params)
    return list(conn.execute(_walk_text(backward, False, len(seeds)), params).fetchall())


def raw_closure(conn: Connection, seeds: Sequence[str], *, backward: bool) -> list[str]:
    """The bare recursive walk (the raw limit of ``bench trace``): every node reachable from the
    seeds through UP (or DOWN) rows, no carrying windows, no events (reference/perf-limits.md §4)."""
    if not seeds:
        return []
    values = ", ".join(f"(CAST(:s{i} AS TEXT))" for i in range(len(seeds)))
    step = int(Step.UP) if backward else int(Step.DOWN)
    on = _node_match(is_sqlite(conn))
    sql = f"""WITH RECURSIVE seeds(s) AS (VALUES {values}), walk(node) AS (
  SELECT s FROM seeds
  UNION
  SELECT l.other FROM walk w JOIN chain_links l ON {on} AND l.step = {step}
)
SELECT node FROM walk WHERE node NOT LIKE '{HUB_PREFIX}%'"""
    params = {f"s{i}": seed for i, seed in enumerate(seeds)}
    return [str(n) for n in conn.execute(text(sql), params).scalars()]


class EventInfo(NamedTuple):
    """What a trace shows of one event (doc: the stored JSON, when asked for)."""

    pk: int
    event_id: str
    time_us: int
    offset: str
    event_type: int
    action: str | None
    biz_step: str | None
    disposition: str | None
    read_point: str | None
    biz_location: str | None
    doc: str | None
    namespaces: str | None
    subject: str | None


def _event_columns(with_docs: bool) -> list[Any]:
    cols: list[Any] = [
        events.c.pk,
        events.c.event_id,
        events.c.event_time_us,
        events.c.event_time_offset,
        events.c.event_type,
        events.c.action,
        events.c.biz_step,
        events.c.disposition,
        events.c.read_point,
        events.c.biz_location,
    ]
    if with_docs:
        cols += [events.c.doc, events.c.namespaces]
    return [*cols, events.c.subject]


def _info(row: Any, with_docs: bool) -> EventInfo:
    doc, ns = (row[10], row[11]) if with_docs else (None, None)
    return EventInfo(
        int(row[0]),
        row[1],
        int(row[2]),
        row[3],
        int(row[4]),
        row[5],
        row[6],
        row[7],
        row[8],
        row[9],
        doc,
        ns,
        row[-1],
    )


def events_of_nodes(
    conn: Connection, nodes: Iterable[str], *, with_docs: bool
) -> list[tuple[str, int, EventInfo]]:
    """(node, role, event) for every valid event that names one of the nodes (event_ids index)."""
    wanted = list(dict.fromkeys(nodes))
    out: list[tuple[str, int, EventInfo]] = []
    stmt = (
        select(event_ids.c.identifier, event_ids.c.role, *_event_columns(with_docs))
        .join(events, events.c.pk == event_ids.c.event_pk)
        .where(event_ids.c.identifier.in_(bindparam("ids", expanding=True)), valid())
    )
    for start in range(0, len(wanted), _CHUNK):
        for row in conn.execute(stmt, {"ids": wanted[start : start + _CHUNK]}):
            out.append((row[0], int(row[1]), _info(row[2:], with_docs)))
    return out


def events_by_pk(conn: Connection, pks: Iterable[int], *, with_docs: bool) -> list[EventInfo]:
    wanted = list(dict.fromkeys(pks))
    out: list[EventInfo] = []
    stmt = select(*_event_columns(with_docs)).where(
        events.c.pk.in_(bindparam("pks", expanding=True)), valid()
    )
    for start in range(0, len(wanted), _CHUNK):
        rows = conn.execute(stmt, {"pks": wanted[start : start + _CHUNK]})
        out.extend(_info(row, with_docs) for row in rows)
    return out


class EdgeRow(NamedTuple):
    """A link between two nodes, upstream → downstream (or carrier → content)."""

    src: str
    dst: str
    kind: int
    event_pk: int
    t_us: int
    confidence: int
    reason: str


def edges_from(conn: Connection, nodes: Iterable[str]) -> list[EdgeRow]:
    """Every link leaving one of the nodes downstream or to its content (not unpacking)."""
    wanted = list(dict.fromkeys(nodes))
    c = chain_links.c
    stmt = select(*(c[name] for name in LINK_COLUMNS)).where(
        c.node.in_(bindparam("ids", expanding=True)), c.step.in_([int(Step.DOWN), int(Step.CONTENT)])
    )
    rows: list[StoredRow] = []
    for start in range(0, len(wanted), _CHUNK):
        rows.extend(stored_row(r) for r in conn.execute(stmt, {"ids": wanted[start : start + _CHUNK]}))
    return [EdgeRow(r[0], r[2], r[5], r[4], r[3], r[6], r[7]) for r in with_hubs(conn, rows)]


def stored_row(r: Any) -> StoredRow:
    return (r[0], int(r[1]), r[2], int(r[3]), int(r[4]), int(r[5]), int(r[6]), r[7])


def with_hubs(conn: Connection, rows: list[StoredRow]) -> list[StoredRow]:
    """The rows as if every link were stored under both ends: rows into an event's hub are
    replaced by the pairs it stands for (``domain.links.expand_hubs``; one more primary key range
    read per hub, only when a row leads into one)."""
    hubs = sorted({r[2] for r in rows if r[2].startswith(HUB_PREFIX)})
    far = [r for r in rows if r[0].startswith(HUB_PREFIX)]
    if not hubs and not far:
        return rows
    have = {r[0] for r in far}
    missing = [h for h in hubs if h not in have]
    cols = ", ".join(LINK_COLUMNS)
    for test, params in _in_lists(conn, missing):
        sql = f"SELECT {cols} FROM chain_links WHERE node {test}"
        far.extend(stored_row(r) for r in _rows(conn, sql, params))
    return expand_hubs(rows, far)


def inbound_events(conn: Connection, nodes: Iterable[str]) -> set[int]:
    """The events that link something into one of the nodes (from upstream or a carrier)."""
    wanted = list(dict.fromkeys(nodes))
    c = chain_links.c
    stmt = select(c.event_pk).where(
        c.node.in_(bindparam("ids", expanding=True)), c.step.in_([int(Step.UP), int(Step.CARRIER)])
    )
    found: set[int] = set()
    for start in range(0, len(wanted), _CHUNK):
        found.update(int(pk) for pk in conn.execute(stmt, {"ids": wanted[start : start + _CHUNK]}).scalars())
    return found


def leading_on(conn: Connection, nodes: Iterable[str]) -> set[str]:
    """Of these nodes, those that lead further downstream (something was received or made from them)."""
    wanted = list(dict.fromkeys(nodes))
    c = chain_links.c
    stmt = (
        select(c.node)
        .where(c.node.in_(bindparam("ids", expanding=True)), c.step.in_([int(Step.DOWN), int(Step.CONTENT)]))
        .distinct()
    )
    found: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        found.update(str(n) for n in conn.execute(stmt, {"ids": wanted[start : start + _CHUNK]}).scalars())
    return found


def link_events_of_nodes(conn: Connection, nodes: Iterable[str]) -> set[int]:
    """The events that state a link at any of these nodes."""
    wanted = list(dict.fromkeys(nodes))
    stmt = select(chain_links.c.event_pk).where(chain_links.c.node.in_(bindparam("ids", expanding=True)))
    found: set[int] = set()
    for start in range(0, len(wanted), _CHUNK):
        found.update(int(pk) for pk in conn.execute(stmt, {"ids": wanted[start : start + _CHUNK]}).scalars())
    return found


def link_events_of(conn: Connection, node: str) -> set[int]:
    """The events that state a link at this node (those that recorded a trace code, say)."""
    stmt = select(chain_links.c.event_pk).where(chain_links.c.node == node)
    return {int(pk) for pk in conn.execute(stmt).scalars()}


def known_node(conn: Connection, node: str) -> bool:
    """Whether any event or link names this node."""
    linked = select(chain_links.c.node).where(chain_links.c.node == node).limit(1)
    if conn.execute(linked).first() is not None:
        return True
    named = select(event_ids.c.event_pk).where(event_ids.c.identifier == node).limit(1)
    return conn.execute(named).first() is not None


def count_links(conn: Connection) -> int:
    from sqlalchemy import func

    return int(conn.execute(select(func.count()).select_from(chain_links)).scalar_one())


# --------------------------------------------------------------------------- the trace's reads


@dataclass(frozen=True, slots=True)
class TraceData:
    """Everything a trace reads once its closure is known, in three or four statements."""

    links: list[EdgeRow]  # every walk row standing on a closure node, as (node, other, step in kind…)
    steps: list[int]  # the Step of each row of ``links``
    onward: set[str]  # backward only: the nodes outside the closure that lead on downstream
    named: list[tuple[str, int, EventInfo]]  # (node, role, event) for events naming closure nodes
    linking: list[EventInfo]  # events that state a closure link but name no closure node


def _rows(conn: Connection, sql: str, params: Sequence[Any] | dict[str, Any]) -> list[Any]:
    """Run a read through the DB-API cursor of the connection's transaction (no result wrapping)."""
    dbapi = conn.connection.driver_connection
    assert dbapi is not None
    cur = dbapi.cursor()
    try:
        cur.execute(sql, params if isinstance(params, dict) else tuple(params))
        return list(cur.fetchall())
    finally:
        cur.close()


def _marks(conn: Connection, count: int) -> str:
    return ", ".join(("?" if is_sqlite(conn) else "%s") for _ in range(count))


def _in_lists(conn: Connection, values: Sequence[Any]) -> Iterable[tuple[str, list[Any]]]:
    """(membership test, its parameters) per statement: chunks of ``IN (?, …)`` on SQLite (its
    bound-variable limit), one ``= ANY(%s)`` array on PostgreSQL — a plan per 500-value chunk there
    chose a hash join over a whole-table scan, once per chunk."""
    if not values:
        return
    if is_sqlite(conn):
        for start in range(0, len(values), _CHUNK):
            chunk = list(values[start : start + _CHUNK])
            yield f"IN ({_marks(conn, len(chunk))})", chunk
        return
    yield "= ANY(%s)", [list(values)]


# the stored document comes along: orjson reads one in about 2 µs, which measured no slower than
# SQLite's json_extract of the few fields a trace needs and several times faster than PostgreSQL's
# jsonb cast (bench trace, issue 5)
_EVENT_SQL_COLS = (
    "e.pk, e.event_id, e.event_time_us, e.event_time_offset, e.event_type, e.action, e.biz_step,"
    " e.disposition, e.read_point, e.biz_location, {docs}, e.subject"
)


def _event_sql_cols(with_docs: bool) -> str:
    """The columns of a trace's events; the documents only when the caller shows more of each step
    (the consumer page): without them a row is read in about half the time (bench trace)."""
    return _EVENT_SQL_COLS.format(docs="e.doc, e.namespaces" if with_docs else "NULL, NULL")


_trace_event = EventInfo._make


def trace_data(
    conn: Connection, nodes: set[str], start: str, *, backward: bool, with_docs: bool = False
) -> TraceData:
    """The link rows, events and holders of a trace's closure (SQL built once per statement shape;
    run through the driver, as the walk's hot path, reference/perf-limits.md §4)."""
    wanted = sorted(nodes)
    links: list[EdgeRow] = []
    steps: list[int] = []
    stored: list[StoredRow] = []
    for test, params in _in_lists(conn, wanted):
        sql = f"SELECT {', '.join(LINK_COLUMNS)} FROM chain_links WHERE node {test}"
        # the driver's tuples are StoredRows already (str / int columns in LINK_COLUMNS order)
        stored.extend(_rows(conn, sql, params))
    for r in with_hubs(conn, stored):
        links.append(EdgeRow(r[0], r[2], r[5], r[4], r[3], r[6], r[7]))
        steps.append(r[1])
    onward: set[str] = set()
    if backward:
        outside = sorted(
            {e.dst for e, st in zip(links, steps, strict=True) if st in _FORWARD_STEPS and e.dst not in nodes}
        )
        for test, params in _in_lists(conn, outside):
            sql = (
                f"SELECT DISTINCT node FROM chain_links WHERE node {test}"
                f" AND step IN ({int(Step.DOWN)}, {int(Step.CONTENT)})"
            )
            onward.update(str(n) for (n,) in _rows(conn, sql, params))
    valid = valid_sql(conn)
    columns = _event_sql_cols(with_docs)
    named: list[tuple[str, int, EventInfo]] = []
    for test, params in _in_lists(conn, wanted):
        sql = (
            f"SELECT i.identifier, i.role, {columns}"
            " FROM event_ids i JOIN events e ON e.pk = i.event_pk"
            f" WHERE i.identifier {test} AND {valid}"
        )
        named.extend((r[0], r[1], _trace_event(r[2:])) for r in _rows(conn, sql, params))
    have = {info.pk for _, _, info in named}
    need = {
        e.event_pk
        for e, st in zip(links, steps, strict=True)
        if (e.dst in nodes and st in _FORWARD_STEPS) or e.src == start
    } - have
    linking: list[EventInfo] = []
    for test, params in _in_lists(conn, sorted(need)):
        sql = f"SELECT {columns} FROM events e WHERE e.pk {test} AND {valid}"
        linking.extend(_trace_event(r) for r in _rows(conn, sql, params))
    return TraceData(links, steps, onward, named, linking)


_FORWARD_STEPS = frozenset({int(Step.DOWN), int(Step.CONTENT)})


class RecallRow(NamedTuple):
    """One (node, event) pair of a recall: the amount of the node the event stated and the
    event's responsible subject, both stored at capture (``domain.holders``)."""

    node: str
    role: int
    pk: int
    event_id: str
    time_us: int
    event_type: int
    biz_step: str | None
    place: str | None
    quantity: float | None
    uom: str | None
    subject: str | None


def recall_rows(conn: Connection, nodes: Iterable[str]) -> list[RecallRow]:
    """(node, event) for every valid event naming one of the nodes, in time order (driver cursor,
    no row wrapping; no document is read)."""
    valid = valid_sql(conn)
    out: list[RecallRow] = []
    for test, params in _in_lists(conn, sorted(set(nodes))):
        sql = (
            "SELECT i.identifier, i.role, e.pk, e.event_id, e.event_time_us, e.event_type, e.biz_step,"
            " COALESCE(e.biz_location, e.read_point), i.quantity, i.uom, e.subject"
            " FROM event_ids i JOIN events e ON e.pk = i.event_pk"
            f" WHERE i.identifier {test} AND {valid}"
        )
        out.extend(map(RecallRow._make, _rows(conn, sql, params)))
    out.sort(key=lambda r: (r.time_us, r.pk))
    return out


def documents_by_pk(conn: Connection, pks: Iterable[int]) -> dict[int, str]:
    """The stored JSON of these events (the rare recall row whose amounts need it)."""
    out: dict[int, str] = {}
    for test, params in _in_lists(conn, sorted(set(pks))):
        out.update(
            (int(pk), doc) for pk, doc in _rows(conn, f"SELECT pk, doc FROM events WHERE pk {test}", params)
        )
    return out


def known_nodes(conn: Connection, nodes: Iterable[str]) -> set[str]:
    """Of these nodes, those that any link or event names (two index lookups per chunk)."""
    wanted = sorted(set(nodes))
    found: set[str] = set()
    for test, params in _in_lists(conn, wanted):
        sql = (
            f"SELECT node FROM chain_links WHERE node {test}"
            f" UNION SELECT identifier FROM event_ids WHERE identifier {test}"
        )
        found.update(str(n) for (n,) in _rows(conn, sql, params + params))
    return found
