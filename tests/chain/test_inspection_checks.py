"""Trading after a failed test (recall.traded_after_failed_test) and the stop-trading list of a failed
inspection (chain.recall.failed_test_scope), on crafted chains.

The GS1 chain is ``scenarios.pork_chain`` (farm → slaughterhouse → markets A and B → retail; B →
supermarket → retail) with an inspection added; the 20-digit chain is shaped as the record templates
write the wholesale market's 检测 and the sales after it (capture/formats/records.py). Expectations
were written from the rule in chain/inspection_checks.py before the first run.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine

from tests.chain import scenarios as sc
from tests.factories import make_event
from zhuisu.capture.service import to_us
from zhuisu.chain.checks import CheckOptions, CheckRun, FindingKind, list_findings, run_checks
from zhuisu.chain.recall import failed_test_scope, recall_scope
from zhuisu.domain import epc
from zhuisu.errors import NotFound, ValidationFailed
from zhuisu.store.engine import read_connection, write_transaction

KIND = FindingKind.TRADED_AFTER_FAILED_TEST
SINCE = to_us("2026-04-01T00:00:00Z")
UNTIL = to_us("2026-06-01T00:00:00Z")
LAB = "urn:epc:id:sgln:6909000.00001.0"  # a testing station apart from the market (another clock)


def _inspection(
    event_id: str, time: str, where: str, lot: str, *, result: str = "non_conformant"
) -> dict[str, Any]:
    """A test of a GS1 lot: bizStep inspecting, disposition conformant / non_conformant (CBV 2.0)."""
    event = sc.obj(event_id, time, where, [sc.qty(lot)], step="inspecting", fields={"zs:testItem": "瘦肉精"})
    event["disposition"] = result
    return event


def _run(engine: Engine, *, since: int = SINCE, options: CheckOptions | None = None) -> CheckRun:
    with write_transaction(engine) as conn:
        return run_checks(conn, since_us=since, until_us=UNTIL, now_us=UNTIL, options=options)


def _pairs(run: CheckRun) -> list[tuple[str, ...]]:
    return sorted(f.event_ids for f in run.findings if f.kind is KIND)


def test_a_sale_after_a_failed_test_of_the_lot_is_found_and_one_before_it_is_not(engine: Engine) -> None:
    # market A tests its lot at 09:30: the 09:00 sale (e08) went before the test, the 10:00 one after
    sc.store(engine, [*sc.pork_chain(), _inspection("urn:uuid:t01", "02T09:30", sc.MARKET_A, sc.LOT_A)])
    run = _run(engine)
    assert _pairs(run) == [("urn:uuid:t01", "urn:uuid:e09")]
    (found,) = [f for f in run.findings if f.kind is KIND]
    assert found.identifiers == (epc.canonical(sc.LOT_A), sc.MARKET_A)
    assert found.severity == "critical"
    assert "检测不合格" in found.message_zh and "failed a test" in found.message_en
    assert "销售" in found.message_zh and "sold" in found.message_en


def test_trades_downstream_of_a_failed_test_are_found_hops_away(engine: Engine) -> None:
    # the carcass lot fails at the slaughterhouse at 04:15, after its first sale (e05, 04:00) went
    # out: the second sale there (e06), and every later sale or shipment downstream of either sale
    # — market A's retail (two hops: carcass → TO_A → LOT_A), market B's shipment to the
    # supermarket and the supermarket's retail (four hops) — traded on what had failed
    sc.store(engine, [*sc.pork_chain(), _inspection("urn:uuid:t01", "02T04:15", sc.SLAUGHTER, sc.CARCASS)])
    run = _run(engine)
    assert _pairs(run) == [("urn:uuid:t01", f"urn:uuid:e{n:02d}") for n in (6, 8, 9, 11, 13)]
    verbs = {f.event_ids[1]: f.message_en for f in run.findings if f.kind is KIND}
    assert "shipped" in verbs["urn:uuid:e11"] and "sold" in verbs["urn:uuid:e13"]
    (sale,) = [f for f in run.findings if f.kind is KIND and f.event_ids[1] == "urn:uuid:e13"]
    assert sale.identifiers == (epc.canonical(sc.CARCASS), epc.canonical(sc.LOT_SM), sc.SUPERMARKET)
    assert _run(engine).stored == 0  # idempotent: the same findings, nothing new


def test_a_passed_test_and_clean_data_are_silent(engine: Engine) -> None:
    sc.store(engine, sc.pork_chain())
    assert _pairs(_run(engine)) == []
    sc.store(engine, [_inspection("urn:uuid:t01", "02T04:15", sc.SLAUGHTER, sc.CARCASS, result="conformant")])
    assert _pairs(_run(engine)) == []


def test_a_failed_test_declared_erroneous_stops_nothing(engine: Engine) -> None:
    failed = _inspection("urn:uuid:t01", "02T04:15", sc.SLAUGHTER, sc.CARCASS)
    sc.store(engine, [*sc.pork_chain(), failed])
    declared = failed | {
        "errorDeclaration": {"declarationTime": "2026-05-03T09:00:00.000+08:00", "reason": "incorrect_data"}
    }
    sc.store(engine, [declared])  # EPCIS 2.0 §7.4.1.4: the test never happened as recorded
    assert _pairs(_run(engine)) == []
    with read_connection(engine) as conn, pytest.raises(NotFound):
        failed_test_scope(conn, "urn:uuid:t01")


def test_a_passing_retest_lifts_the_stop(engine: Engine) -> None:
    failed = _inspection("urn:uuid:t01", "02T04:15", sc.SLAUGHTER, sc.CARCASS)
    retest = _inspection("urn:uuid:t02", "02T05:00", sc.SLAUGHTER, sc.CARCASS, result="conformant")
    sc.store(engine, [*sc.pork_chain(), failed, retest])
    assert _pairs(_run(engine)) == [("urn:uuid:t01", "urn:uuid:e06")]  # only the sale between the two


def test_a_trade_elsewhere_within_the_clock_skew_is_not_counted(engine: Engine) -> None:
    # a lab tests market B's lot at 07:50 by its own clock; market B ships at 08:00 by its clock
    # (within the 15-minute allowance), the supermarket sells at 15:00
    sc.store(engine, [*sc.pork_chain(), _inspection("urn:uuid:t01", "02T07:50", LAB, sc.LOT_B)])
    assert _pairs(_run(engine)) == [("urn:uuid:t01", "urn:uuid:e13")]


def test_a_failed_test_before_the_window_counts_up_to_the_look_back(engine: Engine) -> None:
    sc.store(engine, [*sc.pork_chain(), _inspection("urn:uuid:t01", "02T04:15", sc.SLAUGHTER, sc.CARCASS)])
    since = to_us("2026-05-02T09:30:00+08:00")  # the test is before the window, e09 and e13 in it
    assert _pairs(_run(engine, since=since)) == [
        ("urn:uuid:t01", "urn:uuid:e09"),
        ("urn:uuid:t01", "urn:uuid:e13"),
    ]
    assert _pairs(_run(engine, since=since, options=CheckOptions(stop_trading_days=0))) == []


ITEM = "urn:epc:id:sgtin:6901234.012345.2001"
PALLET = "urn:epc:id:sscc:6901234.0000000001"
WAREHOUSE, DC = "urn:epc:id:sgln:6901234.00009.0", "urn:epc:id:sgln:6903000.00009.0"


def _event(event_id: str, time: str, where: str, **fields: Any) -> dict[str, Any]:
    kind = str(fields.pop("type", "ObjectEvent"))
    return make_event(
        type=kind,
        event_id=f"urn:uuid:{event_id}",
        epcs=fields.pop("epcs", None),
        action=str(fields.pop("action", "OBSERVE")),
        biz_step=str(fields.pop("step")),
        disposition=fields.pop("disposition", None),
        event_time=f"2026-05-{time}:00.000+08:00",
        read_point=where,
        biz_location=where,
        extra=fields,
    )


def test_a_pallet_counts_only_while_it_carries_the_failed_item(engine: Engine) -> None:
    # the item is packed at 08:00, fails at 10:00, leaves on its pallet at 11:00 (found); the pallet
    # is unpacked at 12:00 and goes out again at 15:00 without it (not found); the item itself is
    # shipped on at 16:00 (found)
    pack = {"parentID": PALLET, "childEPCs": [ITEM], "type": "AggregationEvent"}
    sc.store(
        engine,
        [
            _event("p01", "01T08:00", WAREHOUSE, step="packing", action="ADD", **pack),
            _event(
                "p02", "01T10:00", WAREHOUSE, step="inspecting", epcs=[ITEM], disposition="non_conformant"
            ),
            _event("p03", "01T11:00", WAREHOUSE, step="shipping", epcs=[PALLET]),
            _event("p04", "01T12:00", DC, step="unpacking", action="DELETE", **pack),
            _event("p05", "01T15:00", DC, step="shipping", epcs=[PALLET]),
            _event("p06", "01T16:00", DC, step="shipping", epcs=[ITEM]),
        ],
    )
    assert _pairs(_run(engine)) == [("urn:uuid:p02", "urn:uuid:p03"), ("urn:uuid:p02", "urn:uuid:p06")]


# --------------------------------------------------------------------------- 20-digit records

MARKET = "urn:epc:id:sgln:6902000.00001.0"
STALLS = "urn:epc:id:sgln:6902000.00002.0"
MARKET_SUBJECT, STALL_SUBJECT = "91310101MA1FL0000X", "91310101MA1FL0001X"
ENTERED, SOLD_EARLY, SOLD, PORTION = (
    "32010100100010000001",
    "31010100100010000011",
    "31010100100010000012",
    "31010100100010000101",
)


def _uri(code: str) -> str:
    return f"https://zhuisu.cn/id/code/{code}"


def _record(
    event_id: str,
    time: str,
    where: str,
    code: str,
    step: str,
    fields: dict[str, Any],
    disposition: str | None,
) -> dict[str, Any]:
    return make_event(
        event_id=f"urn:uuid:{event_id}",
        epcs=[_uri(code)],
        biz_step=step,
        disposition=disposition,
        event_time=f"2026-05-{time}:00.000+08:00",
        read_point=where,
        biz_location=where,
        extra=fields,
    )


def _market_day(result: str) -> list[dict[str, Any]]:
    """批发进场 → 检测 (09:30) → 批发交易 before (09:00) and after (10:00) → a stall's 进场 and 零售."""
    market = {"zs:batchNo": "M0501", "zs:subject": MARKET_SUBJECT}
    stall = {"zs:batchNo": "R0501", "zs:subject": STALL_SUBJECT}
    test = {**market, "zs:testItem": "克伦特罗(瘦肉精)", "zs:testResult": result}
    disposition = "conformant" if result == "合格" else "non_conformant"
    return [
        _record(
            "m01", "01T08:00", MARKET, ENTERED, "receiving", {**market, "zs:traceVoucher": "YZ0001"}, None
        ),
        _record(
            "m02", "01T09:00", MARKET, SOLD_EARLY, "shipping", {**market, "zs:traceCode": SOLD_EARLY}, None
        ),
        _record("m03", "01T09:30", MARKET, ENTERED, "inspecting", test, disposition),
        _record("m04", "01T10:00", MARKET, SOLD, "shipping", {**market, "zs:traceCode": SOLD}, None),
        _record("s01", "01T11:00", STALLS, SOLD, "receiving", {**stall, "zs:traceVoucher": SOLD}, None),
        _record(
            "s02", "01T12:00", STALLS, PORTION, "retail_selling", {**stall, "zs:traceCode": PORTION}, None
        ),
    ]


def test_records_sold_on_after_a_failed_market_test_are_found_and_listed(engine: Engine) -> None:
    sc.store(engine, _market_day("不合格"))
    run = _run(engine)
    assert _pairs(run) == [("urn:uuid:m03", "urn:uuid:m04"), ("urn:uuid:m03", "urn:uuid:s02")]
    stall = next(f for f in run.findings if f.kind is KIND and f.event_ids[1] == "urn:uuid:s02")
    assert stall.identifiers[-2:] == (STALLS, STALL_SUBJECT)  # the holder: where, and who
    assert _uri(ENTERED) in stall.identifiers  # what was tested
    with read_connection(engine) as conn:
        assert len(list_findings(conn, kind="recall")) == 2
        assert len(list_findings(conn, identifier="urn:uuid:m03")) == 2
        (listed,) = list_findings(conn, identifier=STALL_SUBJECT)
    assert listed.event_ids == ("urn:uuid:m03", "urn:uuid:s02")


def test_records_after_a_passed_market_test_are_silent(engine: Engine) -> None:
    sc.store(engine, _market_day("合格"))
    assert _pairs(_run(engine)) == []


# --------------------------------------------------------------------------- the stop-trading list


def test_the_stop_trading_list_of_a_failed_test_is_the_recall_scope_of_what_it_tested(engine: Engine) -> None:
    sc.store(engine, [*sc.pork_chain(), _inspection("urn:uuid:t01", "02T04:15", sc.SLAUGHTER, sc.CARCASS)])
    with read_connection(engine) as conn:
        test, scope = failed_test_scope(conn, " urn:uuid:t01 ")
        plain = recall_scope(conn, [sc.CARCASS])
    assert (test.event_id, test.location, test.identifiers) == (
        "urn:uuid:t01",
        sc.SLAUGHTER,
        [epc.canonical(sc.CARCASS)],
    )
    assert test.to_json()["eventTime"] == "2026-05-01T20:15:00+00:00"
    assert [h.to_json() for h in scope.holdings] == [h.to_json() for h in plain.holdings]
    holding = {(h.location, h.still_holds) for h in scope.holdings if h.still_holds > 0}
    assert {(sc.MARKET_A, 795), (sc.MARKET_B, 600), (sc.SUPERMARKET, 99)} <= holding


def test_the_stop_trading_list_records_the_batch_a_market_test_booked(engine: Engine) -> None:
    sc.store(engine, _market_day("不合格"))
    with read_connection(engine) as conn:
        test, scope = failed_test_scope(conn, "urn:uuid:m03")
    assert test.identifiers == sorted([_uri(ENTERED), f"urn:zhuisu:batch:{MARKET_SUBJECT}:M0501"])
    assert {h.location for h in scope.holdings} >= {MARKET, STALLS}


def test_the_stop_trading_list_needs_a_failed_inspection(engine: Engine) -> None:
    sc.store(
        engine,
        [
            *sc.pork_chain(),
            _inspection("urn:uuid:t01", "02T04:15", sc.SLAUGHTER, sc.CARCASS, result="conformant"),
        ],
    )
    with read_connection(engine) as conn:
        with pytest.raises(NotFound) as missing:
            failed_test_scope(conn, "urn:uuid:nothing")
        with pytest.raises(ValidationFailed) as passed:
            failed_test_scope(conn, "urn:uuid:t01")
    assert "no event" in missing.value.message
    assert "non_conformant" in passed.value.message and "不合格" in passed.value.message
