"""Filing (备案) of subjects, their nodes, operators and qualifications — the workflow and its queries.

submitted → approved / rejected (with a reason); an approved subject files changes (→ changed,
re-reviewed: approved applies the change, rejected keeps the data in force) and may be revoked.
Filing is idempotent by key (USCC, or the individual's ID-card hash): a subject already submitted
or filed is returned as it is (全国肉类蔬菜流通追溯体系建设规范(试行): "已在其他节点备案者无须再备案").
Every step writes the audit trail through ``audit.record``. Services take a connection and never
commit; ``now`` is injectable so that deadlines can be tested.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import orjson
from sqlalchemy import Connection

from zhuisu.errors import Conflict, NotFound, ValidationFailed
from zhuisu.store import subjects as store
from zhuisu.subjects import audit, identity
from zhuisu.subjects.rules import (
    CHANGE_DEADLINE_DAYS,
    IN_FORCE,
    STATUS_ZH,
    AuditAction,
    FilingKind,
    FilingStatus,
    Status,
    is_late,
)
from zhuisu.subjects.schemas import (
    ChangeInput,
    FilingInput,
    NodeInput,
    OperatorInput,
    QualificationInput,
    SubjectData,
)

#: China Standard Time (UTC+8, no daylight saving): the calendar of filing deadlines and licences.
CST = timezone(timedelta(hours=8))
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DATA_FIELDS = tuple(SubjectData.model_fields)


@dataclass(frozen=True, slots=True)
class FilingResult:
    subject: dict[str, Any]
    created: bool


@dataclass(frozen=True, slots=True)
class ChangeResult:
    subject: dict[str, Any]
    late: bool


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(UTC)


def _us(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _iso(us: int | None) -> str | None:
    if us is None:
        return None
    return (_EPOCH + timedelta(microseconds=us)).astimezone(CST).isoformat(timespec="seconds")


def _data_values(data: SubjectData) -> dict[str, Any]:
    values = data.model_dump(mode="json")
    values["node_types"] = orjson.dumps(values["node_types"]).decode()
    return values


def _row_data(row: store.SubjectRow) -> dict[str, Any]:
    values = {name: getattr(row, name) for name in _DATA_FIELDS}
    values["node_types"] = orjson.loads(row.node_types)
    return values


# --------------------------------------------------------------------------- documents


def subject_document(row: store.SubjectRow) -> dict[str, Any]:
    return {
        "key": row.key,
        "kind": row.kind,
        "uscc": row.uscc,
        "id_card": row.id_masked,
        **_row_data(row),
        "region_name": identity.region_name(row.region),
        "status": row.status,
        "status_zh": STATUS_ZH[Status(row.status)],
        "filed_at": _iso(row.filed_us),
        "updated_at": _iso(row.updated_us),
    }


def _node_document(node: store.NodeRow, operators: list[store.OperatorRow]) -> dict[str, Any]:
    return {
        "node_code": node.node_code,
        "region": node.region,
        "name": node.name,
        "kind": node.kind,
        "node_type": node.node_type,
        "stall_no": node.stall_no,
        "address": node.address,
        "gln": node.gln,
        "operators": [_operator_document(o) for o in operators if o.node_id == node.id],
    }


def _operator_document(op: store.OperatorRow) -> dict[str, Any]:
    return {"operator_code": op.operator_code, "name": op.name, "stall_no": op.stall_no}


def _qualification_document(q: store.QualificationRow) -> dict[str, Any]:
    return {
        "kind": q.kind,
        "number": q.number,
        "valid_until": q.valid_until.isoformat() if q.valid_until else None,
        "issued_by": q.issued_by,
    }


def _filing_document(f: store.FilingRow) -> dict[str, Any]:
    return {
        "id": f.id,
        "kind": f.kind,
        "status": f.status,
        "submitted_at": _iso(f.submitted_us),
        "changed_on": f.changed_on.isoformat() if f.changed_on else None,
        "late": f.late,
        "decided_at": _iso(f.decided_us),
        "reason": f.reason,
        "data": orjson.loads(f.data),
    }


# --------------------------------------------------------------------------- lookups


def _require(conn: Connection, key: str) -> store.SubjectRow:
    row = store.subject_by_key(conn, key.strip().upper())
    if row is None:
        raise NotFound(f"没有备案主体 {key}", f"no filed subject {key}")
    return row


def _refuse(row: store.SubjectRow, verb_zh: str, verb_en: str) -> Conflict:
    status = Status(row.status)
    return Conflict(
        f"主体 {row.key} 当前状态为「{STATUS_ZH[status]}」,不能{verb_zh}",
        f"subject {row.key} is {status}: cannot {verb_en}",
    )


def _decide(
    conn: Connection,
    row: store.SubjectRow,
    status: FilingStatus,
    t: int,
    actor: str | None,
    reason: str | None = None,
) -> store.FilingRow:
    filing = store.pending_filing(conn, row.id)
    if filing is None:  # pragma: no cover - every submitted/changed subject has its pending filing
        raise Conflict(f"主体 {row.key} 没有待审核的备案", f"subject {row.key} has no pending filing")
    store.update_filing(
        conn, filing.id, {"status": str(status), "decided_us": t, "actor": actor, "reason": reason}
    )
    return filing


# --------------------------------------------------------------------------- the workflow


def file_subject(
    conn: Connection, filing: FilingInput, *, now: datetime | None = None, actor: str | None = None
) -> FilingResult:
    """File a subject (备案). Idempotent: an already submitted or filed subject comes back unchanged."""
    t = _us(_now(now))
    if filing.uscc is not None:
        key = filing.uscc
        ident: dict[str, Any] = {"kind": "organisation", "uscc": key, "id_hash": None, "id_masked": None}
    else:
        assert filing.id_card is not None  # FilingInput guarantees one of the two
        digest = identity.id_hash(conn, filing.id_card)
        key = identity.individual_key(digest)
        ident = {
            "kind": "individual",
            "uscc": None,
            "id_hash": digest,
            "id_masked": identity.mask(filing.id_card),
        }
    data = filing.data()
    values = _data_values(data)
    existing = store.subject_by_key(conn, key)
    subject_id = None
    if existing is None:
        subject_id = store.insert_subject(
            conn,
            {"key": key, **ident, **values, "status": str(Status.SUBMITTED), "filed_us": t, "updated_us": t},
        )
        if subject_id is None:  # filed by a concurrent request in the meantime
            existing = store.subject_by_key(conn, key)
    action = AuditAction.SUBMITTED
    if existing is not None:
        if Status(existing.status) not in (Status.REJECTED, Status.REVOKED):
            return FilingResult(subject_document(existing), created=False)
        subject_id, action = existing.id, AuditAction.RESUBMITTED
        store.update_subject(conn, subject_id, {**values, "status": str(Status.SUBMITTED), "updated_us": t})
    assert subject_id is not None
    store.insert_filing(
        conn,
        {
            "subject_id": subject_id,
            "kind": str(FilingKind.INITIAL),
            "data": orjson.dumps(data.model_dump(mode="json")).decode(),
            "status": str(FilingStatus.SUBMITTED),
            "submitted_us": t,
            "late": False,
            "actor": actor,
        },
    )
    audit.record(conn, action, subject_id, at_us=t, actor=actor, detail={"key": key, "name": data.name})
    on_file = {(q.kind, q.number) for q in store.qualifications_of(conn, subject_id)}
    for q in filing.qualifications:
        if (str(q.kind), q.number) not in on_file:  # a re-filing repeats the licences already on file
            _insert_qualification(conn, subject_id, key, q, t, actor)
    row = store.subject_by_id(conn, subject_id)
    assert row is not None
    return FilingResult(subject_document(row), created=True)


def approve(
    conn: Connection, key: str, *, now: datetime | None = None, actor: str | None = None
) -> dict[str, Any]:
    """Approve the pending filing: a first filing files the subject, a change takes effect."""
    row = _require(conn, key)
    status = Status(row.status)
    if status not in (Status.SUBMITTED, Status.CHANGED):
        raise _refuse(row, "审核通过", "approve")
    t = _us(_now(now))
    filing = _decide(conn, row, FilingStatus.APPROVED, t, actor)
    values: dict[str, Any] = {"status": str(Status.APPROVED), "updated_us": t}
    if status is Status.CHANGED:
        values |= _data_values(SubjectData.model_validate(orjson.loads(filing.data)))
    store.update_subject(conn, row.id, values)
    action = AuditAction.CHANGE_APPROVED if status is Status.CHANGED else AuditAction.APPROVED
    audit.record(conn, action, row.id, at_us=t, actor=actor, detail={"filing": filing.id})
    return subject_document(_require(conn, key))


def reject(
    conn: Connection, key: str, reason: str, *, now: datetime | None = None, actor: str | None = None
) -> dict[str, Any]:
    """Reject the pending filing with a reason; a rejected change leaves the filed data in force."""
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("驳回须说明理由", "a rejection needs a reason")
    row = _require(conn, key)
    status = Status(row.status)
    if status not in (Status.SUBMITTED, Status.CHANGED):
        raise _refuse(row, "驳回", "reject")
    t = _us(_now(now))
    filing = _decide(conn, row, FilingStatus.REJECTED, t, actor, reason)
    target = Status.APPROVED if status is Status.CHANGED else Status.REJECTED
    store.update_subject(conn, row.id, {"status": str(target), "updated_us": t})
    action = AuditAction.CHANGE_REJECTED if status is Status.CHANGED else AuditAction.REJECTED
    audit.record(conn, action, row.id, at_us=t, actor=actor, detail={"filing": filing.id, "reason": reason})
    return subject_document(_require(conn, key))


def change(
    conn: Connection, key: str, changes: ChangeInput, *, now: datetime | None = None, actor: str | None = None
) -> ChangeResult:
    """File a change of a filed subject for re-review; late when filed after the 2-day deadline.

    上海市食品安全信息追溯管理办法 Art.12: the e-file is updated within 2 days of a change. The day of
    the change defaults to today (CST); a later change replaces a change still under review.
    """
    row = _require(conn, key)
    if Status(row.status) not in IN_FORCE:
        raise _refuse(row, "变更", "file a change")
    moment = _now(now)
    t = _us(moment)
    filed_on = moment.astimezone(CST).date()
    changed_on = changes.changed_on or filed_on
    if changed_on > filed_on:
        raise ValidationFailed(
            f"变更日期 {changed_on} 晚于今天 {filed_on}",
            f"the change date {changed_on} is after today {filed_on}",
        )
    given = changes.model_dump(mode="json", exclude_unset=True, exclude={"changed_on"})
    if not given:
        raise ValidationFailed("变更中没有任何字段", "the change names no field")
    pending = store.pending_filing(conn, row.id)
    base = orjson.loads(pending.data) if pending is not None else _row_data(row)
    if pending is not None:
        store.update_filing(conn, pending.id, {"status": str(FilingStatus.SUPERSEDED), "decided_us": t})
    merged = SubjectData.model_validate({**base, **given})
    late = is_late(changed_on, filed_on)
    filing_id = store.insert_filing(
        conn,
        {
            "subject_id": row.id,
            "kind": str(FilingKind.CHANGE),
            "data": orjson.dumps(merged.model_dump(mode="json")).decode(),
            "status": str(FilingStatus.SUBMITTED),
            "submitted_us": t,
            "changed_on": changed_on,
            "late": late,
            "actor": actor,
        },
    )
    store.update_subject(conn, row.id, {"status": str(Status.CHANGED), "updated_us": t})
    detail = {
        "filing": filing_id,
        "fields": sorted(given),
        "changed_on": changed_on.isoformat(),
        "late": late,
    }
    audit.record(conn, AuditAction.CHANGED, row.id, at_us=t, actor=actor, detail=detail)
    if late:
        audit.record(
            conn,
            AuditAction.CHANGE_LATE,
            row.id,
            at_us=t,
            actor=actor,
            detail={
                "filing": filing_id,
                "changed_on": changed_on.isoformat(),
                "filed_on": filed_on.isoformat(),
                "deadline_days": CHANGE_DEADLINE_DAYS,
            },
        )
    return ChangeResult(subject_document(_require(conn, key)), late)


def revoke(
    conn: Connection, key: str, reason: str, *, now: datetime | None = None, actor: str | None = None
) -> dict[str, Any]:
    """Revoke (注销) a filed subject; a change under review is closed with it."""
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("注销须说明理由", "a revocation needs a reason")
    row = _require(conn, key)
    if Status(row.status) not in IN_FORCE:
        raise _refuse(row, "注销", "revoke")
    t = _us(_now(now))
    pending = store.pending_filing(conn, row.id)
    if pending is not None:
        store.update_filing(conn, pending.id, {"status": str(FilingStatus.SUPERSEDED), "decided_us": t})
    store.update_subject(conn, row.id, {"status": str(Status.REVOKED), "updated_us": t})
    audit.record(conn, AuditAction.REVOKED, row.id, at_us=t, actor=actor, detail={"reason": reason})
    return subject_document(_require(conn, key))


# --------------------------------------------------------------------------- nodes, operators, licences


def _require_active(conn: Connection, key: str, verb_zh: str, verb_en: str) -> store.SubjectRow:
    row = _require(conn, key)
    if Status(row.status) in (Status.REJECTED, Status.REVOKED):
        raise _refuse(row, verb_zh, verb_en)
    return row


def add_node(
    conn: Connection, key: str, node: NodeInput, *, now: datetime | None = None, actor: str | None = None
) -> dict[str, Any]:
    """Add a node and allocate its code: region (6) + the region's next 3-digit sequence (SB/T 10680)."""
    row = _require_active(conn, key, "新增节点", "add a node")
    t = _us(_now(now))
    region = node.region or row.region
    values = {
        "subject_id": row.id,
        "region": region,
        "name": node.name,
        "kind": str(node.kind),
        "node_type": str(node.node_type),
        "stall_no": node.stall_no,
        "address": node.address,
        "gln": node.gln,
        "created_us": t,
    }
    created = store.allocate_node(conn, values)
    if created is None:
        raise Conflict(
            f"地区 {region} 的 999 个节点编码已用尽", f"all 999 node codes of region {region} are in use"
        )
    audit.record(
        conn, AuditAction.NODE_ADDED, row.id, at_us=t, actor=actor, detail={"node_code": created.node_code}
    )
    return _node_document(created, [])


def add_operator(
    conn: Connection,
    key: str,
    node_code: str,
    operator: OperatorInput,
    *,
    now: datetime | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """Add an operator to a node: node code + 4-digit sequence (``0000`` for the node itself)."""
    row = _require_active(conn, key, "新增经营者", "add an operator")
    node = store.node_by_code(conn, node_code)
    if node is None or node.subject_id != row.id:
        raise NotFound(f"主体 {row.key} 没有节点 {node_code}", f"subject {row.key} has no node {node_code}")
    t = _us(_now(now))
    created = store.allocate_operator(
        conn, node, {"name": operator.name, "stall_no": operator.stall_no, "created_us": t}, own=operator.own
    )
    if created is None:
        raise Conflict(
            f"节点 {node_code} 无可用的经营者编码(或自身经营者已登记)",
            f"node {node_code} has no operator code left (or its own operator is registered already)",
        )
    audit.record(
        conn,
        AuditAction.OPERATOR_ADDED,
        row.id,
        at_us=t,
        actor=actor,
        detail={"operator_code": created.operator_code},
    )
    return _operator_document(created)


def _insert_qualification(
    conn: Connection, subject_id: int, key: str, q: QualificationInput, t: int, actor: str | None
) -> dict[str, Any]:
    values = {**q.model_dump(), "kind": str(q.kind), "subject_id": subject_id, "created_us": t}
    if store.insert_qualification(conn, values) is None:
        raise Conflict(f"资质 {q.kind} {q.number} 已登记", f"licence {q.kind} {q.number} is on file already")
    audit.record(
        conn,
        AuditAction.QUALIFICATION_ADDED,
        subject_id,
        at_us=t,
        actor=actor,
        detail={"kind": str(q.kind), "number": q.number, "subject": key},
    )
    return q.model_dump(mode="json")


def add_qualification(
    conn: Connection,
    key: str,
    q: QualificationInput,
    *,
    now: datetime | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    row = _require_active(conn, key, "登记资质", "add a qualification")
    return _insert_qualification(conn, row.id, row.key, q, _us(_now(now)), actor)


# --------------------------------------------------------------------------- queries


def get_subject(conn: Connection, key: str) -> dict[str, Any]:
    """A subject with its nodes and operators, qualifications, filings and audit trail."""
    row = _require(conn, key)
    nodes = store.nodes_of(conn, row.id)
    operators = store.operators_of(conn, [n.id for n in nodes])
    return {
        **subject_document(row),
        "nodes": [_node_document(n, operators) for n in nodes],
        "qualifications": [_qualification_document(q) for q in store.qualifications_of(conn, row.id)],
        "filings": [_filing_document(f) for f in store.filings_of(conn, row.id)],
        "audit": [
            {
                "action": a.action,
                "at": _iso(a.at_us),
                "actor": a.actor,
                "detail": orjson.loads(a.detail) if a.detail else {},
            }
            for a in store.audit_of(conn, row.id)
        ],
    }


def subject_names(conn: Connection, keys: Iterable[str]) -> dict[str, str]:
    """key as given → filed name, for those that name a filed subject (any filing state); the
    pages that only show who held what read this instead of whole subjects (``get_subject``)."""
    given = {key: key.strip().upper() for key in keys if key and key.strip()}
    names = store.names_by_key(conn, given.values())
    return {key: names[norm] for key, norm in given.items() if norm in names}


def list_subjects(
    conn: Connection,
    *,
    status: Status | None = None,
    region: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Subjects in filing order; ``region`` matches a region code prefix (``37`` = all of Shandong)."""
    rows = store.list_subjects(
        conn, status=None if status is None else str(status), region_prefix=region, limit=limit, offset=offset
    )
    return [subject_document(r) for r in rows]


def expiring_qualifications(
    conn: Connection, within_days: int, *, today: date | None = None
) -> list[dict[str, Any]]:
    """Licences of subjects in force that expire within ``within_days`` days (or have expired)."""
    day = today or datetime.now(CST).date()
    rows = store.expiring(
        conn, until=day + timedelta(days=within_days), statuses=tuple(str(s) for s in IN_FORCE)
    )
    out = []
    for key, name, q in rows:
        assert q.valid_until is not None
        out.append(
            {
                "subject": key,
                "subject_name": name,
                **_qualification_document(q),
                "days_left": (q.valid_until - day).days,
                "expired": q.valid_until < day,
            }
        )
    return out


def late_changes(conn: Connection) -> list[dict[str, Any]]:
    """Change filings made after the 2-day deadline (上海办法 Art.12), oldest first."""
    return [{"subject": key, **_filing_document(f)} for key, f in store.late_filings(conn)]
