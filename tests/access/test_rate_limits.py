"""Rate limits per key and per client address: 429 with Retry-After and a bilingual problem."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.api.conftest import admin_key
from zhuisu.access.principals import PUBLIC, Principal, Role
from zhuisu.access.ratelimit import RateLimiter
from zhuisu.api.app import create_app
from zhuisu.errors import ConfigurationError, RateLimited
from zhuisu.settings import Settings


def _app(db_url: str, per_key: str, per_address: str) -> Iterator[TestClient]:
    settings = Settings(database_url=db_url, rate_limit_per_key=per_key, rate_limit_per_address=per_address)
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture
def key_limited(db_url: str, engine: Engine) -> Iterator[TestClient]:
    yield from _app(db_url, "3/minute", "1000/minute")


@pytest.fixture
def address_limited(db_url: str, engine: Engine) -> Iterator[TestClient]:
    yield from _app(db_url, "1000/minute", "2/minute")


def test_a_key_over_its_rate_gets_429_with_retry_after(key_limited: TestClient, engine: Engine) -> None:
    first, second = admin_key(engine), admin_key(engine)
    for _ in range(3):
        assert key_limited.get("/events", headers={"Authorization": f"Bearer {first}"}).status_code == 200
    refused = key_limited.get("/events", headers={"Authorization": f"Bearer {first}"})
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    body = refused.json()
    assert (
        body["code"] == "auth.rate_limited" and "key" in body["message_en"] and "密钥" in body["message_zh"]
    )
    # another key from the same address still gets through
    assert key_limited.get("/events", headers={"Authorization": f"Bearer {second}"}).status_code == 200


def test_an_address_over_its_rate_gets_429(address_limited: TestClient, engine: Engine) -> None:
    key = admin_key(engine)
    auth = {"Authorization": f"Bearer {key}"}
    assert [address_limited.get("/events", headers=auth).status_code for _ in range(3)] == [200, 200, 429]
    # public callers count against their address too (the 401 comes after the count)
    refused = address_limited.get("/events")
    assert refused.status_code == 429 and "address" in refused.json()["message_en"]


def test_limiter_counts_principals_apart_and_refuses_bad_settings() -> None:
    limiter = RateLimiter("1/hour", "10/hour")
    one, two = Principal(Role.ADMIN, "key:1"), Principal(Role.ADMIN, "key:2")
    limiter.hit(one, "10.0.0.1")
    limiter.hit(two, "10.0.0.1")
    limiter.hit(PUBLIC, "10.0.0.1")
    with pytest.raises(RateLimited) as caught:
        limiter.hit(one, "10.0.0.2")
    assert caught.value.retry_after > 3000
    with pytest.raises(ConfigurationError):
        RateLimiter("lots", "1/second")
