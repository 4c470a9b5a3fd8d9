"""Trace under access control: what the reader may not see is an opaque hop, not a gap (issue 3)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.access.world import SUBJECTS, A, B, dest, event, file_subjects, headers, location, make_keys
from tests.api.conftest import UNLIMITED
from tests.factories import document_bytes, sgtin
from zhuisu.api.app import create_app
from zhuisu.domain.parties import subject_uri
from zhuisu.settings import Settings

CODE = quote(sgtin(50), safe="")


@pytest.fixture
def api(db_url: str, engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=db_url, **UNLIMITED))) as client:
        yield client


@pytest.fixture
def keys(api: TestClient, engine: Engine) -> dict[str, str]:
    file_subjects(engine)
    made = make_keys(engine)
    shipped = event("urn:t:ship", 50, at=location(A), **dest(subject_uri(B)))
    received = event("urn:t:recv", 50, at=location(B))
    received["bizStep"], received["eventTime"] = "receiving", "2026-05-02T08:30:00.000+08:00"
    for who, doc in (("entA", shipped), ("entB", received)):
        response = api.post("/events", content=document_bytes([doc]), headers=headers(made[who]))
        assert response.status_code == 201, response.text
    return made


def _trace(api: TestClient, key: str | None) -> dict[str, object]:
    response = api.get(f"/trace/{CODE}", headers=headers(key))
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_admin_sees_every_step(api: TestClient, keys: dict[str, str]) -> None:
    assert _trace(api, keys["admin"])["events"] == ["urn:t:ship", "urn:t:recv"]


def test_invisible_steps_are_opaque_hops(api: TestClient, keys: dict[str, str]) -> None:
    for who in ("entA", "reg31"):
        found = _trace(api, keys[who])
        assert found["events"] == ["urn:t:ship"], who
        steps = found["steps"]
        assert isinstance(steps, list) and len(steps) == 2
        hop = steps[1]
        assert hop["opaque"] is True and hop["eventID"] is None and hop["bizStep"] == "receiving"
        assert hop["holder"] == {"subjectType": "wholesaler", "region": SUBJECTS[B][0]}
        assert "320102" in hop["description_en"]
        text = str(found)
        assert "urn:t:recv" not in text and SUBJECTS[B][2] not in text, who
    # B sees A's shipment too: it names B as the destination
    assert _trace(api, keys["entB"])["events"] == ["urn:t:ship", "urn:t:recv"]


def test_the_public_may_not_trace_raw_events(api: TestClient, keys: dict[str, str]) -> None:
    assert api.get(f"/trace/{CODE}").status_code == 401
