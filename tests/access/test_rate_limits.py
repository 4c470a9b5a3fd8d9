"""Rate limits per key and per client address: 429 with Retry-After and a bilingual problem."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Iterator
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.api.conftest import admin_key
from zhuisu.access.principals import PUBLIC, Principal, Role
from zhuisu.access.ratelimit import RateLimiter, limiter_for
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


def test_the_api_and_the_pages_count_a_client_once(address_limited: TestClient) -> None:
    # one limiter per app (access.ratelimit.limiter_for), whichever door a request comes in by
    assert address_limited.get("/events").status_code == 401
    assert address_limited.get("/t/6901234000016").status_code == 404
    assert address_limited.get("/t/6901234000016").status_code == 429
    assert address_limited.get("/events").status_code == 429


def test_an_apps_limiter_is_made_once_from_its_settings() -> None:
    state = SimpleNamespace()
    settings = Settings(rate_limit_per_key="5/minute", rate_limit_per_address="7/minute")
    made = limiter_for(state, settings)
    assert limiter_for(state, settings) is made
    assert state.rate_limiter is made


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


def _redis_url() -> str:
    """The Redis the machine runs (ZHUISU_TEST_REDIS_URL, else 127.0.0.1:6379), or a skip."""
    url = os.environ.get("ZHUISU_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    parsed = urlsplit(url)
    try:
        socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1).close()
    except OSError as exc:
        pytest.skip(f"no Redis at {url} ({exc}): the shared rate-limit store is not tested here")
    return url


def test_workers_share_one_count_through_a_shared_store() -> None:
    # two limiters stand for two API worker processes pointed at one Redis
    url = _redis_url()
    prefix = f"zhuisu-test-{uuid.uuid4().hex}"
    first, second = (RateLimiter("2/minute", "100/minute", url, key_prefix=prefix) for _ in range(2))
    key = Principal(Role.ENTERPRISE, "key:shared")
    first.hit(key, "10.0.0.1")
    second.hit(key, "10.0.0.2")
    with pytest.raises(RateLimited) as caught:
        first.hit(key, "10.0.0.3")  # the third request of the key, whichever worker took the first two
    assert 1 <= caught.value.retry_after <= 60
    # memory:// counts in the process: the same three hits on two in-memory limiters all pass
    alone = [RateLimiter("2/minute", "100/minute") for _ in range(2)]
    for limiter in (*alone, alone[0]):
        limiter.hit(key, "10.0.0.1")


def test_an_unreachable_store_lets_requests_through_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    limiter = RateLimiter("1/minute", "1/minute", f"redis://127.0.0.1:{port}/0")
    with caplog.at_level(logging.WARNING, logger="zhuisu.access.ratelimit"):
        for _ in range(3):
            limiter.hit(PUBLIC, "10.0.0.1")  # over the limit, but nothing can count it: let through
    assert "unreachable" in caplog.text


def test_an_unknown_store_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError) as caught:
        RateLimiter("1/minute", "1/minute", "carrier-pigeon://loft")
    assert "carrier-pigeon" in caught.value.message_en
