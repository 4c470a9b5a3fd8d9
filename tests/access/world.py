"""A small world for the access-control tests: three filed subjects in three regions, a key for
every kind of principal, and events captured through the API by each of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, insert

from tests.factories import document_bytes, make_event, sgtin
from zhuisu.access import keys
from zhuisu.access.principals import Role
from zhuisu.domain import epc
from zhuisu.domain.parties import node_uri, subject_uri
from zhuisu.store.subject_tables import subject_nodes, subjects

# subject key → (region, node code, SGLN of its one node)
SUBJECTS = {
    "91310101AAAAAAAA1A": ("310101", "310101001", "urn:epc:id:sgln:6901234.00011.0"),  # 上海市黄浦区
    "91320102BBBBBBBB2B": ("320102", "320102001", "urn:epc:id:sgln:6901234.00022.0"),  # 南京市玄武区
    "91330102CCCCCCCC3C": ("330102", "330102001", "urn:epc:id:sgln:6901234.00033.0"),  # 杭州市上城区
}
A, B, C = SUBJECTS
PRINCIPALS = ("admin", "reg31", "reg32", "entA", "entB", "sysA", "public")


def file_subjects(engine: Engine) -> None:
    with engine.begin() as conn:
        for n, (key, (region, node, sgln)) in enumerate(SUBJECTS.items(), start=1):
            conn.execute(
                insert(subjects).values(
                    id=n,
                    key=key,
                    kind="organisation",
                    uscc=key,
                    name=f"主体{n}",
                    subject_type="wholesaler",
                    region=region,
                    node_types="[]",
                    status="approved",
                    filed_us=0,
                    updated_us=0,
                )
            )
            conn.execute(
                insert(subject_nodes).values(
                    subject_id=n,
                    node_code=node,
                    region=region,
                    seq=1,
                    name=f"节点{n}",
                    kind="fixed",
                    node_type="warehouse",
                    gln=epc.canonical(sgln),
                    created_us=0,
                )
            )


def make_keys(engine: Engine) -> dict[str, str]:
    """principal name → API key (public: none)."""
    grants: dict[str, dict[str, Any]] = {
        "admin": {"role": Role.ADMIN},
        "reg31": {"role": Role.REGULATOR, "regions": ("310000",)},
        "reg32": {"role": Role.REGULATOR, "regions": ("320000",)},
        "entA": {"role": Role.ENTERPRISE, "subject_keys": (A,)},
        "entB": {"role": Role.ENTERPRISE, "subject_keys": (B,)},
        "sysA": {"role": Role.SYSTEM, "subject_keys": (A,)},
    }
    with engine.begin() as conn:
        return {name: keys.create_key(conn, name=name, **grant).key for name, grant in grants.items()}


def headers(key: str | None) -> dict[str, str]:
    return {} if key is None else {"Authorization": f"Bearer {key}"}


def location(key: str) -> str:
    return SUBJECTS[key][2]


def event(event_id: str, n: int, *, at: str | None, **extra: Any) -> dict[str, Any]:
    return make_event(
        event_id=event_id, epcs=[sgtin(n)], biz_location=at, read_point=None, extra=extra or None
    )


def dest(party: str) -> dict[str, Any]:
    return {"destinationList": [{"type": "owning_party", "destination": party}]}


@dataclass
class World:
    keys: dict[str, str]
    #: event id → the principals that may see it
    seen_by: dict[str, set[str]] = field(default_factory=dict)

    def expected(self, principal: str) -> set[str]:
        return {e for e, who in self.seen_by.items() if principal in who}


def build(client: TestClient, engine: Engine) -> World:
    """File the subjects, make the keys, capture one event per case through the API."""
    file_subjects(engine)
    world = World(make_keys(engine))
    cases = [
        # (captured by, event, who sees it besides admin)
        ("entA", event("urn:t:a", 1, at=location(A)), {"entA", "sysA", "reg31"}),
        ("entB", event("urn:t:b", 2, at=location(B)), {"entB", "reg32"}),
        # a shipment from A to B names both: both sides and both regulators see it
        (
            "entA",
            event("urn:t:ab", 3, at=location(A), **dest(subject_uri(B))),
            {"entA", "sysA", "entB", "reg31", "reg32"},
        ),
        # the system client of A, naming A's node by its zhuisu URI
        ("sysA", event("urn:t:sys", 4, at=node_uri(SUBJECTS[A][1])), {"entA", "sysA", "reg31"}),
        # the gray case: names no party or location at all, kept for its capturer's subject
        ("entB", event("urn:t:gray", 5, at=None), {"entB", "reg32"}),
        # an admin capturing at C: C has no credential here, nobody else sees it
        ("admin", event("urn:t:c", 6, at=location(C)), set()),
    ]
    for who, doc, seen in cases:
        response = client.post("/events", content=document_bytes([doc]), headers=headers(world.keys[who]))
        assert response.status_code == 201, response.text
        world.seen_by[doc["eventID"]] = {"admin", *seen}
    return world
