"""schemathesis against the app's own OpenAPI, in-process (ASGI, no network): the read side of
the API (query, resources, events, trace, subjects, subscriptions) never answers 5xx, and what it
answers fits the schema it publishes. Examples are bounded so the run stays short."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy import Engine

from tests.api.conftest import UNLIMITED, admin_key
from tests.factories import make_event
from tests.query.conftest import store
from zhuisu.api.app import create_app
from zhuisu.query import named, subscriptions
from zhuisu.query.documents import EpcFormat
from zhuisu.settings import Settings
from zhuisu.store.engine import write_transaction

#: the read endpoints this test covers (others belong to capabilities with their own suites)
_PATHS = (
    r"^/($|events|eventTypes|epcs|bizSteps|bizLocations|readPoints|dispositions"
    r"|queries|masterdata|trace|subjects)"
)


@pytest.fixture
def api_schema(db_url: str, engine: Engine) -> Any:
    store(
        engine,
        [
            make_event(event_id="urn:zhuisu:test:f1"),
            make_event(event_id="urn:zhuisu:test:f2", biz_step="receiving", disposition="in_progress"),
        ],
    )
    with write_transaction(engine) as conn:
        named.create_query(conn, {"name": "q", "query": {"EQ_bizStep": ["shipping"]}})
        subscriptions.create_subscription(
            conn, "q", {"dest": "http://127.0.0.1:9/h", "stream": True}, epc_format=EpcFormat.URN, now_us=0
        )
    app = create_app(Settings(database_url=db_url, subscription_delivery_enabled=False, **UNLIMITED))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.fixture
def auth(engine: Engine) -> dict[str, str]:
    return {"Authorization": f"Bearer {admin_key(engine)}"}


def test_read_api_has_no_5xx_and_keeps_its_schema(api_schema: Any, auth: dict[str, str]) -> None:
    checks = [schemathesis.checks.not_a_server_error, response_schema_conformance]
    operations = [
        result.ok() for result in api_schema.include(method="GET", path_regex=_PATHS).get_all_operations()
    ]
    assert len(operations) >= 20
    seen: list[int] = []

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=8,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            response = case.call_and_validate(checks=checks, headers=auth)
            seen.append(response.status_code)

        run()
    # the run really exercised the API, and not only its error paths
    assert len(seen) >= 2 * len(operations)
    assert 200 in seen
