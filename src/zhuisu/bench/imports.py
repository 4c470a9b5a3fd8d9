"""bench import: a CSV of wholesale-market entries (批发进场) imported through the record path.

The file is what a market's weighbridge system or a clerk's spreadsheet exports: one row per
entry, Chinese headers, UTF-8 with a BOM (as Excel writes "CSV UTF-8"). Every row is valid: a
20-digit meat & vegetable trace code under the market's operator code (SB/T 10680 layout), a time,
the wholesaler, the variety, the weight, the quarantine certificate and the origin. "ours" is
``capture.records.import_file`` — decode, map each row through its template step to an EPCIS event,
validate, hash, store, link — in one transaction, as ``zhuisu import`` runs it; "raw" re-inserts
the rows ours stored through the driver in the same run (``bench.capture``'s raw path), so the
ratio is the cost of everything between a file and its rows.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import func, select

from zhuisu.bench.capture import raw_seconds, stored_rows
from zhuisu.bench.databases import scratch_database
from zhuisu.capture.records import import_file
from zhuisu.store.engine import write_transaction
from zhuisu.store.tables import events

STEP = "pork.wholesale.entry"
MARKET_NODE = "310101001"  # a wholesale market in 上海市黄浦区 (node code: region + sequence)
MARKET_USCC = "91310000MA1FL0001R"
HEADER = ("追溯码", "时间", "主体代码", "节点编码", "批发商", "品种", "重量", "动物产品检疫合格证号", "产地")
VARIETIES = ("白条猪", "猪前腿", "猪后腿", "五花肉", "猪排骨", "猪里脊")
ORIGINS = ("320583", "340181", "370682", "410181", "430181", "510181")
WHOLESALERS = ("上海鑫源肉类批发商行", "上海恒丰冷鲜肉经营部", "上海农联肉品商行", "上海福润食品批发部")
_T0 = datetime(2026, 5, 1, 4, 0, tzinfo=UTC)
_CHINA = timezone(timedelta(hours=8))
_IMPORT_CHUNK = 5_000


@dataclass(frozen=True, slots=True)
class ImportFigures:
    db: str
    rows: int
    megabytes: float
    seconds: float
    raw_seconds: float

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    @property
    def raw_events_per_s(self) -> float:
        return self.rows / self.raw_seconds if self.raw_seconds else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "db": self.db,
            "rows": self.rows,
            "file_mb": round(self.megabytes, 1),
            "rows_per_s": round(self.rows_per_s),
            "raw_events_per_s": round(self.raw_events_per_s),
            "ratio": round(self.rows_per_s / self.raw_events_per_s, 3) if self.raw_events_per_s else None,
            "seconds": round(self.seconds, 2),
            "raw_seconds": round(self.raw_seconds, 2),
        }


def wholesale_csv(rows: int, *, start: int = 0, seed: int = 7) -> bytes:
    """``rows`` valid entries, serials from ``start``, as UTF-8 CSV with a BOM."""
    rng = random.Random(seed + start)
    operator = f"{MARKET_NODE}0001"
    lines = [",".join(HEADER)]
    for n in range(start, start + rows):
        when = _T0 + timedelta(seconds=20 * n)
        lines.append(
            ",".join(
                (
                    f"{operator}{n % 10_000_000:07d}",
                    when.astimezone(_CHINA).strftime("%Y-%m-%d %H:%M:%S"),
                    MARKET_USCC,
                    MARKET_NODE,
                    rng.choice(WHOLESALERS),
                    rng.choice(VARIETIES),
                    f"{rng.uniform(20, 1500):.1f}",
                    f"31{rng.randrange(10**8):08d}",
                    rng.choice(ORIGINS),
                )
            )
        )
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def run(*, rows: int = 100_000, db: str | None = None, file_rows: int = 100_000) -> ImportFigures:
    """Import ``rows`` entries as files of ``file_rows`` rows each (one transaction per file)."""
    files = [wholesale_csv(min(file_rows, rows - s), start=s) for s in range(0, rows, file_rows)]
    size = sum(len(f) for f in files) / 1e6
    with scratch_database(db) as engine:
        name = engine.dialect.name
        started = time.perf_counter()
        for number, data in enumerate(files):
            with write_transaction(engine) as conn:
                result = import_file(conn, data, filename=f"entries-{number}.csv", step=STEP)
            if result.rejected or any(p.is_error for p in result.problems):
                raise RuntimeError(f"benchmark file rejected: {result.problems[:3]}")
        seconds = time.perf_counter() - started
        with engine.connect() as conn:
            stored = int(conn.execute(select(func.count()).select_from(events)).scalar_one())
        if stored != rows:
            raise RuntimeError(f"{stored} events stored for {rows} rows")
        groups = stored_rows(engine, _IMPORT_CHUNK)
    with scratch_database(db) as engine:
        raw = raw_seconds(engine, groups)
    return ImportFigures(name, rows, size, seconds, raw)
