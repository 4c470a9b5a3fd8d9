"""Capture needs a key, and an enterprise or system key captures only its own subjects' events:
401 without a key, 403 naming the event and the field otherwise (issue 3)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from tests.access.world import SUBJECTS, A, B, dest, event, file_subjects, headers, location, make_keys
from tests.api.conftest import UNLIMITED
from tests.factories import document_bytes
from zhuisu.api.app import create_app
from zhuisu.domain.parties import subject_uri
from zhuisu.settings import Settings
from zhuisu.store.tables import events


@pytest.fixture
def api(db_url: str, engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=db_url, **UNLIMITED))) as client:
        yield client


@pytest.fixture
def keys(api: TestClient, engine: Engine) -> dict[str, str]:
    file_subjects(engine)
    return make_keys(engine)


def _stored(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(events)).scalar_one())


def test_capture_without_a_key_is_401(api: TestClient, keys: dict[str, str], engine: Engine) -> None:
    body = document_bytes([event("urn:t:1", 1, at=location(A))])
    for path in ("/events", "/capture"):
        response = api.post(path, content=body)
        assert response.status_code == 401, path
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert "API" in response.json()["message_zh"]
    assert _stored(engine) == 0


def test_regulators_may_not_capture(api: TestClient, keys: dict[str, str], engine: Engine) -> None:
    response = api.post(
        "/events",
        content=document_bytes([event("urn:t:1", 1, at=location(A))]),
        headers=headers(keys["reg31"]),
    )
    assert response.status_code == 403
    assert "regulator" in response.json()["message_en"]
    assert _stored(engine) == 0


def test_another_subjects_location_is_403_naming_event_and_field(
    api: TestClient, keys: dict[str, str], engine: Engine
) -> None:
    docs = [
        event("urn:t:1", 1, at=location(A)),
        event("urn:t:2", 2, at=location(B)),  # B's warehouse: not A's to report
        event("urn:t:3", 3, at=None, **dest(subject_uri(B))),  # names only B
        event("urn:t:4", 4, at=location(A), **dest(subject_uri(B))),  # A ships to B: fine
    ]
    response = api.post("/capture", content=document_bytes(docs), headers=headers(keys["entA"]))
    assert response.status_code == 403, response.text
    body = response.json()
    assert "#1" in body["message_en"] and "bizLocation.id" in body["message_en"]
    errors = [(e["index"], e["path"].rsplit(".", 2)[-2:], e["code"]) for e in body["errors"]]
    assert [(i, code) for i, _, code in errors] == [(1, "auth.subject_field"), (2, "auth.subject_field")]
    assert body["errors"][0]["path"].endswith("bizLocation.id")
    assert body["errors"][1]["path"].endswith("destinationList[0].destination")
    assert B in body["errors"][0]["message_en"] and "event #1" in body["errors"][0]["message_en"]
    assert _stored(engine) == 0  # refused before anything was stored, nothing half-written
    assert api.get("/capture", headers=headers(keys["entA"])).json() == []


def test_own_events_are_captured_and_the_job_is_the_capturers(
    api: TestClient, keys: dict[str, str], engine: Engine
) -> None:
    docs = [event("urn:t:1", 1, at=location(A)), event("urn:t:2", 2, at=location(A), **dest(subject_uri(B)))]
    response = api.post("/capture", content=document_bytes(docs), headers=headers(keys["sysA"]))
    assert response.status_code == 202, response.text
    job = response.headers["Location"]
    assert api.get(job, headers=headers(keys["sysA"])).json()["success"] is True
    # a job is its capturer's (and the admin's) to see
    assert api.get(job, headers=headers(keys["entA"])).status_code == 404
    assert api.get(job, headers=headers(keys["admin"])).status_code == 200
    assert [j["captureID"] for j in api.get("/capture", headers=headers(keys["entA"])).json()] == []
    assert len(api.get("/capture", headers=headers(keys["sysA"])).json()) == 1
    assert _stored(engine) == 2


def test_unfiled_parties_are_the_gray_case(api: TestClient, keys: dict[str, str]) -> None:
    # a location nobody filed belongs to no subject: allowed, and visible to the capturer
    stray = "urn:epc:id:sgln:7777777.00001.0"
    assert stray not in {s for _, _, s in SUBJECTS.values()}
    doc = event("urn:t:stray", 9, at=stray)
    assert (
        api.post("/events", content=document_bytes([doc]), headers=headers(keys["entB"])).status_code == 201
    )
    assert api.get("/events/urn%3At%3Astray", headers=headers(keys["entB"])).status_code == 200
    assert api.get("/events/urn%3At%3Astray", headers=headers(keys["entA"])).status_code == 404
