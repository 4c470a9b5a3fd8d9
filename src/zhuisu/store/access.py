"""SQL of access control: API keys, accounts, the parties each event names, and the visibility
clause the read paths put in their WHERE (issue 3: "reads are filtered in the store query").

Visibility is ``EXISTS (SELECT 1 FROM event_parties WHERE event_pk = events.pk AND party IN …)``
where the IN list is the set of identifiers a principal may see: the zhuisu URIs, party GLNs and
node GLN/SGLNs of its subjects (from the filing tables), the master-data parties and locations of
a region, and the principal's own capture mark (``domain.parties.principal_uri``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Connection,
    Select,
    String,
    and_,
    exists,
    false,
    insert,
    literal,
    or_,
    select,
    union,
    update,
)

from zhuisu.domain.epc import CANONICAL_HOST
from zhuisu.domain.parties import NODE_BASE, SUBJECT_BASE, principal_uri
from zhuisu.store import registries
from zhuisu.store.access_tables import accounts, api_keys, event_parties
from zhuisu.store.events import bulk_insert
from zhuisu.store.query_tables import locations, parties
from zhuisu.store.subject_tables import subject_nodes, subjects
from zhuisu.store.tables import events


@dataclass(frozen=True, slots=True)
class KeyRow:
    id: str
    prefix: str
    key_hash: str
    name: str
    role: str
    subject_keys: str
    regions: str
    created_us: int
    expires_us: int | None
    revoked_us: int | None
    last_used_us: int | None


@dataclass(frozen=True, slots=True)
class AccountRow:
    username: str
    password_hash: str
    role: str
    display_name: str | None
    subject_keys: str
    regions: str
    active: bool
    created_us: int


def _key(row: Any) -> KeyRow:
    return KeyRow(**{k: getattr(row, k) for k in KeyRow.__slots__})


def _account(row: Any) -> AccountRow:
    values = {k: getattr(row, k) for k in AccountRow.__slots__}
    values["active"] = bool(values["active"])
    return AccountRow(**values)


def insert_key(conn: Connection, row: KeyRow) -> None:
    conn.execute(insert(api_keys).values(**{k: getattr(row, k) for k in KeyRow.__slots__}))


def key_by_hash(conn: Connection, key_hash: str) -> KeyRow | None:
    row = conn.execute(select(api_keys).where(api_keys.c.key_hash == key_hash)).first()
    return None if row is None else _key(row)


def key_by_id(conn: Connection, key_id: str) -> KeyRow | None:
    row = conn.execute(select(api_keys).where(api_keys.c.id == key_id)).first()
    return None if row is None else _key(row)


def list_keys(conn: Connection) -> list[KeyRow]:
    return [_key(r) for r in conn.execute(select(api_keys).order_by(api_keys.c.created_us, api_keys.c.id))]


def revoke_key(conn: Connection, key_id: str, at_us: int) -> bool:
    """Revoke a key not yet revoked; False when there is no such (unrevoked) key."""
    done = conn.execute(
        update(api_keys)
        .where(api_keys.c.id == key_id, api_keys.c.revoked_us.is_(None))
        .values(revoked_us=at_us)
    )
    return done.rowcount == 1


def touch_key(conn: Connection, key_id: str, at_us: int) -> None:
    conn.execute(update(api_keys).where(api_keys.c.id == key_id).values(last_used_us=at_us))


def insert_account(conn: Connection, row: AccountRow) -> bool:
    """Insert an account; False when the username is taken."""
    if conn.execute(select(accounts.c.username).where(accounts.c.username == row.username)).first():
        return False
    conn.execute(insert(accounts).values(**{k: getattr(row, k) for k in AccountRow.__slots__}))
    return True


def account(conn: Connection, username: str) -> AccountRow | None:
    row = conn.execute(select(accounts).where(accounts.c.username == username)).first()
    return None if row is None else _account(row)


def list_accounts(conn: Connection) -> list[AccountRow]:
    return [_account(r) for r in conn.execute(select(accounts).order_by(accounts.c.username))]


def set_password_hash(conn: Connection, username: str, password_hash: str) -> None:
    conn.execute(update(accounts).where(accounts.c.username == username).values(password_hash=password_hash))


@dataclass(frozen=True, slots=True)
class Capturer:
    """What capture records about who captured: ``marks`` on every stored event (the principal's
    URI), and ``fallback`` (its subjects' URIs) on an event that names no party or location at all,
    so that such an event stays visible to its subjects and their regulators."""

    marks: tuple[str, ...] = ()
    fallback: tuple[str, ...] = ()


def write_event_parties(conn: Connection, rows: Iterable[tuple[int, Sequence[str]]]) -> None:
    """Record the identifiers each stored event names, in the capture transaction (the capture hot
    path: the driver's bulk write, executemany on SQLite and COPY on PostgreSQL)."""
    bulk_insert(conn, "event_parties", ("event_pk", "party"), [(pk, p) for pk, named in rows for p in named])


def mark_captured(
    conn: Connection, capturer: Capturer, *, job_id: str | None = None, event_ids: Sequence[str] = ()
) -> None:
    """Record who captured the events of a capture job (or the given eventIDs): the fallback
    identifiers on those that name no party or location, then the marks on all of them. Set-based,
    in the capture transaction, after the events are written."""
    if job_id is not None:
        chosen: ColumnElement[bool] = events.c.capture_job == job_id
    elif event_ids:
        chosen = and_(events.c.event_id.in_(list(event_ids)), events.c.error_declared.is_(False))
    else:
        return
    named = exists(select(literal(1)).where(event_parties.c.event_pk == events.c.pk))
    if capturer.fallback:
        bare = [pk for (pk,) in conn.execute(select(events.c.pk).where(chosen, ~named))]
        write_event_parties(conn, [(pk, capturer.fallback) for pk in bare])
    for party in capturer.marks:
        mark = literal(party, String)
        already = exists(
            select(literal(1)).where(event_parties.c.event_pk == events.c.pk, event_parties.c.party == mark)
        )
        found = select(events.c.pk, mark).where(chosen, ~already)
        conn.execute(insert(event_parties).from_select(["event_pk", "party"], found))


def region_prefix(code: str) -> str:
    """The prefix of a GB/T 2260 code that all its subdivisions share: 310000 → 31, 310100 → 3101,
    310115 → 310115, 000000 → "" (the whole country). GB/T 2260 codes are 2 digits of province,
    2 of prefecture, 2 of county; 00 in a pair means "the whole of the level above"."""
    code = code.strip()
    while code.endswith("00"):
        code = code[:-2]
    return code


def _in_regions(column: ColumnElement[Any], regions: Sequence[str]) -> ColumnElement[bool]:
    prefixes = {region_prefix(r) for r in regions}
    if "" in prefixes:
        return column.is_not(None)
    return or_(false(), *(column.like(f"{p}%") for p in sorted(prefixes)))


def identifiers_of(
    *, subject_keys: Sequence[str] = (), regions: Sequence[str] = (), marks: Sequence[str] = ()
) -> CompoundSelect[Any]:
    """A SELECT of every identifier standing for the given subjects, for the subjects and
    master-data parties/locations in the given regions, and the given capture marks."""
    subject_uri = literal(SUBJECT_BASE, String) + subjects.c.key
    pgln_uri = literal(f"{CANONICAL_HOST}/417/", String) + subjects.c.pgln
    node_uri = literal(NODE_BASE, String) + subject_nodes.c.node_code
    owner_subject = subjects.c.key.in_(list(subject_keys))
    in_region_subject = _in_regions(subjects.c.region, regions)
    chosen = or_(owner_subject, in_region_subject) if regions else owner_subject
    joined = subject_nodes.join(subjects, subjects.c.id == subject_nodes.c.subject_id)
    node_chosen = (
        or_(owner_subject, _in_regions(subject_nodes.c.region, regions)) if regions else owner_subject
    )
    parts: list[Select[Any]] = [
        select(subject_uri.label("party")).where(chosen),
        select(pgln_uri.label("party")).where(chosen, subjects.c.pgln.is_not(None)),
        select(node_uri.label("party")).select_from(joined).where(node_chosen),
        select(subject_nodes.c.gln.label("party"))
        .select_from(joined)
        .where(node_chosen, subject_nodes.c.gln.is_not(None)),
    ]
    if regions:
        parts.append(select(parties.c.id.label("party")).where(_in_regions(parties.c.region_code, regions)))
        parts.append(
            select(locations.c.id.label("party")).where(_in_regions(locations.c.region_code, regions))
        )
    for mark in marks:
        parts.append(select(literal(mark, String).label("party")))
    return union(*parts)


def visible_clause(identifiers: CompoundSelect[Any]) -> ColumnElement[bool]:
    """WHERE clause on ``events``: the event names (or was captured with) one of ``identifiers``."""
    # an alias, so the clause also works inside a query that itself reads event_parties
    named = event_parties.alias("visible_parties")
    return exists(
        select(literal(1))
        .select_from(named)
        .where(and_(named.c.event_pk == events.c.pk, named.c.party.in_(identifiers)))
        .correlate(events)
    )


def subject_regions(conn: Connection, keys: Sequence[str]) -> dict[str, str]:
    """key → GB/T 2260 region of the given subjects (unknown keys are left out)."""
    if not keys:
        return {}
    rows = conn.execute(select(subjects.c.key, subjects.c.region).where(subjects.c.key.in_(list(keys))))
    return {key: region for key, region in rows}


def visibility_for(
    role: str, name: str, subject_keys: Sequence[str], regions: Sequence[str]
) -> ColumnElement[bool] | None:
    """The WHERE clause on ``events`` of what a principal may see (None: everything, for admins).

    Enterprise and system: events naming one of its subjects' parties or locations, or captured by
    it. Regulator: events naming a subject, node, party or location of its regions, or captured by
    it. Public: nothing (the raw event API is not public; published pages come later)."""
    if role == "admin":
        return None
    if role == "public":
        return false()
    marks = (principal_uri(name),)
    if role == "regulator":
        return visible_clause(identifiers_of(regions=regions, marks=marks))
    return visible_clause(identifiers_of(subject_keys=subject_keys, marks=marks))


def visible_pks(conn: Connection, pks: Sequence[int], visibility: ColumnElement[bool] | None) -> set[int]:
    """Which of these event pks the visibility clause lets through."""
    if visibility is None:
        return set(pks)
    if not pks:
        return set()
    rows = conn.execute(select(events.c.pk).where(events.c.pk.in_(list(pks)), visibility))
    return {int(pk) for (pk,) in rows}


def visibility_of(
    conn: Connection, principal_name: str | None, *, now_us: int | None = None
) -> ColumnElement[bool] | None:
    """The visibility clause of a principal known by name (``key:<id>`` or a username), as its
    credential stands now: a revoked or expired key, or an inactive account, sees nothing. No name
    (something the platform itself set up, e.g. from the CLI) sees everything."""
    if principal_name is None:
        return None
    now = time.time_ns() // 1000 if now_us is None else now_us
    if principal_name.startswith("key:"):
        key = key_by_id(conn, principal_name.removeprefix("key:"))
        if (
            key is None
            or key.revoked_us is not None
            or (key.expires_us is not None and key.expires_us <= now)
        ):
            return false()
        grants = (key.role, orjson.loads(key.subject_keys), orjson.loads(key.regions))
    else:
        user = account(conn, principal_name)
        if user is None or not user.active:
            return false()
        grants = (user.role, orjson.loads(user.subject_keys), orjson.loads(user.regions))
    return visibility_for(grants[0], principal_name, grants[1], grants[2])


def holder_profiles(conn: Connection, identifiers: Iterable[str]) -> dict[str, tuple[str, str]]:
    """identifier → (subject type, region) of the filed subject it stands for (its zhuisu URI,
    party GLN, or one of its nodes' URIs or GLN/SGLN, the node's own region); others are left out.
    What an opaque trace hop may say about a holder the reader may not see."""
    return {ident: (h.subject_type, h.region) for ident, h in registries.holders(conn, identifiers).items()}


def master_visibility_for(
    column: ColumnElement[Any], role: str, name: str, subject_keys: Sequence[str], regions: Sequence[str]
) -> ColumnElement[bool] | None:
    """WHERE clause on a master-data id column (``parties.id`` / ``locations.id``): a principal
    sees the master data of its own subjects or jurisdiction, and of every party or location named
    by an event it may see. Admin: None (all); public: nothing."""
    events_clause = visibility_for(role, name, subject_keys, regions)
    if events_clause is None:
        return None
    if role == "public":
        return false()
    own = (
        identifiers_of(regions=regions) if role == "regulator" else identifiers_of(subject_keys=subject_keys)
    )
    named = (
        select(event_parties.c.party)
        .join(events, events.c.pk == event_parties.c.event_pk)
        .where(events_clause)
    )
    return or_(column.in_(own), column.in_(named))
