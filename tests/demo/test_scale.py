"""The named scales and explicit counts."""

from __future__ import annotations

import pytest

from zhuisu.demo.city import role_counts
from zhuisu.demo.scale import SCALES, scale_for
from zhuisu.errors import ValidationFailed


def test_the_city_scale_has_the_counts_of_issue_6() -> None:
    city = SCALES["city"]
    roles = role_counts(city)
    assert roles["pig_farm"] + roles["veg_base"] >= 300
    assert (city.slaughterhouses, city.wholesale_markets, city.wet_markets) == (5, 3, 40)
    assert (city.supermarkets, city.canteens, city.food_producers) == (20, 10, 10)
    assert (city.pharmacies, city.hospitals, city.drug_wholesalers) == (20, 3, 2)
    assert (city.filling_stations, city.cylinders, city.elevators, city.maintainers) == (2, 5_000, 800, 6)
    assert (city.hazchem_warehouses, city.smelters, city.agri_dealers, city.importers) == (3, 2, 10, 1)


def test_small_keeps_every_kind_of_enterprise() -> None:
    small = role_counts(SCALES["small"])
    assert set(small) == set(role_counts(SCALES["city"])) and min(small.values()) >= 1
    assert SCALES["small"].stalls_per_market >= 3  # a late reporter, a silent one and the faulty stall


def test_explicit_counts_replace_the_scales_own() -> None:
    chosen = scale_for("city", days=30, farms=100)
    assert (chosen.days, chosen.farms, chosen.elevators) == (30, 100, 800)


@pytest.mark.parametrize(
    ("name", "counts", "message"),
    [
        ("town", {}, "unknown scale 'town'"),
        ("small", {"farmz": 3}, "unknown counts ['farmz']"),
        ("small", {"farms": 0}, "counts must be positive integers: ['farms']"),
    ],
)
def test_bad_scales_are_refused_clearly(name: str, counts: dict[str, int], message: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        scale_for(name, **counts)
    assert message in caught.value.message
