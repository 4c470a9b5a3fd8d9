"""Gas cylinders and elevators, through their lifecycle templates (domain/templates/special_equipment.py).

Codes are 18-character special-equipment codes (TSG 08-2017 附件 as read: variety 4 + manufacturer 5
+ year 4 + sequence 5): cylinders of the 气瓶 variety 2310, elevators 3110 (曳引驱动乘客电梯).
Cylinders are checked before filling, filled and checked after (气瓶充装 "充装前后检查",
TSG 23-2021), and inspected when due (LPG steel cylinders every 4 years, GB/T 8334 as recalled);
elevators are maintained every 15 days (TSG T5002-2017 半月维护保养) and inspected yearly.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from zhuisu.demo.reporter import stamp
from zhuisu.demo.world import Day

if TYPE_CHECKING:
    from zhuisu.demo.faults import Plan

INSPECTOR = "上海市特种设备监督检验技术研究院"
MAINTENANCE_DAYS = 15
CYLINDER_YEARS = 4


def equipment_code(variety: str, maker: int, year: int, seq: int) -> str:
    """Variety 4 + manufacturer (authority ``31`` = Shanghai + licence 3) + year 4 + sequence 5."""
    return f"{variety}31{maker:03d}{year:04d}{seq:05d}"


def register(day: Day, plan: Plan) -> None:
    """The equipment in service when the simulation starts, and each cylinder's last inspection."""
    rng = day.rng
    stations = day.city.of("filling_station")
    for n in range(day.scale.cylinders):
        station = stations[n % len(stations)]
        code = equipment_code("2310", 100 + n % 7, 2012 + n % 12, n + 1)
        due = day.midnight + timedelta(days=rng.randint(-30, 4 * 365))
        if due <= day.midnight:  # inspected on time: the next inspection is four years on
            due += timedelta(days=CYLINDER_YEARS * 365)
        day.ledger.cylinders[code] = (station.key, due)
    maintainers = day.city.of("maintainer")
    for n in range(day.scale.elevators):
        code = equipment_code("3110", 200 + n % 5, 2005 + n % 20, n + 1)
        unit = f"{day.rng.choice(('锦绣', '世纪', '春江', '梅园', '华府', '金桥'))}花园小区业主委员会"
        day.ledger.elevators[code] = (maintainers[n % len(maintainers)].key, unit, n % MAINTENANCE_DAYS)
    overdue = plan.overdue_cylinder(day)
    skipped = day.ledger.skip_elevator
    if skipped is not None:  # its last maintenance, the day before the setup day; none follows
        maintainer, unit, _ = day.ledger.elevators[skipped]
        place = next(p for p in day.city.of("maintainer") if p.key == maintainer)
        day.out.record(
            "elevator.maintenance",
            trace_code=skipped,
            subject=place.key,
            node_code=place.node_code,
            user_unit=unit,
            event_time=stamp(day.midnight - timedelta(days=1) + timedelta(hours=10)),
            maintainer=place.name,
            maintenance_type="半月",
            worker=place.person,
            worker_cert_no=f"T{int(skipped[-5:]) + 3100000:07d}",
            result="正常",
        )
    if overdue is not None:
        code, last = overdue
        station = day.city.of("filling_station")[0]
        day.out.record(
            "cylinder.inspection",
            trace_code=code,
            event_time=stamp(last),
            subject=station.key,
            node_code=station.node_code,
            inspection_org=INSPECTOR,
            test_result="合格",
            next_inspection_date=(last + timedelta(days=CYLINDER_YEARS * 365)).date().isoformat(),
        )


def _station(day: Day, key: str) -> tuple[str, str]:
    place = next(p for p in day.city.of("filling_station") if p.key == key)
    return place.key, place.node_code


def cylinders(day: Day) -> None:
    """Each day about a tenth of the cylinders come back to be filled (fewer in summer)."""
    rng = day.rng
    codes = sorted(day.ledger.cylinders)
    count = min(len(codes), day.volume(len(codes) / 10))
    for n, code in enumerate(rng.sample(codes, count)):
        key, due = day.ledger.cylinders[code]
        subject, node = _station(day, key)
        hour = 7 + n * (10 / max(count, 1))
        common = {"trace_code": code, "subject": subject, "node_code": node}
        if due < day.at(hour) and code != day.ledger.overdue_cylinder:
            day.out.record(
                "cylinder.inspection",
                **common,
                event_time=stamp(day.at(hour - 1)),
                inspection_org=INSPECTOR,
                test_result="合格",
                next_inspection_date=(due + timedelta(days=CYLINDER_YEARS * 365)).date().isoformat(),
            )
            day.ledger.cylinders[code] = (key, due + timedelta(days=CYLINDER_YEARS * 365))
        worker = f"充装工{rng.randint(1, 12):02d}"
        day.out.record(
            "cylinder.pre_fill_check",
            **common,
            event_time=stamp(day.at(hour)),
            test_result="合格",
            worker=worker,
            medium="液化石油气",
        )
        day.out.record(
            "cylinder.filling",
            **common,
            event_time=stamp(day.at(hour + 0.1)),
            medium="液化石油气",
            weight_kg=14.5,
            worker=worker,
            worker_cert_no=f"R{rng.randint(10**7, 10**8 - 1)}",
        )
        day.out.record(
            "cylinder.post_fill_check",
            **common,
            event_time=stamp(day.at(hour + 0.2)),
            test_result="合格",
            worker=worker,
        )
        day.ledger.trace_examples.setdefault("cylinder", code)


def elevators(day: Day) -> None:
    """Maintenance every 15 days (each elevator on its own phase); the yearly inspection of
    elevator number n falls on day 11·n mod 365 of the simulation, spreading them over the year."""
    for code, (maintainer, unit, phase) in sorted(day.ledger.elevators.items()):
        place = next(p for p in day.city.of("maintainer") if p.key == maintainer)
        at: datetime = day.jitter(9 + (int(code[-3:]) % 8), 0.9)
        common = {"trace_code": code, "subject": place.key, "node_code": place.node_code}
        due = (day.index - phase) % MAINTENANCE_DAYS == 0
        if due and code != day.ledger.skip_elevator:
            day.out.record(
                "elevator.maintenance",
                **common,
                user_unit=unit,
                event_time=stamp(at),
                maintainer=place.name,
                maintenance_type="半月",
                worker=place.person,
                worker_cert_no=f"T{int(code[-5:]) + 3100000:07d}",
                result="正常",
            )
            day.ledger.trace_examples.setdefault("elevator", code)
        if int(code[-5:]) * 11 % 365 == day.index:
            day.out.record(
                "elevator.inspection",
                **common,
                event_time=stamp(at + timedelta(hours=2)),
                inspection_org=INSPECTOR,
                test_result="合格",
                next_inspection_date=(at + timedelta(days=365)).date().isoformat(),
            )
