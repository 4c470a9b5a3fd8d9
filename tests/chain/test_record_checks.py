"""Integrity checks over records keyed by 20-digit meat & vegetable codes and special-equipment codes:
sales that issue a new 追溯码 per portion, Σ sold per voucher, cylinder filling and elevator upkeep.

The events are shaped as the record templates write them (capture/formats/records.py: the code in
epcList as ``https://zhuisu.cn/id/code/…``, ``zs:traceCode`` / ``zs:traceVoucher`` by the step's code
role). Expectations written before the first run, from the rules in chain/checks.py and
chain/equipment_checks.py.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from tests.chain.scenarios import store
from tests.factories import make_event
from zhuisu.capture.service import to_us
from zhuisu.chain.checks import CheckRun, FindingKind, run_checks
from zhuisu.store.engine import write_transaction

SINCE = to_us("2026-04-01T00:00:00Z")
UNTIL = to_us("2026-06-01T00:00:00Z")
STALLS = "urn:epc:id:sgln:6902000.00001.0"
OTHER = "urn:epc:id:sgln:6902000.00002.0"
STATION = "urn:epc:id:sgln:6904000.00001.0"
MAINTAINER = "urn:epc:id:sgln:6905000.00001.0"
RECEIVED = "31010100100010000001"
SUBJECT = "91310101MA1FL0000X"
CYLINDER = "231031100201200001"
ELEVATOR = "311031200200500001"
BIZSTEP = "https://zhuisu.cn/epcis/bizstep/"


def _uri(code: str) -> str:
    return f"https://zhuisu.cn/id/code/{code}"


def _record(
    event_id: str, time: str, where: str, code: str, step: str, fields: dict[str, Any]
) -> dict[str, Any]:
    return make_event(
        event_id=f"urn:uuid:{event_id}",
        epcs=[_uri(code)],
        biz_step=step,
        disposition=None,
        event_time=f"2026-05-{time}:00.000+08:00",
        read_point=where,
        biz_location=where,
        extra=fields,
    )


def _entry(event_id: str, time: str, weight: float, *, where: str = STALLS) -> dict[str, Any]:
    """A stall's 零售进场: the wholesale sale's code as its voucher, booked into the stall's batch."""
    fields = {
        "zs:traceVoucher": RECEIVED,
        "zs:weightKg": weight,
        "zs:batchNo": "R0501",
        "zs:subject": SUBJECT,
        "zs:category": "meat",
    }
    return _record(event_id, time, where, RECEIVED, "receiving", fields)


def _sale(event_id: str, time: str, code: str, weight: float, *, where: str = STALLS) -> dict[str, Any]:
    """A 零售 record issuing a new code for the sold portion, booked against the stall's batch."""
    fields = {"zs:traceCode": code, "zs:weightKg": weight, "zs:batchNo": "R0501", "zs:subject": SUBJECT}
    return _record(event_id, time, where, code, "retail_selling", fields)


def _run(engine: Engine, *, until: int = UNTIL, now: int = UNTIL) -> CheckRun:
    with write_transaction(engine) as conn:
        return run_checks(conn, since_us=SINCE, until_us=until, now_us=now)


def _of(run: CheckRun, kind: FindingKind) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    return sorted((f.event_ids, f.identifiers) for f in run.findings if f.kind is kind)


def test_a_sale_under_a_new_code_of_goods_received_into_the_batch_is_no_chain_break(engine: Engine) -> None:
    store(engine, [_entry("r01", "01T06:00", 20), _sale("s01", "01T09:00", "31010100100010000101", 1.5)])
    assert _of(_run(engine), FindingKind.UNRECEIVED_SALE) == []


def test_a_sale_under_a_new_code_elsewhere_or_before_the_receipt_is_a_chain_break(engine: Engine) -> None:
    early = _sale("s01", "01T05:00", "31010100100010000101", 1.0)  # before the goods came in
    other = _sale("s02", "01T09:00", "31010100100010000102", 1.0, where=OTHER)  # not where received
    store(engine, [_entry("r01", "01T06:00", 20), early, other])
    assert _of(_run(engine), FindingKind.UNRECEIVED_SALE) == [
        (("urn:uuid:s01",), (_uri("31010100100010000101"),)),
        (("urn:uuid:s02",), (_uri("31010100100010000102"),)),
    ]


def test_sold_weight_per_voucher_is_reconciled_with_the_entered_weight(engine: Engine) -> None:
    sales = [_sale(f"s0{n}", f"01T0{n + 6}:00", f"3101010010001000010{n}", 6.0) for n in range(1, 4)]
    store(engine, [_entry("r01", "01T06:00", 20), *sales])  # 18 kg of 20
    assert _of(_run(engine), FindingKind.OVERSOLD) == []
    store(engine, [_sale("s04", "01T11:00", "31010100100010000104", 2.3)])  # 20.3 ≤ 20 × 1.02
    assert _of(_run(engine), FindingKind.OVERSOLD) == []
    store(engine, [_sale("s05", "01T12:00", "31010100100010000105", 1.0)])  # 21.3 > 20.4
    (finding,) = [f for f in _run(engine).findings if f.kind is FindingKind.OVERSOLD]
    assert finding.identifiers == (RECEIVED, STALLS)
    assert finding.event_ids == ("urn:uuid:r01", *(f"urn:uuid:s0{n}" for n in range(1, 6)))
    assert "21.3" in finding.message_en and "20" in finding.message_zh


def test_sales_at_another_place_do_not_count_against_the_voucher(engine: Engine) -> None:
    far = [_sale(f"s0{n}", "01T09:00", f"3101010010001000010{n}", 15.0, where=OTHER) for n in (1, 2)]
    store(engine, [_entry("r01", "01T06:00", 20), _sale("s03", "01T08:00", "31010100100010000103", 5), *far])
    assert _of(_run(engine), FindingKind.OVERSOLD) == []


def _cylinder(event_id: str, time: str, step: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    return _record(event_id, time, STATION, CYLINDER, step, {"zs:subject": SUBJECT, **(fields or {})})


def test_a_cylinder_filled_after_its_inspection_date(engine: Engine) -> None:
    inspected = _cylinder("c01", "01T08:00", "inspecting", {"zs:nextInspectionDate": "2026-05-10"})
    on_time = _cylinder("c02", "10T23:30", f"{BIZSTEP}filling", {"zs:weightKg": 14.5})  # the last day
    store(engine, [inspected, on_time])
    assert _of(_run(engine), FindingKind.CYLINDER_OVERDUE_FILLED) == []
    store(engine, [_cylinder("c03", "11T08:00", f"{BIZSTEP}filling", {"zs:weightKg": 14.5})])
    run = _run(engine)
    assert _of(run, FindingKind.CYLINDER_OVERDUE_FILLED) == [
        (("urn:uuid:c01", "urn:uuid:c03"), (_uri(CYLINDER),)),
    ]
    assert [f.severity for f in run.findings if f.kind is FindingKind.CYLINDER_OVERDUE_FILLED] == ["critical"]
    # a new inspection moves the date on: the fill after it is in order
    store(
        engine,
        [
            _cylinder("c04", "12T08:00", "inspecting", {"zs:nextInspectionDate": "2030-05-12"}),
            _cylinder("c05", "12T09:00", f"{BIZSTEP}filling", {"zs:weightKg": 14.5}),
        ],
    )
    assert len(_of(_run(engine), FindingKind.CYLINDER_OVERDUE_FILLED)) == 1


def _upkeep(event_id: str, time: str, step: str = f"{BIZSTEP}maintaining") -> dict[str, Any]:
    return _record(event_id, time, MAINTAINER, ELEVATOR, step, {"zs:subject": SUBJECT})


def test_elevator_maintenance_at_most_fifteen_days_apart(engine: Engine) -> None:
    # 05-01 → 05-16 is 15 days (in order, whatever the hour); 05-16 → 05-31 too
    store(engine, [_upkeep("m01", "01T08:00"), _upkeep("m02", "16T17:00"), _upkeep("m03", "31T09:00")])
    assert _of(_run(engine), FindingKind.ELEVATOR_MAINTENANCE_OVERDUE) == []
    store(engine, [_upkeep("m04", "01T09:00") | {"eventTime": "2026-06-17T09:00:00.000+08:00"}])  # 17 days
    july = to_us("2026-07-01T00:00:00Z")
    assert _of(_run(engine, until=july, now=july), FindingKind.ELEVATOR_MAINTENANCE_OVERDUE) == [
        (("urn:uuid:m03", "urn:uuid:m04"), (_uri(ELEVATOR),)),
    ]


def test_an_elevator_not_maintained_since_more_than_fifteen_days_before_the_check(engine: Engine) -> None:
    store(engine, [_upkeep("m01", "01T08:00")])
    early = to_us("2026-05-16T12:00:00Z")  # 05-16 in +08:00: 15 days on
    assert _of(_run(engine, until=early, now=early), FindingKind.ELEVATOR_MAINTENANCE_OVERDUE) == []
    late = to_us("2026-05-17T12:00:00Z")
    assert _of(_run(engine, until=UNTIL, now=late), FindingKind.ELEVATOR_MAINTENANCE_OVERDUE) == [
        (("urn:uuid:m01",), (_uri(ELEVATOR),)),
    ]


def test_a_scrapped_elevator_needs_no_more_maintenance(engine: Engine) -> None:
    store(engine, [_upkeep("m01", "01T08:00"), _upkeep("x01", "03T08:00", "decommissioning")])
    assert _of(_run(engine), FindingKind.ELEVATOR_MAINTENANCE_OVERDUE) == []
