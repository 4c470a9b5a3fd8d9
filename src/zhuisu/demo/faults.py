"""The faults injected into the demo city, each recorded in the manifest with the checks meant to
find it (``chain.checks.FindingKind`` values present in this build), or "check still to come".

=====================  =======================================================  ============================
fault                  what happens                                             found by
=====================  =======================================================  ============================
failed_residue_test    a pork batch fails the 瘦肉精 test at a wholesale market;  recall.traded_after_
                       the market stops trading it, but a stall that bought a   failed_test
                       side of it minutes before the result keeps selling it
                       (MOFCOM 检测不合格 → 停止交易指令 to every downstream
                       node); a recall scope is opened from the pig batch's code
weight_mismatch        a supermarket sells 20 % more of a pork lot than it      quantity.oversold
                       packed (Σ sold ≤ Σ entered, the MOFCOM rule)
broken_chain           a stall sells pork under a code it never received        chain_break.unreceived_sale
voided_code_elsewhere  a voided trace code is scanned in another district       identifier.voided_used
unfiled_supplier       a slaughterhouse takes in pigs from a supplier with no   chain_break.unmatched_receipt
                       filing, quoting a code no record issued                  and subject.unfiled
cylinder_overdue       a gas cylinder is filled after its inspection date       equipment.cylinder_overdue_
                                                                                filled
elevator_overdue       an elevator's last 15-day maintenance is two days        equipment.elevator_
                       before the simulation starts, and none follows           maintenance_overdue
=====================  =======================================================  ============================
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from zhuisu.chain.checks import FindingKind
from zhuisu.chain.recall import recall_scope
from zhuisu.demo import food
from zhuisu.demo.city import City
from zhuisu.demo.equipment import CYLINDER_YEARS, MAINTENANCE_DAYS
from zhuisu.demo.names import Namer
from zhuisu.demo.reporter import object_event, stamp
from zhuisu.demo.scale import Scale
from zhuisu.demo.world import Day
from zhuisu.domain.parties import code_uri
from zhuisu.subjects import issuance


@dataclass(slots=True)
class Fault:
    id: str
    zh: str
    en: str
    candidates: tuple[str, ...]  # the FindingKind values meant to find it, existing or planned
    event_ids: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def checks(self) -> list[str]:
        """The checks that exist in this build of the platform and are meant to find the fault."""
        known = {str(k) for k in FindingKind}
        return [c for c in self.candidates if c in known]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "description": f"{self.zh} / {self.en}",
            "checks": self.checks,
            "check_status": "exists" if self.checks else "check still to come",
            "event_ids": self.event_ids,
            "identifiers": self.identifiers,
            "detail": self.detail,
        }


FAULTS = (
    Fault(
        "failed_residue_test",
        "批发市场一批猪肉瘦肉精检测不合格,检测结果出来前已购入一部分的摊位此后仍在销售;启动召回",
        "a pork batch fails the clenbuterol test at a wholesale market; a stall that bought part of it "
        "before the result keeps selling it afterwards: recall",
        ("recall.traded_after_failed_test",),
    ),
    Fault(
        "weight_mismatch",
        "超市售出的猪肉超过其分割包装的重量",
        "a supermarket sells more pork than it packed",
        ("quantity.oversold",),
    ),
    Fault(
        "broken_chain",
        "摊位销售了从未进货的猪肉",
        "a stall sells pork it never received",
        ("chain_break.unreceived_sale",),
    ),
    Fault(
        "voided_code_elsewhere",
        "已作废的追溯码在另一个区被扫描",
        "a voided trace code is scanned in another district",
        ("identifier.voided_used",),
    ),
    Fault(
        "unfiled_supplier",
        "屠宰场从未备案的供货者进猪",
        "a slaughterhouse takes in pigs from an unfiled supplier",
        ("chain_break.unmatched_receipt", "subject.unfiled"),
    ),
    Fault(
        "cylinder_overdue",
        "气瓶超过检验日期仍被充装",
        "a gas cylinder is filled past its inspection date",
        ("equipment.cylinder_overdue_filled",),
    ),
    Fault(
        "elevator_overdue",
        "电梯超过 15 天未维护保养",
        "an elevator is overdue for its 15-day maintenance",
        ("equipment.elevator_maintenance_overdue",),
    ),
)


@dataclass(slots=True)
class Plan:
    day: int
    unfiled_uscc: str
    faults: dict[str, Fault]
    recall_seeds: list[str] = field(default_factory=list)
    recall: dict[str, Any] | None = None

    def overdue_cylinder(self, day: Day) -> tuple[str, datetime] | None:
        """Register the cylinder whose inspection falls due on the simulation's first day."""
        if not day.ledger.cylinders:
            return None
        code = sorted(day.ledger.cylinders)[0]
        station, _ = day.ledger.cylinders[code]
        due = day.midnight + timedelta(days=1)
        day.ledger.cylinders[code] = (station, due)
        day.ledger.overdue_cylinder = code
        elevator = sorted(day.ledger.elevators)[0] if day.ledger.elevators else None
        if elevator is not None:
            day.ledger.skip_elevator = elevator
        fault = self.faults["cylinder_overdue"]
        fault.identifiers = [code]
        fault.detail = {"station": station, "inspection_due": due.date().isoformat()}
        return code, due - timedelta(days=CYLINDER_YEARS * 365)

    def to_json(self) -> list[dict[str, Any]]:
        return [f.to_json() for f in self.faults.values()]


def plan(namer: Namer, city: City, scale: Scale) -> Plan:
    faults = {f.id: Fault(f.id, f.zh, f.en, f.candidates) for f in FAULTS}
    # a farm in 江苏省张家港市 that never filed: a valid USCC nobody on the platform holds
    return Plan(min(2, scale.days - 1), namer.uscc("320582"), faults)


def _stored(day: Day, fault: Fault, start: int) -> None:
    day.out.flush(day.conn, day.midnight)
    fault.event_ids.extend(day.out.event_ids[start:])


def inject(day: Day, plan: Plan) -> None:
    """On the plan's day, add each fault's records (stored apart, so their event IDs are known)."""
    if day.index != plan.day:
        return
    city, f = day.city, plan.faults
    sh, market = city.of("slaughterhouse")[0], city.of("wholesale_market")[0]

    mark = len(day.out.event_ids)
    lot = food.pork_batch(day, day.pick("pig_farm"), sh, 2)
    code = day.code(sh, "白条猪", "meat")
    entered = round(lot.carcass_kg * 0.8, 1)
    food.pork_exit(day, lot, market, code, entered, 7)
    # the market sells a side to a stall at 09:10, before the 09:30 test result; the test fails
    # and the market stops, but the stall goes on selling its pork from 10:00 (downstream of the
    # failed batch: the stop-trading instruction binds it too)
    batch = food.pork_market_entry(day, lot, market, code, entered, 9, passed=False)
    # a stall that reports on time, so that its sales are stored with the fault's records
    stall = next(s for s in city.stalls if s.operator_code not in day.ledger.late)
    side = round(entered / 4, 1)
    price = day.price(food.PORK_PRICE)
    sold = food.wholesale_sale(
        day, "pork.wholesale.sale", market, stall.market, batch, "白条猪", side, price, 9 + 1 / 6, "meat"
    )
    food.stall_sells(day, stall, "pork", sold, "猪肉", side, price, 10, lot.quarantine_cert)
    food.supermarket_pork(day, lot, city.of("supermarket")[0], 40.0, 7)
    _stored(day, f["failed_residue_test"], mark)
    f["failed_residue_test"].identifiers = [lot.farm_code, code]
    f["failed_residue_test"].detail = {
        "market": market.key,
        "test_item": food.RESIDUE_TEST,
        "stall_market": stall.market.key,
        "stall": stall.operator_code,
    }
    plan.recall_seeds = [lot.farm_code]

    mark = len(day.out.event_ids)
    lot = food.pork_batch(day, day.pick("pig_farm"), sh, 3)
    lgtin = food.supermarket_pork(day, lot, city.of("supermarket")[-1], 50.0, 8, oversell=1.2)
    _stored(day, f["weight_mismatch"], mark)
    f["weight_mismatch"].identifiers = [lgtin]

    mark = len(day.out.event_ids)
    stall = city.stalls[-1]
    never = day.code(market, "白条猪", "meat")
    day.out.record(
        "pork.retail.sale",
        trace_code=never,
        event_time=stamp(day.at(15)),
        subject=stall.market.key,
        node_code=stall.market.node_code,
        product_name="五花肉",
        weight_kg=1.2,
        stall_no=stall.stall_no,
        operator_code=stall.operator_code,
        unit_price=38.0,
    )
    _stored(day, f["broken_chain"], mark)
    f["broken_chain"].identifiers = [never]
    f["broken_chain"].detail = {"stall": stall.operator_code}

    mark = len(day.out.event_ids)
    voided = day.code(market, "白条猪", "meat")
    issuance.void_code(
        day.conn, voided, "标签打印错误,作废重打 / misprinted label", now=day.at(6), actor="demo"
    )
    elsewhere = next(
        (
            p
            for ps in city.places.values()
            for p in ps
            if p.region != market.region and p.role == "wet_market"
        ),
        None,
    )
    elsewhere = elsewhere or next(p for ps in city.places.values() for p in ps if p.region != market.region)
    day.out.event(
        object_event(
            at=day.at(16),
            biz_step="inspecting",
            location=elsewhere.node_code,
            epcs=[code_uri(voided)],
            extra={"subject": elsewhere.key, "scan": "市场巡查扫码"},
        )
    )
    _stored(day, f["voided_code_elsewhere"], mark)
    f["voided_code_elsewhere"].identifiers = [voided]
    f["voided_code_elsewhere"].detail = {"issued_in": market.region, "scanned_in": elsewhere.region}

    mark = len(day.out.event_ids)
    unfiled_code = f"{plan.unfiled_uscc[2:8]}0010000{day.rng.randint(0, 9_999_999):07d}"[:20]
    lot = food.pork_batch(day, day.pick("pig_farm"), sh, 4, unfiled=(plan.unfiled_uscc, unfiled_code))
    code = day.code(sh, "白条猪", "meat")
    food.pork_exit(day, lot, market, code, round(lot.carcass_kg * 0.9, 1), 9, voucher=False)
    food.pork_market_entry(day, lot, market, code, round(lot.carcass_kg * 0.9, 1), 11)
    _stored(day, f["unfiled_supplier"], mark)
    f["unfiled_supplier"].identifiers = [unfiled_code]
    f["unfiled_supplier"].detail = {"supplier": plan.unfiled_uscc}

    cylinder = day.ledger.overdue_cylinder
    if cylinder is not None:
        mark = len(day.out.event_ids)
        station = city.of("filling_station")[0]
        common = {"trace_code": cylinder, "subject": station.key, "node_code": station.node_code}
        day.out.record(
            "cylinder.pre_fill_check",
            **common,
            event_time=stamp(day.at(10)),
            test_result="合格",
            worker="充装工01",
            medium="液化石油气",
        )
        day.out.record(
            "cylinder.filling",
            **common,
            event_time=stamp(day.at(10.1)),
            medium="液化石油气",
            weight_kg=14.5,
            worker="充装工01",
        )
        _stored(day, f["cylinder_overdue"], mark)

    elevator = day.ledger.skip_elevator
    if elevator is not None:
        last = day.midnight - timedelta(days=plan.day + 2)
        f["elevator_overdue"].identifiers = [elevator]
        f["elevator_overdue"].detail = {
            "last_maintenance": last.date().isoformat(),
            "maintenance_every_days": MAINTENANCE_DAYS,
            "overdue_after_day": MAINTENANCE_DAYS,
        }


def recall(conn: Connection, plan: Plan) -> dict[str, Any] | None:
    """The recall scope of the failed batch: who holds how much of it (the stop-trading list)."""
    if not plan.recall_seeds:
        return None
    scope = recall_scope(conn, plan.recall_seeds)
    return {
        "seeds": plan.recall_seeds,
        "lots": len(scope.lots),
        "events": len(scope.events),
        "holders": [
            {
                "location": h.location,
                "subject": h.subject,
                "identifier": h.identifier,
                "uom": h.uom,
                "still_holds": h.still_holds,
            }
            for h in scope.holdings
            if h.still_holds > 0
        ],
    }
