"""SQL of the query capability: filtered, keyset-paged event scans; named queries; master data.

Every event filter is a WHERE clause on ``events`` that an index can serve:

* identifiers (MATCH_*) go through ``event_ids`` (identifier, event_pk): ``pk IN (SELECT event_pk
  … WHERE identifier = ? / identifier BETWEEN prefix AND prefix+U+10FFFF)``. The prefix range is a
  plain comparison so both SQLite (BINARY collation) and PostgreSQL use the btree; on PostgreSQL
  this assumes a database created with the C (or C.UTF-8) collation, as the docs require;
* bizLocation / readPoint / bizStep with a time window: (column, event_time_us) indexes;
* recordTime: its own index; eventTime: its own index; eventID: the unique (event_id, …) index.

Pages are keysets, never offsets: (sort key, pk) strictly after the last row returned. The pk
only grows and capture writers are serialised, so a page boundary never moves when events are
captured meanwhile (EPCIS 2.0 REST bindings, pagination: results stay consistent across pages).

A visibility restriction (access control: ``store.access.Visibility``, a principal's clause as a
shape and its values) is one more WHERE clause on ``events``, ANDed here inside the scan, never
applied after it; the scan's SELECT is compiled once per (filter shape, visibility shape).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple

from sqlalchemy import (
    BigInteger,
    BindParameter,
    ColumnElement,
    Connection,
    Integer,
    LargeBinary,
    Select,
    String,
    and_,
    bindparam,
    delete,
    false,
    func,
    literal,
    or_,
    select,
    true,
    tuple_,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from zhuisu.store.access import Visibility, restriction, take_binds, visible_where
from zhuisu.store.query_tables import locations, named_queries, parties
from zhuisu.store.tables import event_ids, events

_PREFIX_END = "\U0010ffff"  # sorts after every character a canonical identifier can hold


@dataclass(frozen=True, slots=True)
class IdFilter:
    """Identifiers of these roles: equal to one of ``exact`` or starting with one of ``prefixes``."""

    roles: tuple[int, ...]
    exact: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EventFilter:
    """The SQL-answerable part of a SimpleEventQuery (None: no constraint)."""

    event_types: tuple[int, ...] | None = None
    event_time_ge: int | None = None
    event_time_lt: int | None = None
    record_time_ge: int | None = None
    record_time_lt: int | None = None
    actions: tuple[str, ...] | None = None
    biz_steps: tuple[str, ...] | None = None
    dispositions: tuple[str, ...] | None = None
    read_points: tuple[str, ...] | None = None
    biz_locations: tuple[str, ...] | None = None
    transformation_ids: tuple[str, ...] | None = None
    event_ids: tuple[str, ...] | None = None
    error_declared: bool | None = None
    error_declaration_ge: int | None = None
    error_declaration_lt: int | None = None
    error_reasons: tuple[str, ...] | None = None
    ids: tuple[IdFilter, ...] = ()
    #: substrings the stored JSON must contain (cheap pre-test of nested-structure parameters)
    doc_contains: tuple[str, ...] = ()


class SortColumn(StrEnum):
    PK = "pk"
    EVENT_TIME = "event_time_us"
    RECORD_TIME = "record_time_us"


class QueryRow(NamedTuple):
    """One event of a query result. ``doc`` is the stored canonical JSON as UTF-8 bytes, read as
    such from the database (``_DocBytes``): a page is spliced into the output document without
    decoding the text into a str and encoding it back (``query.documents``)."""

    pk: int
    event_id: str
    event_time_us: int
    record_time_us: int
    doc: bytes
    namespaces: str | None

    def key(self, sort: SortColumn) -> int:
        if sort is SortColumn.EVENT_TIME:
            return self.event_time_us
        if sort is SortColumn.RECORD_TIME:
            return self.record_time_us
        return self.pk


class _DocBytes(FunctionElement[bytes]):
    """``events.doc`` as its UTF-8 bytes: ``CAST(doc AS BLOB)`` on SQLite (the stored text's own
    bytes; the database encoding is UTF-8), ``convert_to(doc, 'UTF8')`` on PostgreSQL (bytea)."""

    type = LargeBinary()
    name = "doc_bytes"
    inherit_cache = True


@compiles(_DocBytes, "sqlite")
def _doc_bytes_sqlite(element: _DocBytes, compiler: Any, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS BLOB)"


@compiles(_DocBytes)
def _doc_bytes(element: _DocBytes, compiler: Any, **kw: Any) -> str:
    return f"convert_to({compiler.process(element.clauses, **kw)}, 'UTF8')"


_ROW_COLUMNS = (
    events.c.pk,
    events.c.event_id,
    events.c.event_time_us,
    events.c.record_time_us,
    _DocBytes(events.c.doc).label("doc"),
    events.c.namespaces,
)

# ------------------------------------------------------------------------------ filter shapes
#
# A filter is turned into WHERE clauses in two steps: its *shape* (which terms, how many values
# each; hashable) and its *values* (in the order the terms consume them). The clauses are built
# from the shape with one bound parameter per value, so the SELECT of a shape is compiled once per
# dialect and reused: building and compiling the SQLAlchemy statement for every page cost more
# than the indexed SQL itself (profile of `zhuisu bench query`: ~1 ms of Python against ~0.08 ms
# of SQL for a MATCH_epc page).

_IN_COLUMNS = (
    "event_type",
    "action",
    "biz_step",
    "disposition",
    "read_point",
    "biz_location",
    "transformation_id",
    "event_id",
    "error_reason",
)
_RANGE_COLUMNS = ("event_time_us", "record_time_us", "error_declaration_us")
_LIKE_ESCAPE = "/"

Shape = tuple[tuple[Any, ...], ...]


def _like_contains(text: str) -> str:
    """A LIKE pattern matching any text containing ``text`` (escaped with ``_LIKE_ESCAPE``)."""
    escaped = text.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2).replace("%", "/%").replace("_", "/_")
    return f"%{escaped}%"


def filter_shape(flt: EventFilter) -> tuple[Shape, list[Any]]:
    """The filter's WHERE terms as a hashable shape, and the values they bind, in order."""
    terms: list[tuple[Any, ...]] = []
    values: list[Any] = []
    in_values = (
        flt.event_types,
        flt.actions,
        flt.biz_steps,
        flt.dispositions,
        flt.read_points,
        flt.biz_locations,
        flt.transformation_ids,
        flt.event_ids,
        flt.error_reasons,
    )
    for name, chosen in zip(_IN_COLUMNS, in_values, strict=True):
        if chosen is not None:
            terms.append(("in", name, len(chosen)))
            values.extend(chosen)
    ranges = (
        (flt.event_time_ge, flt.event_time_lt),
        (flt.record_time_ge, flt.record_time_lt),
        (flt.error_declaration_ge, flt.error_declaration_lt),
    )
    for name, (ge, lt) in zip(_RANGE_COLUMNS, ranges, strict=True):
        if ge is not None:
            terms.append(("ge", name))
            values.append(ge)
        if lt is not None:
            terms.append(("lt", name))
            values.append(lt)
    if flt.error_declared is not None:
        terms.append(("declared",))
        values.append(flt.error_declared)
    for item in flt.ids:
        terms.append(("ids", len(item.exact), len(item.prefixes), len(item.roles)))
        values.extend(item.exact)
        for prefix in item.prefixes:
            values.extend((prefix, prefix + _PREFIX_END))
        values.extend(item.roles)
    for text in flt.doc_contains:
        terms.append(("contains",))
        values.append(_like_contains(text))
    return tuple(terms), values


def _in(column: ColumnElement[Any], values: Sequence[Any]) -> ColumnElement[bool]:
    if not values:
        return false()
    return column == values[0] if len(values) == 1 else column.in_(list(values))


def _clauses(shape: Shape, binds: Iterator[BindParameter[Any]]) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a shape, each value a bound parameter taken from ``binds`` in order."""
    c = events.c
    out: list[ColumnElement[bool]] = []
    for term in shape:
        kind = term[0]
        if kind == "in":
            out.append(_in(c[term[1]], take_binds(binds, term[2])))
        elif kind == "ge":
            out.append(c[term[1]] >= next(binds))
        elif kind == "lt":
            out.append(c[term[1]] < next(binds))
        elif kind == "declared":
            out.append(c.error_declared == next(binds))
        elif kind == "ids":
            exact = take_binds(binds, term[1])
            matches = [_in(event_ids.c.identifier, exact)] if exact else []
            for _ in range(term[2]):
                low, high = next(binds), next(binds)
                matches.append(and_(event_ids.c.identifier >= low, event_ids.c.identifier < high))
            inner = select(event_ids.c.event_pk).where(
                or_(*matches) if matches else false(), _in(event_ids.c.role, take_binds(binds, term[3]))
            )
            out.append(c.pk.in_(inner))
        else:
            out.append(c.doc.like(next(binds), escape=_LIKE_ESCAPE))
    return out


def _valued(values: Sequence[Any]) -> Iterator[BindParameter[Any]]:
    return (bindparam(f"q{i}", value, unique=True) for i, value in enumerate(values))


def _named(count: int, prefix: str = "q", type_: Any = None) -> Iterator[BindParameter[Any]]:
    return (bindparam(f"{prefix}{i}", type_=type_) for i in range(count))


def where_clauses(flt: EventFilter) -> list[ColumnElement[bool]]:
    """The filter as WHERE clauses on ``events`` (ANDed by the caller)."""
    shape, values = filter_shape(flt)
    return _clauses(shape, _valued(values))


#: what the reader may see: a principal's visibility (compiled once per shape), any other WHERE
#: clause on ``events`` (built and run by SQLAlchemy per call), or None (everything)
EventVisibility = Visibility | ColumnElement[bool] | None


def _filtered(columns: Iterable[Any], flt: EventFilter, visibility: EventVisibility) -> Select[Any]:
    clauses = where_clauses(flt)
    clause = restriction(visibility)
    if clause is not None:
        clauses.append(clause)
    return select(*columns).where(and_(true(), *clauses))


# ------------------------------------------------------------------------------ scans


def _scan_select(
    clauses: list[ColumnElement[bool]],
    *,
    sort: SortColumn,
    descending: bool,
    after: tuple[ColumnElement[Any], ColumnElement[Any]] | None,
    limit: ColumnElement[Any],
) -> Select[Any]:
    """Two steps: the page's pks are chosen on the filter's indexes alone, then only those rows
    are read. Selecting the wide rows (each holds its ~1.3 KB document) before ORDER BY … LIMIT
    made both databases fetch and sort every row of, say, a day at one bizLocation to return 30
    of them (EXPLAIN: a temp B-tree on SQLite, a bitmap heap scan plus sort on PostgreSQL).
    ``pk IN (page)`` rather than a join with it: SQLite then reads the rows in pk order from the
    IN list's own index, and a page in capture order is not sorted again."""
    column = events.c[sort.value]
    keys = select(events.c.pk).where(and_(true(), *clauses))
    if after is not None:
        key, pk = after
        if sort is SortColumn.PK:
            keys = keys.where(events.c.pk < pk if descending else events.c.pk > pk)
        elif descending:
            keys = keys.where(tuple_(column, events.c.pk) < tuple_(key, pk))
        else:
            keys = keys.where(tuple_(column, events.c.pk) > tuple_(key, pk))
    page = keys.order_by(*_order(column, sort, descending)).limit(limit)
    return select(*_ROW_COLUMNS).where(events.c.pk.in_(page)).order_by(*_order(column, sort, descending))


def scan_statement(
    flt: EventFilter,
    *,
    sort: SortColumn,
    descending: bool,
    after: tuple[int, int] | None,
    limit: int,
    visibility: EventVisibility = None,
) -> Select[Any]:
    """The SELECT :func:`scan` runs, as a SQLAlchemy statement holding its values (what the
    compiled SQL of :func:`scan_sql` must read the same as; the form an ad-hoc clause runs in)."""
    clauses = where_clauses(flt)
    clause = restriction(visibility)
    if clause is not None:
        clauses.append(clause)
    return _scan_select(
        clauses,
        sort=sort,
        descending=descending,
        after=None if after is None else (literal(after[0]), literal(after[1])),
        limit=literal(limit),
    )


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]
    positional: bool
    defaults: dict[str, Any]

    def arguments(self, values: dict[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        if self.positional:
            return tuple(values[n] if n in values else self.defaults[n] for n in self.names)
        return {n: values[n] if n in values else self.defaults[n] for n in self.names}


_COMPILED: dict[tuple[Any, ...], _Compiled] = {}
#: distinct shapes kept compiled; a query's shape is bounded by its parameters, but the cache must
#: not grow without bound on a server answering arbitrary queries
_COMPILED_MAX = 2048


#: the visibility part of a compiled scan's key when there is none (an admin's scan)
_NO_VISIBILITY: tuple[Any, ...] = ("all",)


def _compiled(
    dialect: Dialect,
    shape: Shape,
    sort: SortColumn,
    descending: bool,
    after: bool,
    count: int,
    visibility: Visibility | None,
) -> _Compiled:
    seen = _NO_VISIBILITY if visibility is None else visibility.shape
    key = (dialect.name, dialect.paramstyle, shape, seen, sort, descending, after)
    found = _COMPILED.get(key)
    if found is not None:
        return found
    clauses = _clauses(shape, _named(count))
    if visibility is not None:
        # the visibility's values are strings (subject keys, region patterns, capture marks); typed
        # so that a bare parameter (a capture mark SELECTed in the UNION) is cast as text
        clauses.append(visible_where(visibility.shape, _named(len(visibility.values), "v", String())))
    stmt = _scan_select(
        clauses,
        sort=sort,
        descending=descending,
        after=(bindparam("after_key", type_=BigInteger()), bindparam("after_pk", type_=BigInteger()))
        if after
        else None,
        limit=bindparam("page_limit", type_=Integer()),
    )
    compiled = stmt.compile(dialect=dialect)
    # by the names rendered in the SQL: an anonymous parameter (a literal of the visibility clause)
    # is keyed otherwise in ``compiled.binds``
    names = (
        tuple(compiled.positiontup or ())
        if compiled.positional
        else tuple(dict.fromkeys(compiled.bind_names.values()))
    )
    found = _Compiled(str(compiled), names, compiled.positional, dict(compiled.params))
    if len(_COMPILED) >= _COMPILED_MAX:
        _COMPILED.clear()
    _COMPILED[key] = found
    return found


def scan_sql(
    dialect: Dialect,
    flt: EventFilter,
    *,
    sort: SortColumn,
    descending: bool,
    after: tuple[int, int] | None,
    limit: int,
    visibility: Visibility | None = None,
) -> tuple[str, tuple[Any, ...] | dict[str, Any]]:
    """The SQL text and DB-API arguments :func:`scan` runs (the query benchmark runs exactly these
    through the driver as its raw figure): the SELECT of the filter's shape and the visibility's
    shape, compiled once, and the values of both bound to it."""
    shape, values = filter_shape(flt)
    compiled = _compiled(dialect, shape, sort, descending, after is not None, len(values), visibility)
    bound: dict[str, Any] = {f"q{i}": value for i, value in enumerate(values)}
    if visibility is not None:
        bound.update((f"v{i}", value) for i, value in enumerate(visibility.values))
    bound["page_limit"] = limit
    if after is not None:
        bound["after_key"], bound["after_pk"] = after
    return compiled.sql, compiled.arguments(bound)


def _fetch(conn: Connection, sql: str, args: tuple[Any, ...] | dict[str, Any]) -> Sequence[Sequence[Any]]:
    """The rows of a compiled SELECT, read through the DB-API cursor of the connection's open
    transaction: SQLAlchemy's result set-up for driver SQL (column metadata per execution) cost
    several times the indexed SELECT of a small page. Outside a transaction SQLAlchemy runs it, so
    that its autobegin (and the engine's BEGIN hook) still opens one."""
    if not conn.in_transaction():
        return conn.exec_driver_sql(sql, args).all()
    dbapi = conn.connection.driver_connection
    assert dbapi is not None
    cursor = dbapi.cursor()
    try:
        cursor.execute(sql, args)
        rows: Sequence[Sequence[Any]] = cursor.fetchall()
    finally:
        cursor.close()
    return rows


def scan(
    conn: Connection,
    flt: EventFilter,
    *,
    sort: SortColumn,
    descending: bool,
    after: tuple[int, int] | None,
    limit: int,
    visibility: EventVisibility = None,
) -> list[QueryRow]:
    """Up to ``limit`` matching events in (sort key, pk) order, strictly after ``after``.

    The SELECT of the filter's shape and the principal's visibility shape is compiled once and run
    as driver SQL, the visibility ANDed inside the page's key scan. A WHERE clause that is not a
    principal's :class:`Visibility` has no shape to compile once: SQLAlchemy builds and runs it."""
    rows: Sequence[Sequence[Any]]
    if isinstance(visibility, ColumnElement):
        stmt = scan_statement(
            flt, sort=sort, descending=descending, after=after, limit=limit, visibility=visibility
        )
        rows = conn.execute(stmt).all()
    else:
        sql, args = scan_sql(
            conn.dialect,
            flt,
            sort=sort,
            descending=descending,
            after=after,
            limit=limit,
            visibility=visibility,
        )
        rows = _fetch(conn, sql, args)
    return [QueryRow._make(row) for row in rows]


def _order(column: ColumnElement[Any], sort: SortColumn, descending: bool) -> list[ColumnElement[Any]]:
    if sort is SortColumn.PK:
        return [events.c.pk.desc() if descending else events.c.pk]
    return [column.desc(), events.c.pk.desc()] if descending else [column, events.c.pk]


def count_up_to(conn: Connection, flt: EventFilter, limit: int, visibility: EventVisibility = None) -> int:
    """How many events match, counting no further than ``limit`` (for maxEventCount)."""
    inner = _filtered([events.c.pk], flt, visibility).limit(limit).subquery()
    return int(conn.execute(select(func.count()).select_from(inner)).scalar_one())


# ------------------------------------------------------------------------------ resources


_DIMENSIONS = {
    "event_type": events.c.event_type,
    "biz_step": events.c.biz_step,
    "disposition": events.c.disposition,
    "read_point": events.c.read_point,
    "biz_location": events.c.biz_location,
}


def distinct_values(
    conn: Connection,
    dimension: str,
    *,
    after: str | None,
    limit: int,
    visibility: EventVisibility = None,
) -> list[str]:
    """The distinct stored values of one dimension (GET /bizSteps, /readPoints …), keyset-paged."""
    column = _DIMENSIONS[dimension]
    stmt = select(column).where(column.is_not(None))
    clause = restriction(visibility)
    if clause is not None:
        stmt = stmt.where(clause)
    if after is not None:
        stmt = stmt.where(column > (int(after) if dimension == "event_type" else after))
    rows = conn.execute(stmt.group_by(column).order_by(column).limit(limit))
    return [str(v) for (v,) in rows]


def identifiers_after(
    conn: Connection,
    *,
    roles: Sequence[int],
    after: str | None,
    limit: int,
    visibility: EventVisibility = None,
) -> list[str]:
    """Distinct identifiers (canonical) of the given roles (GET /epcs), keyset-paged; only those of
    events the visibility clause lets through, when one is given."""
    stmt = select(event_ids.c.identifier).where(_in(event_ids.c.role, roles))
    clause = restriction(visibility)
    if clause is not None:
        stmt = stmt.where(
            event_ids.c.event_pk.in_(select(events.c.pk).where(events.c.pk == event_ids.c.event_pk, clause))
        )
    if after is not None:
        stmt = stmt.where(event_ids.c.identifier > after)
    rows = conn.execute(stmt.group_by(event_ids.c.identifier).order_by(event_ids.c.identifier).limit(limit))
    return [str(v) for (v,) in rows]


# ------------------------------------------------------------------------------ named queries


def insert_named_query(conn: Connection, name: str, definition: str, created_us: int) -> bool:
    """Store a named query; False when the name is taken."""
    exists = conn.execute(select(named_queries.c.name).where(named_queries.c.name == name)).first()
    if exists is not None:
        return False
    conn.execute(named_queries.insert().values(name=name, definition=definition, created_us=created_us))
    return True


def named_query(conn: Connection, name: str) -> str | None:
    stmt = select(named_queries.c.definition).where(named_queries.c.name == name)
    value = conn.execute(stmt).scalar_one_or_none()
    return None if value is None else str(value)


def named_queries_after(conn: Connection, *, after: str | None, limit: int) -> list[tuple[str, str]]:
    stmt = select(named_queries.c.name, named_queries.c.definition)
    if after is not None:
        stmt = stmt.where(named_queries.c.name > after)
    rows = conn.execute(stmt.order_by(named_queries.c.name).limit(limit))
    return [(str(n), str(d)) for n, d in rows]


def delete_named_query(conn: Connection, name: str) -> bool:
    return conn.execute(delete(named_queries).where(named_queries.c.name == name)).rowcount > 0


# ------------------------------------------------------------------------------ master data

MASTER_TABLES = {"location": locations, "party": parties}


def upsert_master(conn: Connection, kind: str, rows: Sequence[dict[str, Any]]) -> None:
    """Insert or replace master data records (the newest capture of an id wins)."""
    table = MASTER_TABLES[kind]
    ids = [row["id"] for row in rows]
    for start in range(0, len(ids), 500):
        conn.execute(delete(table).where(table.c.id.in_(ids[start : start + 500])))
    if rows:
        conn.execute(table.insert(), list(rows))


#: a WHERE clause on a master-data table's id column, or None (see store.access.master_visibility_for)
MasterVisibility = Callable[[ColumnElement[Any]], ColumnElement[bool] | None]


def _master_where(stmt: Any, table: Any, visibility: MasterVisibility | None) -> Any:
    clause = None if visibility is None else visibility(table.c.id)
    return stmt if clause is None else stmt.where(clause)


def master_record(
    conn: Connection, kind: str, ident: str, visibility: MasterVisibility | None = None
) -> dict[str, Any] | None:
    table = MASTER_TABLES[kind]
    stmt = _master_where(select(table).where(table.c.id == ident), table, visibility)
    row = conn.execute(stmt).mappings().first()
    return None if row is None else dict(row)


def master_records(
    conn: Connection, kind: str, *, after: str | None, limit: int, visibility: MasterVisibility | None = None
) -> list[dict[str, Any]]:
    table = MASTER_TABLES[kind]
    stmt = _master_where(select(table), table, visibility)
    if after is not None:
        stmt = stmt.where(table.c.id > after)
    return [dict(r) for r in conn.execute(stmt.order_by(table.c.id).limit(limit)).mappings()]


def location_descendants(conn: Connection, roots: Iterable[str]) -> set[str]:
    """The roots and every location below them (EPCIS 2.0 §6.5, WD_ "with descendants").

    A recursive CTE over ``locations.parent_id``; UNION (not UNION ALL) stops on a cycle.
    """
    root_list = sorted(set(roots))
    if not root_list:
        return set()
    tree = select(locations.c.id).where(locations.c.parent_id.in_(root_list)).cte("tree", recursive=True)
    tree = tree.union(select(locations.c.id).where(locations.c.parent_id == tree.c.id))
    found = {str(i) for (i,) in conn.execute(select(tree.c.id))}
    return found | set(root_list)
