"""What the public consumer page of a trace code shows (来源可查: scanned from a label's QR code).

``consumer_trace`` reads the code's issuance (product, issuer, voided or not) and traces it back
(chain.service.trace), then names each step in the words of its template (``zs:template`` of the
stored record, else the CBV bizStep), with the place (node code and its GB/T 2260 region) and the
responsible subject's filed name. Only published facts appear: no quantities, prices or eventIDs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import orjson
from sqlalchemy import Connection

from zhuisu.chain.service import Direction, TraceResult, trace
from zhuisu.domain.parties import NODE_BASE
from zhuisu.domain.templates import STEPS
from zhuisu.errors import NotFound
from zhuisu.query.service import get_event
from zhuisu.subjects import issuance
from zhuisu.subjects import service as subjects
from zhuisu.subjects.codes import check_code
from zhuisu.subjects.identity import region_name
from zhuisu.web.names import CODE_SCHEMES, biz_step_name

ZS = "https://zhuisu.cn/epcis/"


@dataclass(frozen=True, slots=True)
class TimelineStep:
    time: str
    step_zh: str
    step_en: str
    place: str | None
    region: str | None
    subject_key: str | None
    subject_name: str | None
    certificates: tuple[tuple[str, str], ...] = ()
    count: int = 1  # records of the same step at the same place by the same subject, shown as one
    last_time: str | None = None


@dataclass(slots=True)
class ConsumerTrace:
    code: str
    scheme: str
    product: str | None = None
    origin: str | None = None
    status: str | None = None  # issuance status: issued / used / voided (None: not issued here)
    voided_at: str | None = None
    void_reason: str | None = None
    issuer_key: str | None = None
    issuer_name: str | None = None
    steps: list[TimelineStep] = field(default_factory=list)

    @property
    def voided(self) -> bool:
        return self.status == "voided"


def _extensions(doc: dict[str, Any], namespaces: dict[str, str]) -> dict[str, Any]:
    """The zhuisu extension fields of an event document, by local name."""
    prefixes = [p for p, uri in namespaces.items() if uri == ZS] or ["zs"]
    out: dict[str, Any] = {}
    for key, value in doc.items():
        prefix, sep, local = key.partition(":")
        if sep and prefix in prefixes:
            out[local] = value
        elif key.startswith("{" + ZS + "}"):
            out[key[len(ZS) + 2 :]] = value
    return out


def event_extensions(conn: Connection, result: TraceResult) -> dict[str, dict[str, Any]]:
    """The zhuisu fields of each visible step, from the documents the trace already read (a step
    whose document it did not keep is read by eventID)."""
    out: dict[str, dict[str, Any]] = {}
    for step in result.steps:
        if step.opaque is not None or not step.event_id:
            continue  # a hop the reader may not see: no document to read
        kept = result.documents.get(step.event_id)
        if kept is None:
            stored = [e for e in get_event(conn, step.event_id) if not e.error_declared] or get_event(
                conn, step.event_id
            )
            kept = (stored[0].doc, stored[0].namespaces)
        doc, namespaces = kept
        out[step.event_id] = _extensions(orjson.loads(doc), orjson.loads(namespaces) if namespaces else {})
    return out


class SubjectNames:
    """Filed names of subjects: ``load`` reads many at once (names only), a miss reads one."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.cache: dict[str, str | None] = {}

    def load(self, keys: Iterable[str | None]) -> None:
        wanted = {k for k in keys if k and k not in self.cache}
        if wanted:
            found = subjects.subject_names(self.conn, wanted)
            self.cache.update({k: found.get(k) for k in wanted})

    def __call__(self, key: str | None) -> str | None:
        if not key:
            return None
        if key not in self.cache:
            self.load([key])
        return self.cache.get(key)


CERTIFICATES = (
    ("quarantineCertNo", "检疫合格证号"),
    ("originQuarantineCertNo", "产地检疫证号"),
    ("meatInspectionCertNo", "肉品品质检验合格证号"),
    ("testResult", "检测结果"),
)


def _place(step_place: str | None, ext: dict[str, Any]) -> tuple[str | None, str | None]:
    node = str(ext.get("nodeCode") or "") or (
        step_place.removeprefix(NODE_BASE) if step_place and step_place.startswith(NODE_BASE) else ""
    )
    if node:
        return node, region_name(node[:6]) if node[:6].isdigit() else None
    return step_place, None


def consumer_trace(conn: Connection, code: str) -> ConsumerTrace:
    """The public view of a trace code; ValidationFailed if malformed, NotFound if nobody knows it."""
    found = check_code(code)
    view = ConsumerTrace(found.canonical, CODE_SCHEMES.get(found.scheme, found.scheme))
    try:
        issued: dict[str, Any] | None = issuance.code_status(conn, found.canonical)
    except NotFound:
        issued = None
    try:
        result: TraceResult | None = trace(conn, found.canonical, direction=Direction.BACK, documents=True)
    except NotFound:
        result = None
    if issued is None and result is None:
        raise NotFound(
            f"没有查到追溯码 {found.canonical} 的记录", f"no record of the trace code {found.canonical}"
        )
    names = SubjectNames(conn)
    steps = result.steps if result is not None else []
    names.load([issued["subject"] if issued else None, *(step.subject for step in steps)])
    if issued is not None:
        view.product, view.status = issued["product_name"], issued["status"]
        view.voided_at, view.void_reason = issued["voided_at"], issued["void_reason"]
        view.issuer_key, view.issuer_name = issued["subject"], names(issued["subject"])
    if result is not None:
        docs = event_extensions(conn, result)
        for step in result.steps:
            ext = docs[step.event_id]
            template = STEPS.get(str(ext.get("template") or ""))
            place, region = _place(step.biz_location or step.read_point, ext)
            view.product = view.product or ext.get("productName")
            origin = str(ext.get("origin") or ext.get("originPlace") or "")
            if origin and view.origin is None:
                view.origin = region_name(origin) or origin
            view.steps.append(
                TimelineStep(
                    step.event_time,
                    template.zh if template else biz_step_name(step.biz_step),
                    template.en if template else (step.biz_step or ""),
                    place,
                    region,
                    step.subject,
                    names(step.subject),
                    tuple((zh, str(ext[key])) for key, zh in CERTIFICATES if ext.get(key)),
                )
            )
        view.steps = grouped(view.steps)
    return view


def grouped(steps: list[TimelineStep]) -> list[TimelineStep]:
    """One line per step, place and subject, in the order each first happened: a stall that sold
    from the same code a hundred times is one 零售 line "×100", not a hundred — a consumer wants
    the road the product came by, not every sale beside theirs."""
    out: dict[tuple[str, str | None, str | None], TimelineStep] = {}
    for step in steps:
        key = (step.step_zh, step.place, step.subject_key)
        first = out.get(key)
        if first is None:
            out[key] = step
            continue
        certificates = tuple(dict.fromkeys(first.certificates + step.certificates))
        out[key] = replace(first, count=first.count + 1, last_time=step.time, certificates=certificates)
    return list(out.values())
