"""zhuisu.runtime: the server's garbage collector, tuned at startup."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from zhuisu.api.app import create_app
from zhuisu.runtime import tune_gc
from zhuisu.settings import Settings
from zhuisu.store import migrate
from zhuisu.store.engine import make_engine


@pytest.fixture
def restored_gc() -> Iterator[None]:
    before = gc.get_threshold()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_tuning_freezes_startup_objects_and_spaces_collections(restored_gc: None) -> None:
    tune_gc(Settings(gc_young_threshold=40_000))
    assert gc.get_threshold()[0] == 40_000
    assert gc.get_freeze_count() > 0


def test_zero_leaves_the_interpreter_alone(restored_gc: None) -> None:
    before = gc.get_threshold()
    tune_gc(Settings(gc_young_threshold=0))
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_the_server_tunes_at_startup(restored_gc: None, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'rt.sqlite3'}"
    migrate.upgrade(make_engine(url))
    settings = Settings(gc_young_threshold=30_000, database_url=url)
    with TestClient(create_app(settings)) as client:
        assert gc.get_threshold()[0] == 30_000
        assert client.get("/").status_code < 500
