"""The subjects API: filing workflow over HTTP, nodes, late changes, code identification."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient

USCC = "91350100M000100Y43"


def body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "uscc": USCC,
        "name": "福州示范批发市场",
        "subject_type": "enterprise",
        "region": "350100",
        "node_types": ["wholesale_market"],
    }
    data.update(overrides)
    return data


def test_filing_workflow(client: TestClient) -> None:
    created = client.post("/subjects", json=body())
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"/subjects/{USCC}"
    assert client.post("/subjects", json=body()).status_code == 200  # idempotent
    approved = client.post(f"/subjects/{USCC}/approve")
    assert approved.json()["status"] == "approved"
    node = client.post(
        f"/subjects/{USCC}/nodes",
        json={"name": "A 区 12 号", "kind": "stall", "node_type": "wholesale_market", "stall_no": "A12"},
    )
    assert node.status_code == 201 and node.json()["node_code"] == "350100001"
    operator = client.post(f"/subjects/{USCC}/nodes/350100001/operators", json={"name": "摊主"})
    assert operator.json()["operator_code"] == "3501000010001"
    changed = client.patch(f"/subjects/{USCC}", json={"address": "新址", "changed_on": "2020-01-01"})
    assert changed.json()["status"] == "changed" and changed.json()["late"] is True
    assert [f["subject"] for f in client.get("/filings/late").json()] == [USCC]
    rejected = client.post(f"/subjects/{USCC}/reject", json={"reason": "地址无证明"})
    assert rejected.json()["status"] == "approved"
    licence = client.post(
        f"/subjects/{USCC}/qualifications",
        json={"kind": "food_business", "number": "JY13501000000001", "valid_until": "2000-01-01"},
    )
    assert licence.status_code == 201
    assert [q["number"] for q in client.get("/qualifications/expiring?within_days=10").json()] == [
        "JY13501000000001"
    ]
    revoked = client.post(f"/subjects/{USCC}/revoke", json={"reason": "停业"})
    assert revoked.json()["status"] == "revoked"
    doc = client.get(f"/subjects/{USCC}").json()
    assert [a["action"] for a in doc["audit"]] == [
        "filing.submitted",
        "filing.approved",
        "node.added",
        "operator.added",
        "filing.changed",
        "filing.change_late",
        "filing.change_rejected",
        "qualification.added",
        "filing.revoked",
    ]
    assert [s["key"] for s in client.get("/subjects?status=revoked").json()] == [USCC]


def test_errors_are_bilingual_problems(client: TestClient) -> None:
    missing = client.get("/subjects/91110000600037341L")
    assert missing.status_code == 404 and "/" in missing.json()["detail"]
    bad = client.post("/subjects", json=body(uscc="91350100M000100Y44"))
    assert bad.status_code == 400
    assert "应为 '3'" in bad.text
    client.post("/subjects", json=body())
    conflict = client.post(f"/subjects/{USCC}/revoke", json={"reason": "x"})
    assert conflict.status_code == 409 and conflict.json()["message_zh"].startswith("主体")


def test_identify_codes(client: TestClient) -> None:
    found = client.get("/codes/6901234567892").json()
    assert found["scheme"] == "gs1.gtin" and found["canonical"] == "https://id.gs1.org/01/06901234567892"
    link = client.get("/codes/" + quote("https://example.cn/01/06901234567892/21/7", safe="")).json()
    assert link["scheme"] == "gs1.sgtin"
    drug = client.get("/codes/37060000400010000003?scheme=nmpa.drug").json()
    assert drug["parts"]["product_code"] == "3706000"
    bad = client.get("/codes/6901234567893")
    assert bad.status_code == 400
    problem = bad.json()["errors"][0]
    assert "code.check_character" in str(problem) or "code.unknown" in str(problem)
