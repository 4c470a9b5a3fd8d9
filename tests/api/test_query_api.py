"""The EPCIS 2.0 query interface over HTTP (REST bindings): /events with SimpleEventQuery
parameters, paging, bindings and headers, resources, named queries, master data."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import orjson
import pytest
from fastapi.testclient import TestClient
from lxml import etree
from sqlalchemy import Engine

from tests.factories import document_bytes
from tests.query.conftest import L1, L1A, L2, SSCC, dataset_events, e, item

ALL = [e(1), e(2), e(3), e(4), e(5), e(6), e(1)]


@pytest.fixture
def api(client: TestClient, engine: Engine) -> TestClient:
    response = client.post(
        "/capture",
        content=document_bytes(dataset_events(), namespaces={"ex": "https://example.cn/trace/"}),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 202
    job = client.get(response.headers["location"]).json()
    assert job["success"], job
    return client


def _ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [ev["eventID"] for ev in response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]]


def _next(response: Any) -> str | None:
    link = response.headers.get("link")
    return None if link is None else link.split(">", 1)[0][1:]


def _all_pages(api: TestClient, url: str) -> list[str]:
    out: list[str] = []
    next_url: str | None = url
    while next_url:
        response = api.get(next_url)
        out.extend(_ids(response))
        next_url = _next(response)
        if next_url:
            assert response.headers["GS1-Next-Page-Token-Expires"].endswith("Z")
    return out


def test_events_is_a_query_document(api: TestClient) -> None:
    response = api.get("/events")
    assert response.headers["content-type"].startswith("application/ld+json")
    body = response.json()
    assert body["type"] == "EPCISQueryDocument"
    assert body["epcisBody"]["queryResults"]["queryName"] == "SimpleEventQuery"
    assert _ids(response) == ALL
    assert response.headers["GS1-EPCIS-Version"] == "2.0.0"


@pytest.mark.parametrize("per_page", [1, 2, 5])
def test_pages_follow_the_link_header(api: TestClient, per_page: int) -> None:
    assert _all_pages(api, f"/events?perPage={per_page}") == ALL
    assert _all_pages(api, f"/events?perPage={per_page}&EQ_bizStep=commissioning|shipping") == [
        e(1),
        e(2),
        e(4),
        e(1),
    ]


def test_paging_is_stable_while_events_are_captured(api: TestClient) -> None:
    first = api.get("/events?perPage=3")
    assert _ids(first) == ALL[:3]
    late = {
        "type": "ObjectEvent",
        "eventID": "urn:zhuisu:test:late",
        "action": "OBSERVE",
        "eventTime": "2026-04-01T00:00:00Z",
        "eventTimeZoneOffset": "+00:00",
        "epcList": [item(99)],
    }
    assert (
        api.post(
            "/events", content=orjson.dumps(late), headers={"content-type": "application/json"}
        ).status_code
        == 201
    )
    rest = _all_pages(api, _next(first) or "")
    assert rest == [*ALL[3:], "urn:zhuisu:test:late"]


def test_token_is_bound_to_its_query_and_tamper_evident(api: TestClient) -> None:
    first = api.get("/events?perPage=2&EQ_bizStep=commissioning")
    token = (_next(first) or "").split("nextPageToken=")[1]
    other = api.get(f"/events?perPage=2&EQ_bizStep=shipping&nextPageToken={token}")
    assert other.status_code == 400
    assert "different query" in other.json()["message_en"]
    forged = api.get(f"/events?perPage=2&EQ_bizStep=commissioning&nextPageToken={token[:-3]}abc")
    assert forged.status_code == 400
    assert forged.json()["type"] == "epcisException:QueryParameterException"
    assert api.delete(f"/nextPageToken/{token}").status_code == 204


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/events?EQ_colour=red", "EQ_colour"),
        ("/events?GE_eventTime=tomorrow", "GE_eventTime"),
        ("/events?perPage=0", "perPage"),
        ("/events?perPage=100001", "perPage"),
        ("/events?eventCountLimit=2", "eventCountLimit"),
    ],
)
def test_bad_parameters_are_400_with_bilingual_message(api: TestClient, url: str, name: str) -> None:
    response = api.get(url)
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "epcisException:QueryParameterException"
    assert name in body["message_zh"] and name in body["message_en"]
    assert body["detail"].startswith(body["message_zh"])


def test_max_event_count_is_413(api: TestClient) -> None:
    response = api.get("/events?maxEventCount=3")
    assert response.status_code == 413
    assert response.json()["type"] == "epcisException:QueryTooLargeException"


def test_epc_format_header(api: TestClient) -> None:
    dl = api.get(
        f"/events?EQ_eventID={quote(e(1))}", headers={"GS1-EPC-Format": "Always_GS1_Digital_Link"}
    ).json()
    urn = api.get(f"/events?EQ_eventID={quote(e(1))}").json()
    pick = lambda body: body["epcisBody"]["queryResults"]["resultsBody"]["eventList"][0]["epcList"]  # noqa: E731
    assert pick(dl) == ["https://id.gs1.org/01/06901234123456/21/1"]
    assert pick(urn) == [item(1)]  # no header: as captured
    urn_asked = api.get(
        f"/events?EQ_eventID={quote(e(2))}", headers={"GS1-EPC-Format": "Always_EPC_URN"}
    ).json()
    assert pick(urn_asked) == ["https://id.gs1.org/01/06901234123456/21/2", item(3)]
    assert api.get("/events", headers={"GS1-EPC-Format": "Maybe"}).status_code == 400


def test_xml_binding(api: TestClient) -> None:
    response = api.get(f"/events?MATCH_parentID={quote(SSCC)}", headers={"Accept": "application/xml"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    root = etree.fromstring(response.content, etree.XMLParser(resolve_entities=False, no_network=True))
    assert etree.QName(root).localname == "EPCISQueryDocument"
    (event,) = root.iter("AggregationEvent")
    assert event.findtext("eventID") == e(3)
    assert event.findtext("bizStep") == "https://ref.gs1.org/cbv/BizStep-packing"
    urn = api.get(
        f"/events?MATCH_parentID={quote(SSCC)}",
        headers={"Accept": "application/xml", "GS1-CBV-XML-Format": "Always_URN"},
    )
    assert b"urn:epcglobal:cbv:bizstep:packing" in urn.content


def test_resource_endpoints(api: TestClient) -> None:
    assert api.get("/eventTypes").json()["member"] == sorted(
        ["ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent"]
    )
    assert _ids(api.get("/eventTypes/AggregationEvent/events")) == [e(3)]
    assert api.get("/eventTypes/Nothing/events").status_code == 404
    assert _ids(api.get(f"/epcs/{item(1)}/events")) == [e(1), e(1)]
    assert _ids(api.get("/epcs/https://id.gs1.org/01/06901234123456/21/2/events")) == [e(2)]
    assert _ids(api.get("/epcs/urn:epc:class:lgtin:6901234.012345.B/events")) == [e(3)]
    assert _ids(api.get("/bizSteps/packing/events")) == [e(3)]
    assert _ids(api.get(f"/bizLocations/{L1A}/events")) == [e(3)]
    assert _ids(api.get(f"/readPoints/{L2}/events?eventType=ObjectEvent")) == [e(2), e(5)]
    assert _ids(api.get("/dispositions/retail_sold/events")) == [e(6)]
    assert api.get("/bizSteps/packing/events?EQ_bizStep=shipping").status_code == 400
    assert "packing" in api.get("/bizSteps").json()["member"]
    assert api.get("/readPoints").json()["member"] == sorted([L1, L1A, L2])
    first = api.get("/epcs?perPage=2")
    assert len(first.json()["member"]) == 2
    assert len(api.get(_next(first) or "").json()["member"]) == 2


@pytest.mark.parametrize(
    "path",
    ["/events", "/eventTypes", "/epcs", "/queries", "/bizSteps", "/bizSteps/x/events", "/queries/q/events"],
)
def test_options_answers_versions(api: TestClient, path: str) -> None:
    response = api.options(path)
    assert response.status_code == 204
    assert "GET" in response.headers["allow"]
    assert response.headers["GS1-CBV-Version"] == "2.0.0"


def test_named_queries(api: TestClient) -> None:
    body = {"name": "commissioned", "query": {"EQ_bizStep": ["commissioning"]}}
    created = api.post("/queries", json=body)
    assert created.status_code == 201 and created.headers["location"] == "/queries/commissioned"
    assert api.post("/queries", json=body).status_code == 409
    assert api.get("/queries").json() == [body]
    assert api.get("/queries/commissioned").json() == body
    response = api.get("/queries/commissioned/events?perPage=2")
    assert response.json()["epcisBody"]["queryResults"]["queryName"] == "commissioned"
    assert _all_pages(api, "/queries/commissioned/events?perPage=2") == [e(1), e(4), e(1)]
    assert api.get("/queries/commissioned/events?EQ_action=ADD").status_code == 400
    bad = api.post("/queries", json={"name": "bad", "query": {"EQ_bizStep": ["flying"]}})
    assert bad.status_code == 400 and "EQ_bizStep" in bad.json()["message_en"]
    assert api.delete("/queries/commissioned").status_code == 204
    assert api.get("/queries/commissioned").status_code == 404
    assert api.get("/queries/commissioned/events").status_code == 404


def test_master_data_and_with_descendants(api: TestClient) -> None:
    records = [{"id": L1, "nameZh": "一号市场", "regionCode": "370783"}, {"id": L1A, "parentID": L1}]
    assert api.post("/masterdata/locations", json=records).json() == {"stored": 2}
    assert _ids(api.get(f"/events?WD_bizLocation={quote(L1)}")) == [e(1), e(3), e(6), e(1)]
    got = api.get(f"/masterdata/locations/{L1}").json()
    assert got == {"id": "https://id.gs1.org/414/6901234000016", "nameZh": "一号市场", "regionCode": "370783"}
    assert len(api.get("/masterdata/locations").json()) == 2
    bad = api.post("/masterdata/parties", json=[{"id": "urn:epc:id:pgln:6901234.00001", "regionCode": "37"}])
    assert bad.status_code == 400 and bad.json()["errors"][0]["path"] == "$[0].regionCode"
    assert api.get("/masterdata/planets").status_code == 404


def test_event_by_id_keeps_working(api: TestClient) -> None:
    assert _ids(api.get(f"/events/{quote(e(1), safe='')}")) == [e(1), e(1)]
    assert api.get("/events/urn:zhuisu:none").status_code == 404
