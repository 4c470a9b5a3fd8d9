"""The SQLite engine: WAL settings and the background checkpoint that keeps commits cheap."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import text

from zhuisu.store.engine import WAL_AUTOCHECKPOINT_PAGES, checkpoint_if_large, make_engine


def _wal_frames_left(path: Path) -> int:
    # wal_checkpoint(PASSIVE) answers (busy, frames in the WAL, frames checkpointed)
    with sqlite3.connect(path) as conn:
        _busy, log, done = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return int(log) - int(done)


def test_sqlite_runs_in_wal_with_a_raised_autocheckpoint(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'z.sqlite3'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA wal_autocheckpoint")).scalar() == WAL_AUTOCHECKPOINT_PAGES
    engine.dispose()


def test_checkpoint_if_large_copies_the_wal_back_only_past_the_threshold(tmp_path: Path) -> None:
    path = tmp_path / "z.sqlite3"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
    writer.execute("CREATE TABLE t (x TEXT)")
    writer.executemany("INSERT INTO t VALUES (?)", [("x" * 500,) for _ in range(2000)])
    wal_size = Path(f"{path}-wal").stat().st_size
    assert wal_size > 0

    conn = checkpoint_if_large(path, None, threshold=wal_size + 1)
    assert conn is None  # below the threshold: nothing opened, nothing done

    conn = checkpoint_if_large(path, None, threshold=wal_size)
    assert conn is not None
    assert _wal_frames_left(path) == 0
    assert conn.execute("SELECT count(*) FROM t").fetchone() == (2000,)
    conn.close()
    writer.close()


def test_checkpoint_never_creates_a_removed_database(tmp_path: Path) -> None:
    path = tmp_path / "gone.sqlite3"
    Path(f"{path}-wal").write_bytes(b"x" * 10)
    assert checkpoint_if_large(path, None, threshold=1) is None
    assert not path.exists()
