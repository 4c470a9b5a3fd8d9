"""Recall scope (召回范围): everything downstream of the recalled lots, and who holds how much of it.

``recall_scope(conn, identifiers, …)`` walks forward from every identifier at once (one recursive
CTE over ``chain_links``, store.chain.walk) and reads the events that name what it reached. For each
holder — a bizLocation and the subject responsible there — and each affected lot or item it had, it
sums what it received (receiving / accepting / arriving, commissioning, or made by a transformation),
what it sold or shipped on (shipping, departing, retail_selling, dispensing), what it used up (a
transformation input) and so what it still holds. Holders still holding come first (the largest
quantity first): they are where a stop-trading instruction still stops something. The MOFCOM meat &
vegetable rule that a failed test sends a stop-trading instruction to every downstream node
(reference cn-standards: 检测不合格 → 停止交易指令) is what needs this list.

With a time window, only events with since ≤ eventTime < until count toward the holdings (the walk
itself follows every link, since a link's two ends are stamped by different clocks).

``failed_test_scope(conn, event_id)`` starts the same scope from a failed inspection (an event with
the CBV 2.0 disposition ``non_conformant``): from what it tested (``inspection_checks``), giving the
stop-trading list of every downstream holder.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import Connection

from zhuisu.chain import inspection_checks
from zhuisu.chain.checks import INBOUND, ORIGIN, OUTBOUND
from zhuisu.chain.findings import timestamp
from zhuisu.chain.rules import NodeKind, node_kind
from zhuisu.chain.service import canonical_identifier
from zhuisu.domain import epc
from zhuisu.domain.holders import SEVERAL_UNITS, unit_sums
from zhuisu.domain.roles import EVENT_TYPE_CODES, QUANTITY_ROLES, IdRole
from zhuisu.errors import NotFound, ValidationFailed
from zhuisu.store import chain as chain_store
from zhuisu.store import checks as checks_store
from zhuisu.store.chain import RecallRow

MAX_IDENTIFIERS = 10_000
_TRANSFORMATION = EVENT_TYPE_CODES["TransformationEvent"]
_OUTPUT_ROLES = {int(IdRole.OUTPUT), int(IdRole.OUTPUT_CLASS)}
_INPUT_ROLES = {int(IdRole.INPUT), int(IdRole.INPUT_CLASS)}
_LIST_OF_ROLE = {int(role): name for name, role in QUANTITY_ROLES.items()}
#: instance-level roles: the event names the object itself, one piece (EA)
_PIECE_ROLES = {int(IdRole.EPC), int(IdRole.PARENT), int(IdRole.CHILD), int(IdRole.INPUT), int(IdRole.OUTPUT)}


@dataclass(slots=True)
class Holding:
    """What one holder had of one affected lot or item, in one unit of measure."""

    location: str | None
    subject: str | None
    identifier: str
    uom: str
    received: float = 0.0
    sold_on: float = 0.0
    used: float = 0.0
    events: list[str] = field(default_factory=list)
    last_us: int = 0

    @property
    def still_holds(self) -> float:
        return max(self.received - self.sold_on - self.used, 0.0)

    def to_json(self) -> dict[str, Any]:
        return {
            "location": self.location,
            "subject": self.subject,
            "identifier": self.identifier,
            "uom": self.uom,
            "received": self.received,
            "soldOn": self.sold_on,
            "used": self.used,
            "stillHolds": self.still_holds,
            "events": self.events,
        }


@dataclass(slots=True)
class RecallScope:
    identifiers: list[str]
    unknown: list[str]
    since_us: int | None
    until_us: int | None
    lots: list[tuple[str, NodeKind]] = field(default_factory=list)
    holdings: list[Holding] = field(default_factory=list)
    events: list[str] = field(default_factory=list)

    @property
    def holders(self) -> list[tuple[str | None, str | None]]:
        return list(dict.fromkeys((h.location, h.subject) for h in self.holdings))

    def to_json(self) -> dict[str, Any]:
        return {
            "identifiers": self.identifiers,
            "unknown": self.unknown,
            "window": {"since": self.since_us, "until": self.until_us},
            "lots": [{"id": node, "kind": str(kind)} for node, kind in self.lots],
            "holders": [{"location": loc, "subject": subj} for loc, subj in self.holders],
            "holdings": [h.to_json() for h in self.holdings],
            "events": self.events,
        }


def recall_scope(
    conn: Connection,
    identifiers: list[str],
    *,
    since_us: int | None = None,
    until_us: int | None = None,
) -> RecallScope:
    """Every affected downstream lot / item and every holder with its quantities, riskiest first."""
    if not identifiers:
        raise ValidationFailed("至少需要一个标识符", "at least one identifier is needed")
    if len(identifiers) > MAX_IDENTIFIERS:
        raise ValidationFailed(
            f"一次最多 {MAX_IDENTIFIERS} 个标识符", f"at most {MAX_IDENTIFIERS} identifiers at once"
        )
    seeds = list(dict.fromkeys(canonical_identifier(i) for i in identifiers))
    nodes = chain_store.walk_nodes(conn, seeds, backward=False)
    known = chain_store.known_nodes(conn, seeds)
    unknown = [s for s in seeds if s not in known]
    if len(unknown) == len(seeds):
        raise NotFound(
            f"没有记录提到这些标识符: {', '.join(unknown[:5])}",
            f"no record names these identifiers: {', '.join(unknown[:5])}",
        )
    scope = RecallScope(seeds, unknown, since_us, until_us)
    rows = chain_store.recall_rows(conn, nodes)
    times = _hold(conn, scope, rows, since_us, until_us)
    # the events that issued a seed trace code name only the lot it came from, upstream: listed, not held
    own = chain_store.link_events_of_nodes(conn, seeds) - {r.pk for r in rows}
    for info in chain_store.events_by_pk(conn, own, with_docs=False):
        if _inside(info.time_us, since_us, until_us):
            times[info.event_id] = (info.time_us, info.pk)
    scope.events = sorted(times, key=lambda e: times[e])
    scope.lots = [(n, _kind(n)) for n in sorted(nodes)]  # nodes are distinct: sort the strings
    return scope


@dataclass(frozen=True, slots=True)
class FailedTest:
    """The failed inspection a stop-trading list starts from, and what it tested."""

    event_id: str
    time_us: int
    location: str | None
    identifiers: list[str]

    def to_json(self) -> dict[str, Any]:
        return {
            "eventID": self.event_id,
            "eventTime": timestamp(self.time_us),
            "location": self.location,
            "identifiers": self.identifiers,
        }


def failed_test_scope(
    conn: Connection,
    event_id: str,
    *,
    since_us: int | None = None,
    until_us: int | None = None,
) -> tuple[FailedTest, RecallScope]:
    """The recall scope of what a failed inspection tested: the stop-trading list that a failed
    test sends to every downstream node (全国肉类蔬菜流通追溯体系建设规范 2010: 检测不合格 →
    向下游各环节发送中止交易的指令)."""
    wanted = event_id.strip()
    event = checks_store.valid_event(conn, wanted)
    if event is None:
        raise NotFound(
            f"没有事件 {wanted!r}(或已声明为错误事件)", f"no event {wanted!r} (or it was declared erroneous)"
        )
    if not inspection_checks.is_failed_test(event.disposition):
        raise ValidationFailed(
            f"事件 {wanted} 不是不合格的检测(处置状态应为 non_conformant,实为 {event.disposition or '无'})",
            f"event {wanted} is no failed inspection (disposition non_conformant expected, "
            f"found {event.disposition or 'none'})",
        )
    tested = sorted(inspection_checks.tested_identifiers(conn, [event.pk]).get(event.pk, ()))
    if not tested:
        raise ValidationFailed(
            f"不合格检测 {wanted} 没有指明受检的批次或追溯码",
            f"the failed inspection {wanted} names no lot, batch or trace code",
        )
    scope = recall_scope(conn, tested, since_us=since_us, until_us=until_us)
    return FailedTest(event.event_id, event.time_us, event.biz_location, tested), scope


def _kind(node: str) -> NodeKind:
    """The kind of an affected node, from its spelling alone (a recall reads no link kinds)."""
    if node.startswith(_URI_SCHEMES) and not node.startswith(_BATCH_PREFIX):
        return node_kind(node, _NO_KINDS)
    if node.startswith(_BATCH_PREFIX):
        return NodeKind.BATCH
    return NodeKind.TRACE_CODE  # a plain code: a trace code or voucher (追溯码)


_URI_SCHEMES = ("urn:", "http:", "https:")
_BATCH_PREFIX = "urn:zhuisu:batch:"
_NO_KINDS: frozenset[int] = frozenset()


_PIECE_ITEMS = (("EA", 1.0),)
_UNSET = "unset"


def _hold(
    conn: Connection,
    scope: RecallScope,
    rows: list[RecallRow],
    since_us: int | None,
    until_us: int | None,
) -> dict[str, tuple[int, int]]:
    # one holding per (place, node, unit); its subject is the one that received it there. The rows
    # come in time order, so each holding's events do too. Amounts and subjects were stored at
    # capture (domain.holders); only a lot stated in several units needs its document.
    holdings: dict[tuple[str | None, str, str], Holding] = {}
    times: dict[str, tuple[int, int]] = {}
    several = {r.pk for r in rows if r.uom == SEVERAL_UNITS and r.role not in _PIECE_ROLES}
    docs = {pk: orjson.loads(doc) for pk, doc in chain_store.documents_by_pk(conn, several).items()}
    windowed = since_us is not None or until_us is not None
    # a recall of 1,000 batches walks ~250,000 rows: the sum each row adds to depends only on
    # (event type, bizStep, role), a handful of combinations
    columns: dict[tuple[int, str | None, int], str | None] = {}
    for row in rows:
        if windowed and not _inside(row.time_us, since_us, until_us):
            continue
        times[row.event_id] = (row.time_us, row.pk)
        shape = (row.event_type, row.biz_step, row.role)
        column = columns.get(shape, _UNSET)
        if column is _UNSET:
            column = columns[shape] = _column(*shape)
        if column is None:
            continue
        if row.role in _PIECE_ROLES:
            amounts: Iterable[tuple[str, float]] = _PIECE_ITEMS
        elif row.quantity is not None and row.uom is not None:
            amounts = ((row.uom, row.quantity),)
        elif row.uom == SEVERAL_UNITS:
            elements = docs[row.pk].get(_LIST_OF_ROLE.get(row.role, ""))
            amounts = unit_sums(elements, epc.canonical).get(row.node, {}).items()
        else:
            continue  # no amount stated
        for uom, amount in amounts:
            key = (row.place, row.node, uom)
            holding = holdings.get(key)
            if holding is None:
                holding = holdings[key] = Holding(row.place, None, row.node, uom)
            if column == "received":
                holding.received += amount
                if holding.subject is None:
                    holding.subject = row.subject
            elif column == "used":
                holding.used += amount
            else:
                holding.sold_on += amount
            if not holding.events or holding.events[-1] != row.event_id:
                holding.events.append(row.event_id)
            holding.last_us = row.time_us
    scope.holdings = sorted(
        holdings.values(), key=lambda h: (h.still_holds <= 0, -h.still_holds, -h.last_us, h.identifier)
    )
    return times


def _inside(t_us: int, since_us: int | None, until_us: int | None) -> bool:
    return (since_us is None or t_us >= since_us) and (until_us is None or t_us < until_us)


def _column(event_type: int, biz_step: str | None, role: int) -> str | None:
    """Which sum an event adds to (CBV 2.0 bizStep; EPCIS 2.0 §7.4.5 inputs and outputs)."""
    if event_type == _TRANSFORMATION:
        return "received" if role in _OUTPUT_ROLES else ("used" if role in _INPUT_ROLES else None)
    if biz_step in INBOUND or biz_step in ORIGIN:
        return "received"
    if biz_step in OUTBOUND:
        return "sold_on"
    return None
