"""How big the simulated city is: named scales (``small``, ``city``, ``province``) or explicit counts.

The ``city`` counts are issue 6's list for one real city; ``small`` keeps every kind of node and
every flow at a size that builds in seconds (tests, ``make demo``); ``province`` is ten cities'
worth of enterprises over a longer period (the benchmark workload).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from zhuisu.errors import ValidationFailed


@dataclass(frozen=True, slots=True)
class Scale:
    """Counts of each kind of enterprise (and equipment), and the days simulated."""

    farms: int  # 养殖场 (pigs) and 种植基地 (vegetables), half each
    slaughterhouses: int
    wholesale_markets: int
    wet_markets: int  # 菜市场
    stalls_per_market: int
    supermarkets: int
    canteens: int  # 学校食堂 (团体消费单位)
    food_producers: int  # dairy, infant formula, edible oil, liquor
    pharmacies: int
    hospitals: int
    drug_wholesalers: int
    filling_stations: int
    cylinders: int
    elevators: int
    maintainers: int
    hazchem_warehouses: int
    smelters: int
    agri_dealers: int
    importers: int
    days: int

    def to_json(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


SCALES: dict[str, Scale] = {
    "small": Scale(
        farms=12,
        slaughterhouses=1,
        wholesale_markets=1,
        wet_markets=2,
        stalls_per_market=3,
        supermarkets=2,
        canteens=1,
        food_producers=2,
        pharmacies=2,
        hospitals=1,
        drug_wholesalers=1,
        filling_stations=1,
        cylinders=40,
        elevators=24,
        maintainers=2,
        hazchem_warehouses=1,
        smelters=1,
        agri_dealers=2,
        importers=1,
        days=14,
    ),
    "city": Scale(
        farms=300,
        slaughterhouses=5,
        wholesale_markets=3,
        wet_markets=40,
        stalls_per_market=12,
        supermarkets=20,
        canteens=10,
        food_producers=10,
        pharmacies=20,
        hospitals=3,
        drug_wholesalers=2,
        filling_stations=2,
        cylinders=5_000,
        elevators=800,
        maintainers=6,
        hazchem_warehouses=3,
        smelters=2,
        agri_dealers=10,
        importers=1,
        days=90,
    ),
}
SCALES["province"] = replace(
    SCALES["city"],
    farms=3_000,
    slaughterhouses=30,
    wholesale_markets=20,
    wet_markets=300,
    supermarkets=150,
    canteens=80,
    food_producers=60,
    pharmacies=150,
    hospitals=20,
    drug_wholesalers=10,
    filling_stations=15,
    cylinders=40_000,
    elevators=8_000,
    maintainers=40,
    hazchem_warehouses=20,
    smelters=4,
    agri_dealers=80,
    importers=5,
    days=365,
)


def scale_for(name: str, *, days: int | None = None, **counts: Any) -> Scale:
    """The named scale, with ``days`` and any explicit counts (``farms=…``) replacing its own."""
    if name not in SCALES:
        raise ValidationFailed(
            f"未知的规模 {name!r}(可选 {', '.join(SCALES)})",
            f"unknown scale {name!r} (one of {', '.join(SCALES)})",
        )
    known = {f.name for f in fields(Scale)}
    unknown = sorted(set(counts) - known)
    if unknown:
        raise ValidationFailed(f"未知的数量项 {unknown}", f"unknown counts {unknown}")
    chosen = {k: v for k, v in counts.items() if v is not None}
    if days is not None:
        chosen["days"] = days
    bad = sorted(k for k, v in chosen.items() if not isinstance(v, int) or v < 1)
    if bad:
        raise ValidationFailed(f"数量须为正整数: {bad}", f"counts must be positive integers: {bad}")
    return replace(SCALES[name], **chosen)
