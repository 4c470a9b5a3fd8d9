"""bench all: every benchmark at one scale, one table of figures beside their raw limits.

Each runner measures its own raw limit in the same run (the same rows or the same SQL through the
driver); this module only runs them in turn and lines their figures up with the targets the issues
set, so a run can be compared with the last one (``--json``) and with the machine's own limits.
No issue sets a target for the consumer lookup ("public"): its page p99 ≤ 50 ms is the project's
own (docs/performance.md, "Public lookup"), and its size is the days the small demo city runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from zhuisu.bench import capture, imports, public, query, trace


class Scale(StrEnum):
    """How big a run is: ``quick`` checks the machinery, ``standard`` is the everyday figure,
    ``full`` is the sizes the acceptance criteria name (1M events, 5M links, 1M rows)."""

    QUICK = "quick"
    STANDARD = "standard"
    FULL = "full"


#: per runner: events, links or rows; for "public", days of the small demo city
SIZES: dict[Scale, dict[str, int]] = {
    Scale.QUICK: {"capture": 10_000, "query": 20_000, "trace": 20_000, "import": 10_000, "public": 3},
    Scale.STANDARD: {
        "capture": 100_000,
        "query": 300_000,
        "trace": 200_000,
        "import": 100_000,
        "public": 14,
    },
    Scale.FULL: {
        "capture": 1_000_000,
        "query": 1_000_000,
        "trace": 5_000_000,
        "import": 1_000_000,
        "public": 90,
    },
}


@dataclass(frozen=True, slots=True)
class Figure:
    """One measured figure beside its raw limit; ``higher`` says which way is better."""

    bench: str
    name: str
    unit: str
    ours: float
    raw: float
    higher: bool
    target: str

    @property
    def ratio(self) -> float | None:
        """ours / raw for rates, raw / ours for times: 1.0 is the machine's limit, lower is worse."""
        if not self.ours or not self.raw:
            return None
        return self.ours / self.raw if self.higher else self.raw / self.ours

    def as_dict(self) -> dict[str, Any]:
        ratio = self.ratio
        return {**asdict(self), "ratio": None if ratio is None else round(ratio, 3)}


def _capture(db: str | None, size: int, workers: int) -> Iterator[Figure]:
    f = capture.run(events=size, db=db, workers=workers).as_dict()
    yield Figure(
        "capture",
        f"{size:,} events",
        "events/s",
        f["events_per_s"],
        f["raw_events_per_s"],
        True,
        "≥ 20,000 and ≥ 0.7 of raw",
    )


def _query(db: str | None, size: int) -> Iterator[Figure]:
    f = query.run(events=size, db=db).as_dict()
    for name, figures in f.items():
        if isinstance(figures, dict):
            yield Figure("query", f"{name} p99", "ms", figures["p99_ms"], figures["raw_p99_ms"], False, "< 5")
    yield Figure(
        "query",
        "paged export",
        "events/s",
        f["export_events_per_s"],
        f["raw_export_events_per_s"],
        True,
        "≥ 20,000",
    )


def _trace(db: str | None, size: int) -> Iterator[Figure]:
    f = trace.run(links=size, db=db).as_dict()
    yield Figure("trace", "back p99", "ms", f["back_p99_ms"], f["raw_back_p99_ms"], False, "≤ 2 (SQLite)")
    yield Figure(
        "trace", "forward p99", "ms", f["forward_p99_ms"], f["raw_forward_p99_ms"], False, "≤ 10 (SQLite)"
    )
    yield Figure(
        "trace",
        f"recall {f['recall_batches']:,} batches",
        "s",
        f["recall_1000_s"],
        f["raw_recall_1000_s"],
        False,
        "≤ 1 (SQLite)",
    )


def _import(db: str | None, size: int) -> Iterator[Figure]:
    f = imports.run(rows=size, db=db)
    yield Figure("import", f"{size:,} CSV rows", "rows/s", f.rows_per_s, f.raw_events_per_s, True, "—")


def _public(db: str | None, days: int, city: Callable[[int], public.CityBuilder] | None) -> Iterator[Figure]:
    if city is None:
        raise ValueError("bench public needs the city it looks codes up in (run_all's city)")
    f = public.run(build_city=city(days), db=db).as_dict()
    yield Figure("public", "lookup p99", "ms", f["lookup_p99_ms"], f["raw_p99_ms"], False, "—")
    yield Figure(
        "public", "page p99", "ms", f["page_p99_ms"], f["raw_p99_ms"], False, "≤ 50 (ours: no issue sets one)"
    )


def run_all(
    *,
    db: str | None,
    scale: Scale,
    workers: int = 0,
    only: frozenset[str] | None = None,
    progress: Callable[[str], None] | None = None,
    city: Callable[[int], public.CityBuilder] | None = None,
) -> list[Figure]:
    """Every benchmark (or those named in ``only``) at ``scale``, in turn; ``city`` gives the
    builder of the public benchmark's city for a number of days (the CLI's demo city)."""
    sizes = SIZES[scale]
    runners: dict[str, Callable[[], Iterator[Figure]]] = {
        "capture": lambda: _capture(db, sizes["capture"], workers),
        "query": lambda: _query(db, sizes["query"]),
        "trace": lambda: _trace(db, sizes["trace"]),
        "import": lambda: _import(db, sizes["import"]),
        "public": lambda: _public(db, sizes["public"], city),
    }
    out: list[Figure] = []
    for name, runner in runners.items():
        if only is not None and name not in only:
            continue
        if progress is not None:
            progress(name)
        out.extend(runner())
    return out
