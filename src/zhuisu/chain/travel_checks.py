"""Integrity check on movement: one serial in two provinces too far apart for the time between.

=====================================  ======================================================================
kind                                   rule and source
=====================================  ======================================================================
time_order.impossible_travel           consecutive events of one instance-level identifier at places of
                                       different provinces (regions of their filed nodes) whose distance,
                                       less a margin, would need more than ``travel_kmh`` to cover in the
                                       time between them. The distance is between the provinces' capitals
                                       (domain/geography.py) less ``MARGIN_KM`` — places near a common
                                       border are closer than their capitals — so the rule only fires
                                       when the travel is impossible by any reckoning (our choice).
                                       Pairs close enough in time for ``identifier.two_places`` are left
                                       to that check.
=====================================  ======================================================================
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping

from sqlalchemy import Connection

from zhuisu.chain.findings import CheckOptions, Finding, FindingKind, finding, timestamp
from zhuisu.domain.geography import capital_distance_km
from zhuisu.store import registries
from zhuisu.store.chain import EventInfo

HOUR_US = 3_600_000_000
MINUTE_US = 60_000_000
MARGIN_KM = 300.0


def find(
    conn: Connection,
    serials: Iterable[str],
    by_node: Mapping[str, list[tuple[int, EventInfo]]],
    options: CheckOptions,
) -> Iterator[Finding]:
    tracks = {
        node: sorted(
            {i.pk: i for _, i in by_node.get(node, []) if i.biz_location}.values(),
            key=lambda i: (i.time_us, i.pk),
        )
        for node in sorted(set(serials))
    }
    places = {i.biz_location for track in tracks.values() for i in track if i.biz_location}
    regions = {ref: h.region for ref, h in registries.holders(conn, places).items()}
    span = options.same_time_minutes * MINUTE_US
    for node, track in tracks.items():
        for a, b in itertools.pairwise(track):
            ra, rb = regions.get(a.biz_location or ""), regions.get(b.biz_location or "")
            if ra is None or rb is None or ra[:2] == rb[:2] or b.time_us - a.time_us <= span:
                continue
            distance = capital_distance_km(ra, rb)
            if distance is None or distance <= MARGIN_KM:
                continue
            hours = (b.time_us - a.time_us) / HOUR_US
            if (distance - MARGIN_KM) / hours > options.travel_kmh:
                yield finding(
                    FindingKind.IMPOSSIBLE_TRAVEL,
                    [a.event_id, b.event_id],
                    [node],
                    a.time_us,
                    f"{node} 于 {timestamp(a.time_us)} 在 {ra},{hours:.1f} 小时后出现在约 "
                    f"{distance:.0f} 公里外的 {rb}",
                    f"{node} was in {ra} at {timestamp(a.time_us)} and {hours:.1f} h later in {rb}, "
                    f"about {distance:.0f} km away",
                )
