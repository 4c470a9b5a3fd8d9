"""The issuance and label endpoints, end to end through HTTP."""

from __future__ import annotations

import io

import zxingcpp
from fastapi.testclient import TestClient
from PIL import Image

USCC = "91350100M000100Y43"


def filed(client: TestClient) -> None:
    body = {
        "uscc": USCC,
        "name": "福州示范肉联厂",
        "subject_type": "enterprise",
        "region": "350100",
        "node_types": ["slaughterhouse"],
    }
    assert client.post("/subjects", json=body).status_code == 201
    assert client.post(f"/subjects/{USCC}/approve").status_code == 200


def test_request_approve_status_void_and_labels(client: TestClient) -> None:
    filed(client)
    body = {
        "subject": USCC,
        "scheme": "gs1.sgtin",
        "gtin": "6901234567892",
        "count": 3,
        "product_name": "冷鲜猪肉",
    }
    created = client.post("/code-requests", json=body)
    assert created.status_code == 201 and created.json()["status"] == "requested"
    rid = created.json()["id"]
    assert created.headers["location"] == f"/code-requests/{rid}"
    assert [r["id"] for r in client.get("/code-requests", params={"status": "requested"}).json()] == [rid]
    assert client.get(f"/code-requests/{rid}/labels.pdf").status_code == 400  # not issued yet
    issued = client.post(f"/code-requests/{rid}/approve").json()
    assert issued["status"] == "issued" and issued["codes"] == {"issued": 3}
    first = issued["first_code"]  # a Digital Link: slashes in the path
    status = client.get(f"/codes/{first}/status")
    assert status.status_code == 200 and status.json()["status"] == "issued"
    assert client.get("/codes/(01)06901234567892(21)2/status").json()["code"].endswith("/21/2")
    assert client.get("/codes/6901234567892").json()["scheme"] == "gs1.gtin"  # identify still answers
    assert client.get("/codes/6901234567892/status").status_code == 404
    png = client.get(f"/codes/{first}/label.png", params={"symbol": "datamatrix"})
    assert png.headers["content-type"] == "image/png"
    assert zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))[0].text == "(01)06901234567892(21)1"
    svg = client.get(f"/codes/{first}/label.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml") and b"<svg" in svg.content
    assert client.get(f"/codes/{first}/label.svg", params={"symbol": "code128"}).status_code == 400
    pdf = client.get(f"/code-requests/{rid}/labels.pdf", params={"symbol": "gs1-128"})
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    sheet = client.get(f"/code-requests/{rid}/labels.html")
    assert "冷鲜猪肉" in sheet.text
    voided = client.post(f"/codes/{first}/void", json={"reason": "标签破损"})
    assert voided.status_code == 200 and voided.json()["status"] == "voided"
    again = client.post(f"/codes/{first}/void", json={"reason": "x"})
    assert again.status_code == 409 and "已作废" in again.json()["detail"]
    actions = [a["action"] for a in client.get(f"/subjects/{USCC}").json()["audit"]]
    assert actions[-3:] == ["codes.requested", "codes.issued", "codes.voided"]


def test_reject_and_errors(client: TestClient) -> None:
    filed(client)
    rid = client.post(
        "/code-requests",
        json={"subject": USCC, "scheme": "zhuisu.platform", "count": 2, "product_name": "青菜"},
    ).json()["id"]
    rejected = client.post(f"/code-requests/{rid}/reject", json={"reason": "品名不清"})
    assert rejected.json()["status"] == "rejected"
    assert client.post(f"/code-requests/{rid}/approve").status_code == 409
    assert client.get("/code-requests/999999").status_code == 404
    bad = client.post(
        "/code-requests", json={"subject": USCC, "scheme": "cn.meat_veg", "count": 1, "product_name": "x"}
    )
    assert bad.status_code in (400, 422)
    assert client.get("/codes/3501000000100000000010/status").status_code in (400, 404)
