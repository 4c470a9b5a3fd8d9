"""The access matrix (issue 3 acceptance): principals × events captured by each, and no read path
— events, each resource endpoint, /events/{id}, named queries, subscriptions' callbacks, page
tokens replayed by another principal, the identifier lists — lets one event across the line."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.access.world import PRINCIPALS, SUBJECTS, C, World, build, headers
from tests.api.conftest import UNLIMITED
from tests.query.receiver import receiver
from zhuisu.api.app import create_app
from zhuisu.domain import epc
from zhuisu.query import delivery
from zhuisu.settings import Settings
from zhuisu.store.engine import write_transaction

LOCATIONS = [sgln for _, _, sgln in SUBJECTS.values()]


@pytest.fixture
def api(db_url: str, engine: Engine) -> Iterator[TestClient]:
    settings = Settings(database_url=db_url, subscription_delivery_enabled=False, **UNLIMITED)
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture
def world(api: TestClient, engine: Engine) -> World:
    return build(api, engine)


def _ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [e["eventID"] for e in response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]]


def _all_pages(api: TestClient, path: str, auth: dict[str, str]) -> list[str]:
    """Every page of a query, one event per page, following the Link header."""
    found: list[str] = []
    url: str | None = f"{path}{'&' if '?' in path else '?'}perPage=1"
    while url is not None:
        response = api.get(url, headers=auth)
        found.extend(_ids(response))
        link = response.headers.get("Link")
        url = link[1 : link.index(">")] if link else None
    return found


def _keyed(world: World, who: str) -> dict[str, str]:
    return headers(world.keys.get(who))


@pytest.mark.parametrize("who", [p for p in PRINCIPALS if p != "public"])
def test_event_queries_show_exactly_what_the_principal_may_see(
    api: TestClient, world: World, who: str
) -> None:
    auth = _keyed(world, who)
    expected = world.expected(who)
    assert sorted(_all_pages(api, "/events", auth)) == sorted(expected)
    resources = [
        "/eventTypes/ObjectEvent/events",
        "/bizSteps/shipping/events",
        "/dispositions/in_transit/events",
        *(f"/bizLocations/{quote(loc, safe='')}/events" for loc in LOCATIONS),
    ]
    seen: set[str] = set()
    for path in resources:
        found = _all_pages(api, path, auth)
        assert set(found) <= expected, (path, set(found) - expected)
        seen.update(found)
    assert seen == expected
    for n in range(1, 7):
        found = _ids(
            api.get(f"/epcs/{quote(f'urn:epc:id:sgtin:6901234.012345.{n}', safe='')}/events", headers=auth)
        )
        assert set(found) <= expected
    for event_id in world.seen_by:
        status = api.get(f"/events/{quote(event_id, safe='')}", headers=auth).status_code
        assert status == (200 if event_id in expected else 404), event_id


@pytest.mark.parametrize("who", [p for p in PRINCIPALS if p != "public"])
def test_identifier_lists_name_only_visible_events_identifiers(
    api: TestClient, world: World, who: str
) -> None:
    auth = _keyed(world, who)
    expected = world.expected(who)
    epcs = api.get("/epcs?perPage=100", headers=auth).json()["member"]
    wanted = {epc.canonical(f"urn:epc:id:sgtin:6901234.012345.{n}") for n in range(1, 7)}
    # each event has its own serial: n-th case ↔ serial n
    order = list(world.seen_by)
    allowed = {epc.canonical(f"urn:epc:id:sgtin:6901234.012345.{order.index(e) + 1}") for e in expected}
    assert set(epcs) & wanted == allowed
    locations = set(api.get("/bizLocations?perPage=100", headers=auth).json()["member"])
    shown = api.get("/events?perPage=100", headers=auth).json()["epcisBody"]["queryResults"]["resultsBody"]
    assert locations == {e["bizLocation"]["id"] for e in shown["eventList"] if "bizLocation" in e}
    assert (SUBJECTS[C][2] in locations) == (who == "admin")


@pytest.mark.parametrize("who", [p for p in PRINCIPALS if p != "public"])
def test_named_queries_run_with_the_runners_view(api: TestClient, world: World, who: str) -> None:
    admin = _keyed(world, "admin")
    assert api.post("/queries", json={"name": "all", "query": {}}, headers=admin).status_code == 201
    found = _all_pages(api, "/queries/all/events", _keyed(world, who))
    assert sorted(found) == sorted(world.expected(who))


def test_page_tokens_cannot_be_replayed_by_another_principal(api: TestClient, world: World) -> None:
    for owner, thief in (("admin", "entA"), ("entB", "entA"), ("reg31", "reg32"), ("entA", "sysA")):
        first = api.get("/events?perPage=1", headers=_keyed(world, owner))
        link = first.headers["Link"]
        replay = api.get(link[1 : link.index(">")], headers=_keyed(world, thief))
        assert replay.status_code == 400, (owner, thief)
        assert replay.json()["type"] == "epcisException:QueryParameterException"


def test_subscriptions_deliver_only_what_their_creator_may_see(
    api: TestClient, world: World, engine: Engine
) -> None:
    admin = _keyed(world, "admin")
    assert api.post("/queries", json={"name": "all", "query": {}}, headers=admin).status_code == 201
    hooks = {}
    with receiver() as hook:
        for who in ("admin", "reg31", "reg32", "entA", "entB", "sysA"):
            body = {
                "dest": f"{hook.url}?who={who}",
                "stream": True,
                "initialRecordTime": "2000-01-01T00:00:00Z",
            }
            made = api.post("/queries/all/subscriptions", json=body, headers=_keyed(world, who))
            assert made.status_code == 201, made.text
            hooks[made.json()["subscriptionID"]] = who
        with httpx.Client(trust_env=False) as client, write_transaction(engine) as conn:
            delivery.deliver_due(conn, client, datetime.now(UTC))
        delivered: dict[str, set[str]] = {who: set() for who in hooks.values()}
        for doc in hook.documents():
            who = hooks[doc["epcisBody"]["queryResults"]["subscriptionID"]]
            events = doc["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
            delivered[who].update(e["eventID"] for e in events)
    for who, got in delivered.items():
        assert got == world.expected(who), who
    # a principal sees (and may cancel) only its own subscriptions
    own = api.get("/queries/all/subscriptions", headers=_keyed(world, "entA")).json()
    assert [hooks[s["subscriptionID"]] for s in own] == ["entA"]
    assert len(api.get("/queries/all/subscriptions", headers=admin).json()) == 6
    other = next(s for s, w in hooks.items() if w == "entB")
    assert api.get(f"/queries/all/subscriptions/{other}", headers=_keyed(world, "entA")).status_code == 404
    assert api.delete(f"/queries/all/subscriptions/{other}", headers=_keyed(world, "entA")).status_code == 404


def test_the_public_gets_401_on_the_event_api(api: TestClient, world: World) -> None:
    for path in [
        "/events",
        "/events/urn%3At%3Aa",
        "/bizSteps/shipping/events",
        "/epcs",
        "/queries",
        "/capture",
    ]:
        response = api.get(path)
        assert response.status_code == 401, path
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        body = response.json()
        assert body["message_zh"] and body["message_en"]


def test_revoked_and_expired_keys_are_401_not_public(api: TestClient, world: World, engine: Engine) -> None:
    from zhuisu.access import keys as key_service
    from zhuisu.store.access import list_keys

    with engine.begin() as conn:
        target = next(r for r in list_keys(conn) if r.name == "entA")
        key_service.revoke_key(conn, target.id)
    response = api.get("/events", headers=_keyed(world, "entA"))
    assert response.status_code == 401
    assert "revoked" in response.json()["message_en"]
    assert api.get("/events", headers={"Authorization": "Bearer zs_nonsense"}).status_code == 401
    assert api.get("/events", headers={"Authorization": "Basic abc"}).status_code == 401
    assert api.get("/events", headers={"X-API-Key": world.keys["entB"]}).status_code == 200


def test_master_data_is_read_within_the_line(api: TestClient, world: World) -> None:
    admin = _keyed(world, "admin")
    records = [
        {"id": sgln, "regionCode": region, "nameZh": f"场所 {region}"}
        for region, _, sgln in SUBJECTS.values()
    ]
    records.append(
        {"id": "urn:epc:id:sgln:6901234.00099.0", "regionCode": "310115", "nameZh": "浦东 unfiled"}
    )
    stored = api.post("/masterdata/locations", json=records, headers=admin)
    assert stored.status_code == 200, stored.text
    assert api.post("/masterdata/locations", json=records, headers=_keyed(world, "entA")).status_code == 403
    # one's own subjects' or jurisdiction's, and the locations named by the events one may see
    expected = {
        "admin": {"310101", "320102", "330102", "310115"},
        "reg31": {"310101", "310115"},
        "reg32": {"320102", "310101"},  # A's warehouse: where A's shipment to B happened
        "entA": {"310101"},  # that shipment names B as a party, not B's location
        "entB": {"320102", "310101"},
        "sysA": {"310101"},
    }
    for who, regions in expected.items():
        found = api.get("/masterdata/locations?perPage=100", headers=_keyed(world, who)).json()
        assert {r["regionCode"] for r in found} == regions, who
        c_location = quote(SUBJECTS[next(iter(k for k in SUBJECTS if k.startswith("9133")))][2], safe="")
        status = api.get(f"/masterdata/locations/{c_location}", headers=_keyed(world, who)).status_code
        assert status == (200 if who == "admin" else 404), who


def test_findings_show_only_visible_events(api: TestClient, world: World, engine: Engine) -> None:
    from zhuisu.store.checks import FindingRow, save_findings

    rows = [
        FindingRow(f"fp-{n}", "chain_break.unreceived_shipment", "warning", ids, (), "断链", "break", 0, 0)
        for n, ids in enumerate([("urn:t:a",), ("urn:t:b",), ("urn:t:ab",), ("urn:t:a", "urn:t:c")])
    ]
    with write_transaction(engine) as conn:
        save_findings(conn, rows)
    for who in ("admin", "reg31", "reg32", "entA", "entB", "sysA"):
        found = api.get("/findings", headers=_keyed(world, who)).json()["findings"]
        expected = world.expected(who)
        wanted = [list(r.event_ids) for r in rows if set(r.event_ids) <= expected]
        assert sorted(f["eventIDs"] for f in found) == sorted(wanted), who
    assert api.get("/findings").status_code == 401
