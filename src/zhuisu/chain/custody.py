"""Where a split lot was held: keeping a back trace to the portion that came to us.

A lot-level identifier (GTIN + batch/lot, GS1 General Specifications §3.4.2 AI (10)) names every
portion of the lot wherever it is. When a farm batch is split between slaughterhouses, each
receipt books its portion under the same lot with its own voucher (the trace code of the
shipment, MOFCOM meat & vegetable rules), so the node of the lot carries the receipts of every
portion. The recursive walk (``store.chain``) follows all of them: a back trace from one retail
cut listed the farm's shipments to every other slaughterhouse and those plants' receipts, as if
the cut had passed through them (bench trace: 36 events where 14 are its history).

The walk's rows do not say where each link was stated; the events the trace reads do. So a back
trace is narrowed afterwards: a lot reached through a link stated at place P counts as the portion
held at P. Of the links that booked the lot in (receipts by voucher, transaction or code), only
those stated at P lead on when some of them were stated at P. Where none was — the farm the lot
was raised at, or a site a holder moved it to without a receipt on record — those stated
elsewhere lead on only if they are not later than the link the trace came through: a receipt at
another place after the lot left this one is another portion's, an earlier one may be how the lot
got here, and is kept so that nothing of a history is dropped for want of data. Code and
transaction nodes have no place: through a voucher the walk reaches the shipment that issued it
and, with it, the lot as held by the shipper. What the narrowed walk no longer reaches, and the
lot's events at places it was not held in this trace, leave the trace (``chain.service._held``).

Only back traces are narrowed: forward, every portion is where the lot went. A trace in both
directions is not narrowed either (its closure mixes the two walks).

A place is the bizLocation of an event, else its readPoint, taken at the level of the GLN: a
sub-location (GLN extension, AI (254), or the SGLN's extension) is part of its site, so a dock
door and the site itself are one place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from zhuisu.domain import epc
from zhuisu.domain.links import Step
from zhuisu.store.chain import NEG, POS, EdgeRow, EventInfo

_DL_GLN = f"{epc.CANONICAL_HOST}/414/"
_LOT_MARK = "/10/"
_ITEM_MARKS = ("/21/", "/235/")


@lru_cache(maxsize=65_536)
def place_of(location: str | None) -> str | None:
    """The site of a bizLocation / readPoint: its GLN without extension, else the value itself."""
    if not location:
        return None
    try:
        key = epc.canonical(location)
    except ValueError:
        return location
    if key.startswith(_DL_GLN):
        return key[: len(_DL_GLN) + 13]
    return key


def event_place(info: EventInfo) -> str | None:
    return place_of(info.biz_location or info.read_point)


@lru_cache(maxsize=65_536)
def is_lot(node: str) -> bool:
    """A lot-level class (GTIN + lot, or an EPC class URN): the kind of node a split shares."""
    if node.startswith(epc.CANONICAL_HOST + "/01/"):
        return _LOT_MARK in node and not any(mark in node for mark in _ITEM_MARKS)
    return node.startswith("urn:epc:class:lgtin:")


@dataclass(frozen=True, slots=True)
class Custody:
    """A back trace narrowed to the portions that came to it."""

    nodes: set[str]
    #: lot node → (place, whether it was booked in there, latest time reached) of each way the
    #: trace held it; a lot held anywhere (the start, or reached without a place) is absent
    held: dict[str, list[tuple[str, bool, int]]]

    def holds(self, node: str, place: str | None, t_us: int) -> bool:
        """Whether an event at ``place`` and ``t_us`` naming ``node`` belongs to the narrowed
        trace: at a place it was held at, or — where it was not booked in — not after the trace
        reached it (the rule of ``narrow``)."""
        ways = self.held.get(node)
        if ways is None or place is None:
            return True
        return any(place == at or (not booked and t_us <= until) for at, booked, until in ways)


def narrow(
    start: str,
    nodes: set[str],
    links: Sequence[EdgeRow],
    steps: Sequence[int],
    events: Mapping[int, EventInfo],
) -> Custody:
    """Walk the trace's link rows again, backward, with places (module docstring); ``links`` are
    the rows standing on the trace's nodes, ``events`` the trace's events by pk."""
    up = int(Step.UP)
    backward = {up, int(Step.CARRIER), int(Step.CONTENT)}
    places: dict[int, str | None] = {pk: event_place(info) for pk, info in events.items()}
    rows: dict[str, list[tuple[str, int, str | None, int]]] = defaultdict(list)
    booked_at: dict[str, set[str | None]] = defaultdict(set)
    for e, step in zip(links, steps, strict=True):
        if step not in backward or e.dst not in nodes:
            continue
        where = places.get(e.event_pk)
        rows[e.src].append((e.dst, step, where, e.t_us))
        if step == up:
            booked_at[e.src].add(where)
    # (node, place) → the latest time it was reached at: what happened to the portion after that
    # is not its history
    reached: dict[tuple[str, str | None], int] = {(start, None): POS}
    todo: list[tuple[str, str | None]] = [(start, None)]
    while todo:
        node, place = state = todo.pop()
        until = reached[state]
        if place is None or not is_lot(node):
            follow = rows.get(node, ())
        else:
            here = place in booked_at.get(node, ())
            follow = [
                r
                for r in rows.get(node, ())
                if r[1] != up or r[2] is None or r[2] == place or (not here and r[3] <= until)
            ]
        for other, _step, where, t_us in follow:
            nxt = (other, where if is_lot(other) else None)
            if reached.get(nxt, NEG) < t_us:
                reached[nxt] = t_us
                todo.append(nxt)
    held: dict[str, list[tuple[str, bool, int]]] = defaultdict(list)
    anywhere: set[str] = set()
    for (node, place), until in reached.items():
        if place is None or not is_lot(node):
            anywhere.add(node)
        else:
            held[node].append((place, place in booked_at.get(node, ()), until))
    return Custody(anywhere | held.keys(), {n: ways for n, ways in held.items() if n not in anywhere})
