"""Hazardous chemicals and rare earths, through their lifecycle templates
(domain/templates/dangerous_goods.py, rare_earth.py).

Chemicals go into a licensed warehouse and out to named buyers with the purpose of use and a
transport record (driver, escort: 危险化学品安全管理条例 Art.43-47 as read); codes are
危险化学品安全信息码 (T/CCSAS 047-2023: registration number + the enterprise's extension).
Rare earth: ore mined (outside the city) → smelter separation quoting the ore's code → sold to a
magnet maker (who records the receipt) or exported — the export leaves the platform.
"""

from __future__ import annotations

from zhuisu.demo.reporter import object_event, stamp
from zhuisu.demo.world import Day
from zhuisu.domain.parties import code_uri

CHEMICALS = (
    ("甲醇", "67-56-1", "1230"),
    ("硫酸", "7664-93-9", "1830"),
    ("液氨", "7664-41-7", "1005"),
    ("丙酮", "67-64-1", "1090"),
)
PURPOSES = ("生产原料", "清洗溶剂", "水处理", "实验室分析")
EXPORT_COUNTRIES = ("JP", "DE", "KR", "US")


def hazchem(day: Day) -> None:
    """Each warehouse takes in one chemical lot a day and ships most of it to two named buyers."""
    users = day.city.of("chemical_user")
    for n, wh in enumerate(day.city.of("hazchem_warehouse")):
        name, cas, un = CHEMICALS[(day.index + n) % len(CHEMICALS)]
        batch = day.serial("HC")
        code = f"{wh.key[8:17]}{un}/{batch}"
        weight = round(day.rng.uniform(5_000, 20_000), 0)
        common = {"trace_code": code, "subject": wh.key, "node_code": wh.node_code}
        day.out.record(
            "hazchem.storage_in",
            **common,
            event_time=stamp(day.jitter(8)),
            product_name=name,
            weight_kg=weight,
            batch_no=batch,
            supplier=f"上海{name}化工厂",
            cas_no=cas,
            un_no=un,
            storage_location=f"甲类仓库{day.rng.randint(1, 6)}号",
        )
        day.ledger.trace_examples.setdefault("hazchem", code)
        for k, buyer in enumerate(day.rng.sample(users, k=min(2, len(users)))):
            part = round(weight * day.rng.uniform(0.2, 0.4), 0)
            hour = 11 + 3 * k
            day.out.record(
                "hazchem.storage_out",
                **common,
                event_time=stamp(day.at(hour)),
                weight_kg=part,
                buyer=buyer.key,
                purpose=day.rng.choice(PURPOSES),
                batch_no=batch,
            )
            day.out.record(
                "hazchem.transport",
                **common,
                event_time=stamp(day.at(hour + 0.5)),
                vehicle_plate=f"沪{day.rng.choice('ABD')}{day.rng.randint(10000, 99999)}",
                driver=day.city.of("hazchem_warehouse")[0].person,
                escort=buyer.person,
                buyer=buyer.key,
                waybill_no=day.serial("YD"),
                destination_place=buyer.region,
            )


def rare_earth(day: Day) -> None:
    """Twice a week: ore → separated oxide → a magnet maker (most) and an export (some)."""
    if day.midnight.weekday() not in (0, 3):
        return
    mine = day.city.of("mine")[0]
    for n, smelter in enumerate(day.city.of("smelter")):
        ore = day.code(mine, "稀土精矿", "rare_earth", platform=True)
        ore_kg = round(day.rng.uniform(20_000, 40_000), 0)
        day.out.record(
            "rare_earth.mining",
            trace_code=ore,
            event_time=stamp(day.at(6)),
            subject=mine.key,
            node_code=mine.node_code,
            licence_no=f"C1500002010{mine.key[10:17]}",
            weight_kg=ore_kg,
            origin=mine.region,
            batch_no=day.serial("KS"),
        )
        oxide = day.code(smelter, "氧化镨钕", "rare_earth", platform=True)
        oxide_kg = round(ore_kg * 0.08, 0)
        day.out.record(
            "rare_earth.separation",
            trace_code=oxide,
            event_time=stamp(day.at(20)),
            subject=smelter.key,
            node_code=smelter.node_code,
            trace_voucher=ore,
            product_name="氧化镨钕",
            weight_kg=oxide_kg,
            batch_no=day.serial("FL"),
        )
        day.ledger.trace_examples.setdefault("rare_earth", oxide)
        magnets = day.city.of("magnet_maker")[n % len(day.city.of("magnet_maker"))]
        day.out.record(
            "rare_earth.circulation",
            trace_code=oxide,
            event_time=stamp(day.at(22)),
            subject=smelter.key,
            node_code=smelter.node_code,
            buyer=magnets.key,
            weight_kg=round(oxide_kg * 0.7, 0),
            unit_price=day.price(420_000) / 1000,
        )
        # no template step for the buyer's receipt yet: an EPCIS receiving event at the buyer
        day.out.event(
            object_event(
                at=day.at(23.5),
                biz_step="receiving",
                location=magnets.node_code,
                epcs=[code_uri(oxide)],
                disposition="in_progress",
                source=smelter.key,
                destination=magnets.key,
                extra={"subject": magnets.key, "weightKg": round(oxide_kg * 0.7, 0)},
            )
        )
        if day.midnight.weekday() == 3:
            day.out.record(
                "rare_earth.export",
                trace_code=oxide,
                event_time=stamp(day.at(23)),
                subject=smelter.key,
                node_code=smelter.node_code,
                export_licence_no=f"26-RE-{day.rng.randint(0, 999_999):06d}",
                destination_country=day.rng.choice(EXPORT_COUNTRIES),
                weight_kg=round(oxide_kg * 0.3, 0),
            )
            day.ledger.exports.append(oxide)
