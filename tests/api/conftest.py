from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from zhuisu.api.app import create_app
from zhuisu.settings import Settings


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(database_url=db_url, capture_limit=50, capture_file_size_limit=200_000)


@pytest.fixture
def client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client
