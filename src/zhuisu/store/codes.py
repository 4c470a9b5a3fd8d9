"""SQL of trace-code issuance: requests, sequence allocation, issued codes and their state.

Allocation takes the (scheme, prefix) sequence row with ``SELECT … FOR UPDATE`` on PostgreSQL, so
concurrent approvals under one prefix queue on that row lock and each reads the last number the
previous one wrote; SQLite has a single writer (``BEGIN IMMEDIATE`` in ``write_transaction``) and
ignores FOR UPDATE. A missing row is created inside a savepoint; a concurrent creator makes the
insert fail on the primary key, and the row is then read (and locked) as it stands.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any, TypeVar

from sqlalchemy import Connection, Row, and_, case, func, insert, literal, select, update
from sqlalchemy.exc import IntegrityError

from zhuisu.domain.parties import CODE_BASE, code_uri
from zhuisu.store.code_tables import code_requests, code_sequences, code_subject_numbers, trace_codes
from zhuisu.store.subject_tables import subject_nodes, subject_operators, subjects
from zhuisu.store.tables import event_ids, events

T = TypeVar("T")
_CHUNK = 500


@dataclass(slots=True)
class RequestRow:
    id: int
    subject_id: int
    scheme: str
    prefix: str
    count: int
    product_name: str
    category: str | None
    status: str
    reason: str | None
    requested_us: int
    decided_us: int | None
    actor: str | None
    first_seq: int | None
    last_seq: int | None


@dataclass(slots=True)
class CodeRow:
    id: int
    code: str
    request_id: int
    subject_id: int
    scheme: str
    seq: int
    status: str
    issued_us: int
    used_us: int | None
    voided_us: int | None
    void_reason: str | None


def _as(cls: type[T], row: Row[Any]) -> T:
    mapping = row._mapping
    return cls(**{f.name: mapping[f.name] for f in fields(cls)})  # type: ignore[arg-type]


# --------------------------------------------------------------------------- sequences


@dataclass(frozen=True, slots=True)
class Block:
    """Sequence numbers ``first`` … ``last`` handed out; ``owner`` is the subject owning the prefix."""

    first: int
    last: int
    owner: int | None


def _lock_sequence(conn: Connection, scheme: str, prefix: str) -> tuple[int, int | None] | None:
    """The sequence row's (last, owner), locked until the transaction ends (FOR UPDATE; SQLite ignores it)."""
    stmt = (
        select(code_sequences.c.last, code_sequences.c.subject_id)
        .where(code_sequences.c.scheme == scheme, code_sequences.c.prefix == prefix)
        .with_for_update()
    )
    row = conn.execute(stmt).first()
    return None if row is None else (int(row.last), None if row.subject_id is None else int(row.subject_id))


def allocate(conn: Connection, scheme: str, prefix: str, count: int, *, owner: int | None) -> Block:
    """Take the next ``count`` numbers of (scheme, prefix); the row is created owned by ``owner``.

    The caller compares ``Block.owner`` with the requesting subject (a prefix serves one subject).
    Numbers are taken even when the caller then refuses them; the transaction's rollback returns them.
    """
    row = _lock_sequence(conn, scheme, prefix)
    if row is None:
        try:
            with conn.begin_nested():
                conn.execute(
                    insert(code_sequences).values(scheme=scheme, prefix=prefix, last=0, subject_id=owner)
                )
        except IntegrityError:
            pass  # created by a concurrent transaction meanwhile; read and lock it below
        row = _lock_sequence(conn, scheme, prefix)
        assert row is not None
    last, owner_found = row
    conn.execute(
        update(code_sequences)
        .where(code_sequences.c.scheme == scheme, code_sequences.c.prefix == prefix)
        .values(last=last + count)
    )
    return Block(last + 1, last + count, owner_found)


def sequence_last(conn: Connection, scheme: str, prefix: str) -> int:
    stmt = select(code_sequences.c.last).where(
        code_sequences.c.scheme == scheme, code_sequences.c.prefix == prefix
    )
    return int(conn.execute(stmt).scalar() or 0)


def subject_number(conn: Connection, subject_id: int) -> tuple[str, int] | None:
    row = conn.execute(
        select(code_subject_numbers.c.region, code_subject_numbers.c.number).where(
            code_subject_numbers.c.subject_id == subject_id
        )
    ).first()
    return None if row is None else (str(row.region), int(row.number))


def insert_subject_number(conn: Connection, subject_id: int, region: str, number: int) -> bool:
    """Record the subject's platform number; False when the subject got one concurrently."""
    try:
        with conn.begin_nested():
            conn.execute(
                insert(code_subject_numbers).values(subject_id=subject_id, region=region, number=number)
            )
    except IntegrityError:
        return False
    return True


def operator_subject(conn: Connection, operator_code: str) -> int | None:
    """The subject owning the operator code (SB/T 10680: node code + 4 digits), if filed."""
    stmt = (
        select(subject_nodes.c.subject_id)
        .join(subject_operators, subject_operators.c.node_id == subject_nodes.c.id)
        .where(subject_operators.c.operator_code == operator_code)
    )
    found = conn.execute(stmt).scalar()
    return None if found is None else int(found)


# --------------------------------------------------------------------------- requests


def insert_request(conn: Connection, values: dict[str, Any]) -> int:
    stmt = insert(code_requests).values(**values).returning(code_requests.c.id)
    return int(conn.execute(stmt).scalar_one())


def request_by_id(conn: Connection, request_id: int) -> RequestRow | None:
    row = conn.execute(select(code_requests).where(code_requests.c.id == request_id)).first()
    return None if row is None else _as(RequestRow, row)


def update_request(conn: Connection, request_id: int, values: dict[str, Any]) -> None:
    conn.execute(update(code_requests).where(code_requests.c.id == request_id).values(**values))


def list_requests(
    conn: Connection, *, subject_id: int | None, status: str | None, limit: int, offset: int
) -> list[tuple[str, RequestRow]]:
    """Requests newest first, with the key (USCC) of their subject."""
    stmt = (
        select(subjects.c.key, code_requests)
        .join(subjects, subjects.c.id == code_requests.c.subject_id)
        .order_by(code_requests.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    if subject_id is not None:
        stmt = stmt.where(code_requests.c.subject_id == subject_id)
    if status is not None:
        stmt = stmt.where(code_requests.c.status == status)
    return [(r.key, _as(RequestRow, r)) for r in conn.execute(stmt)]


# --------------------------------------------------------------------------- codes


def insert_codes(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Insert issued codes (executemany); a duplicate code fails the statement (unique index)."""
    for start in range(0, len(rows), 5_000):
        conn.execute(insert(trace_codes), list(rows[start : start + 5_000]))


def codes_of_request(conn: Connection, request_id: int, *, limit: int, offset: int) -> list[CodeRow]:
    stmt = (
        select(trace_codes)
        .where(trace_codes.c.request_id == request_id)
        .order_by(trace_codes.c.seq)
        .limit(limit)
        .offset(offset)
    )
    return [_as(CodeRow, r) for r in conn.execute(stmt)]


def code_with_request(conn: Connection, code: str) -> tuple[str, CodeRow, RequestRow] | None:
    """An issued code with its subject's key and its request."""
    stmt = (
        select(subjects.c.key, trace_codes, *[c.label(f"r_{c.name}") for c in code_requests.c])
        .join(code_requests, code_requests.c.id == trace_codes.c.request_id)
        .join(subjects, subjects.c.id == trace_codes.c.subject_id)
        .where(trace_codes.c.code == code)
    )
    row = conn.execute(stmt).first()
    if row is None:
        return None
    m = row._mapping
    request = RequestRow(**{f.name: m[f"r_{f.name}"] for f in fields(RequestRow)})
    return str(row.key), _as(CodeRow, row), request


def update_code(conn: Connection, code_id: int, values: dict[str, Any]) -> None:
    conn.execute(update(trace_codes).where(trace_codes.c.id == code_id).values(**values))


def codes_in(conn: Connection, codes: Iterable[str]) -> list[CodeRow]:
    """The issued codes among ``codes`` (any state)."""
    wanted = sorted(set(codes))
    out: list[CodeRow] = []
    for start in range(0, len(wanted), _CHUNK):
        stmt = select(trace_codes).where(trace_codes.c.code.in_(wanted[start : start + _CHUNK]))
        out.extend(_as(CodeRow, r) for r in conn.execute(stmt))
    return out


def mark_used(conn: Connection, code_ids: Sequence[int], at_us: int) -> None:
    """Move issued codes to ``used`` (a code already used or voided keeps its state)."""
    for start in range(0, len(code_ids), _CHUNK):
        chunk = code_ids[start : start + _CHUNK]
        conn.execute(
            update(trace_codes)
            .where(and_(trace_codes.c.id.in_(chunk), trace_codes.c.status == "issued"))
            .values(status="used", used_us=at_us)
        )


def count_codes(conn: Connection, request_id: int) -> dict[str, int]:
    """How many codes of a request are in each state; an issued code some stored event names counts
    as used (``first_uses``). Platform and meat & vegetable codes are digits and letters, so their
    event URI is the prefix and the code as it is."""
    named = case(
        (trace_codes.c.code.startswith("https://"), trace_codes.c.code),
        else_=literal(CODE_BASE).concat(trace_codes.c.code),
    )
    seen = select(event_ids.c.identifier).where(event_ids.c.identifier == named).exists()
    state = case((and_(trace_codes.c.status == "issued", seen), literal("used")), else_=trace_codes.c.status)
    stmt = (
        select(state.label("state"), func.count())
        .where(trace_codes.c.request_id == request_id)
        .group_by("state")
    )
    return {str(status): int(n) for status, n in conn.execute(stmt)}


# --------------------------------------------------------------------------- use, from the event store


def first_uses(conn: Connection, codes: Iterable[str]) -> dict[str, int]:
    """code → the recordTime (µs) of the first stored event naming it, for the codes some event names.

    Codes are kept canonical (GS1 keys as their Digital Link, others as bare digits); events name the
    others as ``https://zhuisu.cn/id/code/{code}``. One range of the (identifier, event_pk) index each.
    """
    forms = {c if c.startswith("https://") else code_uri(c): c for c in set(codes)}
    wanted = sorted(forms)
    out: dict[str, int] = {}
    for start in range(0, len(wanted), _CHUNK):
        stmt = (
            select(event_ids.c.identifier, func.min(events.c.record_time_us))
            .join(events, events.c.pk == event_ids.c.event_pk)
            .where(event_ids.c.identifier.in_(wanted[start : start + _CHUNK]))
            .group_by(event_ids.c.identifier)
        )
        out.update({forms[r[0]]: int(r[1]) for r in conn.execute(stmt)})
    return out
