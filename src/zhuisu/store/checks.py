"""SQL of the integrity checks: the events of a time window (or of one disposition, or one by
eventID), link rows by event and by pivot, and the findings table (insert-if-new by fingerprint,
list by kind / identifier / time)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Connection, bindparam, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from zhuisu.domain.links import StoredRow
from zhuisu.store.chain import LINK_COLUMNS, stored_row, with_hubs
from zhuisu.store.chain_tables import chain_links
from zhuisu.store.check_tables import chain_finding_refs, chain_findings
from zhuisu.store.engine import is_sqlite
from zhuisu.store.events import valid
from zhuisu.store.tables import event_ids, events

_CHUNK = 500


@dataclass(frozen=True, slots=True)
class WindowEvent:
    """A valid event of the checked window, with its stored document (quantities are read from it)."""

    pk: int
    event_id: str
    event_type: int
    biz_step: str | None
    disposition: str | None
    biz_location: str | None
    time_us: int
    doc: str
    namespaces: str | None
    subject: str | None  # the responsible subject, stored at capture (domain.holders)


_COLS = (
    events.c.pk,
    events.c.event_id,
    events.c.event_type,
    events.c.biz_step,
    events.c.disposition,
    events.c.biz_location,
    events.c.event_time_us,
    events.c.doc,
    events.c.namespaces,
    events.c.subject,
)


def _event(row: Any) -> WindowEvent:
    return WindowEvent(
        int(row[0]), row[1], int(row[2]), row[3], row[4], row[5], int(row[6]), row[7], row[8], row[9]
    )


def window_events(conn: Connection, since_us: int, until_us: int) -> list[WindowEvent]:
    """Valid events with since ≤ eventTime < until, in time order (index on event_time_us)."""
    stmt = (
        select(*_COLS)
        .where(events.c.event_time_us >= since_us, events.c.event_time_us < until_us, valid())
        .order_by(events.c.event_time_us, events.c.pk)
    )
    return [_event(row) for row in conn.execute(stmt)]


def events_with_disposition(
    conn: Connection, disposition: str, since_us: int, until_us: int
) -> list[WindowEvent]:
    """Valid events with this disposition and since ≤ eventTime < until, in time order (the
    eventTime index bounds the read; the disposition is tested on the rows of that range)."""
    stmt = (
        select(*_COLS)
        .where(
            events.c.event_time_us >= since_us,
            events.c.event_time_us < until_us,
            events.c.disposition == disposition,
            valid(),
        )
        .order_by(events.c.event_time_us, events.c.pk)
    )
    return [_event(row) for row in conn.execute(stmt)]


def valid_event(conn: Connection, event_id: str) -> WindowEvent | None:
    """The valid event with this eventID (None when there is none or it was declared erroneous)."""
    stmt = select(*_COLS).where(events.c.event_id == event_id, valid())
    row = conn.execute(stmt).first()
    return None if row is None else _event(row)


def events_by_pk(conn: Connection, pks: Iterable[int]) -> dict[int, WindowEvent]:
    wanted = list(dict.fromkeys(pks))
    out: dict[int, WindowEvent] = {}
    stmt = select(*_COLS).where(events.c.pk.in_(bindparam("pks", expanding=True)), valid())
    for start in range(0, len(wanted), _CHUNK):
        for row in conn.execute(stmt, {"pks": wanted[start : start + _CHUNK]}):
            out[int(row[0])] = _event(row)
    return out


@dataclass(frozen=True, slots=True)
class LinkRow:
    node: str
    step: int
    other: str
    t_us: int
    event_pk: int
    kind: int


def _link(row: StoredRow) -> LinkRow:
    return LinkRow(row[0], row[1], row[2], row[3], row[4], row[5])


_LINK_COLS = [chain_links.c[name] for name in LINK_COLUMNS]


def links_of_events(conn: Connection, pks: Iterable[int]) -> list[LinkRow]:
    """The walk rows the events wrote (index on event_pk), each link under both ends: an event's
    hub rows are among its own rows and are expanded into the pairs they stand for."""
    wanted = list(dict.fromkeys(pks))
    stmt = select(*_LINK_COLS).where(chain_links.c.event_pk.in_(bindparam("pks", expanding=True)))
    rows: list[StoredRow] = []
    for start in range(0, len(wanted), _CHUNK):
        rows.extend(stored_row(r) for r in conn.execute(stmt, {"pks": wanted[start : start + _CHUNK]}))
    return [_link(r) for r in with_hubs(conn, rows)]


def links_at(conn: Connection, nodes: Iterable[str], step: int) -> list[LinkRow]:
    """The walk rows standing on these nodes with this step (primary key range), rows into an
    event's hub expanded into the pairs they stand for."""
    wanted = list(dict.fromkeys(nodes))
    c = chain_links.c
    stmt = select(*_LINK_COLS).where(c.node.in_(bindparam("ids", expanding=True)), c.step == step)
    rows: list[StoredRow] = []
    for start in range(0, len(wanted), _CHUNK):
        rows.extend(stored_row(r) for r in conn.execute(stmt, {"ids": wanted[start : start + _CHUNK]}))
    return [_link(r) for r in with_hubs(conn, rows)]


def identifiers_of_events(conn: Connection, pks: Iterable[int]) -> list[tuple[int, str]]:
    """(event pk, identifier) for every identifier the events name (event_ids primary key range)."""
    wanted = list(dict.fromkeys(pks))
    stmt = select(event_ids.c.event_pk, event_ids.c.identifier).where(
        event_ids.c.event_pk.in_(bindparam("pks", expanding=True))
    )
    out: list[tuple[int, str]] = []
    for start in range(0, len(wanted), _CHUNK):
        rows = conn.execute(stmt, {"pks": wanted[start : start + _CHUNK]})
        out.extend((int(r[0]), str(r[1])) for r in rows)
    return out


# --------------------------------------------------------------------------- findings


@dataclass(frozen=True, slots=True)
class FindingRow:
    fingerprint: str
    kind: str
    severity: str
    event_ids: tuple[str, ...]
    identifiers: tuple[str, ...]
    message_zh: str
    message_en: str
    event_time_us: int
    detected_us: int
    id: int | None = None


def save_findings(conn: Connection, rows: Sequence[FindingRow]) -> int:
    """Insert the findings not stored yet (by fingerprint); returns how many were new."""
    if not rows:
        return 0
    known: set[str] = set()
    prints = [r.fingerprint for r in rows]
    stmt = select(chain_findings.c.fingerprint).where(
        chain_findings.c.fingerprint.in_(bindparam("fp", expanding=True))
    )
    for start in range(0, len(prints), _CHUNK):
        known.update(conn.execute(stmt, {"fp": prints[start : start + _CHUNK]}).scalars())
    new = 0
    for row in rows:
        if row.fingerprint in known:
            continue
        known.add(row.fingerprint)
        values = {
            "fingerprint": row.fingerprint,
            "kind": row.kind,
            "severity": row.severity,
            "event_ids": orjson.dumps(list(row.event_ids)).decode(),
            "identifiers": orjson.dumps(list(row.identifiers)).decode(),
            "message_zh": row.message_zh,
            "message_en": row.message_en,
            "event_time_us": row.event_time_us,
            "detected_us": row.detected_us,
        }
        # a concurrent run may have stored the same finding meanwhile: skip it, never fail
        dialect_insert = sqlite.insert if is_sqlite(conn) else postgresql.insert
        ins = dialect_insert(chain_findings).values(**values).on_conflict_do_nothing()
        found_id = conn.execute(ins.returning(chain_findings.c.id)).scalar()
        if found_id is None:
            continue
        refs = sorted(set(row.event_ids) | set(row.identifiers))
        conn.execute(insert(chain_finding_refs), [{"ref": r, "finding_id": found_id} for r in refs])
        new += 1
    return new


def list_findings(
    conn: Connection,
    *,
    kind: str | None = None,
    identifier: str | None = None,
    since_us: int | None = None,
    until_us: int | None = None,
    limit: int = 1000,
    visibility: ColumnElement[bool] | None = None,
) -> list[FindingRow]:
    """Findings, oldest event first. ``visibility`` (a WHERE clause on ``events``, access control)
    keeps a finding only when every stored event it names passes it — in the query, so ``limit``
    counts what the reader may see."""
    f = chain_findings.c
    stmt = select(
        f.fingerprint,
        f.kind,
        f.severity,
        f.event_ids,
        f.identifiers,
        f.message_zh,
        f.message_en,
        f.event_time_us,
        f.detected_us,
        f.id,
    )
    if kind:
        # a family (chain_break) or one kind (chain_break.unmatched_receipt)
        stmt = stmt.where((f.kind == kind) | f.kind.startswith(kind + ".", autoescape=True))
    if identifier:
        refs = select(chain_finding_refs.c.finding_id).where(chain_finding_refs.c.ref == identifier)
        stmt = stmt.where(f.id.in_(refs))
    if visibility is not None:
        hidden = (
            select(chain_finding_refs.c.finding_id)
            .join(events, events.c.event_id == chain_finding_refs.c.ref)
            .where(chain_finding_refs.c.finding_id == f.id, ~visibility)
        )
        stmt = stmt.where(~hidden.exists())
    if since_us is not None:
        stmt = stmt.where(f.event_time_us >= since_us)
    if until_us is not None:
        stmt = stmt.where(f.event_time_us < until_us)
    stmt = stmt.order_by(f.event_time_us, f.id).limit(limit)
    return [
        FindingRow(
            r[0],
            r[1],
            r[2],
            tuple(orjson.loads(r[3])),
            tuple(orjson.loads(r[4])),
            r[5],
            r[6],
            int(r[7]),
            int(r[8]),
            int(r[9]),
        )
        for r in conn.execute(stmt)
    ]


def count_findings(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(chain_findings)).scalar_one())
