"""SQL of the registry look-ups the integrity checks make: which filed subject (and node) an
event's party or location identifier belongs to, its filing state, and its qualifications.

Identifiers are the ones capture stores (subjects/master_data.py, capture/formats/records.py):
``https://zhuisu.cn/id/subject/{USCC or key}``, ``https://zhuisu.cn/id/node/{node code}``, a party
GLN as ``https://id.gs1.org/417/{GLN}``, a location GLN / SGLN as the node's canonical Digital Link.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import unquote

from sqlalchemy import Connection, func, or_, select

from zhuisu.domain.epc import CANONICAL_HOST
from zhuisu.domain.parties import NODE_BASE, SUBJECT_BASE
from zhuisu.store.subject_tables import subject_audit, subject_nodes, subject_qualifications, subjects

ZS_SUBJECT = SUBJECT_BASE
ZS_NODE = NODE_BASE
GS1_PARTY = f"{CANONICAL_HOST}/417/"
GS1_LOCATION = f"{CANONICAL_HOST}/414/"
_CHUNK = 500
_REVOKED = "filing.revoked"


@dataclass(frozen=True, slots=True)
class Holder:
    """The filed subject behind an identifier; ``region`` is the node's where the id is a node."""

    subject_id: int
    key: str
    name: str
    status: str
    region: str
    revoked_us: int | None
    subject_type: str


@dataclass(frozen=True, slots=True)
class Qualification:
    subject_id: int
    kind: str
    number: str
    valid_until: date | None


def is_subject_ref(identifier: str) -> bool:
    """Whether an identifier names a party or a place the registry could know."""
    return identifier.startswith((ZS_SUBJECT, ZS_NODE, GS1_PARTY, GS1_LOCATION))


def holders(conn: Connection, identifiers: Iterable[str]) -> dict[str, Holder]:
    """identifier → the subject it belongs to, for those the registry knows (any filing state)."""
    by_key: dict[str, list[str]] = {}
    by_pgln: dict[str, list[str]] = {}
    by_node: dict[str, list[str]] = {}
    by_gln: dict[str, list[str]] = {}
    for ident in set(identifiers):
        if ident.startswith(ZS_SUBJECT):
            by_key.setdefault(unquote(ident[len(ZS_SUBJECT) :]), []).append(ident)
        elif ident.startswith(ZS_NODE):
            by_node.setdefault(unquote(ident[len(ZS_NODE) :]), []).append(ident)
        elif ident.startswith(GS1_PARTY):
            by_pgln.setdefault(ident[len(GS1_PARTY) :], []).append(ident)
        elif ident.startswith(GS1_LOCATION):
            by_gln.setdefault(ident, []).append(ident)
    cols = (subjects.c.id, subjects.c.key, subjects.c.name, subjects.c.status, subjects.c.subject_type)
    out: dict[str, tuple[int, str, str, str, str, str]] = {}
    for wanted, match, node_col in (
        (by_key, (subjects.c.key, subjects.c.uscc), None),
        (by_pgln, (subjects.c.pgln,), None),
        (by_node, (), subject_nodes.c.node_code),
        (by_gln, (), subject_nodes.c.gln),
    ):
        values = sorted(wanted)
        for start in range(0, len(values), _CHUNK):
            chunk = values[start : start + _CHUNK]
            if node_col is None:
                stmt = select(*cols, subjects.c.region, *match).where(or_(*(c.in_(chunk) for c in match)))
                for row in conn.execute(stmt):
                    for value in row[6:]:
                        for ident in wanted.get(value or "", ()):
                            out[ident] = (row[0], row[1], row[2], row[3], row[5], row[4])
            else:
                stmt = (
                    select(*cols, subject_nodes.c.region, node_col)
                    .join(subject_nodes, subject_nodes.c.subject_id == subjects.c.id)
                    .where(node_col.in_(chunk))
                )
                for row in conn.execute(stmt):
                    for ident in wanted.get(row[6], ()):
                        out[ident] = (row[0], row[1], row[2], row[3], row[5], row[4])
    revoked = _revocations(conn, {v[0] for v in out.values() if v[3] == "revoked"})
    return {ident: Holder(*v[:5], revoked.get(v[0]), v[5]) for ident, v in out.items()}


def _revocations(conn: Connection, subject_ids: set[int]) -> dict[int, int]:
    """subject id → when it was revoked (the audit trail's ``filing.revoked``)."""
    if not subject_ids:
        return {}
    stmt = (
        select(subject_audit.c.subject_id, func.max(subject_audit.c.at_us))
        .where(subject_audit.c.subject_id.in_(sorted(subject_ids)), subject_audit.c.action == _REVOKED)
        .group_by(subject_audit.c.subject_id)
    )
    return {int(r[0]): int(r[1]) for r in conn.execute(stmt)}


def qualifications(conn: Connection, subject_ids: Iterable[int]) -> list[Qualification]:
    """Every qualification (licence) of the subjects."""
    wanted = sorted(set(subject_ids))
    out: list[Qualification] = []
    cols = (
        subject_qualifications.c.subject_id,
        subject_qualifications.c.kind,
        subject_qualifications.c.number,
        subject_qualifications.c.valid_until,
    )
    for start in range(0, len(wanted), _CHUNK):
        stmt = select(*cols).where(subject_qualifications.c.subject_id.in_(wanted[start : start + _CHUNK]))
        out.extend(Qualification(int(r[0]), r[1], r[2], r[3]) for r in conn.execute(stmt))
    return out
