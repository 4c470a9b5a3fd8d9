"""The ``small`` demo city, built once per test session on SQLite and on PostgreSQL.

It gets a database of its own (not the shared ``migrated_engine``, whose tables other tests empty).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from tests.conftest import POSTGRES_URL, postgres_database
from zhuisu.demo.builder import BuildOptions, build
from zhuisu.demo.scale import scale_for
from zhuisu.store import migrate
from zhuisu.store.engine import make_engine

SEED = 2026


@dataclass(frozen=True, slots=True)
class Demo:
    engine: Engine
    manifest: dict[str, Any]
    event_ids: list[str]
    manifest_path: Path


def _backends() -> list[object]:
    marks = [] if POSTGRES_URL else [pytest.mark.skip(reason="ZHUISU_TEST_POSTGRES_URL not set")]
    return ["sqlite", pytest.param("postgresql", marks=[pytest.mark.postgres, *marks])]


@pytest.fixture(scope="session", params=_backends())
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The small city (seed 2026), built through the services into a fresh database."""
    folder = tmp_path_factory.mktemp("demo")
    options = BuildOptions(scale_for("small"), "small", SEED, folder / "zhuisu.demo.json")
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{folder / 'zhuisu.sqlite3'}")
        migrate.upgrade(engine)
        result = build(engine, options)
        yield Demo(engine, result.manifest, result.event_ids, folder / "zhuisu.demo.json")
        engine.dispose()
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    for engine in postgres_database(f"zhuisu_demo_{os.getpid()}_{worker}"):
        migrate.upgrade(engine)
        result = build(engine, options)
        yield Demo(engine, result.manifest, result.event_ids, folder / "zhuisu.demo.json")
