"""SQL of access control: API keys, accounts, the parties each event names, and the visibility
clause the read paths put in their WHERE (issue 3: "reads are filtered in the store query").

Visibility is ``EXISTS (SELECT 1 FROM event_parties WHERE event_pk = events.pk AND party IN …)``
where the IN list is the set of identifiers a principal may see: the zhuisu URIs, party GLNs and
node GLN/SGLNs of its subjects (from the filing tables), the master-data parties and locations of
a region, and the principal's own capture mark (``domain.parties.principal_uri``). A principal's
visibility (``Visibility``) is that clause's shape and values, so the event scans compile it once
per shape (``store.queries``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Connection,
    Select,
    String,
    and_,
    bindparam,
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


# ------------------------------------------------------------------------------ visibility
#
# A principal's visibility is kept as the filters of the query are (store.queries.filter_shape):
# a *shape* (which terms, how many values each; hashable) and its *values* (subject keys, region
# LIKE patterns, capture marks, in the order the terms consume them). The clause is built from the
# shape with one bound parameter per value, so the scan's SELECT is compiled once per (filter
# shape, visibility shape) and each principal's values are bound to it: building and compiling
# the clause for every request cost 3-7 ms of Python beside 0.2-1.2 ms of SQL for a MATCH_epc
# page (`zhuisu bench query`, 1M events).
#
# Nothing here reads the database to build a visibility: which identifiers stand for a subject or
# lie in a region is resolved by the SQL itself, at every read. So a revoked filing, a new node or
# a changed region takes effect on the next read, and no per-principal cache can go stale (the
# principal itself is resolved from its key or session on every request; a revoked key is a 401).

VisibilityShape = tuple[Any, ...]
#: the region term of a jurisdiction that is the whole country (000000): every region
_EVERY_REGION = "every"


@dataclass(frozen=True, slots=True)
class Visibility:
    """What a principal may see: the shape of its WHERE clause on ``events`` and the values that
    clause binds, in order (made by :func:`visible_to`). :meth:`clause` is the same clause with the
    values bound, for reads whose statement SQLAlchemy builds per call (counts, chain walks)."""

    shape: VisibilityShape
    values: tuple[str, ...] = ()

    def clause(self) -> ColumnElement[bool]:
        return visible_where(self.shape, _bound(self.values))


#: sees no event: the public (the raw event API is not public), a revoked key, an inactive account
NOTHING = Visibility(("nothing",))


def _parties(subject_keys: Sequence[str], regions: Sequence[str], marks: Sequence[str]) -> Visibility:
    """The identifiers of the given subjects, of the given regions (none given: not by region)
    and the given capture marks, as a shape and its values."""
    values = list(subject_keys)
    region_term: int | str | None = None
    if regions:
        prefixes = sorted({region_prefix(r) for r in regions})
        if "" in prefixes:
            region_term = _EVERY_REGION
        else:
            region_term = len(prefixes)
            # a region's identifiers are those whose GB/T 2260 code starts with its prefix
            values.extend(f"{p}%" for p in prefixes)
    values.extend(marks)
    return Visibility(("parties", len(subject_keys), region_term, len(marks)), tuple(values))


def take_binds(binds: Iterator[BindParameter[Any]], count: int) -> list[BindParameter[Any]]:
    """The next ``count`` bound parameters (a shape's terms consume their values in order; the
    filter shapes of ``store.queries`` too)."""
    return [next(binds) for _ in range(count)]


def _identifiers(shape: VisibilityShape, binds: Iterator[BindParameter[Any]]) -> CompoundSelect[Any]:
    """The SELECT of every identifier a ``("parties", …)`` shape stands for (see identifiers_of)."""
    _, key_count, region_term, mark_count = shape
    keys = take_binds(binds, key_count)
    patterns = take_binds(binds, region_term) if isinstance(region_term, int) else []
    marks = take_binds(binds, mark_count)
    by_region = region_term is not None

    def in_regions(column: ColumnElement[Any]) -> ColumnElement[bool]:
        if region_term == _EVERY_REGION:
            return column.is_not(None)
        return or_(false(), *(column.like(p) for p in patterns))

    subject_uri = literal(SUBJECT_BASE, String) + subjects.c.key
    pgln_uri = literal(f"{CANONICAL_HOST}/417/", String) + subjects.c.pgln
    node_uri = literal(NODE_BASE, String) + subject_nodes.c.node_code
    owner_subject = subjects.c.key.in_(keys) if keys else false()
    chosen = or_(owner_subject, in_regions(subjects.c.region)) if by_region else owner_subject
    joined = subject_nodes.join(subjects, subjects.c.id == subject_nodes.c.subject_id)
    node_chosen = or_(owner_subject, in_regions(subject_nodes.c.region)) if by_region else owner_subject
    parts: list[Select[Any]] = [
        select(subject_uri.label("party")).where(chosen),
        select(pgln_uri.label("party")).where(chosen, subjects.c.pgln.is_not(None)),
        select(node_uri.label("party")).select_from(joined).where(node_chosen),
        select(subject_nodes.c.gln.label("party"))
        .select_from(joined)
        .where(node_chosen, subject_nodes.c.gln.is_not(None)),
    ]
    if by_region:
        parts.append(select(parties.c.id.label("party")).where(in_regions(parties.c.region_code)))
        parts.append(select(locations.c.id.label("party")).where(in_regions(locations.c.region_code)))
    parts.extend(select(mark.label("party")) for mark in marks)
    return union(*parts)


def _bound(values: Sequence[str]) -> Iterator[BindParameter[Any]]:
    return (bindparam(f"v{i}", value, type_=String(), unique=True) for i, value in enumerate(values))


def identifiers_of(
    *, subject_keys: Sequence[str] = (), regions: Sequence[str] = (), marks: Sequence[str] = ()
) -> CompoundSelect[Any]:
    """A SELECT of every identifier standing for the given subjects, for the subjects and
    master-data parties/locations in the given regions, and the given capture marks."""
    found = _parties(subject_keys, regions, marks)
    return _identifiers(found.shape, _bound(found.values))


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


def visible_where(shape: VisibilityShape, binds: Iterator[BindParameter[Any]]) -> ColumnElement[bool]:
    """The WHERE clause on ``events`` of a visibility shape, each value a bound parameter taken
    from ``binds`` in order (``store.queries`` hands in named parameters to compile the scan once)."""
    if shape[0] == "nothing":
        return false()
    return visible_clause(_identifiers(shape, binds))


def subject_regions(conn: Connection, keys: Sequence[str]) -> dict[str, str]:
    """key → GB/T 2260 region of the given subjects (unknown keys are left out)."""
    if not keys:
        return {}
    rows = conn.execute(select(subjects.c.key, subjects.c.region).where(subjects.c.key.in_(list(keys))))
    return {key: region for key, region in rows}


def visible_to(
    role: str, name: str, subject_keys: Sequence[str], regions: Sequence[str]
) -> Visibility | None:
    """What a principal may see (None: everything, for admins).

    Enterprise and system: events naming one of its subjects' parties or locations, or captured by
    it. Regulator: events naming a subject, node, party or location of its regions, or captured by
    it. Public: nothing (the raw event API is not public; published pages come later)."""
    if role == "admin":
        return None
    if role == "public":
        return NOTHING
    marks = (principal_uri(name),)
    if role == "regulator":
        return _parties((), regions, marks)
    return _parties(subject_keys, (), marks)


def visibility_for(
    role: str, name: str, subject_keys: Sequence[str], regions: Sequence[str]
) -> ColumnElement[bool] | None:
    """:func:`visible_to` as one WHERE clause on ``events``, its values bound (None: admins)."""
    found = visible_to(role, name, subject_keys, regions)
    return None if found is None else found.clause()


def restriction(visibility: Visibility | ColumnElement[bool] | None) -> ColumnElement[bool] | None:
    """A visibility as one WHERE clause on ``events``, its values bound (a clause stays itself)."""
    return visibility.clause() if isinstance(visibility, Visibility) else visibility


def visible_pks(
    conn: Connection, pks: Sequence[int], visibility: Visibility | ColumnElement[bool] | None
) -> set[int]:
    """Which of these event pks the visibility lets through."""
    clause = restriction(visibility)
    if clause is None:
        return set(pks)
    if not pks:
        return set()
    rows = conn.execute(select(events.c.pk).where(events.c.pk.in_(list(pks)), clause))
    return {int(pk) for (pk,) in rows}


def visible_to_name(
    conn: Connection, principal_name: str | None, *, now_us: int | None = None
) -> Visibility | None:
    """What a principal known by name (``key:<id>`` or a username) may see, as its credential
    stands now: a revoked or expired key, or an inactive account, sees nothing. No name
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
            return NOTHING
        grants = (key.role, orjson.loads(key.subject_keys), orjson.loads(key.regions))
    else:
        user = account(conn, principal_name)
        if user is None or not user.active:
            return NOTHING
        grants = (user.role, orjson.loads(user.subject_keys), orjson.loads(user.regions))
    return visible_to(grants[0], principal_name, grants[1], grants[2])


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
