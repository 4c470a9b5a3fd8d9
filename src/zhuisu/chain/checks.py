"""Integrity checks of the trace chain (the platform's data-quality radar): findings, stored.

``run_checks(conn, since_us=…, until_us=…)`` looks at the valid events whose eventTime falls in the
window, and at whatever other events they need (a shipment outside the window, say), and stores one
finding per fault. A finding's fingerprint is a hash of its kind and the events and identifiers it
names, so re-running over the same window adds nothing (idempotent).

=========================================  ===============================================================
kind                                       rule and source
=========================================  ===============================================================
chain_break.unmatched_receipt              a receipt (bizStep receiving / accepting / arriving, or a
                                           record carrying a voucher) whose voucher or business
                                           transaction no shipment issued; without either, whose
                                           objects no shipment named. 追溯链完整率 (链条合成率):
                                           "downstream inbound records whose upstream voucher resolves
                                           to an upstream outbound record" (reference cn-standards §4).
chain_break.unreceived_shipment            a shipment (shipping / departing) whose trace code or
                                           business transaction no receipt took up within
                                           ``receipt_hours`` ("卡单同行": the buyer records the seller's
                                           code as its voucher).
chain_break.unreceived_sale                a retail sale (CBV retail_selling / dispensing) of a lot the
                                           seller's location never received, commissioned or made; a
                                           sale issuing a new 追溯码 per sold portion counts as received
                                           when an earlier receipt there stands on the batch or code the
                                           sale links to (TRACE_CODE / BATCH: the MOFCOM sales split).
quantity.oversold                          Σ sold or shipped out of a lot at one location > Σ received
                                           (or made) there × (1 + tolerance): the MOFCOM meat & vegetable
                                           rule "Σ sold weight per voucher ≤ entered weight", per lot;
                                           for records keyed by trace codes (no lot), per voucher: the
                                           zs:weightKg entered under it at a location against the sales
                                           there whose new codes link to what that entry received.
time_order.received_before_shipped         a receipt earlier than the shipment it takes up, by more than
                                           the clock-skew allowance.
time_order.sold_after_recall               a sale or shipment of a lot after an event of that lot with
                                           CBV disposition ``recalled``.
identifier.two_places                      one serial (an instance-level key: SGTIN, GIAI …) at two
                                           different bizLocations within ``same_time_minutes``.
=========================================  ===============================================================

The other families live beside this module: ``subject_checks`` (subject.unfiled, subject.revoked,
subject.qualification_expired), ``code_checks`` (identifier.voided_used,
identifier.decommissioned_used, identifier.not_issued), ``travel_checks`` (time_order.impossible_travel),
``equipment_checks`` (equipment.cylinder_overdue_filled, equipment.elevator_maintenance_overdue) and
``inspection_checks`` (recall.traded_after_failed_test); ``findings`` holds the kinds and their severities.
"""

from __future__ import annotations

import contextlib
import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Connection

from zhuisu.chain import code_checks, equipment_checks, inspection_checks, subject_checks, travel_checks
from zhuisu.chain.findings import CheckOptions, Finding, FindingKind, timestamp
from zhuisu.chain.rules import tolerance_for
from zhuisu.domain import epc
from zhuisu.domain.links import LinkKind, Step, field_keys
from zhuisu.domain.roles import EVENT_TYPE_CODES, IdRole
from zhuisu.errors import ValidationFailed
from zhuisu.store import chain as chain_store
from zhuisu.store import checks as store
from zhuisu.store.chain import EventInfo
from zhuisu.store.checks import FindingRow, LinkRow, WindowEvent

__all__ = [
    "INBOUND",
    "ORIGIN",
    "OUTBOUND",
    "CheckOptions",
    "CheckRun",
    "Finding",
    "FindingKind",
    "list_findings",
    "now_us",
    "parse_time",
    "run_checks",
]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
HOUR_US = 3_600_000_000
MINUTE_US = 60_000_000

# CBV 2.0 bizStep words (§7.2): goods coming in, going out, sold to a consumer
INBOUND = frozenset({"receiving", "arriving", "accepting"})
SHIPPING = frozenset({"shipping", "departing"})
SALES = frozenset({"retail_selling", "dispensing"})
OUTBOUND = SHIPPING | SALES
ORIGIN = frozenset({"commissioning", "creating_class_instance"})
RECALLED = "recalled"  # CBV 2.0 disposition
_TRANSFORMATION = EVENT_TYPE_CODES["TransformationEvent"]
_IN_ROLES = {int(IdRole.OUTPUT), int(IdRole.OUTPUT_CLASS)}


@dataclass(slots=True)
class CheckRun:
    since_us: int
    until_us: int
    findings: list[Finding] = field(default_factory=list)
    stored: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "since": timestamp(self.since_us),
            "until": timestamp(self.until_us),
            "found": len(self.findings),
            "new": self.stored,
            "findings": [f.to_json() for f in self.findings],
        }


def run_checks(
    conn: Connection,
    *,
    since_us: int,
    until_us: int,
    now_us: int,
    options: CheckOptions | None = None,
) -> CheckRun:
    """Run every check over the events of [since, until) and store the new findings."""
    options = options or CheckOptions()
    if until_us <= since_us:
        raise ValidationFailed("检查时间窗口为空", "the check window is empty (until ≤ since)")
    window = store.window_events(conn, since_us, until_us)
    ctx = _Context(conn, window, options, now_us)
    findings = [
        *ctx.receipts(),
        *ctx.shipments(),
        *ctx.sales(),
        *ctx.quantities(),
        *ctx.voucher_quantities(),
        *ctx.two_places(),
        *subject_checks.find(conn, window),
        *code_checks.find(conn, window, ctx.named, ctx.by_node, ctx.serials),
        *travel_checks.find(conn, ctx.serials, ctx.by_node, options),
        *equipment_checks.find(
            window, ctx.named, ctx.by_node, since_us=since_us, check_us=min(until_us, now_us)
        ),
        *inspection_checks.find(conn, window, options, since_us=since_us, until_us=until_us),
    ]
    stamped = [_stamp(f, now_us) for f in findings]
    run = CheckRun(since_us, until_us, stamped)
    run.stored = store.save_findings(conn, [_row(f) for f in stamped])
    return run


def list_findings(
    conn: Connection,
    *,
    kind: str | None = None,
    identifier: str | None = None,
    limit: int = 1000,
    visibility: ColumnElement[bool] | None = None,
) -> list[Finding]:
    """Stored findings, oldest event first; ``kind`` may name a family (``chain_break``);
    ``visibility``: only findings whose every event the reader may see (access control)."""
    ident = _canonical(identifier) if identifier else None
    rows = store.list_findings(conn, kind=kind, identifier=ident, limit=limit, visibility=visibility)
    if identifier and ident != identifier:
        rows += store.list_findings(
            conn, kind=kind, identifier=identifier, limit=limit, visibility=visibility
        )
    return [
        Finding(
            FindingKind(r.kind),
            r.event_ids,
            r.identifiers,
            r.message_zh,
            r.message_en,
            r.event_time_us,
            r.detected_us,
            r.id,
        )
        for r in rows
    ]


def _canonical(value: str) -> str:
    try:
        return epc.canonical(value.strip())
    except ValueError:
        return value.strip()


def _stamp(f: Finding, now_us: int) -> Finding:
    return Finding(f.kind, f.event_ids, f.identifiers, f.message_zh, f.message_en, f.event_time_us, now_us)


def _row(f: Finding) -> FindingRow:
    return FindingRow(
        f.fingerprint,
        str(f.kind),
        f.severity,
        f.event_ids,
        f.identifiers,
        f.message_zh,
        f.message_en,
        f.event_time_us,
        f.detected_us,
    )


# --------------------------------------------------------------------------- reading events


def quantities(doc_text: str, namespaces_text: str | None) -> dict[tuple[str, str], float]:
    """(lot node, uom) → quantity stated by an event: quantityList / input / output lists, and
    ``zs:weightKg`` (KGM) when the event names a single lot (the meat & vegetable weight field)."""
    doc = orjson.loads(doc_text)
    out: dict[tuple[str, str], float] = defaultdict(float)
    lots: list[str] = []
    for key in ("quantityList", "outputQuantityList", "inputQuantityList", "childQuantityList"):
        for element in doc.get(key) or ():
            if not isinstance(element, Mapping) or not isinstance(element.get("epcClass"), str):
                continue
            node = _canonical(element["epcClass"])
            lots.append(node)
            amount = element.get("quantity")
            if isinstance(amount, int | float) and not isinstance(amount, bool):
                out[(node, str(element.get("uom") or "EA"))] += float(amount)
    namespaces = orjson.loads(namespaces_text) if namespaces_text else {}
    weight = next((doc[k] for k in field_keys(namespaces, "weightKg") if k in doc), None)
    if isinstance(weight, int | float | str) and len(set(lots)) == 1:
        with contextlib.suppress(ValueError):
            out = {(lots[0], "KGM"): float(weight)}
    return dict(out)


def _weight(doc_text: str, namespaces_text: str | None) -> float | None:
    """The record's ``zs:weightKg`` (the meat & vegetable weight field), when it states one."""
    doc = orjson.loads(doc_text)
    namespaces = orjson.loads(namespaces_text) if namespaces_text else {}
    value = next((doc[k] for k in field_keys(namespaces, "weightKg") if k in doc), None)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return float(value)
    except ValueError:
        return None


def category_of(doc_text: str, namespaces_text: str | None) -> str | None:
    doc = orjson.loads(doc_text)
    namespaces = orjson.loads(namespaces_text) if namespaces_text else {}
    value = next((doc[k] for k in field_keys(namespaces, "category") if k in doc), None)
    return value if isinstance(value, str) else None


#: a business document numbered by the subject that recorded it (capture/formats/records.py: bill
#: and waybill numbers of records → ``urn:zhuisu:bt:{subject}:{number}``)
OWN_DOCUMENT = "urn:zhuisu:bt:"


def _own_document(node: str) -> bool:
    """A seller's 销售出库 and its buyer's 采购入库 number their bills each in their own series
    (码上放心 bill codes), so such a document can never be the one both sides name: it is no
    voucher. The check falls back to the goods both name (the drug codes)."""
    return node.startswith(OWN_DOCUMENT)


def _instance_level(node: str) -> bool:
    """An identifier of one object (GS1 General Specifications §2.2: SGTIN, GIAI, SSCC …)."""
    if node.startswith(epc.CANONICAL_HOST + "/"):
        path = node[len(epc.CANONICAL_HOST) :]
        return "/21/" in path or "/235/" in path or path.startswith(("/8004/", "/00/"))
    return node.startswith("urn:epc:id:")


def parse_time(value: str) -> int:
    """An ISO 8601 time (a date alone means its midnight, UTC) → microseconds since the epoch."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValidationFailed(f"时间 {value!r} 无效", f"invalid time {value!r} (ISO 8601)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // timedelta(microseconds=1)


def now_us() -> int:
    return (datetime.now(UTC) - _EPOCH) // timedelta(microseconds=1)


class _Context:
    """What one run reads once and the checks share."""

    def __init__(self, conn: Connection, window: list[WindowEvent], options: CheckOptions, now_us: int):
        self.conn = conn
        self.window = window
        self.options = options
        self.now_us = now_us
        self.links: dict[int, list[LinkRow]] = defaultdict(list)
        for row in store.links_of_events(conn, [e.pk for e in window]):
            self.links[row.event_pk].append(row)
        # identifiers each window event names, and every event that names one of them
        self.named: dict[int, set[str]] = defaultdict(set)
        self.by_node: dict[str, list[tuple[int, EventInfo]]] = defaultdict(list)
        for pk, node in store.identifiers_of_events(conn, [e.pk for e in window]):
            self.named[pk].add(node)
        seen = {n for nodes in self.named.values() for n in nodes}
        for node, role, info in chain_store.events_of_nodes(conn, seen, with_docs=True):
            self.by_node[node].append((role, info))
        self.serials = {n for n in seen if _instance_level(n)}

    # ----------------------------------------------------------------- chain breaks / time order

    def receipts(self) -> Iterable[Finding]:
        skew = self.options.clock_skew_minutes * MINUTE_US
        pivots: dict[int, list[str]] = {}
        for e in self.window:
            if e.biz_step in OUTBOUND:
                # a shipment or sale under a business transaction links objects → transaction
                # (outbound): its DOWN rows start at its own objects, it takes nothing up
                continue
            rows = [
                r
                for r in self.links[e.pk]
                if r.step == Step.DOWN
                and r.kind in (LinkKind.VOUCHER, LinkKind.BIZ_TRANSACTION)
                and not _own_document(r.node)
            ]
            if rows or e.biz_step in INBOUND:
                pivots[e.pk] = sorted({r.node for r in rows})
        wanted = {p for ps in pivots.values() for p in ps}
        shipped: dict[str, list[LinkRow]] = defaultdict(list)
        for r in store.links_at(self.conn, wanted, int(Step.UP)):
            if r.kind in (LinkKind.TRACE_CODE, LinkKind.BIZ_TRANSACTION):
                shipped[r.node].append(r)
        events = {e.pk: e for e in self.window}
        sources = store.events_by_pk(self.conn, {r.event_pk for rs in shipped.values() for r in rs})
        for pk, nodes in pivots.items():
            e = events[pk]
            if not nodes:
                if not self._named_by(e, SHIPPING, before=e.time_us + skew):
                    yield self._finding(
                        FindingKind.UNMATCHED_RECEIPT,
                        [e.event_id],
                        sorted(self.named[pk]),
                        e.time_us,
                        "收货记录既无追溯凭证号也无业务单据,且其货物没有任何发货记录",
                        "a receipt with no voucher nor business transaction, whose goods no shipment named",
                    )
                continue
            for node in nodes:
                ships = [r for r in shipped.get(node, []) if r.event_pk != pk and r.event_pk in sources]
                if not ships:
                    yield self._finding(
                        FindingKind.UNMATCHED_RECEIPT,
                        [e.event_id],
                        [node],
                        e.time_us,
                        f"收货凭证 {node} 没有对应的上游出货记录(断链)",
                        f"no upstream shipment issued the voucher {node} of this receipt (chain break)",
                    )
                    continue
                first = min(r.t_us for r in ships)
                if e.time_us + skew < first:
                    ship = min(ships, key=lambda r: r.t_us)
                    yield self._finding(
                        FindingKind.RECEIVED_BEFORE_SHIPPED,
                        [sources[ship.event_pk].event_id, e.event_id],
                        [node],
                        e.time_us,
                        f"收货时间 {timestamp(e.time_us)} 早于发货时间 {timestamp(first)}(凭证 {node})",
                        f"received at {timestamp(e.time_us)}, before the shipment at {timestamp(first)} "
                        f"(voucher {node})",
                    )

    def shipments(self) -> Iterable[Finding]:
        deadline = self.now_us - self.options.receipt_hours * HOUR_US
        due = [e for e in self.window if e.biz_step in SHIPPING and e.time_us < deadline]
        pivots = {
            e.pk: sorted(
                {
                    r.node
                    for r in self.links[e.pk]
                    if r.step == Step.UP
                    and r.kind in (LinkKind.TRACE_CODE, LinkKind.BIZ_TRANSACTION)
                    and not _own_document(r.node)
                }
            )
            for e in due
        }
        received: set[str] = set()
        for r in store.links_at(self.conn, {p for ps in pivots.values() for p in ps}, int(Step.DOWN)):
            if r.kind in (LinkKind.VOUCHER, LinkKind.BIZ_TRANSACTION):
                received.add(r.node)
        hours = self.options.receipt_hours
        for e in due:
            nodes = pivots[e.pk]
            if nodes:
                if any(n in received for n in nodes):
                    continue
                missing = nodes
            elif self._named_by(e, INBOUND, after=e.time_us):
                continue
            else:
                missing = sorted(self.named[e.pk])
            yield self._finding(
                FindingKind.UNRECEIVED_SHIPMENT,
                [e.event_id],
                missing,
                e.time_us,
                f"发货后 {hours} 小时内没有任何收货记录接收(断链)",
                f"no receipt took up this shipment within {hours} hours (chain break)",
            )

    def sales(self) -> Iterable[Finding]:
        unreceived: list[tuple[WindowEvent, str]] = []
        for e in self.window:
            if e.biz_step not in OUTBOUND:
                continue
            for node in sorted(self.named[e.pk]):
                others = self.by_node.get(node, [])
                recalls = [i for _, i in others if i.disposition == RECALLED and i.time_us < e.time_us]
                if recalls:
                    first = min(recalls, key=lambda i: i.time_us)
                    yield self._finding(
                        FindingKind.SOLD_AFTER_RECALL,
                        [first.event_id, e.event_id],
                        [node],
                        e.time_us,
                        f"{node} 已于 {timestamp(first.time_us)} 召回,之后仍被销售或发出",
                        f"{node} was recalled at {timestamp(first.time_us)} and sold or shipped afterwards",
                    )
                if e.biz_step in SALES and not any(self._arrived(e, role, i) for role, i in others):
                    unreceived.append((e, node))
        linked = self._received_through_links({e.pk: e for e, _ in unreceived})
        for e, node in unreceived:
            if e.pk in linked:
                continue
            yield self._finding(
                FindingKind.UNRECEIVED_SALE,
                [e.event_id],
                [node],
                e.time_us,
                f"销售的 {node} 在本地点没有进货、生产或加工记录(断链)",
                f"{node} was sold where it was never received, commissioned or made (chain break)",
            )

    def _received_through_links(self, sales: dict[int, WindowEvent]) -> set[int]:
        """The sales whose goods arrived at their location under another identifier: a sale that
        issues a new 追溯码 per sold portion links it to the stall's batch or received code
        (TRACE_CODE / BATCH, 全国肉类蔬菜流通追溯体系建设规范 sales split); an earlier receipt, origin
        or transformation at the same location standing on one of those upstream nodes received it."""
        pivots: dict[int, set[str]] = {}
        for e in sales.values():
            rows = [r for r in self.links[e.pk] if r.kind in (LinkKind.TRACE_CODE, LinkKind.BATCH)]
            pivots[e.pk] = {n for r in rows for n in (r.node, r.other)}
        wanted = {n for ns in pivots.values() for n in ns}
        if not wanted:
            return set()
        standing: dict[str, set[int]] = defaultdict(set)
        for step in (Step.UP, Step.DOWN):
            for r in store.links_at(self.conn, wanted, int(step)):
                standing[r.node].add(r.event_pk)
        others = store.events_by_pk(self.conn, {pk for pks in standing.values() for pk in pks})
        found: set[int] = set()
        for e in sales.values():
            for node in pivots[e.pk]:
                for pk in standing.get(node, ()):
                    o = others.get(pk)
                    if o is None or o.pk == e.pk or o.biz_location != e.biz_location or o.time_us > e.time_us:
                        continue
                    if o.event_type == _TRANSFORMATION or o.biz_step in INBOUND or o.biz_step in ORIGIN:
                        found.add(e.pk)
        return found

    def _arrived(self, sale: WindowEvent, role: int, info: EventInfo) -> bool:
        if info.pk == sale.pk or info.biz_location != sale.biz_location or info.time_us > sale.time_us:
            return False
        if info.event_type == _TRANSFORMATION:
            return role in _IN_ROLES
        return info.biz_step in INBOUND or info.biz_step in ORIGIN

    def _named_by(
        self, e: WindowEvent, steps: frozenset[str], *, before: int | None = None, after: int | None = None
    ) -> bool:
        for node in self.named[e.pk]:
            for _, info in self.by_node.get(node, []):
                if info.pk == e.pk or info.biz_step not in steps:
                    continue
                if (before is None or info.time_us <= before) and (after is None or info.time_us >= after):
                    return True
        return False

    # ----------------------------------------------------------------- quantities

    def quantities(self) -> Iterable[Finding]:
        selling = [e for e in self.window if e.biz_step in OUTBOUND and e.biz_location]
        places = sorted({(n, e.biz_location) for e in selling for n in self.named[e.pk] if e.biz_location})
        for node, place in places:
            took: dict[str, float] = defaultdict(float)
            gave: dict[str, float] = defaultdict(float)
            ins: list[EventInfo] = []
            outs: list[EventInfo] = []
            category: str | None = None
            for role, info in self.by_node.get(node, []):
                if info.biz_location != place or info.doc is None:
                    continue
                if info.event_type == _TRANSFORMATION:
                    incoming = role in _IN_ROLES
                elif info.biz_step in INBOUND or info.biz_step in ORIGIN:
                    incoming = True
                elif info.biz_step in OUTBOUND:
                    incoming = False
                else:
                    continue
                amounts = quantities(info.doc, info.namespaces)
                category = category or category_of(info.doc, info.namespaces)
                for (lot, uom), amount in amounts.items():
                    if lot == node:
                        (took if incoming else gave)[uom] += amount
                (ins if incoming else outs).append(info)
            tol = tolerance_for(category)
            for uom, sold in sorted(gave.items()):
                have = took.get(uom, 0.0)
                if have <= 0 or sold <= have * (1 + tol):
                    continue
                involved = sorted(ins + outs, key=lambda i: (i.time_us, i.pk))
                yield self._finding(
                    FindingKind.OVERSOLD,
                    [i.event_id for i in involved],
                    [node, place],
                    involved[0].time_us,
                    f"{place} 的 {node} 售出 {sold:g} {uom},超过进货 {have:g} {uom}(容差 {tol:.0%})",
                    f"{sold:g} {uom} of {node} sold at {place}, over the {have:g} {uom} received "
                    f"(tolerance {tol:.0%})",
                )

    def voucher_quantities(self) -> Iterable[Finding]:
        """Σ sold weight per voucher ≤ entered weight (MOFCOM 肉类蔬菜流通追溯: 同一追溯凭证 的销售重量
        之和不超过进场重量), for records keyed by trace codes rather than GS1 lots: what was entered at
        a location under a voucher (``zs:traceVoucher`` + ``zs:weightKg``) against the sales and
        shipments at that location whose new 追溯码 link (TRACE_CODE, through the entry's objects or
        batch) to what that entry received."""
        selling = [
            e
            for e in self.window
            if e.biz_step in OUTBOUND and e.biz_location and not quantities(e.doc, e.namespaces)
        ]
        ups = {n for e in selling for r in self.links[e.pk] for n in (r.node, r.other)}
        # the entries standing upstream of what the window sold: voucher → entry events
        entries: dict[str, set[int]] = defaultdict(set)
        pivots: dict[int, set[str]] = defaultdict(set)
        for r in store.links_at(self.conn, ups, int(Step.UP)):
            if r.kind == LinkKind.VOUCHER:
                entries[r.other].add(r.event_pk)
        if not entries:
            return
        candidates = store.events_by_pk(self.conn, {pk for pks in entries.values() for pk in pks})
        inbound = {pk: i for pk, i in candidates.items() if i.biz_step in INBOUND and i.biz_location}
        by_place: dict[tuple[str, str], list[WindowEvent]] = defaultdict(list)
        for voucher, pks in entries.items():
            for pk in sorted(pks):
                if pk in inbound:
                    by_place[(voucher, inbound[pk].biz_location or "")].append(inbound[pk])
        for r in store.links_at(self.conn, {v for v, _ in by_place}, int(Step.DOWN)):
            if r.kind == LinkKind.VOUCHER and r.event_pk in inbound:
                pivots[r.event_pk].add(r.other)
        # what was sold or shipped under a new code from those objects and batches (one read)
        issuing: dict[str, set[int]] = defaultdict(set)
        for r in store.links_at(self.conn, {n for ns in pivots.values() for n in ns}, int(Step.DOWN)):
            if r.kind == LinkKind.TRACE_CODE:
                issuing[r.node].add(r.event_pk)
        # sales of GS1 lots (quantity lists) are reconciled per lot by ``quantities``
        sellers = {
            pk: o
            for pk, o in store.events_by_pk(self.conn, {p for ps in issuing.values() for p in ps}).items()
            if o.biz_step in OUTBOUND and o.biz_location and not quantities(o.doc, o.namespaces)
        }
        for (voucher, place), ins in sorted(by_place.items()):
            nodes = {n for i in ins for n in pivots[i.pk]}
            outs_pks = {pk for n in nodes for pk in issuing.get(n, ()) if pk in sellers}
            outs = [sellers[pk] for pk in sorted(outs_pks) if sellers[pk].biz_location == place]
            entered = sum(w for i in ins if (w := _weight(i.doc, i.namespaces)) is not None)
            sold = sum(w for o in outs if (w := _weight(o.doc, o.namespaces)) is not None)
            category = next(
                (c for i in [*ins, *outs] if (c := category_of(i.doc, i.namespaces)) is not None), None
            )
            tol = tolerance_for(category)
            if entered <= 0 or sold <= entered * (1 + tol):
                continue
            involved = sorted({i.pk: i for i in [*ins, *outs]}.values(), key=lambda i: (i.time_us, i.pk))
            yield self._finding(
                FindingKind.OVERSOLD,
                [i.event_id for i in involved],
                [voucher, place],
                involved[0].time_us,
                f"{place} 凭证 {voucher} 项下售出 {sold:g} 千克,超过进场 {entered:g} 千克(容差 {tol:.0%})",
                f"{sold:g} kg sold at {place} under the voucher {voucher}, over the {entered:g} kg entered "
                f"(tolerance {tol:.0%})",
            )

    # ----------------------------------------------------------------- identifiers

    def two_places(self) -> Iterable[Finding]:
        span = self.options.same_time_minutes * MINUTE_US
        for node in sorted(self.serials):
            seen = sorted(
                {i.pk: i for _, i in self.by_node.get(node, []) if i.biz_location}.values(),
                key=lambda i: (i.time_us, i.pk),
            )
            for a, b in itertools.pairwise(seen):
                if a.biz_location != b.biz_location and b.time_us - a.time_us <= span:
                    yield self._finding(
                        FindingKind.TWO_PLACES,
                        [a.event_id, b.event_id],
                        [node],
                        a.time_us,
                        f"{node} 在 {timestamp(a.time_us)} 前后同时出现在 "
                        f"{a.biz_location} 与 {b.biz_location}",
                        f"{node} was at {a.biz_location} and {b.biz_location} at the same time "
                        f"(around {timestamp(a.time_us)})",
                    )

    def _finding(
        self, kind: FindingKind, event_ids: list[str], identifiers: list[str], t_us: int, zh: str, en: str
    ) -> Finding:
        return Finding(kind, tuple(event_ids), tuple(identifiers), zh, en, t_us)
