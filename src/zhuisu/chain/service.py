"""Trace back (来源可查) and forward (去向可追) from any identifier.

``trace(conn, identifier, direction=…)`` walks the chain (store.chain: one recursive CTE per
direction over the link rows written at capture) and returns the events in time order, and a
graph of the lots / items / codes reached, the locations they were at and the subjects that held
them at each step (责任可究: for every step who held it, where, when).

The identifier may be an EPC URN, a class+lot URN, a GS1 Digital Link or a trace code; GS1 keys
are brought to the canonical form capture stores (domain.epc.canonical), so every spelling of one
object meets the same node.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Connection

from zhuisu.chain import custody
from zhuisu.chain.rules import KIND_NAMES, NodeKind, node_kind
from zhuisu.domain import epc
from zhuisu.domain.links import CERTAIN, LinkKind, Step
from zhuisu.domain.parties import canonical_party
from zhuisu.domain.roles import EVENT_TYPE_NAMES
from zhuisu.errors import NotFound, ValidationFailed
from zhuisu.store import access as access_store
from zhuisu.store import chain as chain_store
from zhuisu.store.chain import NEG, POS, EdgeRow, EventInfo, WalkRow

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Direction(StrEnum):
    BACK = "back"
    FORWARD = "forward"
    BOTH = "both"


class TraceEvent(NamedTuple):
    """One step of the trace: what happened, when, where, and who was responsible.

    The result types are named tuples: a forward trace builds thousands of them and a frozen
    dataclass costs about three times as much to build (bench trace, issue 5)."""

    event_id: str
    event_time: str
    event_type: str
    action: str | None
    biz_step: str | None
    disposition: str | None
    biz_location: str | None
    read_point: str | None
    subject: str | None
    identifiers: tuple[str, ...]  # the trace's nodes this event names or links
    # a step the reader may not see (issue 3): kept as a hop, described only by the kind and
    # region of its holder, with no eventID, place, party or exact time
    opaque: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        if self.opaque is not None:
            return {
                "opaque": True,
                "eventID": None,
                "eventTime": self.event_time[:10],
                "type": self.event_type,
                "bizStep": self.biz_step,
                "identifiers": list(self.identifiers),
                **self.opaque,
            }
        return {
            "eventID": self.event_id,
            "eventTime": self.event_time,
            "type": self.event_type,
            "action": self.action,
            "bizStep": self.biz_step,
            "disposition": self.disposition,
            "bizLocation": self.biz_location,
            "readPoint": self.read_point,
            "subject": self.subject,
            "identifiers": list(self.identifiers),
        }


class TraceNode(NamedTuple):
    id: str
    kind: NodeKind
    # how the node belongs to the trace: the start, whole (made from / made into), or a carrier
    role: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": str(self.kind), "role": self.role}


class TraceEdge(NamedTuple):
    source: str
    target: str
    kind: str
    event_id: str | None
    event_time: str | None
    confidence: float
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.source,
            "to": self.target,
            "kind": self.kind,
            "eventID": self.event_id,
            "eventTime": self.event_time,
            "confidence": self.confidence,
            "reason": self.reason,
        }


@dataclass(slots=True)
class TraceResult:
    identifier: str
    direction: Direction
    steps: list[TraceEvent] = field(default_factory=list)
    nodes: list[TraceNode] = field(default_factory=list)
    edges: list[TraceEdge] = field(default_factory=list)
    #: eventID → (stored JSON, namespaces column) of every step the reader may see, when the trace
    #: was asked for them (``documents=True``): pages that show more of each step need not read
    #: them again (not in JSON)
    documents: dict[str, tuple[str, str | None]] = field(default_factory=dict)

    @property
    def events(self) -> list[str]:
        return [s.event_id for s in self.steps if s.opaque is None]

    def to_json(self) -> dict[str, Any]:
        return {
            "identifier": self.identifier,
            "direction": str(self.direction),
            "events": self.events,
            "steps": [s.to_json() for s in self.steps],
            "nodes": [n.to_json() for n in self.nodes],
            "edges": [e.to_json() for e in self.edges],
        }


def canonical_identifier(identifier: str) -> str:
    """The node key of an identifier as typed by a user (URN, Digital Link, trace code)."""
    value = identifier.strip()
    if not value:
        raise ValidationFailed("标识符不能为空", "the identifier must not be empty")
    try:
        return epc.canonical(value)
    except ValueError as exc:
        raise ValidationFailed(
            f"标识符 {value!r} 无效: {exc}", f"invalid identifier {value!r}: {exc}"
        ) from None


@lru_cache(maxsize=65_536)
def _iso(us: int, offset: str = "+00:00") -> str:
    """Stored microseconds → ISO 8601 in the event's own time zone offset (eventTimeZoneOffset)."""
    sign = -1 if offset.startswith("-") else 1
    shift = timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6])) * sign
    moment = _EPOCH + timedelta(microseconds=us)
    return moment.astimezone(timezone(shift)).isoformat(timespec="milliseconds")


@dataclass(slots=True)
class _Closure:
    """Walk rows merged per node: its best role and every time window it counts in."""

    start: str
    roles: dict[str, int] = field(default_factory=dict)
    windows: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, rows: Iterable[WalkRow]) -> None:
        for row in rows:
            self.roles[row.node] = min(self.roles.get(row.node, 1), row.state)
            if row.lo <= row.hi:
                self.windows[row.node].append((row.lo, row.hi))

    def covers(self, node: str, t_us: int) -> bool:
        return any(lo <= t_us <= hi for lo, hi in self.windows.get(node, ()))


def trace(
    conn: Connection,
    identifier: str,
    *,
    direction: Direction = Direction.BOTH,
    depth: int | None = None,
    visibility: ColumnElement[bool] | None = None,
    documents: bool = False,
) -> TraceResult:
    """Trace an identifier back to its origins, forward to every destination, or both.

    ``visibility`` (access control, issue 3) hides the events the reader may not see: each stays
    in the trace as an opaque hop ("a filed wholesaler in 310101"), so the chain is not broken
    and nothing of it leaks. None: everything is shown (admins, the CLI). ``documents``: keep the
    stored document of every visible step in ``TraceResult.documents`` (pages that show more of
    each step than the trace does)."""
    if depth is not None and depth < 0:
        raise ValidationFailed("depth 不能为负数", "depth must not be negative")
    start = canonical_identifier(identifier)
    closure = _Closure(start)
    walks = [True, False] if direction is Direction.BOTH else [direction is Direction.BACK]
    for backward in walks:
        closure.add(chain_store.walk(conn, [start], backward=backward, max_depth=depth))
    # a node with links has reached more than itself; a lone one must still be named by an event
    if len(closure.roles) <= 1 and not chain_store.known_node(conn, start):
        raise NotFound(f"没有记录提到标识符 {identifier}", f"no record names the identifier {identifier}")
    closure.windows[start].append((NEG, POS))
    closure.roles[start] = 0
    return _assemble(conn, closure, identifier, direction, visibility, documents)


def _assemble(
    conn: Connection,
    closure: _Closure,
    identifier: str,
    direction: Direction,
    visibility: ColumnElement[bool] | None,
    documents: bool,
) -> TraceResult:
    nodes = set(closure.roles)
    # one read of the closure's link rows and one of its events (store.chain.trace_data)
    data = chain_store.trace_data(
        conn, nodes, closure.start, backward=direction is Direction.BACK, with_docs=documents
    )
    if direction is Direction.BACK:
        data, nodes = _held(closure, data, nodes)
    every = [e for e, st in zip(data.links, data.steps, strict=True) if st in _DOWNWARD]
    edges = [e for e in every if e.dst in nodes]
    own = {e.event_pk for e in data.links if e.src == closure.start}
    # backward, a node's sales to other buyers before ours are not our history: an event whose
    # links only lead out of the trace is another branch when what it led to went on elsewhere
    # (its receipt is on record) or when it was a retail sale (CBV 2.0 retail_selling: the goods
    # left the chain to a consumer). It still shows in a forward trace. A shipment whose receiving
    # side recorded no voucher stays: it may well be the very lot that came to us.
    branches: set[int] = set()
    retail: set[int] = set()
    if direction is Direction.BACK:
        outward = [e for e in every if e.dst not in nodes]
        if outward:
            up = {int(Step.UP), int(Step.CARRIER)}
            inbound = {e.event_pk for e, st in zip(data.links, data.steps, strict=True) if st in up}
            kept = inbound | own
            branches = {e.event_pk for e in outward if e.dst in data.onward} - kept
            retail = {e.event_pk for e in outward} - kept
    chosen: dict[int, EventInfo] = {}
    known: dict[int, EventInfo] = {info.pk: info for info in data.linking}
    known.update((info.pk, info) for _, _, info in data.named)
    if direction is Direction.BACK:
        branches |= _siblings(every, nodes, data.onward, known, own)
    named: dict[int, set[str]] = defaultdict(set)
    for node, _role, info in data.named:
        if info.pk in branches or (info.pk in retail and info.biz_step == "retail_selling"):
            continue
        if closure.covers(node, info.time_us):
            chosen[info.pk] = info
            named[info.pk].add(node)
    for pk in ({e.event_pk for e in edges} | own) - chosen.keys() - branches:
        if pk in known:
            chosen[pk] = known[pk]
    for e in edges:
        named[e.event_pk].update((e.src, e.dst))
    for pk in own:
        named[pk].add(closure.start)
    valid = chosen.keys()
    edges = [e for e in edges if e.event_pk in valid]
    ordered = sorted(chosen.values(), key=lambda i: (i.time_us, i.pk))
    subjects = _subjects(ordered)
    steps = [_step(i, subjects.get(i.pk), named[i.pk]) for i in ordered]
    hidden: set[int] = set()
    if visibility is not None:
        shown = access_store.visible_pks(conn, [i.pk for i in ordered], visibility)
        hidden = {i.pk for i in ordered if i.pk not in shown}
        steps = _obscured(conn, ordered, steps, hidden)
    result = TraceResult(identifier, direction, steps=steps)
    result.nodes = _nodes(closure, edges, steps)
    visible = {pk: info for pk, info in chosen.items() if pk not in hidden}
    result.documents = {info.event_id: (info.doc, info.namespaces) for info in visible.values() if info.doc}
    result.edges = [_edge(e, visible) for e in edges] + _holding_edges(steps)
    return result


#: the steps a link row takes downstream: to what a node went into, or to what it contained
_DOWNWARD = frozenset({int(Step.DOWN), int(Step.CONTENT)})


def _held(
    closure: _Closure, data: chain_store.TraceData, nodes: set[str]
) -> tuple[chain_store.TraceData, set[str]]:
    """A back trace narrowed to the portions of split lots that came to it (chain.custody): the
    nodes it no longer reaches leave the closure, and count as leading on elsewhere where they
    do; a lot's events at places it was not held in this trace leave with them."""
    events = {info.pk: info for info in data.linking}
    events.update((info.pk, info) for _, _, info in data.named)
    held = custody.narrow(closure.start, nodes, data.links, data.steps, events)
    if held.nodes >= nodes and not held.held:
        return data, nodes
    kept = held.nodes & nodes
    gone_on = {
        e.src for e, st in zip(data.links, data.steps, strict=True) if st in _DOWNWARD and e.src not in kept
    }
    pairs = [(e, st) for e, st in zip(data.links, data.steps, strict=True) if e.src in kept]
    named = [
        (node, role, info)
        for node, role, info in data.named
        if node in kept and held.holds(node, custody.event_place(info), info.time_us)
    ]
    for node in nodes - kept:
        closure.roles.pop(node, None)
        closure.windows.pop(node, None)
    narrowed = chain_store.TraceData(
        [e for e, _ in pairs], [st for _, st in pairs], data.onward | gone_on, named, data.linking
    )
    return narrowed, kept


# what an outbound record issues: the new trace code, the portions drawn from its batch, the
# consignment it ships under (domain.links)
_ISSUING = frozenset({int(LinkKind.TRACE_CODE), int(LinkKind.BATCH), int(LinkKind.BIZ_TRANSACTION)})
_OUTBOUND_STEPS = frozenset({"shipping", "departing", "retail_selling", "dispensing"})
_SALES_STEPS = frozenset({"retail_selling", "dispensing"})


def _siblings(
    every: list[EdgeRow], nodes: set[str], onward: set[str], known: dict[int, EventInfo], own: set[int]
) -> set[int]:
    """Backward: the outbound records of the trace's batches that issued nothing of the trace — the
    other portions sold or shipped from the same batch. Each repeats the link from its voucher
    into the batch (which keeps it among the events that lead in), but what it issued went
    elsewhere: on to a receipt on record (``onward``), or to a consumer (a retail sale or a
    dispensing, CBV 2.0). A shipment whose receipt is not on record stays, as in ``_assemble``."""
    leads_in: set[int] = set()
    goes_on: dict[int, bool] = {}  # event → whether something it issued outside the trace went on
    for e in every:
        if e.kind in _ISSUING:
            if e.dst in nodes:
                leads_in.add(e.event_pk)
            else:
                goes_on[e.event_pk] = goes_on.get(e.event_pk, False) or e.dst in onward
    out: set[int] = set()
    for pk, went_on in goes_on.items():
        info = known.get(pk)
        if pk in leads_in or pk in own or info is None or info.biz_step not in _OUTBOUND_STEPS:
            continue
        if went_on or info.biz_step in _SALES_STEPS:
            out.add(pk)
    return out


def _obscured(
    conn: Connection, ordered: list[EventInfo], steps: list[TraceEvent], hidden: set[int]
) -> list[TraceEvent]:
    """The steps with each hidden one turned into an opaque hop."""
    if not hidden:
        return steps
    secret = [s for i, s in zip(ordered, steps, strict=True) if i.pk in hidden]
    profiles = access_store.holder_profiles(
        conn, {canonical_party(x) for s in secret for x in (s.biz_location, s.subject) if x}
    )
    out = []
    for info, step in zip(ordered, steps, strict=True):
        if info.pk not in hidden:
            out.append(step)
            continue
        found = profiles.get(canonical_party(step.biz_location or "")) or profiles.get(
            canonical_party(step.subject or "")
        )
        kind, region = found if found else (None, None)
        holder = {
            "holder": {"subjectType": kind, "region": region},
            "description_zh": f"一家已备案的 {kind}(行政区划 {region})" if found else "其他主体",
            "description_en": f"a filed {kind} in region {region}" if found else "another party",
        }
        out.append(
            step._replace(event_id="", biz_location=None, read_point=None, subject=None, opaque=holder)
        )
    return out


def _subjects(infos: list[EventInfo]) -> dict[int, str | None]:
    """The responsible subject of each event, as capture stored it (``domain.holders``)."""
    return {info.pk: info.subject for info in infos}


def _step(info: EventInfo, subject: str | None, named: set[str]) -> TraceEvent:
    return TraceEvent(
        info.event_id,
        _iso(info.time_us, info.offset),
        EVENT_TYPE_NAMES.get(info.event_type, str(info.event_type)),
        info.action,
        info.biz_step,
        info.disposition,
        info.biz_location,
        info.read_point,
        subject,
        tuple(sorted(named)),
    )


def _nodes(closure: _Closure, edges: list[EdgeRow], steps: list[TraceEvent]) -> list[TraceNode]:
    kinds: dict[str, set[int]] = defaultdict(set)
    pivots: set[str] = set()  # transformationIDs (EPCIS 2.0 §7.4.5), joined by their two halves
    for e in edges:
        kinds[e.src].add(e.kind)
        kinds[e.dst].add(e.kind)
        if e.reason == "transformation.id_input":
            pivots.add(e.dst)
        elif e.reason == "transformation.id_output":
            pivots.add(e.src)
    out = [
        TraceNode(
            node,
            node_kind(node, kinds[node], transformation_id=node in pivots),
            "start" if node == closure.start else ("whole" if state == 0 else "carrier"),
        )
        for node, state in sorted(closure.roles.items())
    ]
    places = sorted({p for s in steps if (p := s.biz_location or s.read_point)})
    subjects = sorted({s.subject for s in steps if s.subject})
    out += [TraceNode(p, NodeKind.LOCATION, "place") for p in places]
    out += [TraceNode(s, NodeKind.SUBJECT, "holder") for s in subjects]
    return out


def _edge(e: EdgeRow, events: dict[int, EventInfo]) -> TraceEdge:
    info = events.get(e.event_pk)
    return TraceEdge(
        e.src,
        e.dst,
        KIND_NAMES.get(e.kind, str(e.kind)),
        info.event_id if info else None,
        _iso(info.time_us, info.offset) if info else None,
        e.confidence / CERTAIN,
        e.reason,
    )


def _holding_edges(steps: list[TraceEvent]) -> list[TraceEdge]:
    """Where each node was (at) and who held it (held_by) at each step, from the events."""
    out: list[TraceEdge] = []
    add = out.append
    for s in steps:
        place = s.biz_location or s.read_point
        subject = s.subject
        event_id, event_time = s.event_id, s.event_time
        for node in s.identifiers:
            if place:
                add(TraceEdge(node, place, "at", event_id, event_time, 1.0, "event.location"))
            if subject:
                add(TraceEdge(node, subject, "held_by", event_id, event_time, 1.0, "event.subject"))
    return out
