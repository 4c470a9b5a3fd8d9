"""Link rules of domain.links: what one event says, with the source of each rule in the module."""

from __future__ import annotations

import timeit

from zhuisu.domain import epc
from zhuisu.domain.event_model import ZHUISU_NS
from zhuisu.domain.links import (
    ALL_CHILDREN,
    LinkKind,
    Step,
    StoredRow,
    batch_node,
    derive,
    expand_hubs,
    is_hub,
    keys_for,
    steps_of,
    walk_rows,
)

KEYS = keys_for({"zs": ZHUISU_NS, "ex": "https://example.cn/trace/"})
LOT_IN = "urn:epc:class:lgtin:6901234.100001.M1"
LOT_IN2 = "urn:epc:class:lgtin:6901234.100001.M2"
LOT_OUT = "urn:epc:class:lgtin:6901234.200001.Y1"
DL_IN = "https://id.gs1.org/01/16901234000013/10/M1"
DL_IN2 = "https://id.gs1.org/01/16901234000013/10/M2"
DL_OUT = "https://id.gs1.org/01/26901234000010/10/Y1"
PRODUCT_CLASS = "urn:epc:idpat:sgtin:6901234.100001.*"


def _q(epc_class: str, amount: float | None = None) -> dict[str, object]:
    return {"epcClass": epc_class} | ({"quantity": amount, "uom": "KGM"} if amount is not None else {})


def test_plain_observation_links_nothing_and_fast() -> None:
    event = {
        "type": "ObjectEvent",
        "eventTime": "2026-05-01T08:00:00+08:00",
        "eventTimeZoneOffset": "+08:00",
        "action": "OBSERVE",
        "epcList": ["urn:epc:id:sgtin:6901234.012345.1"],
        "bizStep": "shipping",
        "readPoint": {"id": "urn:epc:id:sgln:6901234.00001.0"},
        "ex:note": "x",
    }
    assert derive(event, KEYS) == ()
    per_call = min(timeit.repeat(lambda: derive(event, KEYS), number=20_000, repeat=3)) / 20_000
    assert per_call < 20e-6  # generous for a shared machine; measured ≈ 0.5 µs (report)


def test_transformation_in_one_event() -> None:
    event = {
        "type": "TransformationEvent",
        "inputQuantityList": [_q(LOT_IN)],
        "outputQuantityList": [_q(LOT_OUT)],
    }
    assert derive(event, KEYS) == ((DL_IN, DL_OUT, LinkKind.TRANSFORMATION, 1000, "transformation.event"),)


def test_many_inputs_to_many_outputs_are_candidates() -> None:
    event = {
        "type": "TransformationEvent",
        "inputQuantityList": [_q(LOT_IN), _q(LOT_IN2)],
        "outputQuantityList": [_q(LOT_OUT), _q("urn:epc:class:lgtin:6901234.200001.Y2")],
    }
    links = derive(event, KEYS)
    assert len(links) == 4
    assert {(c, r) for *_, c, r in links} == {(500, "transformation.some_or_all_inputs")}


def test_transformation_id_pivots_the_two_halves() -> None:
    xid = "urn:epc:id:gdti:6901234.00001.T1"
    inputs = {"type": "TransformationEvent", "transformationID": xid, "inputQuantityList": [_q(LOT_IN)]}
    outputs = {"type": "TransformationEvent", "transformationID": xid, "outputQuantityList": [_q(LOT_OUT)]}
    assert [link[:2] for link in derive(inputs, KEYS)] == [(DL_IN, xid)]
    assert [link[:2] for link in derive(outputs, KEYS)] == [(xid, DL_OUT)]


def test_product_classes_never_become_nodes() -> None:
    event = {
        "type": "TransformationEvent",
        "inputQuantityList": [_q(PRODUCT_CLASS), _q("https://id.gs1.org/01/16901234000013")],
        "outputQuantityList": [_q(LOT_OUT)],
    }
    assert derive(event, KEYS) == ()


def test_aggregation_add_and_delete() -> None:
    parent = "urn:epc:id:sscc:6901234.0000000011"
    child = "urn:epc:id:sgtin:6901234.012345.1"
    add = {"type": "AggregationEvent", "action": "ADD", "parentID": parent, "childEPCs": [child]}
    ((src, dst, kind, *_),) = derive(add, KEYS)
    assert kind == LinkKind.AGGREGATION and dst == "https://id.gs1.org/01/06901234123456/21/1"
    assert [s[1] for s in steps_of(derive(add, KEYS)[0])] == [Step.CONTENT, Step.CARRIER]
    empty = {"type": "AggregationEvent", "action": "DELETE", "parentID": parent}
    ((_, everything, kind, *_),) = derive(empty, KEYS)
    assert (everything, kind) == (ALL_CHILDREN, LinkKind.DISAGGREGATION)
    assert steps_of(derive(empty, KEYS)[0]) == ((src, Step.UNPACK, ALL_CHILDREN),)


def test_voucher_batch_and_trace_code_of_a_market_entry_and_sale() -> None:
    entry = {
        "type": "ObjectEvent",
        "action": "OBSERVE",
        "bizStep": "receiving",
        "quantityList": [_q(LOT_IN, 800)],
        "zs:traceVoucher": "TZ0001",
        "zs:batchNo": "A0502",
        "zs:subject": "MARKET-A",
    }
    batch = batch_node("MARKET-A", "A0502")
    assert {link[:3] for link in derive(entry, KEYS)} == {
        (DL_IN, batch, LinkKind.BATCH),
        ("TZ0001", DL_IN, LinkKind.VOUCHER),
        ("TZ0001", batch, LinkKind.VOUCHER),
    }
    sale = {
        "type": "ObjectEvent",
        "action": "OBSERVE",
        "quantityList": [_q(LOT_IN, 2)],
        "zs:traceCode": "LS1",
    }
    assert derive(sale, KEYS) == ((DL_IN, "LS1", LinkKind.TRACE_CODE, 1000, "trace_code.issued"),)


def test_a_sale_from_commingled_lots_links_each_as_a_candidate() -> None:
    sale = {"type": "ObjectEvent", "quantityList": [_q(LOT_IN), _q(LOT_IN2)], "zs:traceCode": "LS2"}
    assert {(s, c, r) for s, _, _, c, r in derive(sale, KEYS)} == {
        (DL_IN, 500, "trace_code.commingled"),
        (DL_IN2, 500, "trace_code.commingled"),
    }


def test_business_transactions_link_shipping_to_receiving() -> None:
    item = "urn:epc:id:sgtin:6901234.012345.1"
    bt = "urn:example:po:1"
    ship = {
        "type": "ObjectEvent",
        "bizStep": "shipping",
        "epcList": [item],
        "bizTransactionList": [{"type": "po", "bizTransaction": bt}],
    }
    receive = ship | {"bizStep": "receiving"}
    observe = ship | {"bizStep": "storing"}
    ((src, dst, _, confidence, reason),) = derive(ship, KEYS)
    assert (dst, confidence, reason) == (bt, 500, "bizTransaction.po")
    assert derive(receive, KEYS)[0][:2] == (bt, src)
    assert derive(observe, KEYS) == ()


def test_other_prefixes_and_error_declarations() -> None:
    keys = keys_for({"trace": ZHUISU_NS})
    event = {"type": "ObjectEvent", "quantityList": [_q(LOT_IN)], "trace:traceCode": "C1"}
    assert derive(event, keys)[0][:2] == (DL_IN, "C1")
    assert derive(event | {"errorDeclaration": {"declarationTime": "2026-05-02T00:00:00Z"}}, keys) == ()


def _shipment() -> dict[str, object]:
    """The shape of the ``bench capture`` workload: 3 items, 2 transactions, batch, voucher, code."""
    return {
        "type": "ObjectEvent",
        "action": "OBSERVE",
        "bizStep": "shipping",
        "epcList": [f"urn:epc:id:sgtin:6901234.012345.{n}" for n in range(3)],
        "bizLocation": {"id": "urn:epc:id:sgln:6901234.00001.0"},
        "bizTransactionList": [
            {"type": "po", "bizTransaction": "urn:epc:id:gdti:6901234.00001.PO1"},
            {"type": "desadv", "bizTransaction": "urn:epc:id:gdti:6901234.00002.DA1"},
        ],
        "zs:batchNo": "PC01",
        "zs:traceVoucher": "31011500200010000001",
        "zs:traceCode": "31011500100010000001",
    }


def _stored(rows: list[tuple[str, int, str, int, int, str]]) -> list[StoredRow]:
    return [(n, s, o, 5, 9, k, c, r) for n, s, o, k, c, r in rows]


def _pairs(links: tuple[tuple[str, str, int, int, str], ...]) -> set[StoredRow]:
    return {(n, int(st), o, 5, 9, int(lk[2]), lk[3], lk[4]) for lk in links for n, st, o in steps_of(lk)}


def test_an_events_sources_with_the_same_links_share_one_hub() -> None:
    links = derive(_shipment(), KEYS)
    # a shipment draws its items from the batch: 3 items × (2 transactions, code) + batch → 3
    # items + voucher × 4 + batch → code
    assert len(links) == 17
    items = [epc.canonical(f"urn:epc:id:sgtin:6901234.012345.{n}") for n in range(3)]
    batch = "urn:zhuisu:batch:urn:epc:id:sgln:6901234.00001.0:PC01"
    assert {lk[:2] for lk in links if lk[2] == LinkKind.BATCH} == {(batch, i) for i in items}
    rows = walk_rows(links, 9)
    # items → hub → 3 pivots (6 links) instead of 9, each link under both ends: 28 rows, not 34
    assert len(rows) == 28 and len({r[:3] for r in rows}) == 28
    hubs = {r[0] for r in rows if is_hub(r[0])}
    assert hubs == {"urn:zhuisu:hub:9.0"}
    assert {r[3] for r in rows if r[2] in hubs and r[1] == Step.DOWN} == {LinkKind.HUB}
    # read back, the hub stands for exactly the pairs the event states, each with its attributes
    stored = _stored(rows)
    assert set(expand_hubs(stored, [r for r in stored if is_hub(r[0])])) == _pairs(links)
    assert len(expand_hubs(stored, [r for r in stored if is_hub(r[0])])) == 34


def test_no_hub_where_it_would_not_save_rows_and_candidates_keep_their_confidence() -> None:
    sale = {
        "type": "ObjectEvent",
        "action": "OBSERVE",
        "bizStep": "retail_selling",
        "quantityList": [_q(LOT_IN), _q(LOT_IN2)],
        "zs:traceCode": "LS0001",
    }
    links = derive(sale, KEYS)
    rows = walk_rows(links, 3)
    assert not any(is_hub(r[0]) or is_hub(r[2]) for r in rows)  # 2 lots → 1 code: no product
    assert set(_stored(rows)) == _pairs(links)
    xform = {
        "type": "TransformationEvent",
        "inputQuantityList": [_q(LOT_IN, 3), _q(LOT_IN2, 2), _q("urn:epc:class:lgtin:6901234.100001.M3", 1)],
        "outputQuantityList": [_q(LOT_OUT, 5), _q("urn:epc:class:lgtin:6901234.200001.Y2", 1)],
    }
    links = derive(xform, KEYS)
    assert len(links) == 6 and {lk[3] for lk in links} == {333}  # "some or all" inputs: candidates
    rows = walk_rows(links, 4)
    assert len(rows) == 10  # 3 inputs → hub → 2 outputs
    stored = _stored(rows)
    assert set(expand_hubs(stored, stored)) == _pairs(links)


def test_aggregations_keep_their_own_rows() -> None:
    add = {
        "type": "AggregationEvent",
        "action": "ADD",
        "parentID": "urn:epc:id:sscc:6901234.0000000001",
        "childEPCs": [f"urn:epc:id:sgtin:6901234.012345.{n}" for n in range(4)],
    }
    links = derive(add, KEYS)
    assert set(_stored(walk_rows(links, 1))) == _pairs(links)
