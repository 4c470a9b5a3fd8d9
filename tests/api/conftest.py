from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from zhuisu.access import keys
from zhuisu.access.principals import Role
from zhuisu.api.app import create_app
from zhuisu.settings import Settings

#: generous limits: only the rate-limit tests meet them
UNLIMITED = {"rate_limit_per_key": "1000000/minute", "rate_limit_per_address": "1000000/minute"}


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(database_url=db_url, capture_limit=50, capture_file_size_limit=200_000, **UNLIMITED)


def admin_key(engine: Engine) -> str:
    """A fresh admin API key (the tables are emptied after each test)."""
    with engine.begin() as conn:
        return keys.create_key(conn, role=Role.ADMIN, name="tests").key


@pytest.fixture
def client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    """The API, sending an admin key by default (access control is tested in tests/access)."""
    with TestClient(create_app(settings)) as test_client:
        test_client.headers["Authorization"] = f"Bearer {admin_key(engine)}"
        yield test_client
