"""SQL for events: the bulk insert of capture, duplicate checks and reads by id.

The bulk path drops to the DB-API driver inside the caller's transaction: ``executemany`` on
SQLite, ``COPY … FROM STDIN`` on PostgreSQL (psycopg 3). Measured limits of both on the project
machine are in reference/perf-limits.md §1-§2; ``bench capture`` measures them again beside ours.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select, text, update

from zhuisu.store.engine import is_sqlite
from zhuisu.store.tables import event_ids, events

EVENT_COLUMNS: tuple[str, ...] = (
    "pk",
    "event_id",
    "event_hash",
    "event_type",
    "action",
    "biz_step",
    "disposition",
    "read_point",
    "biz_location",
    "event_time_us",
    "event_time_offset",
    "record_time_us",
    "transformation_id",
    "error_declared",
    "error_declaration_us",
    "error_reason",
    "capture_job",
    "doc",
    "namespaces",
    "subject",
)
ID_COLUMNS: tuple[str, ...] = ("event_pk", "role", "identifier", "quantity", "uom")

# A row of `events` without its pk (allocated at insert time), in EVENT_COLUMNS[1:] order.
EventRow = tuple[Any, ...]
# (index of the event row in the batch, role, identifier, quantity, uom)
IdRow = tuple[int, int, str, float | None, str | None]

_CHUNK = 500  # parameters per IN (...) lookup; well under SQLite's 32766 variable limit
# positions in a row of EVENT_COLUMNS (pk included), as ``insert_batch`` writes it
_EVENT_ID = EVENT_COLUMNS.index("event_id")
_DECLARED = EVENT_COLUMNS.index("error_declared")


def valid() -> Any:
    """A valid event: neither an error declaration nor an event that one declares erroneous
    (EPCIS 2.0 §7.4.1.4; the flags kept by ``mark_retracted``). What traces, recalls and checks read."""
    return events.c.error_declared.is_(False) & events.c.retracted.is_(False)


def valid_sql(conn: Connection, alias: str = "e") -> str:
    """``valid`` as driver SQL on the events table named ``alias`` (the drivers' hot paths)."""
    false = "0" if is_sqlite(conn) else "false"
    return f"{alias}.error_declared = {false} AND {alias}.retracted = {false}"


@dataclass(frozen=True, slots=True)
class StoredEvent:
    pk: int
    event_id: str
    event_hash: str
    error_declared: bool
    doc: str
    namespaces: str | None


def allocate_pks(conn: Connection, count: int) -> int:
    """Reserve ``count`` consecutive primary keys; returns the first.

    Called under the capture write lock (SQLite's single writer, PostgreSQL's advisory lock), so
    no other writer takes keys in between.
    """
    if is_sqlite(conn):
        top = conn.execute(select(func.coalesce(func.max(events.c.pk), 0))).scalar_one()
        return int(top) + 1
    seq = conn.execute(text("SELECT pg_get_serial_sequence('events', 'pk')")).scalar_one()
    first = conn.execute(text("SELECT nextval(:s)"), {"s": seq}).scalar_one()
    if count > 1:
        conn.execute(text("SELECT setval(:s, :v)"), {"s": seq, "v": int(first) + count - 1})
    return int(first)


def insert_batch(conn: Connection, rows: Sequence[EventRow], ids: Sequence[IdRow]) -> list[int]:
    """Insert events and their identifier rows in the caller's transaction; returns the pks."""
    if not rows:
        return []
    first = allocate_pks(conn, len(rows))
    pks = list(range(first, first + len(rows)))
    event_values = [(pk, *row) for pk, row in zip(pks, rows, strict=True)]
    id_values = [(first + i, *rest) for i, *rest in ids]
    write_rows(conn, event_values, id_values)
    mark_retracted(conn, event_values)
    return pks


def mark_retracted(conn: Connection, event_values: Sequence[tuple[Any, ...]]) -> None:
    """Keep ``events.retracted`` true on every original whose error declaration is stored
    (EPCIS 2.0 §7.4.1.4), whichever of the two came first: the originals these new declarations
    name, and the new originals an already stored declaration names (one index seek each)."""
    if not event_values:
        return
    declared = sorted({row[_EVENT_ID] for row in event_values if row[_DECLARED]})
    for start in range(0, len(declared), _CHUNK):
        conn.execute(
            update(events)
            .where(
                events.c.event_id.in_(declared[start : start + _CHUNK]), events.c.error_declared.is_(False)
            )
            .values(retracted=True)
        )
    pks = [row[0] for row in event_values if not row[_DECLARED]]
    if not pks:
        return
    decl = events.alias("decl")
    named = (
        select(decl.c.pk)
        .where(decl.c.event_id == events.c.event_id, decl.c.error_declared.is_(True))
        .exists()
    )
    # the new pks are consecutive (allocate_pks): one range, not a list
    conn.execute(
        update(events)
        .where(events.c.pk.between(min(pks), max(pks)), events.c.error_declared.is_(False), named)
        .values(retracted=True)
    )


def write_rows(
    conn: Connection, event_values: Sequence[tuple[Any, ...]], id_values: Sequence[tuple[Any, ...]]
) -> None:
    """The raw write of complete rows (pk included), with the driver's fastest bulk method."""
    bulk_insert(conn, "events", EVENT_COLUMNS, event_values)
    bulk_insert(conn, "event_ids", ID_COLUMNS, id_values)


def bulk_insert(
    conn: Connection, table: str, columns: Sequence[str], values: Sequence[tuple[Any, ...]]
) -> None:
    """Complete rows into ``table`` through the DB-API driver, in the caller's transaction:
    ``executemany`` on SQLite, ``COPY … FROM STDIN`` on PostgreSQL (psycopg 3). ``table`` and
    ``columns`` are the code's own names, never input."""
    if not values:
        return
    dbapi = conn.connection.driver_connection
    assert dbapi is not None
    names = ", ".join(columns)
    if is_sqlite(conn):
        cur = dbapi.cursor()
        cur.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})", values)
        cur.close()
        return
    with dbapi.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in values:
            copy.write_row(row)


def existing_hashes(conn: Connection, keys: Iterable[tuple[str, bool]]) -> set[tuple[str, bool]]:
    """Which (event_hash, error_declared) pairs are already stored."""
    wanted = list(dict.fromkeys(keys))
    found: set[tuple[str, bool]] = set()
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        hashes = list({h for h, _ in chunk})
        stmt = select(events.c.event_hash, events.c.error_declared).where(events.c.event_hash.in_(hashes))
        found.update((h, bool(d)) for h, d in conn.execute(stmt))
    return found


def existing_ids(conn: Connection, keys: Iterable[tuple[str, bool]]) -> dict[tuple[str, bool], str]:
    """For the (event_id, error_declared) pairs already stored, the hash stored under each."""
    wanted = list(dict.fromkeys(keys))
    found: dict[tuple[str, bool], str] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        ids = list({i for i, _ in chunk})
        stmt = select(events.c.event_id, events.c.error_declared, events.c.event_hash).where(
            events.c.event_id.in_(ids)
        )
        for event_id, declared, event_hash in conn.execute(stmt):
            found[(event_id, bool(declared))] = event_hash
    return found


def _stored(row: Any) -> StoredEvent:
    return StoredEvent(
        row.pk, row.event_id, row.event_hash, bool(row.error_declared), row.doc, row.namespaces
    )


_COLUMNS = (
    events.c.pk,
    events.c.event_id,
    events.c.event_hash,
    events.c.error_declared,
    events.c.doc,
    events.c.namespaces,
)


def find_by_event_id(conn: Connection, event_id: str) -> list[StoredEvent]:
    """The event with this eventID and, if one was captured, its error declaration (last)."""
    stmt = select(*_COLUMNS).where(events.c.event_id == event_id).order_by(events.c.error_declared)
    return [_stored(r) for r in conn.execute(stmt)]


def list_recent(conn: Connection, *, limit: int, after_pk: int = 0) -> list[StoredEvent]:
    """Events in capture order after ``after_pk`` (the plain listing; the query issue adds filters)."""
    stmt = select(*_COLUMNS).where(events.c.pk > after_pk).order_by(events.c.pk).limit(limit)
    return [_stored(r) for r in conn.execute(stmt)]


def count_events(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(events)).scalar_one())


def identifiers_of(conn: Connection, pk: int) -> list[tuple[int, str]]:
    stmt = select(event_ids.c.role, event_ids.c.identifier).where(event_ids.c.event_pk == pk)
    return [(int(r), str(i)) for r, i in conn.execute(stmt)]
