"""Trace-code issuance (赋码): requests, review, allocation, and each code's life.

A filed subject (approved, or approved with a change under review) requests a block of codes in one
scheme (:class:`~zhuisu.subjects.schemas.CodeScheme`):

* ``zhuisu.platform`` — region (6) + platform subject number (5) + sequence (10) + mod-31 check
  character (our design, docs/standards.md "Code schemes"); the subject number is allocated per
  region the first time a subject asks;
* ``gs1.sgtin`` — serials (AI 21) under a GTIN the subject declares (GS1 General Specifications
  §3.5.2, §4.14: the brand owner allocates serials); a GTIN serves the first subject that uses it;
* ``cn.meat_veg`` — the 20-digit meat & vegetable circulation trace code, read as the subject's
  operator code (13, SB/T 10680) + a 7-digit serial [inferred, see ``domain.codes.cn_trace``].

requested → issued (a regulator approves, or the ``codes_auto_approve`` setting does) | rejected.
Approval allocates the numbers from the (scheme, prefix) sequence row in the same transaction and
writes one row per code; each code then moves issued → used (seen in a captured event, through
:func:`mark_used`) and issued/used → voided (with a reason). Every step is in the subject audit
trail. Services take a connection and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection

from zhuisu.domain import epc
from zhuisu.domain.codes.cn_trace import PLATFORM_SEQUENCE_DIGITS, PLATFORM_SUBJECT_DIGITS, platform_code
from zhuisu.errors import Conflict, NotFound, ValidationFailed
from zhuisu.store import codes as store
from zhuisu.store import subjects as subject_store
from zhuisu.subjects import audit
from zhuisu.subjects.audit import CodeAction
from zhuisu.subjects.codes import check_code
from zhuisu.subjects.rules import IN_FORCE, Status
from zhuisu.subjects.schemas import CodeRequestInput, CodeScheme

CST = timezone(timedelta(hours=8))
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

#: The sequence of platform subject numbers within a region (a (scheme, prefix) row of its own).
SUBJECT_NUMBER_SEQUENCE = "zhuisu.platform.subject"

#: The largest sequence number each scheme's layout can hold.
CAPACITY = {
    CodeScheme.PLATFORM: 10**PLATFORM_SEQUENCE_DIGITS - 1,
    CodeScheme.MEAT_VEG: 10**7 - 1,  # 20 digits = operator code 13 + serial 7
    CodeScheme.SGTIN: 10**20 - 1,  # AI 21 holds up to 20 characters (GenSpecs §3.5.2)
}


class RequestStatus(StrEnum):
    REQUESTED = "requested"  # 待审核
    ISSUED = "issued"  # 已发放
    REJECTED = "rejected"  # 已驳回


class CodeStatus(StrEnum):
    ISSUED = "issued"  # 已发放,未使用
    USED = "used"  # 已使用 (seen in a captured event)
    VOIDED = "voided"  # 已作废


STATUS_ZH: dict[str, str] = {
    "requested": "待审核",
    "issued": "已发放",
    "rejected": "已驳回",
    "used": "已使用",
    "voided": "已作废",
}
SCHEME_ZH = {
    CodeScheme.PLATFORM: "平台追溯码",
    CodeScheme.SGTIN: "GS1 系列化商品标识(SGTIN)",
    CodeScheme.MEAT_VEG: "肉类蔬菜流通追溯码",
}


@dataclass(frozen=True, slots=True)
class UseResult:
    """What :func:`mark_used` found: codes now used, codes used before, voided codes seen."""

    marked: tuple[str, ...]
    already_used: tuple[str, ...]
    voided: tuple[str, ...]


def _us(now: datetime | None) -> int:
    return ((now or datetime.now(UTC)) - _EPOCH) // timedelta(microseconds=1)


def _iso(us: int | None) -> str | None:
    if us is None:
        return None
    return (_EPOCH + timedelta(microseconds=us)).astimezone(CST).isoformat(timespec="seconds")


# --------------------------------------------------------------------------- composing codes


def compose(scheme: CodeScheme, prefix: str, seq: int) -> str:
    """The canonical code number ``seq`` under ``prefix`` (GS1: the canonical Digital Link, CBV §8.9)."""
    if scheme is CodeScheme.PLATFORM:
        return platform_code(prefix[:6], int(prefix[6:]), seq)
    if scheme is CodeScheme.SGTIN:
        # GS1 Digital Link standard §4: /01/{gtin14}/21/{serial}; digit serials need no escaping
        return f"{epc.CANONICAL_HOST}/01/{prefix}/21/{seq}"
    return f"{prefix}{seq:07d}"


def canonical(code: str) -> str:
    """Any spelling of a code (element string, EPC URN, spaced digits) → the form codes are kept in."""
    return check_code(code).canonical


# --------------------------------------------------------------------------- documents


def request_document(key: str, r: store.RequestRow) -> dict[str, Any]:
    scheme = CodeScheme(r.scheme)
    out: dict[str, Any] = {
        "id": r.id,
        "subject": key,
        "scheme": r.scheme,
        "scheme_zh": SCHEME_ZH[scheme],
        "prefix": r.prefix,
        "count": r.count,
        "product_name": r.product_name,
        "category": r.category,
        "status": r.status,
        "status_zh": STATUS_ZH[r.status],
        "reason": r.reason,
        "requested_at": _iso(r.requested_us),
        "decided_at": _iso(r.decided_us),
        "actor": r.actor,
        "first_code": None,
        "last_code": None,
    }
    if r.first_seq is not None and r.last_seq is not None:
        out["first_code"] = compose(scheme, r.prefix, r.first_seq)
        out["last_code"] = compose(scheme, r.prefix, r.last_seq)
    return out


def code_document(key: str, c: store.CodeRow, r: store.RequestRow) -> dict[str, Any]:
    return {
        "code": c.code,
        "scheme": c.scheme,
        "status": c.status,
        "status_zh": STATUS_ZH[c.status],
        "subject": key,
        "request_id": c.request_id,
        "product_name": r.product_name,
        "category": r.category,
        "issued_at": _iso(c.issued_us),
        "used_at": _iso(c.used_us),
        "voided_at": _iso(c.voided_us),
        "void_reason": c.void_reason,
    }


# --------------------------------------------------------------------------- lookups


def _subject(conn: Connection, key: str) -> subject_store.SubjectRow:
    row = subject_store.subject_by_key(conn, key.strip().upper())
    if row is None:
        raise NotFound(f"没有备案主体 {key}", f"no filed subject {key}")
    if Status(row.status) not in IN_FORCE:
        raise Conflict(
            f"主体 {row.key} 未备案通过(状态 {row.status}),不能申请追溯码",
            f"subject {row.key} is {row.status}, not filed: it cannot request trace codes",
        )
    return row


def _request(conn: Connection, request_id: int) -> tuple[str, store.RequestRow]:
    r = store.request_by_id(conn, request_id)
    subject = None if r is None else subject_store.subject_by_id(conn, r.subject_id)
    if r is None or subject is None:
        raise NotFound(f"没有赋码申请 {request_id}", f"no code request {request_id}")
    return subject.key, r


def _platform_prefix(conn: Connection, subject: subject_store.SubjectRow) -> str:
    """Region + the subject's 5-digit platform number, allocated in its region on first use."""
    found = store.subject_number(conn, subject.id)
    if found is None:
        # lock the region's number sequence first (a block of 0), then look again: a concurrent
        # first request of the same subject may have numbered it while this one waited for the lock
        store.allocate(conn, SUBJECT_NUMBER_SEQUENCE, subject.region, 0, owner=None)
        found = store.subject_number(conn, subject.id)
    if found is None:
        block = store.allocate(conn, SUBJECT_NUMBER_SEQUENCE, subject.region, 1, owner=None)
        if block.last >= 10**PLATFORM_SUBJECT_DIGITS:
            raise Conflict(
                f"地区 {subject.region} 的平台主体编号已用尽",
                f"all platform subject numbers of region {subject.region} are in use",
            )
        if not store.insert_subject_number(conn, subject.id, subject.region, block.last):
            found = store.subject_number(conn, subject.id)  # numbered by a concurrent request
        else:
            found = (subject.region, block.last)
    assert found is not None
    region, number = found
    return f"{region}{number:0{PLATFORM_SUBJECT_DIGITS}d}"


def _prefix(conn: Connection, subject: subject_store.SubjectRow, body: CodeRequestInput) -> str:
    if body.scheme is CodeScheme.PLATFORM:
        return _platform_prefix(conn, subject)
    if body.scheme is CodeScheme.SGTIN:
        assert body.gtin is not None  # CodeRequestInput guarantees it
        return body.gtin
    assert body.operator_code is not None
    if store.operator_subject(conn, body.operator_code) != subject.id:
        raise ValidationFailed(
            f"经营者编码 {body.operator_code} 不属于主体 {subject.key}",
            f"operator code {body.operator_code} does not belong to subject {subject.key}",
        )
    return body.operator_code


# --------------------------------------------------------------------------- the workflow


def request_codes(
    conn: Connection,
    body: CodeRequestInput,
    *,
    auto_approve: bool = False,
    max_count: int = 100_000,
    now: datetime | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """Record a request for a block of codes (赋码申请); with ``auto_approve`` issue it at once."""
    if body.count > max_count:
        raise ValidationFailed(
            f"一次最多申请 {max_count} 个追溯码,申请了 {body.count} 个",
            f"at most {max_count} codes per request, {body.count} asked",
        )
    subject = _subject(conn, body.subject)
    t = _us(now)
    prefix = _prefix(conn, subject, body)
    request_id = store.insert_request(
        conn,
        {
            "subject_id": subject.id,
            "scheme": str(body.scheme),
            "prefix": prefix,
            "count": body.count,
            "product_name": body.product_name,
            "category": body.category,
            "status": str(RequestStatus.REQUESTED),
            "requested_us": t,
            "actor": actor,
        },
    )
    detail = {"request": request_id, "scheme": str(body.scheme), "prefix": prefix, "count": body.count}
    audit.record(conn, CodeAction.REQUESTED, subject.id, at_us=t, actor=actor, detail=detail)
    if auto_approve:
        return approve_request(conn, request_id, now=now, actor=actor or "auto")
    return get_request(conn, request_id)


def _pending(conn: Connection, request_id: int, verb_zh: str, verb_en: str) -> tuple[str, store.RequestRow]:
    key, r = _request(conn, request_id)
    if r.status != RequestStatus.REQUESTED:
        raise Conflict(
            f"赋码申请 {request_id} 状态为「{STATUS_ZH[r.status]}」,不能{verb_zh}",
            f"code request {request_id} is {r.status}: cannot {verb_en}",
        )
    return key, r


def approve_request(
    conn: Connection, request_id: int, *, now: datetime | None = None, actor: str | None = None
) -> dict[str, Any]:
    """Approve a request: allocate its block under the prefix's locked sequence row and issue the codes."""
    _key, r = _pending(conn, request_id, "审核通过", "approve")
    scheme = CodeScheme(r.scheme)
    owner = None if scheme is CodeScheme.PLATFORM else r.subject_id
    block = store.allocate(conn, r.scheme, r.prefix, r.count, owner=owner)
    if block.owner is not None and block.owner != r.subject_id:
        raise Conflict(
            f"{r.prefix} 已由其他主体用于赋码", f"{r.prefix} is used for trace codes by another subject"
        )
    if block.last > CAPACITY[scheme]:
        left = max(CAPACITY[scheme] - block.first + 1, 0)
        raise Conflict(
            f"{r.prefix} 下可用的追溯码只剩 {left} 个", f"only {left} codes are left under {r.prefix}"
        )
    t = _us(now)
    rows = [
        {
            "code": compose(scheme, r.prefix, seq),
            "request_id": r.id,
            "subject_id": r.subject_id,
            "scheme": r.scheme,
            "seq": seq,
            "status": str(CodeStatus.ISSUED),
            "issued_us": t,
        }
        for seq in range(block.first, block.last + 1)
    ]
    store.insert_codes(conn, rows)
    store.update_request(
        conn,
        r.id,
        {
            "status": str(RequestStatus.ISSUED),
            "decided_us": t,
            "actor": actor,
            "first_seq": block.first,
            "last_seq": block.last,
        },
    )
    detail = {"request": r.id, "count": r.count, "first": rows[0]["code"], "last": rows[-1]["code"]}
    audit.record(conn, CodeAction.ISSUED, r.subject_id, at_us=t, actor=actor, detail=detail)
    return get_request(conn, request_id)


def reject_request(
    conn: Connection, request_id: int, reason: str, *, now: datetime | None = None, actor: str | None = None
) -> dict[str, Any]:
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("驳回须说明理由", "a rejection needs a reason")
    _key, r = _pending(conn, request_id, "驳回", "reject")
    t = _us(now)
    store.update_request(
        conn, r.id, {"status": str(RequestStatus.REJECTED), "decided_us": t, "actor": actor, "reason": reason}
    )
    detail = {"request": r.id, "reason": reason}
    audit.record(conn, CodeAction.REJECTED, r.subject_id, at_us=t, actor=actor, detail=detail)
    return get_request(conn, request_id)


def get_request(conn: Connection, request_id: int) -> dict[str, Any]:
    key, r = _request(conn, request_id)
    return {**request_document(key, r), "codes": store.count_codes(conn, r.id)}


def list_requests(
    conn: Connection,
    *,
    subject: str | None = None,
    status: RequestStatus | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Requests newest first, of one subject or of all."""
    subject_id = None
    if subject is not None:
        row = subject_store.subject_by_key(conn, subject.strip().upper())
        if row is None:
            return []
        subject_id = row.id
    rows = store.list_requests(
        conn,
        subject_id=subject_id,
        status=None if status is None else str(status),
        limit=limit,
        offset=offset,
    )
    return [request_document(key, r) for key, r in rows]


def _issued(conn: Connection, code: str) -> tuple[str, store.CodeRow, store.RequestRow]:
    wanted = canonical(code)
    found = store.code_with_request(conn, wanted)
    if found is None:
        raise NotFound(
            f"追溯码 {code} 不是本平台发放的", f"trace code {code} was not issued by this platform"
        )
    key, row, request = found
    return key, in_use(conn, [row])[0], request


def in_use(conn: Connection, rows: list[store.CodeRow]) -> list[store.CodeRow]:
    """The codes as the event store sees them: an issued code that a stored event names is used,
    from that event's recordTime. Derived at read time, so no capture path (API, records, imports,
    other platforms' documents) has to remember to mark it, and none can forget to."""
    fresh = [c.code for c in rows if c.status == CodeStatus.ISSUED]
    uses = store.first_uses(conn, fresh) if fresh else {}
    return [
        replace(c, status=str(CodeStatus.USED), used_us=uses[c.code]) if c.code in uses else c for c in rows
    ]


def code_status(conn: Connection, code: str) -> dict[str, Any]:
    """The state of an issued code (issued / used / voided) with its subject and product."""
    return code_document(*_issued(conn, code))


def void_code(
    conn: Connection, code: str, reason: str, *, now: datetime | None = None, actor: str | None = None
) -> dict[str, Any]:
    """Void a code (作废: a damaged or lost label, a wrong print), with a reason; once only."""
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("作废须说明理由", "voiding a code needs a reason")
    _key, c, _r = _issued(conn, code)
    if c.status == CodeStatus.VOIDED:
        raise Conflict(f"追溯码 {c.code} 已作废", f"trace code {c.code} is voided already")
    t = _us(now)
    store.update_code(conn, c.id, {"status": str(CodeStatus.VOIDED), "voided_us": t, "void_reason": reason})
    detail = {"code": c.code, "was": c.status, "reason": reason}
    audit.record(conn, CodeAction.VOIDED, c.subject_id, at_us=t, actor=actor, detail=detail)
    return code_status(conn, c.code)


def mark_used(conn: Connection, identifiers: Iterable[str], *, now: datetime | None = None) -> UseResult:
    """Mark the issued codes among ``identifiers`` used (for the capture path, in its transaction).

    ``identifiers`` are the canonical forms events are indexed by (platform and meat & vegetable
    codes as digits, GS1 keys as canonical Digital Links); anything not issued here is ignored.
    Voided codes seen in an event are returned so the caller can warn about them.
    """
    found = store.codes_in(conn, identifiers)
    fresh = [c for c in found if c.status == CodeStatus.ISSUED]
    t = _us(now)
    if fresh:
        store.mark_used(conn, [c.id for c in fresh], t)
        by_subject: dict[int, list[str]] = {}
        for c in fresh:
            by_subject.setdefault(c.subject_id, []).append(c.code)
        for subject_id, codes in by_subject.items():
            detail = {"count": len(codes), "codes": sorted(codes)[:20]}
            audit.record(conn, CodeAction.USED, subject_id, at_us=t, actor=None, detail=detail)
    return UseResult(
        marked=tuple(sorted(c.code for c in fresh)),
        already_used=tuple(sorted(c.code for c in found if c.status == CodeStatus.USED)),
        voided=tuple(sorted(c.code for c in found if c.status == CodeStatus.VOIDED)),
    )


def codes_of_request(
    conn: Connection, request_id: int, *, limit: int = 1_000, offset: int = 0
) -> tuple[dict[str, Any], list[store.CodeRow]]:
    """A request and a page of its codes in sequence order (for label sheets)."""
    doc = get_request(conn, request_id)
    return doc, in_use(conn, store.codes_of_request(conn, request_id, limit=limit, offset=offset))
