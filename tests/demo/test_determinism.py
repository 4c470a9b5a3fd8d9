"""One seed, one city: the same subjects, codes and event hashes; another seed, another city."""

from __future__ import annotations

from pathlib import Path

from zhuisu.demo.builder import BuildOptions, build
from zhuisu.demo.scale import scale_for
from zhuisu.store import migrate
from zhuisu.store.engine import make_engine, read_connection
from zhuisu.subjects.service import list_subjects


def _build(folder: Path, seed: int) -> tuple[list[str], list[str], dict[str, object]]:
    folder.mkdir()
    engine = make_engine(f"sqlite:///{folder / 'zhuisu.sqlite3'}")
    try:
        migrate.upgrade(engine)
        result = build(engine, BuildOptions(scale_for("small", days=3), "small", seed))
        with read_connection(engine) as conn:
            keys = [s["key"] for s in list_subjects(conn, limit=10_000)]
    finally:
        engine.dispose()
    return result.event_ids, keys, result.manifest


def test_the_same_seed_gives_the_same_event_hashes(tmp_path: Path) -> None:
    ids_a, keys_a, manifest_a = _build(tmp_path / "a", 7)
    ids_b, keys_b, manifest_b = _build(tmp_path / "b", 7)
    assert len(ids_a) > 500 and ids_a == ids_b
    assert keys_a == keys_b
    assert manifest_a["trace_examples"] == manifest_b["trace_examples"]
    assert manifest_a["faults"] == manifest_b["faults"]
    ids_c, keys_c, _ = _build(tmp_path / "c", 8)
    assert set(ids_c).isdisjoint(ids_a) and set(keys_c).isdisjoint(keys_a)
