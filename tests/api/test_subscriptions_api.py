"""The subscription resource over HTTP (REST bindings /queries/{queryName}/subscriptions)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.api.conftest import admin_key
from tests.factories import document_bytes, make_event
from tests.query.receiver import receiver
from zhuisu.api.app import create_app
from zhuisu.query import delivery
from zhuisu.settings import Settings
from zhuisu.store.engine import write_transaction


@pytest.fixture
def api(db_url: str, engine: Engine) -> Iterator[TestClient]:
    # the background loop is off: the test calls the runner itself, so delivery is deterministic
    settings = Settings(database_url=db_url, subscription_delivery_enabled=False)
    with TestClient(create_app(settings)) as test_client:
        test_client.headers["Authorization"] = f"Bearer {admin_key(engine)}"
        yield test_client


def test_subscribe_list_get_deliver_log_delete(api: TestClient, engine: Engine) -> None:
    body = {"name": "shipped", "query": {"EQ_bizStep": ["shipping"]}}
    assert api.post("/queries", json=body).status_code == 201
    with receiver() as hook:
        created = api.post(
            "/queries/shipped/subscriptions",
            json={"dest": hook.url, "signatureToken": "t", "stream": True},
            headers={"GS1-EPC-Format": "Always_EPC_URN"},
        )
        assert created.status_code == 201, created.text
        sub = created.json()
        assert "signatureToken" not in sub and sub["stream"] is True and sub["epcFormat"] == "Always_EPC_URN"
        assert created.headers["Location"] == f"/queries/shipped/subscriptions/{sub['subscriptionID']}"
        path = created.headers["Location"]
        assert api.get(path).json()["subscriptionID"] == sub["subscriptionID"]
        assert [s["subscriptionID"] for s in api.get("/queries/shipped/subscriptions").json()] == [
            sub["subscriptionID"]
        ]
        captured = api.post("/events", content=document_bytes([make_event(event_id="urn:zhuisu:test:a1")]))
        assert captured.status_code in (201, 202), captured.text
        with httpx.Client(trust_env=False) as client, write_transaction(engine) as conn:
            delivery.deliver_due(conn, client, datetime.now(UTC))
        assert hook.event_ids() == ["urn:zhuisu:test:a1"]
    log = api.get(f"{path}/deliveries").json()
    assert [(d["attempt"], d["statusCode"], d["eventCount"], d["delivered"]) for d in log] == [
        (1, 200, 1, True)
    ]
    assert api.options(path).headers["Allow"] == "GET, DELETE, OPTIONS"
    assert api.delete(path).status_code == 204
    assert api.get(path).status_code == 404
    assert api.delete(path).status_code == 404


@pytest.mark.parametrize(
    ("body", "exception"),
    [
        ({"dest": "not a url", "stream": True}, "InvalidURIException"),
        ({"dest": "http://127.0.0.1:9/h"}, "SubscriptionControlsException"),
        ({"dest": "http://127.0.0.1:9/h", "schedule": {"hour": "99"}}, "SubscriptionControlsException"),
        (
            {"dest": "http://127.0.0.1:9/h", "stream": True, "initialRecordTime": "yesterday"},
            "QueryParameterException",
        ),
    ],
)
def test_bad_subscriptions_are_400(api: TestClient, body: dict[str, object], exception: str) -> None:
    api.post("/queries", json={"name": "q", "query": {}})
    response = api.post("/queries/q/subscriptions", json=body)
    assert response.status_code == 400
    assert exception in response.json()["type"]


def test_unknown_query_is_404(api: TestClient) -> None:
    assert (
        api.post("/queries/none/subscriptions", json={"dest": "http://x/y", "stream": True}).status_code
        == 404
    )
    assert api.get("/queries/none/subscriptions").status_code == 404
    assert api.get("/queries/none/subscriptions/abc/deliveries").status_code == 404
