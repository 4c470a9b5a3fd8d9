"""Fixtures of the web-page tests: an app on the test database, accounts, a filed subject, codes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from zhuisu.access.accounts import create_account
from zhuisu.access.principals import Role
from zhuisu.api.app import create_app
from zhuisu.capture import records
from zhuisu.domain.templates import STEPS
from zhuisu.settings import Settings
from zhuisu.store.engine import write_transaction
from zhuisu.subjects import issuance, service
from zhuisu.subjects.schemas import CodeRequestInput, FilingInput, parse

USCC = "91350100M000100Y43"  # the enterprise the test user acts for
BUYER = "91110000600037341L"
PASSWORD = "pork-and-greens-2026"
NAME = "福州示范肉联厂"


def web_settings(db_url: str) -> Settings:
    return Settings(
        database_url=db_url,
        codes_auto_approve=True,
        subscription_delivery_enabled=False,
        session_secret="web-test-secret",
        base_url="http://127.0.0.1:8000",
    )


@pytest.fixture
def client(db_url: str, engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(web_settings(db_url))) as test_client:
        yield test_client


def make_account(engine: Engine, username: str = "farmer", **grant: Any) -> None:
    grant = grant or {"role": Role.ENTERPRISE, "subject_keys": (USCC,)}
    with write_transaction(engine) as conn:
        create_account(conn, username=username, password=PASSWORD, **grant)


def log_in(client: TestClient, username: str = "farmer") -> None:
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 303, response.text


@pytest.fixture
def member(client: TestClient, engine: Engine) -> TestClient:
    """The client, logged in as an enterprise user bound to USCC."""
    make_account(engine)
    log_in(client)
    return client


def file_subject(engine: Engine, uscc: str = USCC, name: str = NAME, *, approve: bool = True) -> None:
    filing = parse(
        FilingInput,
        {
            "uscc": uscc,
            "name": name,
            "subject_type": "enterprise",
            "region": "350100",
            "node_types": ["slaughterhouse"],
        },
    )
    with write_transaction(engine) as conn:
        service.file_subject(conn, filing)
        if approve:
            service.approve(conn, uscc)


def issue_codes(engine: Engine, count: int = 3, product: str = "冷鲜猪肉") -> dict[str, Any]:
    body = parse(
        CodeRequestInput,
        {"subject": USCC, "scheme": "zhuisu.platform", "count": count, "product_name": product},
    )
    with write_transaction(engine) as conn:
        return issuance.request_codes(conn, body, auto_approve=True)


def example(step_id: str, **over: Any) -> dict[str, Any]:
    """A valid record of a step: the template's example values, with overrides."""
    record: dict[str, Any] = {"step": step_id}
    record.update({sf.field.key: sf.field.example for sf in STEPS[step_id].fields})
    record.update(over)
    return record


def record(engine: Engine, *items: dict[str, Any]) -> list[str]:
    with write_transaction(engine) as conn:
        return records.submit(conn, list(items)).event_ids
