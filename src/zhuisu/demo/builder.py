"""Building the demo city: file the subjects, simulate the days, inject the faults, run the checks.

``build(engine, options, progress=…)`` is deterministic: a seed gives the same subjects, codes,
events and event hashes (only the wall-clock columns — recordTime, audit times of code use — differ).
Every write goes through the platform's services (filing, code issuance, records, capture), one
transaction per simulated day, so a build that stops half-way leaves whole days behind and the
progress bar moves; like the capture job runner, the builder owns its transactions.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, make_url

from zhuisu.chain.checks import CheckOptions, run_checks
from zhuisu.demo import equipment, faults, food, goods, materials
from zhuisu.demo.city import City, file_city
from zhuisu.demo.codes import CodeBook
from zhuisu.demo.logins import create_logins
from zhuisu.demo.names import Namer
from zhuisu.demo.reporter import CST, Reporter
from zhuisu.demo.scale import Scale
from zhuisu.demo.world import Day, Ledger
from zhuisu.errors import Conflict
from zhuisu.store.engine import read_connection, write_transaction
from zhuisu.subjects.service import list_subjects

#: the simulated period ends here (fixed, so a seed always gives the same events)
END = datetime(2026, 11, 1, tzinfo=CST)
DAY_US = 86_400_000_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # microseconds since the Unix epoch, as capture stores them

Progress = Callable[[str, int, int], None]
FLOWS = (
    food.pork,
    food.vegetables,
    goods.dairy,
    goods.imports,
    goods.agri_inputs,
    goods.drugs,
    equipment.cylinders,
    equipment.elevators,
    materials.hazchem,
    materials.rare_earth,
)


@dataclass(frozen=True, slots=True)
class BuildOptions:
    scale: Scale
    scale_name: str = "small"
    seed: int = 2026
    manifest_path: Path | None = None


@dataclass(slots=True)
class BuildResult:
    manifest: dict[str, Any]
    event_ids: list[str] = field(default_factory=list)
    city: City | None = None


def _us(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _replay_late(out: Reporter, ledger: Ledger) -> None:
    """Yesterday's records of the operators who report a day late go in with today's."""
    for values in ledger.late_records:
        step = str(values.pop("step"))
        out.record(step, **values)
    ledger.late_records = []


def build(engine: Engine, options: BuildOptions, *, progress: Progress | None = None) -> BuildResult:
    """Build the city into a migrated, empty database; returns the manifest (also written to
    ``options.manifest_path`` when given)."""
    scale = options.scale
    report = progress or (lambda _stage, _done, _total: None)
    rng = random.Random(options.seed)
    namer = Namer.seeded(rng)
    start = END - timedelta(days=scale.days)
    total = scale.days + 3
    report("备案 filing", 0, total)
    with write_transaction(engine) as conn:
        city = file_city(conn, namer, scale, start)
    report("备案 filing", 1, total)
    codes = CodeBook()
    out = Reporter()
    ledger = Ledger()
    # a stall that reports a day late, and one that stops reporting half-way (for the assessment)
    if city.stalls:
        ledger.late.add(city.stalls[0].operator_code)
    if len(city.stalls) > 2:
        ledger.stopped[city.stalls[1].operator_code] = scale.days // 2
    plan = faults.plan(namer, city, scale)
    with write_transaction(engine) as conn:
        setup = Day(conn, rng, city, codes, out, ledger, scale, -1, start - timedelta(days=1))
        equipment.register(setup, plan)
        out.flush(conn, setup.midnight)
    for index in range(scale.days):
        midnight = start + timedelta(days=index)
        with write_transaction(engine) as conn:
            day = Day(conn, rng, city, codes, out, ledger, scale, index, midnight)
            _replay_late(out, ledger)
            for flow in FLOWS:
                flow(day)
            out.flush(conn, midnight)
            faults.inject(day, plan)
        report("模拟 simulating", index + 2, total)
    with write_transaction(engine) as conn:
        _replay_late(out, ledger)
        out.flush(conn, END)
        plan.recall = faults.recall(conn, plan)
        logins = create_logins(conn, options.seed, city)
        run = run_checks(
            conn,
            since_us=_us(start - timedelta(days=2)),
            until_us=_us(END + timedelta(days=1)),
            now_us=_us(END + timedelta(days=4)),
            options=CheckOptions(),
        )
    report("检查 checking", total, total)
    manifest = {
        "seed": options.seed,
        "scale": options.scale_name,
        "counts": scale.to_json(),
        "period": {"start": start.isoformat(), "end": END.isoformat()},
        "subjects": city.counts(),
        "events": len(out.event_ids),
        "records_by_step": dict(sorted(out.by_step.items())),
        "trace_examples": ledger.trace_examples,
        "faults": plan.to_json(),
        "recall": plan.recall,
        "exports": {
            "codes": ledger.exports,
            "why": "出口货物离开本平台,境外收货方不在平台上 / exports leave the platform; the foreign "
            "buyer records no receipt here (the smelter's domestic sale of the same lot is received)",
        },
        "behaviours": {
            "late_reporters": sorted(ledger.late),
            "stopped_reporting": {k: v for k, v in sorted(ledger.stopped.items())},
            "note": "迟报的记录与次日记录一同上报;recordTime 为构建时的时钟 / late records are submitted "
            "with the next day's; recordTime is the build's own clock",
        },
        "findings": [
            {"kind": str(f.kind), "event_ids": list(f.event_ids), "identifiers": list(f.identifiers)}
            for f in run.findings
        ],
        "logins": logins,
    }
    if options.manifest_path is not None:
        options.manifest_path.parent.mkdir(parents=True, exist_ok=True)
        options.manifest_path.write_bytes(orjson.dumps(manifest, option=orjson.OPT_INDENT_2))
    return BuildResult(manifest, sorted(out.event_ids), city)


# --------------------------------------------------------------------------- the manifest and re-runs


def manifest_path(database_url: str, data_dir: Path) -> Path:
    """Where the manifest lives: next to an SQLite file (``zhuisu.sqlite3`` → ``zhuisu.demo.json``),
    else in the data directory, named after the database."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        db = Path(str(url.database))
        return db.with_name(db.stem + ".demo.json")
    return data_dir / f"{url.database or 'zhuisu'}.demo.json"


def remove_sqlite(database_url: str) -> None:
    """``--force`` on SQLite: delete the database file (and its WAL) so the city is built afresh."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        raise Conflict(
            "--force 只能重建 SQLite 数据库;其他数据库请先删除后重新创建",
            "--force rebuilds SQLite databases only; drop and create other databases yourself",
        )
    db = Path(str(url.database))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def ensure(
    engine: Engine, options: BuildOptions, *, progress: Progress | None = None
) -> tuple[dict[str, Any], bool]:
    """Build the demo unless the database has it already; (manifest, built now?)."""
    path = options.manifest_path
    with read_connection(engine) as conn:
        filled = bool(list_subjects(conn, limit=1))
    if filled:
        if path is not None and path.exists():
            return orjson.loads(path.read_bytes()), False
        raise Conflict(
            "数据库中已有数据且不是演示城市;请换一个 --db,或对 SQLite 用 --force 重建",
            "the database holds data that is not the demo city; use another --db (or --force on SQLite)",
        )
    return build(engine, options, progress=progress).manifest, True
