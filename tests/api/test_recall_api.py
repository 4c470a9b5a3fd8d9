"""POST /recall/scope, POST /checks/run and GET /findings over HTTP (SQLite and PostgreSQL)."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Engine

from tests.chain import scenarios as sc


def test_recall_scope(client: TestClient, engine: Engine) -> None:
    sc.store(engine, sc.pork_chain())
    response = client.post("/recall/scope", json={"identifiers": [sc.TO_A]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["holdings"][0]["location"] == sc.MARKET_A and body["holdings"][0]["stillHolds"] == 795
    assert body["events"] == sc.ids(5, 7, 8, 9)


def test_recall_report_as_workbook_pdf_and_epcis_document(client: TestClient, engine: Engine) -> None:
    sc.store(engine, sc.pork_chain())
    body = {"identifiers": [sc.TO_A]}
    book = client.post("/recall/report", params={"format": "xlsx"}, json=body)
    assert book.status_code == 200, book.text
    assert book.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(book.content), read_only=True)["持有者 Holdings"]
    assert next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))[7] == 795
    pdf = client.post("/recall/report", json=body)  # PDF by default
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert 'filename="recall-scope.pdf"' in pdf.headers["content-disposition"]
    doc = client.post("/recall/report", params={"format": "epcis"}, json=body)
    assert doc.status_code == 200 and doc.headers["content-type"].startswith("application/ld+json")
    events = doc.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert [e["eventID"] for e in events] == sc.ids(5, 7, 8, 9)  # the scope's events, in its order
    assert client.post("/recall/report", params={"format": "doc"}, json=body).status_code in (400, 422)


def test_recall_scope_errors_are_problems(client: TestClient, engine: Engine) -> None:
    assert client.post("/recall/scope", json={"identifiers": ["NO-SUCH"]}).status_code == 404
    assert client.post("/recall/scope", json={"identifiers": []}).status_code in (400, 422)
    bad = client.post("/recall/scope", json={"identifiers": ["X"], "since": "yesterday"})
    assert bad.status_code == 400 and "时间" in bad.text


def test_checks_run_and_findings(client: TestClient, engine: Engine) -> None:
    chain = [e for e in sc.pork_chain() if e["eventID"] != "urn:uuid:e02"]
    sc.store(engine, chain)
    params = {"since": "2026-04-01T00:00:00Z", "until": "2026-06-01T00:00:00Z"}
    run = client.post("/checks/run", params=params)
    assert run.status_code == 200, run.text
    assert (run.json()["found"], run.json()["new"]) == (1, 1)
    assert client.post("/checks/run", params=params).json()["new"] == 0
    listed = client.get("/findings", params={"kind": "chain_break", "identifier": sc.FARM_CODE}).json()
    (finding,) = listed["findings"]
    assert finding["kind"] == "chain_break.unmatched_receipt" and finding["eventIDs"] == ["urn:uuid:e03"]
    assert "断链" in finding["messageZh"] and "chain break" in finding["messageEn"]
    assert client.get("/findings", params={"kind": "quantity"}).json() == {"findings": []}


def test_stop_trading_list_of_a_failed_test(client: TestClient, engine: Engine) -> None:
    # the carcass lot fails its test at the slaughterhouse: the list is the recall scope of the
    # carcass lot, headed by the failed test; a passed test or an unknown event is refused
    failed = sc.obj("urn:uuid:t01", "02T04:15", sc.SLAUGHTER, [sc.qty(sc.CARCASS)], step="inspecting")
    failed["disposition"] = "non_conformant"
    passed = sc.obj("urn:uuid:t02", "02T04:20", sc.SLAUGHTER, [sc.qty(sc.CARCASS)], step="inspecting")
    passed["disposition"] = "conformant"
    sc.store(engine, [*sc.pork_chain(), failed, passed])
    response = client.post("/recall/stop-trading", json={"eventID": "urn:uuid:t01"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["failedTest"]["eventID"] == "urn:uuid:t01"
    scope = client.post("/recall/scope", json={"identifiers": body["failedTest"]["identifiers"]}).json()
    assert body["holdings"] == scope["holdings"] and body["holdings"]
    assert {h["location"] for h in body["holdings"]} >= {sc.MARKET_A, sc.SUPERMARKET}
    refused = client.post("/recall/stop-trading", json={"eventID": "urn:uuid:t02"})
    assert refused.status_code == 400 and "non_conformant" in refused.text
    assert client.post("/recall/stop-trading", json={"eventID": "urn:uuid:nope"}).status_code == 404
    assert client.post("/recall/stop-trading", json={}).status_code in (400, 422)
