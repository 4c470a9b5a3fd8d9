"""One simulated day: the clock, the random draws, seasonal volumes and prices, and where the
day's records go. Flows (``food``, ``goods``, ``equipment``, ``materials``) read and write it.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection

from zhuisu.demo.city import City, Place
from zhuisu.demo.codes import CodeBook
from zhuisu.demo.reporter import Reporter
from zhuisu.demo.scale import Scale
from zhuisu.subjects.schemas import CodeScheme


@dataclass(slots=True)
class Ledger:
    """What the flows remember across days, and what the faults and the manifest need to know."""

    farm_codes: dict[str, str] = field(default_factory=dict)  # farm code → farm key
    trace_examples: dict[str, str] = field(default_factory=dict)  # flow → a real code to trace
    stopped: dict[str, int] = field(default_factory=dict)  # stall operator code → day it went quiet
    late: set[str] = field(default_factory=set)  # operator codes that report a day late
    late_records: list[dict[str, object]] = field(default_factory=list)
    cylinders: dict[str, tuple[str, datetime]] = field(default_factory=dict)  # code → station, due
    elevators: dict[str, tuple[str, str, int]] = field(default_factory=dict)  # code → maintainer, unit, phase
    overdue_cylinder: str | None = None  # the cylinder filled past its inspection date (a fault)
    skip_elevator: str | None = None  # the elevator whose maintenance stops (a fault)
    exports: list[str] = field(default_factory=list)  # codes exported: they leave the platform


@dataclass(slots=True)
class Day:
    conn: Connection
    rng: random.Random
    city: City
    codes: CodeBook
    out: Reporter
    ledger: Ledger
    scale: Scale
    index: int  # 0 = the first simulated day
    midnight: datetime  # 00:00 China Standard Time of the day

    def at(self, hours: float) -> datetime:
        return self.midnight + timedelta(hours=hours)

    def jitter(self, hours: float, spread: float = 0.5) -> datetime:
        return self.at(hours + self.rng.uniform(0, spread))

    @property
    def season(self) -> float:
        """Volume factor over the year: highest around the Spring Festival (late January)."""
        doy = self.midnight.timetuple().tm_yday
        return 1.0 + 0.25 * math.cos(2 * math.pi * (doy - 25) / 365)

    @property
    def weekday(self) -> float:
        """Households buy more fresh food at weekends."""
        return 1.25 if self.midnight.weekday() >= 5 else 1.0

    def volume(self, base: float) -> int:
        """A count drawn around ``base`` × season × weekday (at least 1)."""
        mean = base * self.season * self.weekday
        return max(1, round(self.rng.gauss(mean, mean * 0.15)))

    def price(self, base: float) -> float:
        """A unit price (元/kg) following the season (dearer around the Spring Festival), ±5 %."""
        return round(base * (0.85 + 0.15 * self.season) * self.rng.uniform(0.95, 1.05), 2)

    def code(self, place: Place, product: str, category: str, *, platform: bool = False) -> str:
        """A trace code issued to the place: 20-digit meat & vegetable code under its operator
        code, or (``platform``) a 22-character platform code."""
        return self.codes.take(
            self.conn,
            self.midnight,
            subject=place.key,
            operator=place.operator_code,
            product=product,
            category=category,
            scheme=CodeScheme.PLATFORM if platform else CodeScheme.MEAT_VEG,
        )

    def pick(self, role: str) -> Place:
        return self.rng.choice(self.city.of(role))

    def serial(self, prefix: str) -> str:
        return f"{prefix}{self.midnight:%y%m%d}{self.rng.randint(0, 99_999):05d}"
