"""GET /trace/{identifier}: the pork chain over HTTP (SQLite and PostgreSQL)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.chain import scenarios as sc


def test_trace_back_returns_events_and_graph(client: TestClient, engine: Engine) -> None:
    sc.store(engine, sc.pork_chain())
    response = client.get(f"/trace/{sc.RETAIL_A1}", params={"direction": "back"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["identifier"] == sc.RETAIL_A1 and body["direction"] == "back"
    assert body["events"] == sc.ids(1, 2, 3, 4, 5, 7, 8)
    assert {"id": sc.TO_A, "kind": "trace_code", "role": "whole"} in body["nodes"]
    assert any(e["kind"] == "transformation" and e["eventID"] == "urn:uuid:e04" for e in body["edges"])
    assert body["steps"][0]["bizLocation"] == sc.FARM


def test_trace_accepts_an_encoded_digital_link_and_a_depth(client: TestClient, engine: Engine) -> None:
    sc.store(engine, sc.pork_chain())
    link = quote("https://id.gs1.org/01/26901234000010/10/S1", safe="")
    response = client.get(f"/trace/{link}", params={"direction": "forward", "depth": 1})
    assert response.status_code == 200, response.text
    assert {n["id"] for n in response.json()["nodes"] if n["kind"] == "trace_code"} == {sc.TO_A, sc.TO_B}


def test_trace_errors_are_problems(client: TestClient, engine: Engine) -> None:
    missing = client.get("/trace/urn:epc:id:sgtin:6901234.012345.77")
    assert missing.status_code == 404
    assert missing.json()["type"] and "标识符" in missing.text
    bad = client.get("/trace/urn:epc:id:sgtin:6901234.012345.77", params={"direction": "sideways"})
    assert bad.status_code in (400, 422)
