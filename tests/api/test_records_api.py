"""GET /templates, POST /records, POST /records/import, the workbook download and catalogs."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from fastapi.testclient import TestClient

from zhuisu.domain.templates import STEPS


def record(step_id: str = "pork.wholesale.entry", **over: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"step": step_id}
    out.update({sf.field.zh: sf.field.example for sf in STEPS[step_id].fields})
    out.update(over)
    return out


def test_templates(client: TestClient) -> None:
    body = client.get("/templates").json()
    assert len(body["categories"]) == 8
    food = next(c for c in body["categories"] if c["id"] == "food")
    assert "dairy" in food["templates"] and "乳制品" not in food["notTemplated"]
    assert "葡萄酒" in food["notTemplated"]
    step = client.get("/templates/pork.wholesale.entry").json()
    assert step["event"]["bizStep"] == "receiving"
    weight = next(f for f in step["fields"] if f["key"] == "weight_kg")
    assert (weight["zh"], weight["required"], weight["extension"]) == ("重量", True, "zs:weightKg")
    assert client.get("/templates/nope").status_code == 404


def test_workbook_download(client: TestClient) -> None:
    response = client.get("/templates/cylinder.filling.xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "*充装介质" in [c.value for c in book["cylinder.filling"][1]]
    assert client.get("/templates/nope.xlsx").status_code == 404


def test_post_one_and_batch(client: TestClient) -> None:
    one = client.post("/records", json=record(追溯码="37060000400010000003"))
    assert one.status_code == 201
    body = one.json()
    assert body["inserted"] == 1 and len(body["eventIDs"]) == 1
    assert body["eventIDs"][0].startswith("ni:///sha-256;")
    again = client.post("/records", json=record(追溯码="37060000400010000003"))
    assert again.status_code == 200 and again.json()["results"][0]["status"] == "duplicate"
    batch = client.post("/records", json=[record("veg.wholesale.entry"), record("veg.wholesale.test")])
    assert batch.status_code == 201 and batch.json()["inserted"] == 2


def test_missing_required_field_is_a_400_naming_it(client: TestClient) -> None:
    bad = record()
    del bad["重量"]
    response = client.post("/records", json=bad)
    assert response.status_code == 400
    text = response.text
    assert "重量" in text and "weight_kg" in text and "record.missing_field" in text
    assert client.post("/records", content=b"{not json").status_code == 400


def test_keep_good_rows_query(client: TestClient) -> None:
    response = client.post("/records?keep_good_rows=true", json=[record(), {"step": "pork.wholesale.entry"}])
    assert response.status_code == 201
    assert response.json()["inserted"] == 1 and response.json()["rejected"] == 1


def test_import_file(client: TestClient) -> None:
    step = STEPS["veg.retail.sale"]
    header = ",".join(sf.field.zh for sf in step.fields)
    line = ",".join(sf.field.example for sf in step.fields)
    data = f"{header}\n{line}\n".encode("gbk")
    files = {"file": ("记录.csv", data, "text/csv")}
    first = client.post("/records/import", files=files, data={"step": "veg.retail.sale"})
    assert first.status_code == 201 and first.json()["encoding"] == "gb18030"
    second = client.post("/records/import", files=files, data={"step": "veg.retail.sale"})
    assert second.status_code == 200 and second.json()["duplicates"] == 1
    bad = client.post(
        "/records/import",
        files={"file": ("x.csv", f"{header}\n,\n1,2\n".encode(), "text/csv")},
        data={"step": "veg.retail.sale"},
    )
    assert bad.status_code == 400 and "record.missing_field" in bad.text


def test_catalogs(client: TestClient) -> None:
    body = {
        "region": "370600",
        "title": "烟台市重点追溯产品目录",
        "items": [{"category": "edible_agri", "subclass": "肉类"}],
    }
    assert client.post("/catalogs/key", json=body).json()["version"] == 1
    assert client.post("/catalogs/key", json=body).json()["version"] == 2
    got = client.get("/catalogs/key/370600?version=1").json()
    assert got["items"] == [{"category": "edible_agri", "subclass": "肉类", "variety": None, "note": None}]
    assert client.get("/catalogs/encouraged/370600").status_code == 404
    assert client.post("/catalogs/other", json=body).status_code == 400
