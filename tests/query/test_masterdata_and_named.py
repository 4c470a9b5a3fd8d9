"""Location / party master data and named queries, through their service functions."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.query.conftest import L1, L1A, e, run_ids
from zhuisu.errors import Conflict, NotFound, QueryParameterError, ValidationFailed
from zhuisu.query import masterdata, named, service
from zhuisu.store.engine import read_connection, write_transaction

L1_DL = "https://id.gs1.org/414/6901234000016"


def test_location_round_trip_and_canonical_ids(engine: Engine) -> None:
    record = {
        "id": L1,
        "nameZh": "寿光蔬菜批发市场",
        "nameEn": "Shouguang vegetable wholesale market",
        "address": "山东省潍坊市寿光市",
        "regionCode": "370783",
        "attributes": {"cbvmda:sst": "201"},
    }
    with write_transaction(engine) as conn:
        assert masterdata.capture_master_data(conn, "location", [record, {"id": L1A, "parentID": L1}]) == 2
    with read_connection(engine) as conn:
        got = masterdata.get_master_data(conn, "location", L1)  # asked as a URN, stored canonical
        assert got == {**record, "id": L1_DL}
        assert masterdata.get_master_data(conn, "location", L1A)["parentID"] == L1_DL
        page, after = masterdata.list_master_data(conn, "location", after=None, limit=1)
        assert len(page) == 1 and after is not None
        rest, end = masterdata.list_master_data(conn, "location", after=after, limit=5)
        assert len(rest) == 1 and end is None
        with pytest.raises(NotFound):
            masterdata.get_master_data(conn, "party", L1)


def test_newest_capture_of_a_record_wins(engine: Engine) -> None:
    for name in ("旧名", "新名"):
        with write_transaction(engine) as conn:
            masterdata.capture_master_data(
                conn, "party", {"id": "urn:epc:id:pgln:6901234.00001", "nameZh": name}
            )
    with read_connection(engine) as conn:
        assert masterdata.get_master_data(conn, "party", "urn:epc:id:pgln:6901234.00001")["nameZh"] == "新名"


def test_invalid_master_data_reports_every_problem(engine: Engine) -> None:
    records = [
        {"id": "not a uri"},
        {"id": L1, "regionCode": "3707", "colour": "red"},
        {"id": L1, "parentID": L1},
        "text",
    ]
    with write_transaction(engine) as conn, pytest.raises(ValidationFailed) as caught:
        masterdata.capture_master_data(conn, "location", records)
    paths = [(p.index, p.path, p.code) for p in caught.value.problems]
    assert paths == [
        (0, "$[0].id", "masterdata.id"),
        (1, "$[1].colour", "masterdata.unknown_field"),
        (1, "$[1].regionCode", "masterdata.region_code"),
        (2, "$[2].parentID", "masterdata.cycle"),
        (3, "$[3]", "masterdata.not_object"),
    ]


def test_named_query_lifecycle(dataset: Engine) -> None:
    body = {
        "name": "shipped",
        "query": {"EQ_bizStep": ["shipping", "receiving"], "eventType": ["ObjectEvent"]},
    }
    with write_transaction(dataset) as conn:
        assert named.create_query(conn, body) == "shipped"
        with pytest.raises(Conflict):
            named.create_query(conn, body)
    with read_connection(dataset) as conn:
        assert named.get_query(conn, "shipped") == body
        listed, _ = named.list_queries(conn, after=None, limit=10)
        assert listed == [body]
        query = named.query_of(conn, "shipped")
        page = service.run_query(conn, query, service.PageRequest(10, None, b"s", 60, "queries/shipped"))
        assert [r.event_id for r in page.events] == [e(2)]
    with write_transaction(dataset) as conn:
        named.delete_query(conn, "shipped")
        with pytest.raises(NotFound):
            named.delete_query(conn, "shipped")


@pytest.mark.parametrize(
    "body",
    [
        {"name": "bad name", "query": {}},
        {"name": "x", "query": {"EQ_bizStep": ["flying"]}},
        {"name": "x", "query": {"nonsense": 1}},
        {"name": "x", "query": {}, "extra": 1},
        ["not", "an", "object"],
    ],
)
def test_named_query_is_validated_when_created(engine: Engine, body: object) -> None:
    with write_transaction(engine) as conn, pytest.raises(QueryParameterError):
        named.create_query(conn, body)


def test_visibility_clause_is_applied_in_the_store(dataset: Engine) -> None:
    from zhuisu.store.tables import events

    with read_connection(dataset) as conn:
        query = named.parse_definition({"eventType": ["ObjectEvent"]})
        page = service.run_query(
            conn, query, service.PageRequest(10, None, b"s", 60), visibility=events.c.biz_step == "shipping"
        )
        assert [r.event_id for r in page.events] == [e(2)]
    assert run_ids(dataset, {"eventType": "ObjectEvent"}) == [e(1), e(2), e(5), e(1)]
