"""SQL of the subject capability: subjects, filings, nodes, operators, qualifications, audit.

Sequence numbers (node codes, operator codes) are allocated as ``max + 1`` inside a savepoint and
retried on a unique-index conflict: two concurrent transactions on PostgreSQL may read the same
maximum, the second insert then waits on the first's index entry and fails on its commit, and
the retry reads the new maximum. SQLite serialises writers at BEGIN, so it never retries.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Connection, Row, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from zhuisu.store.subject_tables import (
    subject_audit,
    subject_filings,
    subject_keys,
    subject_nodes,
    subject_operators,
    subject_qualifications,
    subjects,
)

_RETRIES = 20
T = TypeVar("T")


@dataclass(slots=True)
class SubjectRow:
    id: int
    key: str
    kind: str
    uscc: str | None
    id_hash: str | None
    id_masked: str | None
    name: str
    subject_type: str
    legal_rep: str | None
    address: str | None
    region: str
    contact_name: str | None
    contact_phone: str | None
    business_scope: str | None
    node_types: str
    pgln: str | None
    status: str
    filed_us: int
    updated_us: int


@dataclass(slots=True)
class FilingRow:
    id: int
    subject_id: int
    kind: str
    data: str
    status: str
    submitted_us: int
    changed_on: date | None
    late: bool
    decided_us: int | None
    reason: str | None
    actor: str | None


@dataclass(slots=True)
class NodeRow:
    id: int
    subject_id: int
    node_code: str
    region: str
    seq: int
    name: str
    kind: str
    node_type: str
    stall_no: str | None
    address: str | None
    gln: str | None
    created_us: int


@dataclass(slots=True)
class OperatorRow:
    id: int
    node_id: int
    operator_code: str
    seq: int
    name: str
    stall_no: str | None
    created_us: int


@dataclass(slots=True)
class QualificationRow:
    id: int
    subject_id: int
    kind: str
    number: str
    valid_until: date | None
    issued_by: str | None
    created_us: int


@dataclass(slots=True)
class AuditRow:
    id: int
    subject_id: int
    action: str
    at_us: int
    actor: str | None
    detail: str | None


def _as(cls: type[T], row: Row[Any]) -> T:
    mapping = row._mapping
    return cls(**{f.name: mapping[f.name] for f in fields(cls)})  # type: ignore[arg-type]


# --------------------------------------------------------------------------- secrets


def secret(conn: Connection, name: str) -> str:
    """The deployment's secret ``name`` (64 hex digits), made on first use."""
    found = conn.execute(select(subject_keys.c.value).where(subject_keys.c.name == name)).scalar()
    if found is not None:
        return str(found)
    try:
        with conn.begin_nested():
            conn.execute(insert(subject_keys).values(name=name, value=secrets.token_hex(32)))
    except IntegrityError:
        pass  # made by a concurrent transaction in the meantime
    return str(conn.execute(select(subject_keys.c.value).where(subject_keys.c.name == name)).scalar_one())


# --------------------------------------------------------------------------- subjects


def insert_subject(conn: Connection, values: dict[str, Any]) -> int | None:
    """Insert a subject; None when one with the same key exists already (idempotent filing)."""
    try:
        with conn.begin_nested():
            return int(conn.execute(insert(subjects).values(**values).returning(subjects.c.id)).scalar_one())
    except IntegrityError:
        return None


def subject_by_key(conn: Connection, key: str) -> SubjectRow | None:
    row = conn.execute(select(subjects).where(subjects.c.key == key)).first()
    return None if row is None else _as(SubjectRow, row)


def names_by_key(conn: Connection, keys: Iterable[str]) -> dict[str, str]:
    """subject key → filed name, for the keys that name a subject (one indexed read per 500)."""
    wanted = sorted(set(keys))
    out: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        stmt = select(subjects.c.key, subjects.c.name).where(subjects.c.key.in_(wanted[start : start + 500]))
        out.update((str(key), str(name)) for key, name in conn.execute(stmt))
    return out


def subject_by_id(conn: Connection, subject_id: int) -> SubjectRow | None:
    row = conn.execute(select(subjects).where(subjects.c.id == subject_id)).first()
    return None if row is None else _as(SubjectRow, row)


def list_subjects(
    conn: Connection, *, status: str | None, region_prefix: str | None, limit: int, offset: int
) -> list[SubjectRow]:
    stmt = select(subjects).order_by(subjects.c.id).limit(limit).offset(offset)
    if status is not None:
        stmt = stmt.where(subjects.c.status == status)
    if region_prefix:
        stmt = stmt.where(subjects.c.region.startswith(region_prefix, autoescape=True))
    return [_as(SubjectRow, r) for r in conn.execute(stmt)]


def update_subject(conn: Connection, subject_id: int, values: dict[str, Any]) -> None:
    conn.execute(update(subjects).where(subjects.c.id == subject_id).values(**values))


# --------------------------------------------------------------------------- filings


def insert_filing(conn: Connection, values: dict[str, Any]) -> int:
    return int(
        conn.execute(insert(subject_filings).values(**values).returning(subject_filings.c.id)).scalar_one()
    )


def pending_filing(conn: Connection, subject_id: int) -> FilingRow | None:
    row = conn.execute(
        select(subject_filings)
        .where(subject_filings.c.subject_id == subject_id, subject_filings.c.status == "submitted")
        .order_by(subject_filings.c.id.desc())
    ).first()
    return None if row is None else _as(FilingRow, row)


def update_filing(conn: Connection, filing_id: int, values: dict[str, Any]) -> None:
    conn.execute(update(subject_filings).where(subject_filings.c.id == filing_id).values(**values))


def filings_of(conn: Connection, subject_id: int) -> list[FilingRow]:
    stmt = (
        select(subject_filings)
        .where(subject_filings.c.subject_id == subject_id)
        .order_by(subject_filings.c.id)
    )
    return [_as(FilingRow, r) for r in conn.execute(stmt)]


def late_filings(conn: Connection) -> list[tuple[str, FilingRow]]:
    """Change filings made after the deadline, with the key of their subject, oldest first."""
    stmt = (
        select(subjects.c.key, subject_filings)
        .join(subjects, subjects.c.id == subject_filings.c.subject_id)
        .where(subject_filings.c.late.is_(True))
        .order_by(subject_filings.c.id)
    )
    return [(r.key, _as(FilingRow, r)) for r in conn.execute(stmt)]


# --------------------------------------------------------------------------- nodes and operators


def _next_seq(conn: Connection, column: Any, where: Any) -> int:
    return int(conn.execute(select(func.coalesce(func.max(column), 0)).where(where)).scalar_one()) + 1


def allocate_node(conn: Connection, values: dict[str, Any], *, limit: int = 999) -> NodeRow | None:
    """Insert a node with the next free 3-digit sequence of its region; None when all are used."""
    region = values["region"]
    for _ in range(_RETRIES):
        seq = _next_seq(conn, subject_nodes.c.seq, subject_nodes.c.region == region)
        if seq > limit:
            return None
        row = {**values, "seq": seq, "node_code": f"{region}{seq:03d}"}
        try:
            with conn.begin_nested():
                node_id = conn.execute(
                    insert(subject_nodes).values(**row).returning(subject_nodes.c.id)
                ).scalar_one()
        except IntegrityError:
            continue
        return NodeRow(id=int(node_id), **row)
    raise RuntimeError("node code allocation kept colliding")  # pragma: no cover - needs 20 racing writers


def allocate_operator(
    conn: Connection, node: NodeRow, values: dict[str, Any], *, own: bool
) -> OperatorRow | None:
    """Insert an operator with the next 4-digit sequence of its node (``0000`` when ``own``)."""
    for _ in range(_RETRIES):
        seq = 0 if own else _next_seq(conn, subject_operators.c.seq, subject_operators.c.node_id == node.id)
        if seq > 9999:
            return None
        row = {**values, "node_id": node.id, "seq": seq, "operator_code": f"{node.node_code}{seq:04d}"}
        try:
            with conn.begin_nested():
                op_id = conn.execute(
                    insert(subject_operators).values(**row).returning(subject_operators.c.id)
                ).scalar_one()
        except IntegrityError:
            if own:
                return None
            continue
        return OperatorRow(id=int(op_id), **row)
    raise RuntimeError("operator code allocation kept colliding")  # pragma: no cover


def nodes_of(conn: Connection, subject_id: int) -> list[NodeRow]:
    stmt = select(subject_nodes).where(subject_nodes.c.subject_id == subject_id).order_by(subject_nodes.c.id)
    return [_as(NodeRow, r) for r in conn.execute(stmt)]


def node_by_code(conn: Connection, node_code: str) -> NodeRow | None:
    row = conn.execute(select(subject_nodes).where(subject_nodes.c.node_code == node_code)).first()
    return None if row is None else _as(NodeRow, row)


def operators_of(conn: Connection, node_ids: list[int]) -> list[OperatorRow]:
    if not node_ids:
        return []
    stmt = (
        select(subject_operators)
        .where(subject_operators.c.node_id.in_(node_ids))
        .order_by(subject_operators.c.id)
    )
    return [_as(OperatorRow, r) for r in conn.execute(stmt)]


# --------------------------------------------------------------------------- qualifications


def insert_qualification(conn: Connection, values: dict[str, Any]) -> int | None:
    """Insert a qualification; None when the same licence (kind, number) is on file already."""
    try:
        with conn.begin_nested():
            stmt = insert(subject_qualifications).values(**values).returning(subject_qualifications.c.id)
            return int(conn.execute(stmt).scalar_one())
    except IntegrityError:
        return None


def qualifications_of(conn: Connection, subject_id: int) -> list[QualificationRow]:
    stmt = (
        select(subject_qualifications)
        .where(subject_qualifications.c.subject_id == subject_id)
        .order_by(subject_qualifications.c.id)
    )
    return [_as(QualificationRow, r) for r in conn.execute(stmt)]


def expiring(
    conn: Connection, *, until: date, statuses: tuple[str, ...]
) -> list[tuple[str, str, QualificationRow]]:
    """Qualifications valid until ``until`` or earlier (expired ones too), with subject key and name."""
    stmt = (
        select(subjects.c.key, subjects.c.name.label("subject_name"), subject_qualifications)
        .join(subjects, subjects.c.id == subject_qualifications.c.subject_id)
        .where(subject_qualifications.c.valid_until <= until, subjects.c.status.in_(statuses))
        .order_by(subject_qualifications.c.valid_until, subject_qualifications.c.id)
    )
    return [(r.key, r.subject_name, _as(QualificationRow, r)) for r in conn.execute(stmt)]


# --------------------------------------------------------------------------- audit trail


def insert_audit(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(subject_audit).values(**values))


def audit_of(conn: Connection, subject_id: int) -> list[AuditRow]:
    stmt = select(subject_audit).where(subject_audit.c.subject_id == subject_id).order_by(subject_audit.c.id)
    return [_as(AuditRow, r) for r in conn.execute(stmt)]
