"""Trace back and forward over chains captured through the capture service (SQLite and PostgreSQL).

Every expectation was written down before the first run, from the link rules of domain.links.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.chain import scenarios as sc
from tests.chain.scenarios import ids, store
from tests.factories import make_event, sgtin
from zhuisu.chain.service import Direction, TraceResult, trace
from zhuisu.errors import NotFound, ValidationFailed
from zhuisu.store import chain as chain_store
from zhuisu.store.engine import analyze, read_connection


def _trace(engine: Engine, identifier: str, direction: str, depth: int | None = None) -> TraceResult:
    with read_connection(engine) as conn:
        return trace(conn, identifier, direction=Direction(direction), depth=depth)


def _nodes(result: TraceResult) -> set[str]:
    return {n.id for n in result.nodes if n.kind not in ("location", "subject")}


def test_retail_code_traces_back_to_the_farm_and_not_to_other_branches(engine: Engine) -> None:
    store(engine, sc.pork_chain())
    result = _trace(engine, sc.RETAIL_A1, "back")
    # retail sale ← market A entry (voucher) ← slaughter sale to A ← transformation ← farm lot
    assert result.events == ids(1, 2, 3, 4, 5, 7, 8)
    nodes = _nodes(result)
    assert {sc.TO_A, sc.FARM_CODE, sc.RETAIL_A1} <= nodes
    assert sc.TO_B not in nodes and sc.RETAIL_A2 not in nodes
    kinds = {(e.kind, e.reason) for e in result.edges}
    assert ("transformation", "transformation.event") in kinds
    assert ("voucher", "voucher.received") in kinds
    assert ("trace_code", "trace_code.issued") in kinds


def test_backward_leaves_out_earlier_sales_of_an_upstream_lot_to_other_buyers(engine: Engine) -> None:
    store(engine, sc.pork_chain())
    result = _trace(engine, sc.RETAIL_SM, "back")
    # e05 (the carcass lot sold to market A before market B's sale) is another branch
    assert result.events == ids(1, 2, 3, 4, 6, 10, 11, 12, 13)


def test_farm_lot_traces_forward_to_every_market_and_retail_sale(engine: Engine) -> None:
    store(engine, sc.pork_chain())
    result = _trace(engine, sc.PIGS, "forward")
    assert sorted(result.events) == ids(*range(1, 14))
    times = [s.event_time for s in result.steps]
    assert times == sorted(times, key=lambda t: t)  # one time zone here: text order is time order
    assert {sc.RETAIL_A1, sc.RETAIL_A2, sc.RETAIL_SM, sc.TO_SM} <= _nodes(result)


def test_forward_from_a_trace_code_includes_the_event_that_issued_it(engine: Engine) -> None:
    store(engine, sc.pork_chain())
    assert _trace(engine, sc.TO_B, "forward").events == ids(6, 10, 11, 12, 13)


def test_both_directions_and_the_holders_of_each_step(engine: Engine) -> None:
    store(engine, sc.pork_chain())
    result = _trace(engine, sc.TO_A, "both")
    assert result.events == ids(1, 2, 3, 4, 5, 7, 8, 9)
    places = {n.id for n in result.nodes if n.kind == "location"}
    assert places == {sc.FARM, sc.SLAUGHTER, sc.MARKET_A}
    held = {(e.source, e.target) for e in result.edges if e.kind == "held_by"}
    assert (sc.FARM_CODE, "91320101MA1XXXXX0A") in held
    entry = next(s for s in result.steps if s.event_id == "urn:uuid:e07")
    assert entry.subject == "MARKET-A" and entry.biz_location == sc.MARKET_A
    assert entry.event_time == "2026-05-02T06:00:00.000+08:00"


def test_depth_limits_the_walk(engine: Engine) -> None:
    store(engine, sc.pork_chain())
    # one step back from the retail code: the lot it was cut from, not further
    result = _trace(engine, sc.RETAIL_A1, "back", depth=1)
    assert _nodes(result) == {sc.RETAIL_A1, "https://id.gs1.org/01/36902000000019/10/WA"}
    assert result.events == ids(7, 8)


def test_out_of_order_arrival_links_once_the_other_side_arrives(engine: Engine) -> None:
    chain = sc.pork_chain()
    for event in reversed(chain):  # each event its own capture, newest first
        store(engine, [event])
    assert _trace(engine, sc.RETAIL_A1, "back").events == ids(1, 2, 3, 4, 5, 7, 8)


def test_half_a_link_traces_what_is_there(engine: Engine) -> None:
    chain = sc.pork_chain()
    store(engine, [chain[9], chain[10]])  # market B entry and its sale; the slaughterhouse is silent
    result = _trace(engine, sc.TO_SM, "back")
    assert result.events == ids(10, 11)
    assert sc.TO_B in _nodes(result)


def test_every_spelling_of_a_lot_meets_one_node(engine: Engine) -> None:
    store(engine, sc.pork_chain())
    urn = _trace(engine, sc.CARCASS, "forward").events
    link = _trace(engine, "https://example.cn/01/26901234000010/10/S1?17=260601", "forward").events
    assert urn == link and "urn:uuid:e05" in urn


def test_unknown_and_malformed_identifiers(engine: Engine) -> None:
    with pytest.raises(NotFound):
        _trace(engine, "urn:epc:id:sgtin:6901234.012345.999", "back")
    with pytest.raises(ValidationFailed):
        _trace(engine, "https://id.gs1.org/01/06901234000011", "back")  # wrong check digit
    with pytest.raises(ValidationFailed):
        _trace(engine, "  ", "back")


# --------------------------------------------------------------------------- pallets

PALLET = "urn:epc:id:sscc:6901234.0000000011"
DC = "urn:epc:id:sgln:6901234.00009.0"
SHOP = "urn:epc:id:sgln:6901234.00010.0"


def _agg(event_id: str, time: str, action: str, children: list[str], where: str) -> dict[str, object]:
    event = make_event(
        type="AggregationEvent",
        event_id=event_id,
        action=action,
        biz_step="packing" if action == "ADD" else "unpacking",
        disposition=None,
        event_time=f"2026-05-{time}:00.000+08:00",
        read_point=where,
        biz_location=where,
    )
    event["parentID"] = PALLET
    if children:
        event["childEPCs"] = children
    return event


def _ship(event_id: str, time: str, step: str, epcs: list[str], where: str, bt: str) -> dict[str, object]:
    return make_event(
        event_id=event_id,
        epcs=epcs,
        biz_step=step,
        disposition=None,
        event_time=f"2026-05-{time}:00.000+08:00",
        read_point=where,
        biz_location=where,
        extra={"bizTransactionList": [{"type": "desadv", "bizTransaction": bt}]},
    )


def _pallet_story() -> list[dict[str, object]]:
    """Two cartons packed on a pallet, shipped, received, unpacked; one sold; the pallet reused."""
    one, two, three = sgtin(1), sgtin(2), sgtin(3)
    return [
        make_event(
            event_id="urn:uuid:p01",
            epcs=[one, two],
            action="ADD",
            biz_step="commissioning",
            disposition=None,
            event_time="2026-05-03T07:00:00.000+08:00",
        ),
        _agg("urn:uuid:p02", "03T08:00", "ADD", [one, two], sc.FARM),
        _ship("urn:uuid:p03", "03T09:00", "shipping", [PALLET], sc.FARM, "urn:example:desadv:D1"),
        _ship("urn:uuid:p04", "03T12:00", "receiving", [PALLET], DC, "urn:example:desadv:D1"),
        _agg("urn:uuid:p05", "03T13:00", "DELETE", [], DC),
        make_event(
            event_id="urn:uuid:p06",
            epcs=[one],
            biz_step="retail_selling",
            disposition=None,
            event_time="2026-05-04T10:00:00.000+08:00",
            read_point=SHOP,
            biz_location=SHOP,
        ),
        _agg("urn:uuid:p07", "05T08:00", "ADD", [three], DC),
        _ship("urn:uuid:p08", "05T09:00", "shipping", [PALLET], DC, "urn:example:desadv:D2"),
    ]


def test_a_carton_is_traced_through_its_pallet_only_while_packed(engine: Engine) -> None:
    store(engine, _pallet_story())
    back = _trace(engine, sgtin(1), "back")
    # its own events, and the pallet's packing, shipment, receipt and unpacking; not the reuse
    assert back.events == [
        "urn:uuid:p01",
        "urn:uuid:p02",
        "urn:uuid:p03",
        "urn:uuid:p04",
        "urn:uuid:p05",
        "urn:uuid:p06",
    ]
    assert "https://id.gs1.org/01/06901234123456/21/2" not in _nodes(back)  # no sibling
    pallet = next(n for n in back.nodes if n.id == "https://id.gs1.org/00/069012340000000115")
    assert pallet.role == "carrier" and pallet.kind == "container"
    forward = _trace(engine, sgtin(1), "forward")
    assert "urn:uuid:p08" not in forward.events and "urn:uuid:p07" not in forward.events
    assert "urn:uuid:p04" in forward.events


def test_a_pallet_traces_back_to_what_it_was_packed_from(engine: Engine) -> None:
    store(engine, _pallet_story())
    result = _trace(engine, PALLET, "back")
    nodes = _nodes(result)
    assert "https://id.gs1.org/01/06901234123456/21/1" in nodes
    assert "https://id.gs1.org/01/06901234123456/21/3" in nodes  # packed in the reuse, before D2
    assert "urn:uuid:p01" in result.events


def test_a_shipment_whose_receipt_recorded_no_voucher_stays_in_the_history(engine: Engine) -> None:
    chain = sc.pork_chain()
    store(engine, chain[:2] + chain[3:])  # the slaughterhouse's receipt (voucher) is missing
    # the farm's shipment under its trace code leads nowhere else, so it is kept
    assert _trace(engine, sc.RETAIL_A1, "back").events == ids(1, 2, 4, 5, 7, 8)


def test_statistics_keep_the_walk_on_its_primary_key_seek(engine: Engine) -> None:
    """After ANALYZE, SQLite 3.38+ would put a Bloom filter on a plain equality join inside the
    recursive step, rebuilt at every step (15-20× slower walks); the walk is written so that
    statistics change neither its plan nor its answers."""
    store(engine, sc.pork_chain())
    before = {d: _trace(engine, sc.RETAIL_A1, d).events for d in ("back", "forward")}
    analyze(engine)
    with read_connection(engine) as conn:
        plans = [line for back in (True, False) for line in chain_store.walk_plan(conn, backward=back)]
    if engine.dialect.name == "sqlite":
        assert any("PRIMARY KEY" in line for line in plans), plans
        assert not any("BLOOM" in line for line in plans), plans
    assert {d: _trace(engine, sc.RETAIL_A1, d).events for d in ("back", "forward")} == before


def test_a_portion_traces_back_through_its_batch_but_not_into_the_other_portions(engine: Engine) -> None:
    # a slaughterhouse takes a farm lot into batch P1 (voucher FARM), then ships two portions out of
    # P1 under new codes C1 and C2 (each exit quotes the farm voucher again, as the meat records
    # do); market A receives C1, market B C2, and A sells two pieces under R1 and R2. R1's history
    # runs through C1 and P1 back to the farm, not through P1 into C2, market B or the other sale.
    farm, sh = "31011800100010000001", sc.SLAUGHTER

    def lot(name: str) -> dict[str, object]:
        return sc.qty(f"urn:epc:class:lgtin:6901234.000001.{name}", 100.0, "KGM")

    def record(
        event_id: str, time: str, where: str, name: str, step: str, **fields: str
    ) -> dict[str, object]:
        return sc.obj(event_id, time, where, [lot(name)], step=step, fields={"zs:subject": where, **fields})

    c1, c2, r1, r2 = (
        "31011600400000000001",
        "31011600400000000002",
        "31010100200010000001",
        "31010100200010000002",
    )
    out, into, sold = "shipping", "receiving", "retail_selling"
    sc.store(
        engine,
        [
            record(
                "urn:uuid:s01", "02T01:00", sh, "P1", into, **{"zs:traceVoucher": farm, "zs:batchNo": "P1"}
            ),
            record(
                "urn:uuid:s02",
                "02T02:00",
                sh,
                "C1",
                out,
                **{"zs:traceVoucher": farm, "zs:batchNo": "P1", "zs:traceCode": c1},
            ),
            record(
                "urn:uuid:s03",
                "02T02:10",
                sh,
                "C2",
                out,
                **{"zs:traceVoucher": farm, "zs:batchNo": "P1", "zs:traceCode": c2},
            ),
            record(
                "urn:uuid:s04",
                "02T03:00",
                sc.MARKET_A,
                "C1",
                into,
                **{"zs:traceVoucher": c1, "zs:batchNo": "MA"},
            ),
            record(
                "urn:uuid:s05",
                "02T03:30",
                sc.MARKET_B,
                "C2",
                into,
                **{"zs:traceVoucher": c2, "zs:batchNo": "MB"},
            ),
            record(
                "urn:uuid:s06",
                "02T04:00",
                sc.MARKET_A,
                "R1",
                sold,
                **{"zs:batchNo": "MA", "zs:traceCode": r1},
            ),
            record(
                "urn:uuid:s07",
                "02T04:10",
                sc.MARKET_A,
                "R2",
                sold,
                **{"zs:batchNo": "MA", "zs:traceCode": r2},
            ),
        ],
    )
    back = _trace(engine, r1, "back")
    assert back.events == [f"urn:uuid:s0{n}" for n in (1, 2, 4, 6)]
    # forward from the batch reaches both portions and both markets
    forward = _trace(engine, f"urn:zhuisu:batch:{sh}:P1", "forward")
    assert {f"urn:uuid:s0{n}" for n in (2, 3, 4, 5)} <= set(forward.events)
