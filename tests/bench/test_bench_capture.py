"""bench capture at a tiny size: the figures, and the honesty of the raw half (the same rows).

Never a time limit: benchmarks are not tests; only the shape and the rows are checked.
"""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from zhuisu.bench import capture as capture_bench
from zhuisu.bench.databases import scratch_database
from zhuisu.bench.workload import capture_documents
from zhuisu.store.schema import metadata

KEYS = {"db", "events", "events_per_s", "raw_events_per_s", "ratio"}


def _db(engine: Engine, db_url: str) -> str | None:
    return None if engine.dialect.name == "sqlite" else db_url


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for table in metadata.sorted_tables
            if table.name != "capture_jobs"
        }


def test_the_runner_reports_every_figure(engine: Engine, db_url: str) -> None:
    figures = capture_bench.run(events=2_000, db=_db(engine, db_url)).as_dict()
    assert set(figures) >= KEYS
    assert figures["db"] == engine.dialect.name
    assert figures["events"] == 2_000
    assert figures["events_per_s"] > 0 and figures["raw_events_per_s"] > 0
    assert abs(figures["ratio"] - figures["events_per_s"] / figures["raw_events_per_s"]) < 0.01


def test_raw_inserts_every_row_capture_wrote(engine: Engine, db_url: str) -> None:
    """Raw = the same rows in every table capture writes: events, identifiers, links, parties."""
    db = _db(engine, db_url)
    documents = list(capture_documents(2_000, 1_000))
    with scratch_database(db) as ours:
        capture_bench._ours(ours, documents)
        groups = capture_bench.stored_rows(ours, 1_000)
        written = _counts(ours)
    with scratch_database(db) as raw:
        capture_bench.raw_seconds(raw, groups)
        rewritten = _counts(raw)
    assert len(groups) == 2
    assert written["events"] == 2_000
    # the workload states links and names identifiers: those tables are not empty, and raw has them
    assert written["chain_links"] > 2_000 and written["event_ids"] > 2_000
    assert rewritten == written
