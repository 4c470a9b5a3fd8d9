"""Link rules of the trace chain (追溯链条): the edges one event says, derived from that event alone.

The chain is a graph whose nodes are identifiers in their canonical form (``domain.epc.canonical``,
the keys ``event_ids`` stores), plus a few pivot identifiers that events name in other fields: a
trace code (追溯码), a voucher (追溯凭证号), a transformationID, a business transaction, a
wholesale batch. An edge is derived from ONE event, so capture never looks at other events to link:
whichever of two related events arrives first leaves its half of the path, the other half meets it
at the shared pivot when it arrives (out-of-order arrival costs nothing). "The same identifier in
several events" needs no edge at all: the ``event_ids`` index already joins those events.

Rules (each edge goes the way material flows, upstream → downstream):

=================  ==========================================================================
kind               source and meaning
=================  ==========================================================================
TRANSFORMATION     EPCIS 2.0 §7.4.5 TransformationEvent: every input → every output of the
                   event; with a transformationID, inputs → ID and ID → outputs, so the events
                   of one transformation join at the ID whatever their order (§7.4.5: events
                   sharing a transformationID are one transformation).
AGGREGATION        EPCIS 2.0 §7.4.3 AggregationEvent ADD / OBSERVE: the parent carries the child
                   from this time until a DELETE; AssociationEvent (§7.4.6) the same way.
DISAGGREGATION     §7.4.3 DELETE: the end of the carrying window; ``*`` when childEPCs and
                   childQuantityList are omitted ("all children disaggregated").
BIZ_TRANSACTION    §7.3.5.3 business transaction, CBV 2.0 §8.5: objects shipped under a
                   transaction (bizStep shipping / departing) → the transaction → the objects
                   received under it (receiving / arriving / accepting); a delivery note, bill
                   of lading, invoice or receiving advice names one consignment (certain), a
                   purchase order may span several (candidate, confidence 0.5).
VOUCHER            全国肉类蔬菜流通追溯体系建设规范 / SB/T 10680-10684, "卡单同行": an inbound
                   record carries the upstream record's trace code as its 追溯凭证号
                   (``zs:traceVoucher``, JYPZH / ZSPZH): voucher → every object received.
TRACE_CODE         same source: each outgoing record (出场 / 交易 / 销售) gets a new 追溯码
                   (``zs:traceCode``, ZSM): every object it was taken from → the code. This is the
                   sales split: a sold portion carries a new code linked to its batch.
BATCH              same source, wholesale batching: 同一批发商 + 同一检疫证/产地证明 = 同一批次
                   (``zs:batchNo``, JCPCH / JHPCH). The batch is a node scoped by the subject
                   (``zs:subject``, else ``zs:operatorCode``, else bizLocation, else readPoint);
                   the event's lot-level objects → the batch ("booked" into it), except on an
                   outbound step (shipping, departing, retail_selling, dispensing), where the
                   record names the batch it sells from: batch → the objects ("drawn" from it),
                   so a portion's history does not run through the batch into its siblings. The
                   batch takes part in the VOUCHER and TRACE_CODE edges of the event like any
                   other object.
=================  ==========================================================================

Only lot-level or instance-level identifiers become nodes: a GTIN without lot (a product class
such as ``https://id.gs1.org/01/06901234123457``, or an EPC pattern) would join every lot of the
product everywhere, so it is left out (trace by lot, GB/T 38155-2019 追溯单元: one product, one lot).

Confidence (per mille) and reason keep candidate links honest where the event cannot say for sure:

* a TransformationEvent with several inputs and several outputs: EPCIS 2.0 §7.4.5 says each output
  derives from "some or all" inputs, so each input → output pair is a candidate (1000 / inputs);
  one input or one output makes every pair certain;
* a trace code issued on a record that lists several lots without a quantity for each (a stall
  selling from commingled batches): each lot → code is a candidate (1000 / lots);
* a purchase-order-like business transaction (several consignments): 500.

Walk steps: each edge is stored twice, once under each end (see ``Step``), so a walk from any node
reads one contiguous index range (store/chain.py). ``walk_rows`` stores an event's edges without
their product: the sources that have exactly the same outgoing edges (the 3 items of a shipment →
its 2 transactions, its batch and its trace code) go through one hub node of that event
(``HUB_PREFIX``): every source → hub, hub → every target, so |sources| + |targets| edges stand for
|sources| × |targets|. The hub row towards a target carries the pair's kind, confidence and reason
(the hub row towards a source is ``LinkKind.HUB``), the hub is the event's alone (its name holds the
event's key), so a hub joins only pairs the event stated and is deleted with the event's rows.

Pure functions, stdlib only. ``derive`` is on the capture hot path: for the common ObjectEvent
with only epcList / quantityList and no bizTransactionList, ILMD or zhuisu link fields it returns
the empty tuple after a few dictionary look-ups.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from zhuisu.domain import epc
from zhuisu.domain.event_model import ZHUISU_NS

__all__ = [
    "ALL_CHILDREN",
    "HUB_PREFIX",
    "Link",
    "LinkKeys",
    "LinkKind",
    "Step",
    "TemplateRow",
    "WalkRow",
    "batch_node",
    "derive",
    "expand_hubs",
    "field_keys",
    "fill_template",
    "hub_name",
    "is_hub",
    "keys_for",
    "steps_of",
    "walk_rows",
    "walk_template",
]


class LinkKind(IntEnum):
    """Why two nodes are linked (stored: codes are stable)."""

    TRANSFORMATION = 1
    AGGREGATION = 2
    DISAGGREGATION = 3
    BIZ_TRANSACTION = 4
    VOUCHER = 5
    TRACE_CODE = 6
    BATCH = 7
    #: a row between a source and its event's hub (``walk_rows``); never a link of its own
    HUB = 8


class Step(IntEnum):
    """How a walk standing on ``node`` may move to ``other`` (stored: codes are stable).

    UP: ``other`` is upstream (the backward walk, 来源可查); DOWN: downstream (forward, 去向可追);
    CARRIER: ``other`` carried ``node`` (both walks, inside the carrying window only);
    CONTENT: ``node`` carried ``other`` (both walks, never from a node reached as a carrier, so a
    walk does not wander from an item to the other items on its pallet);
    UNPACK: ``other`` (or ``*``) left ``node`` at this time (closes a carrying window; not walked).
    """

    UP = 1
    DOWN = 2
    CARRIER = 3
    CONTENT = 4
    UNPACK = 5


#: the child of a DISAGGREGATION that empties the parent (§7.4.3: children omitted)
ALL_CHILDREN = "*"
CERTAIN = 1000

#: (source, target, kind, confidence per mille, reason)
Link = tuple[str, str, int, int, str]

# CBV 2.0 bizStep words: where the objects leave under a transaction, where they arrive under it.
_OUTBOUND = frozenset({"shipping", "departing", "retail_selling", "dispensing"})
_INBOUND = frozenset({"receiving", "arriving", "accepting"})
# CBV 2.0 §8.5 business transaction types that name one consignment.
_CONSIGNMENT_TYPES = frozenset({"desadv", "bol", "inv", "recadv", "pedigree"})

_DIRECT_TYPES = frozenset({"ObjectEvent", "TransactionEvent"})


@dataclass(frozen=True, slots=True)
class LinkKeys:
    """The extension keys that carry zhuisu link fields in one document (built once per chunk)."""

    trace_code: tuple[str, ...]
    voucher: tuple[str, ...]
    batch: tuple[str, ...]
    subject: tuple[str, ...]
    operator: tuple[str, ...]
    #: trace_code + voucher + batch: any of them makes an ObjectEvent worth a closer look
    any: tuple[str, ...]


def field_keys(namespaces: Mapping[str, str], local: str) -> tuple[str, ...]:
    """The keys under which a document writes the zhuisu field ``local``: any prefix bound to
    ``ZHUISU_NS``, the preferred prefix ``zs``, and the full IRI (EPCIS 2.0 §12.2 extensions)."""
    prefixes = sorted({p for p, iri in namespaces.items() if iri == ZHUISU_NS} | {"zs"})
    return (*(f"{p}:{local}" for p in prefixes), f"{ZHUISU_NS}{local}")


def keys_for(namespaces: Mapping[str, str]) -> LinkKeys:
    """The keys of the zhuisu link fields in one document (built once per capture chunk)."""

    def spellings(local: str) -> tuple[str, ...]:
        return field_keys(namespaces, local)

    code, voucher, batch = spellings("traceCode"), spellings("traceVoucher"), spellings("batchNo")
    return LinkKeys(
        code, voucher, batch, spellings("subject"), spellings("operatorCode"), code + voucher + batch
    )


_DEFAULT_KEYS = keys_for({})


def _node(value: Any) -> str | None:
    """A canonical node key for an identifier, or None when it is no usable lot/instance node."""
    if not isinstance(value, str) or not value:
        return None
    try:
        key = epc.canonical(value)
    except ValueError:
        return value  # a malformed GS1 spelling is still a code somebody wrote; keep it as written
    if key.startswith(epc.CANONICAL_HOST + "/01/") and key.count("/") == 4:
        return None  # a GTIN without lot or serial: a product class, not a trace unit
    if value.startswith("urn:epc:idpat:"):
        return None  # an EPC pattern names a class
    return key


def _field(event: Mapping[str, Any], keys: tuple[str, ...]) -> list[str]:
    """The values of a zhuisu field, on the event or in its ILMD (a string or a list of strings)."""
    found: list[str] = []
    ilmd = event.get("ilmd")
    for holder in (event, ilmd if isinstance(ilmd, Mapping) else {}):
        for key in keys:
            value = holder.get(key)
            if isinstance(value, str | int) and not isinstance(value, bool):
                found.append(str(value).strip())
            elif isinstance(value, list):
                found.extend(str(v).strip() for v in value if isinstance(v, str | int))
    return [v for v in dict.fromkeys(found) if v]


def batch_node(scope: str, batch_no: str) -> str:
    """The node key of a wholesale batch: batch numbers are unique only inside one subject."""
    return f"urn:zhuisu:batch:{scope}:{batch_no}"


def _batch(event: Mapping[str, Any], keys: LinkKeys) -> str | None:
    numbers = _field(event, keys.batch)
    if not numbers:
        return None
    scopes = _field(event, keys.subject) or _field(event, keys.operator)
    if scopes:
        scope = scopes[0]
    else:
        location = event.get("bizLocation") or event.get("readPoint") or {}
        scope = str(location.get("id", "")) if isinstance(location, Mapping) else ""
    return batch_node(scope, numbers[0])


def _epcs(event: Mapping[str, Any], key: str) -> list[str]:
    out: list[str] = []
    for value in event.get(key) or ():
        node = _node(value)
        if node is not None:
            out.append(node)
    return out


def _quantities(event: Mapping[str, Any], key: str) -> list[tuple[str, bool]]:
    """Lot-level classes of a quantity list, each with whether its quantity is stated."""
    out: list[tuple[str, bool]] = []
    for element in event.get(key) or ():
        if isinstance(element, Mapping):
            node = _node(element.get("epcClass"))
            if node is not None:
                out.append((node, element.get("quantity") is not None))
    return out


def _unique(links: Iterable[Link]) -> tuple[Link, ...]:
    seen: dict[tuple[str, str, int], Link] = {}
    for link in links:
        if link[0] != link[1]:
            seen.setdefault((link[0], link[1], link[2]), link)
    return tuple(seen.values())


def derive(event: Mapping[str, Any], keys: LinkKeys = _DEFAULT_KEYS) -> tuple[Link, ...]:
    """The chain links one normalised event states (see the module docstring for the rules)."""
    kind = event.get("type")
    if kind == "ObjectEvent" and "bizTransactionList" not in event and "ilmd" not in event:
        for key in keys.any:
            if key in event:
                break
        else:
            return ()  # the capture hot path: a plain observation links nothing
    if "errorDeclaration" in event:
        return ()  # a declaration retracts its event's links (store.chain), it adds none
    links: list[Link] = []
    if kind == "TransformationEvent":
        links.extend(_transformation(event))
    elif kind in ("AggregationEvent", "AssociationEvent"):
        links.extend(_aggregation(event, kind))
    objects, loose = _objects(event)
    if objects:
        links.extend(_transactions(event, objects))
    links.extend(_trace_fields(event, keys, objects, loose))
    return _unique(links)


def _objects(event: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """The lot/instance-level objects an event is about, and those among them whose share is
    unknown (quantity elements without a quantity)."""
    objects: list[str] = []
    loose: list[str] = []
    if event.get("type") in _DIRECT_TYPES:
        objects.extend(_epcs(event, "epcList"))
        for node, stated in _quantities(event, "quantityList"):
            objects.append(node)
            if not stated:
                loose.append(node)
    elif event.get("type") == "AggregationEvent":
        parent = _node(event.get("parentID"))
        objects.extend([parent] if parent else [])
        objects.extend(_epcs(event, "childEPCs"))
        objects.extend(node for node, _ in _quantities(event, "childQuantityList"))
    elif event.get("type") == "TransformationEvent":
        objects.extend(_epcs(event, "outputEPCList"))
        objects.extend(node for node, _ in _quantities(event, "outputQuantityList"))
    return list(dict.fromkeys(objects)), loose


def _transformation(event: Mapping[str, Any]) -> list[Link]:
    inputs = list(
        dict.fromkeys(_epcs(event, "inputEPCList") + [n for n, _ in _quantities(event, "inputQuantityList")])
    )
    outputs = list(
        dict.fromkeys(
            _epcs(event, "outputEPCList") + [n for n, _ in _quantities(event, "outputQuantityList")]
        )
    )
    kind: int = LinkKind.TRANSFORMATION
    xid = event.get("transformationID")
    if isinstance(xid, str) and xid:
        # §7.4.5: the events of one transformation share its ID; the ID is the pivot node
        return [(i, xid, kind, CERTAIN, "transformation.id_input") for i in inputs] + [
            (xid, o, kind, CERTAIN, "transformation.id_output") for o in outputs
        ]
    if len(inputs) > 1 and len(outputs) > 1:
        share = CERTAIN // len(inputs)
        return [(i, o, kind, share, "transformation.some_or_all_inputs") for i in inputs for o in outputs]
    return [(i, o, kind, CERTAIN, "transformation.event") for i in inputs for o in outputs]


def _aggregation(event: Mapping[str, Any], kind: str) -> list[Link]:
    parent = _node(event.get("parentID"))
    if parent is None:
        return []
    children = list(
        dict.fromkeys(_epcs(event, "childEPCs") + [n for n, _ in _quantities(event, "childQuantityList")])
    )
    reason = "association" if kind == "AssociationEvent" else "aggregation"
    if event.get("action") == "DELETE":
        targets = children or [ALL_CHILDREN]
        return [(parent, c, LinkKind.DISAGGREGATION, CERTAIN, f"{reason}.delete") for c in targets]
    return [(parent, c, LinkKind.AGGREGATION, CERTAIN, f"{reason}.add") for c in children]


def _transactions(event: Mapping[str, Any], objects: list[str]) -> list[Link]:
    step = event.get("bizStep")
    outbound, inbound = step in _OUTBOUND, step in _INBOUND
    if not (outbound or inbound):
        return []
    links: list[Link] = []
    for bt in event.get("bizTransactionList") or ():
        if not isinstance(bt, Mapping) or not isinstance(bt.get("bizTransaction"), str):
            continue
        node = bt["bizTransaction"]
        bt_type = bt.get("type")
        certain = bt_type is None or bt_type in _CONSIGNMENT_TYPES
        confidence = CERTAIN if certain else CERTAIN // 2
        reason = f"bizTransaction.{bt_type or 'untyped'}"
        for o in objects:
            link = (o, node) if outbound else (node, o)
            links.append((link[0], link[1], LinkKind.BIZ_TRANSACTION, confidence, reason))
    return links


def _trace_fields(
    event: Mapping[str, Any], keys: LinkKeys, objects: list[str], loose: list[str]
) -> list[Link]:
    links: list[Link] = []
    batch = _batch(event, keys)
    if batch is not None:
        if event.get("bizStep") in _OUTBOUND:
            # a sale or shipment draws its objects from the batch (批发交易 / 零售 records carry the
            # entry batch number, JCPCH): batch → each portion, so a sold portion's back trace
            # reaches the batch and not, through it, every other portion sold from it
            links.extend((batch, o, LinkKind.BATCH, CERTAIN, "batch.drawn") for o in objects)
        else:
            links.extend((o, batch, LinkKind.BATCH, CERTAIN, "batch.booked") for o in objects)
        objects = [*objects, batch]
    codes = [c for c in (_node(v) for v in _field(event, keys.trace_code)) if c]
    vouchers = [v for v in (_node(v) for v in _field(event, keys.voucher)) if v]
    for voucher in vouchers:
        targets = objects or codes  # a record with neither lot nor batch: voucher → its own code
        links.extend((voucher, t, LinkKind.VOUCHER, CERTAIN, "voucher.received") for t in targets)
    commingled = len(loose) > 1
    for code in codes:
        for o in objects:
            if commingled and o in loose:
                links.append((o, code, LinkKind.TRACE_CODE, CERTAIN // len(loose), "trace_code.commingled"))
            else:
                links.append((o, code, LinkKind.TRACE_CODE, CERTAIN, "trace_code.issued"))
    return links


def steps_of(link: Link) -> tuple[tuple[str, int, str], ...]:
    """The stored walk rows of a link: (node, step, other), one under each end."""
    src, dst, kind = link[0], link[1], link[2]
    if kind == LinkKind.DISAGGREGATION:
        return ((src, Step.UNPACK, dst),)
    if kind == LinkKind.AGGREGATION:
        return ((src, Step.CONTENT, dst), (dst, Step.CARRIER, src))
    return ((src, Step.DOWN, dst), (dst, Step.UP, src))


#: the node key prefix of an event's hub (``walk_rows``): never an identifier of a document
HUB_PREFIX = "urn:zhuisu:hub:"
_HUB_KIND: int = LinkKind.HUB
_MATERIAL_ONLY = (int(LinkKind.AGGREGATION), int(LinkKind.DISAGGREGATION))

#: a stored walk row without its event: (node, step, other, kind, confidence, reason)
WalkRow = tuple[str, int, str, int, int, str]


def hub_name(event_key: int | str, group: int) -> str:
    """The node key of one hub of one event (an event has one hub per group of sources)."""
    return f"{HUB_PREFIX}{event_key}.{group}"


def is_hub(node: str) -> bool:
    return node.startswith(HUB_PREFIX)


#: a walk row before its event has a key (``walk_template``): a hub stands as its group number
TemplateRow = tuple[str | int, int, str | int, int, int, str]


def walk_rows(links: Iterable[Link], event_key: int | str) -> list[WalkRow]:
    """The walk rows of one event's links: ``steps_of`` each link, except that the sources with
    identical outgoing upstream → downstream links share a hub (module docstring), when that
    takes fewer rows. Aggregation links keep their own rows: one parent, no product to save."""
    return fill_template(walk_template(links), event_key)


def fill_template(template: Iterable[TemplateRow], event_key: int | str) -> list[WalkRow]:
    """The walk rows of a ``walk_template`` once the event's key is known: hubs get their names."""
    hub = f"{HUB_PREFIX}{event_key}."
    return [
        (
            node if isinstance(node, str) else f"{hub}{node}",
            step,
            other if isinstance(other, str) else f"{hub}{other}",
            kind,
            confidence,
            reason,
        )
        for node, step, other, kind, confidence, reason in template
    ]


def walk_template(links: Iterable[Link]) -> list[TemplateRow]:
    """``walk_rows`` without the event's key, so that it can be worked out before the event is
    stored (in a capture worker process): each hub is its group number (``hub_name``'s group).
    Every (node, step, other) comes out once: a source belongs to one group, a hub to one event."""
    rows: list[TemplateRow] = []
    out: dict[str, dict[str, Link]] = {}
    for link in links:
        if link[2] in _MATERIAL_ONLY:
            for node, step, other in steps_of(link):
                rows.append((node, int(step), other, int(link[2]), int(link[3]), link[4]))
            continue
        # the first link of a pair wins, as one (node, step, other) row always did
        out.setdefault(link[0], {}).setdefault(link[1], link)
    groups: dict[frozenset[tuple[str, int, int, str]], list[str]] = {}
    for src, by_dst in out.items():
        key = frozenset((dst, int(lk[2]), int(lk[3]), lk[4]) for dst, lk in by_dst.items())
        groups.setdefault(key, []).append(src)
    down, up = int(Step.DOWN), int(Step.UP)
    for number, sources in enumerate(groups.values()):
        targets = list(out[sources[0]].values())
        if len(sources) * len(targets) <= len(sources) + len(targets):
            for one in sources:
                for lk in out[one].values():
                    attrs = (int(lk[2]), int(lk[3]), lk[4])
                    rows.append((lk[0], down, lk[1], *attrs))
                    rows.append((lk[1], up, lk[0], *attrs))
            continue
        for one in sources:
            rows.append((one, down, number, _HUB_KIND, CERTAIN, "hub"))
            rows.append((number, up, one, _HUB_KIND, CERTAIN, "hub"))
        for lk in targets:
            attrs = (int(lk[2]), int(lk[3]), lk[4])
            rows.append((number, down, lk[1], *attrs))
            rows.append((lk[1], up, number, *attrs))
    return rows


#: a stored row with its event: (node, step, other, t_us, event_pk, kind, confidence, reason)
StoredRow = tuple[str, int, str, int, int, int, int, str]


def expand_hubs(rows: Iterable[StoredRow], hub_rows: Iterable[StoredRow]) -> list[StoredRow]:
    """The rows as if every link were stored under both ends (``steps_of``): a row into a hub
    becomes one row per node on the hub's far side with the same step, carrying the pair's
    attributes (those of the row that is not ``LinkKind.HUB``). Rows standing on a hub are dropped;
    ``hub_rows`` must hold the rows standing on every hub the rows lead into. Primary key order."""
    far: dict[tuple[str, int], list[StoredRow]] = {}
    for h in hub_rows:
        far.setdefault((h[0], h[1]), []).append(h)
    out: list[StoredRow] = []
    for r in rows:
        if is_hub(r[0]):
            continue
        if not is_hub(r[2]):
            out.append(r)
            continue
        for h in far.get((r[2], r[1]), ()):
            attrs = h[5:] if r[5] == _HUB_KIND else r[5:]
            out.append((r[0], r[1], h[2], r[3], r[4], *attrs))
    out.sort(key=lambda r: (r[0], r[1], r[2], r[3], r[4]))
    return out
