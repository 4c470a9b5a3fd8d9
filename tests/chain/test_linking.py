"""Links written at capture: dairy transformations, commingled lots, transactions, error declarations."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from tests.chain.scenarios import obj, qty, store
from tests.factories import make_event
from zhuisu.chain.service import Direction, TraceResult, trace
from zhuisu.domain import epc
from zhuisu.store import chain as chain_store
from zhuisu.store.engine import read_connection

DAIRY = "urn:epc:id:sgln:6905000.00001.0"
MILK_1 = "urn:epc:class:lgtin:6905000.100001.RAW1"
MILK_2 = "urn:epc:class:lgtin:6905000.100001.RAW2"
YOGHURT = "urn:epc:class:lgtin:6905000.200001.Y0503"
XID = "urn:epc:id:gdti:6905000.00001.X0503"


def _trace(engine: Engine, identifier: str, direction: str) -> TraceResult:
    with read_connection(engine) as conn:
        return trace(conn, identifier, direction=Direction(direction))


def _xform(event_id: str, time: str, **lists: Any) -> dict[str, Any]:
    return {
        "type": "TransformationEvent",
        "eventID": event_id,
        "eventTime": f"2026-05-03T{time}:00.000+08:00",
        "eventTimeZoneOffset": "+08:00",
        "transformationID": XID,
        "bizStep": "commissioning",
        "bizLocation": {"id": DAIRY},
        **lists,
    }


def test_dairy_transformation_in_two_events_joins_at_its_id_in_any_order(engine: Engine) -> None:
    outputs = _xform("urn:uuid:d02", "16:00", outputQuantityList=[qty(YOGHURT, 5000, "KGM")])
    inputs = _xform(
        "urn:uuid:d01", "09:00", inputQuantityList=[qty(MILK_1, 3000, "KGM"), qty(MILK_2, 2500, "KGM")]
    )
    store(engine, [outputs])  # the output half arrives first
    store(engine, [inputs])
    back = _trace(engine, YOGHURT, "back")
    assert back.events == ["urn:uuid:d01", "urn:uuid:d02"]
    xform = next(n for n in back.nodes if n.id == XID)
    assert xform.kind == "transformation"
    forward = _trace(engine, MILK_2, "forward")
    assert "https://id.gs1.org/01/26905000000013/10/Y0503" in {n.id for n in forward.nodes}


def test_commingled_sale_keeps_every_candidate_with_its_confidence(engine: Engine) -> None:
    stall = "urn:epc:id:sgln:6902000.00005.0"
    store(
        engine,
        [
            obj("urn:uuid:c01", "02T06:00", stall, [qty(MILK_1, 10, "KGM")], step="receiving", action="ADD"),
            obj("urn:uuid:c02", "02T06:30", stall, [qty(MILK_2, 10, "KGM")], step="receiving", action="ADD"),
            obj(
                "urn:uuid:c03",
                "02T09:00",
                stall,
                [qty(MILK_1), qty(MILK_2)],
                step="retail_selling",
                fields={"zs:traceCode": "LS-MIX-1"},
            ),
        ],
    )
    back = _trace(engine, "LS-MIX-1", "back")
    assert back.events == ["urn:uuid:c01", "urn:uuid:c02", "urn:uuid:c03"]
    candidates = {(e.source, e.confidence, e.reason) for e in back.edges if e.kind == "trace_code"}
    assert candidates == {
        ("https://id.gs1.org/01/16905000000016/10/RAW1", 0.5, "trace_code.commingled"),
        ("https://id.gs1.org/01/16905000000016/10/RAW2", 0.5, "trace_code.commingled"),
    }


def test_relabelled_consignment_is_linked_through_its_delivery_note(engine: Engine) -> None:
    note = {"type": "desadv", "bizTransaction": "urn:example:desadv:DN-77"}
    shipped = obj(
        "urn:uuid:b01", "04T08:00", DAIRY, [qty(YOGHURT, 500, "KGM")], fields={"bizTransactionList": [note]}
    )
    received_lot = "urn:epc:class:lgtin:6903000.500001.R77"
    received = obj(
        "urn:uuid:b02",
        "04T14:00",
        "urn:epc:id:sgln:6903000.00001.0",
        [qty(received_lot, 500, "KGM")],
        step="receiving",
        fields={"bizTransactionList": [note]},
    )
    store(engine, [received, shipped])
    back = _trace(engine, received_lot, "back")
    assert back.events == ["urn:uuid:b01", "urn:uuid:b02"]
    assert {n.kind for n in back.nodes if n.id == note["bizTransaction"]} == {"transaction"}


def test_an_error_declaration_takes_the_event_out_of_the_chain(engine: Engine) -> None:
    sale = obj(
        "urn:uuid:x01", "05T08:00", DAIRY, [qty(YOGHURT, 5, "KGM")], fields={"zs:traceCode": "WRONG-1"}
    )
    store(engine, [sale])
    with read_connection(engine) as conn:
        assert chain_store.count_links(conn) == 2  # one link, stored under each end
    declared = sale | {
        "errorDeclaration": {"declarationTime": "2026-05-05T09:00:00.000+08:00", "reason": "incorrect_data"}
    }
    store(engine, [declared])
    with read_connection(engine) as conn:
        assert chain_store.count_links(conn) == 0
        assert not chain_store.known_node(conn, "WRONG-1")


def _retracted(engine: Engine) -> dict[tuple[str, bool], bool]:
    from sqlalchemy import select

    from zhuisu.store.tables import events

    with read_connection(engine) as conn:
        rows = conn.execute(select(events.c.event_id, events.c.error_declared, events.c.retracted))
        return {(r[0], bool(r[1])): bool(r[2]) for r in rows}


def test_a_declared_event_leaves_the_trace_whichever_arrives_first(engine: Engine) -> None:
    """The original and its declaration in either order (EPCIS 2.0 §7.4.1.4): the original is
    flagged retracted and no trace shows it, though another event still names its lot."""
    made = obj("urn:uuid:r00", "05T07:00", DAIRY, [qty(YOGHURT, 9, "KGM")], fields={"zs:traceCode": "Y-OK"})
    first = obj("urn:uuid:r01", "05T08:00", DAIRY, [qty(YOGHURT, 5, "KGM")], fields={"zs:traceCode": "Y-1"})
    second = obj("urn:uuid:r02", "05T08:30", DAIRY, [qty(YOGHURT, 4, "KGM")], fields={"zs:traceCode": "Y-2"})
    reason = {"declarationTime": "2026-05-05T09:00:00.000+08:00", "reason": "incorrect_data"}
    store(engine, [made, first])
    store(engine, [first | {"errorDeclaration": reason}, second | {"errorDeclaration": reason}])
    store(engine, [second])  # its declaration was stored first
    flags = _retracted(engine)
    assert flags == {
        ("urn:uuid:r00", False): False,
        ("urn:uuid:r01", False): True,
        ("urn:uuid:r01", True): False,
        ("urn:uuid:r02", True): False,
        ("urn:uuid:r02", False): True,
    }
    assert _trace(engine, YOGHURT, "both").events == ["urn:uuid:r00"]


def test_plain_events_write_no_link_rows(engine: Engine) -> None:
    store(engine, [make_event(epcs=["urn:epc:id:sgtin:6901234.012345.5"])])
    with read_connection(engine) as conn:
        assert chain_store.count_links(conn) == 0


ITEMS = [f"urn:epc:id:sgtin:6901234.012345.{n}" for n in range(3)]
ITEM_KEYS = [epc.canonical(item) for item in ITEMS]
NOTE = "urn:epc:id:gdti:6901234.00002.DA7"
ORDER = "urn:epc:id:gdti:6901234.00001.PO7"
SHIP_CODE, VOUCHER = "31011500100010000007", "31011500200010000003"


def _shipment(event_id: str = "urn:uuid:h01") -> dict[str, Any]:
    """The shape of the bench capture workload: 3 items, 2 transactions, batch, voucher, code."""
    return make_event(
        event_id=event_id,
        epcs=ITEMS,
        event_time="2026-05-06T08:00:00.000+08:00",
        extra={
            "bizTransactionList": [
                {"type": "po", "bizTransaction": ORDER},
                {"type": "desadv", "bizTransaction": NOTE},
            ],
            "zs:batchNo": "PC07",
            "zs:traceVoucher": VOUCHER,
            "zs:traceCode": SHIP_CODE,
            "zs:subject": "91110000600037341L",
        },
    )


def test_a_shipments_items_share_one_hub_that_no_trace_shows(engine: Engine) -> None:
    store(engine, [_shipment()])
    batch = "urn:zhuisu:batch:91110000600037341L:PC07"
    with read_connection(engine) as conn:
        # a shipment draws its items from the batch: 14 links — items → hub → (order, note, code)
        # is 6, batch → items 3, voucher → items and batch 4, batch → code 1; each under both
        # ends: 28 rows where pairwise storage took 34
        assert chain_store.count_links(conn) == 28
        forward = trace(conn, ITEMS[0], direction=Direction.FORWARD)
        near = trace(conn, ITEMS[0], direction=Direction.FORWARD, depth=1)
        back = trace(conn, SHIP_CODE, direction=Direction.BACK)
        from_batch = trace(conn, batch, direction=Direction.FORWARD)
        item_back = trace(conn, ITEMS[0], direction=Direction.BACK)
    ids = {n.id for n in forward.nodes}
    assert {ORDER, NOTE, SHIP_CODE} <= ids and not ids & {batch, *ITEM_KEYS[1:]}  # no batch, no siblings
    assert {n.id for n in near.nodes} >= {ORDER, NOTE, SHIP_CODE}  # the hub is no step
    assert {n.id for n in from_batch.nodes} >= {*ITEM_KEYS, SHIP_CODE}  # the batch leads to each item
    back_ids = {n.id for n in item_back.nodes}
    assert {batch, VOUCHER} <= back_ids and not back_ids & set(ITEM_KEYS[1:])  # history, not siblings
    for result in (forward, near, back):
        assert not [n.id for n in result.nodes if n.id.startswith("urn:zhuisu:hub:")]
        assert not [e for e in result.edges if "urn:zhuisu:hub:" in e.source + e.target]
    assert {n.id for n in back.nodes} >= {*ITEM_KEYS, batch, VOUCHER}
    pairs = {(e.source, e.target, e.kind, e.confidence, e.reason) for e in back.edges if e.kind != "at"}
    assert {(k, SHIP_CODE, "trace_code", 1.0, "trace_code.issued") for k in ITEM_KEYS} <= pairs
    assert {(VOUCHER, k, "voucher", 1.0, "voucher.received") for k in ITEM_KEYS} <= pairs
    fwd = {(e.source, e.target, e.confidence, e.reason) for e in forward.edges}
    assert (ITEM_KEYS[0], ORDER, 0.5, "bizTransaction.po") in fwd  # a candidate keeps its confidence
    assert (ITEM_KEYS[0], NOTE, 1.0, "bizTransaction.desadv") in fwd


def test_an_error_declaration_takes_the_hub_with_it(engine: Engine) -> None:
    store(engine, [_shipment()])
    declared = _shipment() | {
        "errorDeclaration": {"declarationTime": "2026-05-06T09:00:00.000+08:00", "reason": "incorrect_data"}
    }
    store(engine, [declared])
    with read_connection(engine) as conn:
        assert chain_store.count_links(conn) == 0
        assert not chain_store.known_node(conn, SHIP_CODE)
