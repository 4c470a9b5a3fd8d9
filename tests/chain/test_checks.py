"""Integrity checks: each fires on a crafted fault and stays silent on the clean pork chain.

Expectations written before the first run, from the rules in chain/checks.py.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from tests.chain import scenarios as sc
from tests.chain.scenarios import obj, qty, store
from tests.factories import make_event, sgtin
from zhuisu.capture.records import submit
from zhuisu.capture.service import to_us
from zhuisu.chain.checks import CheckRun, FindingKind, list_findings, run_checks
from zhuisu.store.engine import read_connection, write_transaction

SINCE = to_us("2026-04-01T00:00:00Z")
UNTIL = to_us("2026-06-01T00:00:00Z")


def _run(engine: Engine) -> CheckRun:
    with write_transaction(engine) as conn:
        return run_checks(conn, since_us=SINCE, until_us=UNTIL, now_us=UNTIL)


def _kinds(run: CheckRun) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    return sorted((str(f.kind), f.event_ids, f.identifiers) for f in run.findings)


def _without(*numbers: int) -> list[dict[str, Any]]:
    skip = set(sc.ids(*numbers))
    return [e for e in sc.pork_chain() if e["eventID"] not in skip]


def test_the_clean_pork_chain_has_no_findings(engine: Engine) -> None:
    run = _run(engine)
    assert run.findings == []
    store(engine, sc.pork_chain())
    assert _run(engine).findings == []


def test_a_receipt_whose_voucher_no_shipment_issued_is_a_chain_break(engine: Engine) -> None:
    store(engine, _without(2))
    assert _kinds(_run(engine)) == [
        (str(FindingKind.UNMATCHED_RECEIPT), ("urn:uuid:e03",), (sc.FARM_CODE,)),
    ]


def test_a_shipment_never_received_is_a_chain_break_only_after_the_allowance(engine: Engine) -> None:
    store(engine, _without(10, 11, 12, 13))
    with write_transaction(engine) as conn:
        early = run_checks(conn, since_us=SINCE, until_us=UNTIL, now_us=to_us("2026-05-03T00:00:00Z"))
    assert early.findings == []  # within 72 hours of the shipment
    assert _kinds(_run(engine)) == [
        (str(FindingKind.UNRECEIVED_SHIPMENT), ("urn:uuid:e06",), (sc.TO_B,)),
    ]


def test_a_sale_of_a_lot_never_received_there_is_a_chain_break(engine: Engine) -> None:
    sale = obj("urn:uuid:x01", "02T12:00", sc.MARKET_A, [qty(sc.LOT_B, 1, "KGM")], step="retail_selling")
    store(engine, [*sc.pork_chain(), sale])
    assert _kinds(_run(engine)) == [
        (
            str(FindingKind.UNRECEIVED_SALE),
            ("urn:uuid:x01",),
            ("https://id.gs1.org/01/36902000000019/10/WB",),
        ),
    ]


def test_selling_more_than_was_received_beyond_the_tolerance(engine: Engine) -> None:
    within = obj("urn:uuid:x01", "02T12:00", sc.MARKET_A, [qty(sc.LOT_A, 810, "KGM")], step="retail_selling")
    store(engine, [*sc.pork_chain(), within])  # 815 ≤ 800 × 1.02
    assert _run(engine).findings == []
    over = obj("urn:uuid:x02", "02T13:00", sc.MARKET_A, [qty(sc.LOT_A, 20, "KGM")], step="retail_selling")
    store(engine, [over])
    (finding,) = _run(engine).findings
    assert finding.kind is FindingKind.OVERSOLD and finding.severity == "critical"
    assert finding.event_ids == (
        "urn:uuid:e07",
        "urn:uuid:e08",
        "urn:uuid:e09",
        "urn:uuid:x01",
        "urn:uuid:x02",
    )
    assert "835" in finding.message_zh and "800" in finding.message_en


def test_the_weight_field_and_a_category_tolerance(engine: Engine) -> None:
    # vegetables: 5 % (chain.rules.TOLERANCES); zs:weightKg is the weight of a single-lot record
    entry = obj(
        "urn:uuid:x01",
        "02T06:00",
        sc.MARKET_A,
        [qty(sc.LOT_A)],
        step="receiving",
        fields={"zs:weightKg": 100, "zs:category": "vegetable"},
    )
    sale = obj("urn:uuid:x02", "02T09:00", sc.MARKET_A, [qty(sc.LOT_A)], step="retail_selling")
    sale["zs:weightKg"] = 104
    store(engine, [entry, sale])
    oversold = [f for f in _run(engine).findings if f.kind is FindingKind.OVERSOLD]
    assert oversold == []  # (the receipt without a voucher is a chain break of its own)
    more = obj("urn:uuid:x03", "02T10:00", sc.MARKET_A, [qty(sc.LOT_A)], step="retail_selling")
    more["zs:weightKg"] = 2
    store(engine, [more])
    assert FindingKind.OVERSOLD in {f.kind for f in _run(engine).findings}


def test_a_receipt_before_its_shipment_beyond_the_clock_skew(engine: Engine) -> None:
    chain = sc.pork_chain()
    entry = next(e for e in chain if e["eventID"] == "urn:uuid:e10")
    entry["eventTime"] = "2026-05-02T04:20:00.000+08:00"  # 10 minutes before e06: within the skew
    store(engine, chain)
    assert _run(engine).findings == []
    late = obj("urn:uuid:x01", "02T03:00", sc.MARKET_B, [qty(sc.LOT_B, 1, "KGM")], step="receiving")
    late["zs:traceVoucher"] = sc.TO_B
    store(engine, [late])
    assert _kinds(_run(engine)) == [
        (str(FindingKind.RECEIVED_BEFORE_SHIPPED), ("urn:uuid:e06", "urn:uuid:x01"), (sc.TO_B,)),
    ]


def test_a_sale_after_the_lot_was_recalled(engine: Engine) -> None:
    recall = obj("urn:uuid:x01", "02T09:30", sc.MARKET_A, [qty(sc.LOT_A, 795, "KGM")], step="holding")
    recall["disposition"] = "recalled"
    store(engine, [*sc.pork_chain(), recall])
    lot_a = "https://id.gs1.org/01/36902000000019/10/WA"
    assert _kinds(_run(engine)) == [
        (str(FindingKind.SOLD_AFTER_RECALL), ("urn:uuid:x01", "urn:uuid:e09"), (lot_a,)),
    ]


def _seen(event_id: str, time: str, where: str) -> dict[str, Any]:
    return make_event(
        event_id=event_id,
        epcs=[sgtin(7)],
        biz_step="inspecting",
        disposition=None,
        event_time=f"2026-05-03T{time}:00.000+08:00",
        read_point=where,
        biz_location=where,
    )


def test_one_serial_in_two_places_at_once(engine: Engine) -> None:
    store(engine, [_seen("urn:uuid:x01", "08:00", sc.FARM), _seen("urn:uuid:x02", "10:00", sc.SLAUGHTER)])
    assert _run(engine).findings == []  # two hours apart: it could have travelled
    store(engine, [_seen("urn:uuid:x03", "10:05", sc.FARM)])
    assert _kinds(_run(engine)) == [
        (
            str(FindingKind.TWO_PLACES),
            ("urn:uuid:x02", "urn:uuid:x03"),
            ("https://id.gs1.org/01/06901234123456/21/7",),
        ),
    ]


def test_checks_are_idempotent_and_findings_are_queryable(engine: Engine) -> None:
    store(engine, _without(2))
    first = _run(engine)
    second = _run(engine)
    assert (first.stored, second.stored) == (1, 0) and len(second.findings) == 1
    with read_connection(engine) as conn:
        assert len(list_findings(conn)) == 1
        assert len(list_findings(conn, kind="chain_break")) == 1
        assert list_findings(conn, kind="quantity") == []
        assert [f.event_ids for f in list_findings(conn, identifier=sc.FARM_CODE)] == [("urn:uuid:e03",)]
        assert len(list_findings(conn, identifier="urn:uuid:e03")) == 1
        assert list_findings(conn, identifier=sc.TO_A) == []


def test_a_shipment_under_a_business_transaction_is_not_a_receipt(engine: Engine) -> None:
    """A shipping event names its delivery note as an outbound link; only the receiving side is a
    receipt (found by the demo city: every consignment received 15+ minutes after shipping was
    reported as received before shipped)."""
    note = [{"type": "desadv", "bizTransaction": "urn:zhuisu:bt:demo:DN-0001"}]
    ship = obj(
        "urn:uuid:b01", "01T08:00", sc.FARM, [qty(sc.PIGS, 20, "H87")], fields={"bizTransactionList": note}
    )
    receive = obj(
        "urn:uuid:b02",
        "01T11:00",
        sc.SLAUGHTER,
        [qty(sc.PIGS, 20, "H87")],
        step="receiving",
        fields={"bizTransactionList": note},
    )
    sale = obj(
        "urn:uuid:b03",
        "01T12:00",
        sc.SLAUGHTER,
        [qty(sc.PIGS, 1, "H87")],
        step="retail_selling",
        fields={"bizTransactionList": [{"type": "inv", "bizTransaction": "urn:zhuisu:bt:demo:INV-9"}]},
    )
    store(engine, [ship, receive, sale])
    assert _run(engine).findings == []


def test_a_drug_purchase_is_matched_by_its_codes_not_by_the_buyers_own_bill(engine: Engine) -> None:
    """码上放心: the seller's 销售出库 and the buyer's 采购入库 carry different bill numbers, each
    scoped by the subject that recorded it (urn:zhuisu:bt:{subject}:{bill}), so they can never
    match; the 20-digit drug codes both name do (found by the demo city)."""
    seller, buyer = "91350100M000100Y43", "91110000600037341L"
    codes = "81234560000000000012,81234560000000000029"
    sale = {
        "step": "drug.sales_out",
        "trace_code": codes,
        "event_time": "2026-05-01 08:30:00",
        "subject": seller,
        "bill_code": "CK0001",
        "buyer": buyer,
    }
    purchase = {
        "step": "drug.purchase_in",
        "trace_code": codes,
        "event_time": "2026-05-01 15:00:00",
        "subject": buyer,
        "bill_code": "RK0009",
        "supplier": seller,
    }
    with write_transaction(engine) as conn:
        result = submit(conn, [sale, purchase])
        assert result.inserted == 2, result.problems
    # the two enterprises are not filed here: only the chain is looked at
    assert [f for f in _run(engine).findings if not f.kind.startswith("subject.")] == []
    orphan = purchase | {"trace_code": "81234560000000000036", "bill_code": "RK0010"}
    with write_transaction(engine) as conn:
        assert submit(conn, orphan).inserted == 1
    (finding,) = [f for f in _run(engine).findings if not f.kind.startswith("subject.")]
    assert finding.kind is FindingKind.UNMATCHED_RECEIPT
