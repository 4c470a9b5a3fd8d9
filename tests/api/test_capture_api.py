"""The EPCIS 2.0 REST capture interface as a client uses it."""

from __future__ import annotations

from urllib.parse import quote

import orjson
from fastapi.testclient import TestClient

from tests.factories import document_bytes, make_event, sgtin

JSON = {"Content-Type": "application/json"}


def test_capture_job_lifecycle(client: TestClient) -> None:
    response = client.post("/capture", content=document_bytes([make_event(epcs=[sgtin(1)])]), headers=JSON)
    assert response.status_code == 202
    assert response.headers["GS1-EPCIS-Capture-Limit"] == "50"
    assert response.headers["GS1-EPCIS-Version"] == "2.0.0"
    location = response.headers["Location"]
    job = client.get(location).json()
    assert job["running"] is False and job["success"] is True
    assert job["inserted"] == 1 and job["duplicates"] == 0 and job["errors"] == []
    assert job["captureErrorBehaviour"] == "rollback"
    listing = client.get("/capture").json()
    assert [j["captureID"] for j in listing] == [location.rsplit("/", 1)[1]]


def test_rejected_job_reports_rfc7807_problems_and_stores_nothing(client: TestClient) -> None:
    events = [make_event(epcs=[sgtin(1)]), make_event(epcs=[sgtin(2)], biz_step="transforming")]
    location = client.post("/capture", content=document_bytes(events), headers=JSON).headers["Location"]
    job = client.get(location).json()
    assert job["success"] is False and job["inserted"] == 0
    (problem,) = job["errors"]
    assert problem["index"] == 1
    assert problem["instance"] == "$.epcisBody.eventList[1].bizStep"
    assert problem["type"] == "epcisException:ValidationException"
    assert problem["message_zh"] and problem["message_en"]
    assert (
        orjson.loads(client.get("/events").content)["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        == []
    )


def test_proceed_keeps_valid_events(client: TestClient) -> None:
    events = [make_event(epcs=[sgtin(1)]), make_event(epcs=[sgtin(2)], action="JUMP")]
    location = client.post(
        "/capture", content=document_bytes(events), headers={**JSON, "GS1-Capture-Error-Behaviour": "proceed"}
    ).headers["Location"]
    job = client.get(location).json()
    assert job["success"] is False and job["inserted"] == 1 and len(job["errors"]) == 1


def test_malformed_json_is_400_before_any_job(client: TestClient) -> None:
    response = client.post("/capture", content=b'{"type": "EPCISDocument", ', headers=JSON)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["code"] == "json.malformed"
    assert client.get("/capture").json() == []


def test_limits_give_413(client: TestClient) -> None:
    many = document_bytes([make_event(epcs=[sgtin(i)]) for i in range(51)])
    assert client.post("/capture", content=many, headers=JSON).status_code == 413
    huge = document_bytes([make_event(epcs=[sgtin(i)], extra={"ex:note": "x" * 5000}) for i in range(45)])
    response = client.post("/capture", content=huge, headers=JSON)
    assert response.status_code == 413
    assert response.json()["type"] == "epcisException:CaptureLimitExceededException"


def test_unsupported_media_type(client: TestClient) -> None:
    assert client.post("/capture", content=b"a,b", headers={"Content-Type": "text/csv"}).status_code == 415


def test_bad_error_behaviour_header(client: TestClient) -> None:
    response = client.post(
        "/capture",
        content=document_bytes([make_event()]),
        headers={**JSON, "GS1-Capture-Error-Behaviour": "sometimes"},
    )
    assert response.status_code == 400


def test_options_advertise_limits(client: TestClient) -> None:
    response = client.options("/capture")
    assert response.status_code == 204
    assert response.headers["GS1-EPCIS-Capture-File-Size-Limit"] == "200000"


def test_post_single_event(client: TestClient) -> None:
    body = orjson.dumps(make_event(epcs=[sgtin(3)]))
    created = client.post("/events", content=body, headers=JSON)
    assert created.status_code == 201
    location = created.headers["Location"]
    assert location.startswith("/events/ni%3A%2F%2F%2Fsha-256%3B")
    again = client.post("/events", content=body, headers=JSON)
    assert again.status_code == 409
    fetched = client.get(location)
    assert fetched.status_code == 200
    event = orjson.loads(fetched.content)["epcisBody"]["queryResults"]["resultsBody"]["eventList"][0]
    assert event["epcList"] == [sgtin(3)]


# meanValue outside [minValue, maxValue]: a data-quality finding, not a reason to refuse the event
ODD_SENSOR = {
    "sensorElementList": [
        {
            "sensorReport": [
                {"type": "Temperature", "minValue": 2, "maxValue": 4, "meanValue": 9, "uom": "CEL"}
            ]
        }
    ]
}


def test_warnings_are_reported_with_the_job_and_the_event_is_stored(client: TestClient) -> None:
    events = [make_event(epcs=[sgtin(5)], extra=ODD_SENSOR)]
    location = client.post("/capture", content=document_bytes(events), headers=JSON).headers["Location"]
    job = client.get(location).json()
    assert job["success"] is True and job["inserted"] == 1 and job["errors"] == []
    (warning,) = job["warnings"]
    assert warning["code"] == "sensor.out_of_range" and warning["severity"] == "warning"
    assert warning["instance"] == "$.epcisBody.eventList[0].sensorElementList[0].sensorReport[0].meanValue"


def test_post_single_event_returns_its_warnings(client: TestClient) -> None:
    created = client.post("/events", content=orjson.dumps(make_event(extra=ODD_SENSOR)), headers=JSON)
    assert created.status_code == 201
    body = created.json()
    assert created.headers["Location"] == f"/events/{quote(body['eventID'], safe='')}"
    assert [w["code"] for w in body["warnings"]] == ["sensor.out_of_range"]


def test_post_single_invalid_event(client: TestClient) -> None:
    response = client.post("/events", content=orjson.dumps(make_event(offset="08:00")), headers=JSON)
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "$.eventTimeZoneOffset"


def test_unknown_event_is_404(client: TestClient) -> None:
    response = client.get(f"/events/{quote('urn:uuid:00000000-0000-4000-8000-000000000000', safe='')}")
    assert response.status_code == 404
    assert response.json()["type"] == "epcisException:NoSuchResourceException"


def test_unknown_capture_job_is_404(client: TestClient) -> None:
    assert client.get("/capture/nope").status_code == 404


def test_extensions_come_back_as_captured(client: TestClient) -> None:
    ext = {"ex:quarantineCert": "A-370601-2026-000123", "ex:weight": {"ex:value": 120.5, "ex:unit": "KGM"}}
    event = make_event(epcs=[sgtin(4)], extra=ext)
    client.post("/capture", content=document_bytes([event]), headers=JSON)
    doc = orjson.loads(client.get("/events").content)
    assert doc["@context"][1] == {"ex": "https://example.cn/trace/"}
    (stored,) = doc["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert stored["ex:quarantineCert"] == ext["ex:quarantineCert"]
    assert stored["ex:weight"] == ext["ex:weight"]


def test_discovery(client: TestClient) -> None:
    assert client.get("/").status_code == 200
    response = client.options("/")
    assert response.status_code == 204 and response.headers["GS1-CBV-Version"] == "2.0.0"
