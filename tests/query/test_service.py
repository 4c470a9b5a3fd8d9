"""Every SimpleEventQuery parameter (EPCIS 2.0 §8.2.7.1) against a small data set, on SQLite and
PostgreSQL: exactly which events come back, in which order."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.query.conftest import (
    DEVICE,
    L1,
    L1A,
    L2,
    LOT_A,
    LOT_B,
    LOT_C,
    LOT_D,
    NS,
    PARTY,
    PO,
    SSCC,
    e,
    item,
    run_ids,
)
from zhuisu.domain import epc
from zhuisu.errors import QueryTooLarge
from zhuisu.query import masterdata
from zhuisu.store.engine import write_transaction

ALL = [e(1), e(2), e(3), e(4), e(5), e(6), e(1)]  # the last: e1's error declaration
GTIN_DL = "https://id.gs1.org/01/06901234123456"

CASES: list[tuple[dict[str, str | list[str]], list[str]]] = [
    ({}, ALL),
    ({"eventType": "ObjectEvent"}, [e(1), e(2), e(5), e(1)]),
    ({"eventType": "AggregationEvent|TransformationEvent"}, [e(3), e(4)]),
    ({"eventType": "https://example.cn/MyEvent"}, []),
    ({"GE_eventTime": "2026-05-03T08:00:00+08:00"}, [e(3), e(4), e(5), e(6)]),
    ({"LT_eventTime": "2026-05-02T00:00:00Z"}, [e(1), e(1)]),
    ({"GE_eventTime": "2026-05-02T00:00:00Z", "LT_eventTime": "2026-05-04T00:00:00Z"}, [e(2), e(3)]),
    ({"EQ_action": "ADD"}, [e(1), e(3), e(6), e(1)]),
    ({"EQ_action": "OBSERVE|DELETE"}, [e(2), e(5)]),
    ({"EQ_bizStep": "commissioning"}, [e(1), e(4), e(1)]),
    (
        {"EQ_bizStep": "https://ref.gs1.org/cbv/BizStep-shipping|urn:epcglobal:cbv:bizstep:packing"},
        [e(2), e(3)],
    ),
    ({"EQ_disposition": "in_transit|retail_sold"}, [e(2), e(6)]),
    ({"EQ_persistentDisposition_set": "completeness_verified"}, [e(2)]),
    ({"EQ_persistentDisposition_unset": "in_progress"}, [e(2)]),
    ({"EQ_persistentDisposition_set": "in_progress"}, []),
    ({"EQ_transformationID": "urn:uuid:6ad2cf0a-0fe3-4c4c-9f3a-6f7c4e6f7a01"}, [e(4)]),
    ({"EQ_bizTransaction_po": PO}, [e(2)]),
    ({"EQ_bizTransaction_po": "https://id.gs1.org/253/6901234000016PO123"}, [e(2)]),
    ({"EQ_bizTransaction_inv": PO}, []),
    ({"EQ_bizTransaction_urn:epcglobal:cbv:btt:inv": "urn:zhuisu:invoice:9"}, [e(6)]),
    ({"EQ_source_owning_party": PARTY}, [e(2)]),
    ({"EQ_destination_location": L1A}, [e(2)]),
    ({"EQ_destination_location": L1}, []),
    ({"EQ_readPoint": L2}, [e(2), e(4), e(5)]),
    ({"EQ_readPoint": f"{L1}|{L1A}"}, [e(1), e(3), e(1)]),
    ({"EQ_readPoint": "https://id.gs1.org/414/6901234000030"}, [e(2), e(4), e(5)]),
    ({"EQ_bizLocation": L1}, [e(1), e(6), e(1)]),
    ({"EQ_bizLocation": L1, "GE_eventTime": "2026-05-05T00:00:00Z"}, [e(6)]),
    ({"MATCH_epc": item(1)}, [e(1), e(1)]),
    ({"MATCH_epc": item(2)}, [e(2)]),  # stored as a Digital Link, asked as a URN
    ({"MATCH_epc": "https://example.com/01/06901234123456/21/3?17=261231"}, [e(2)]),
    ({"MATCH_epc": item(4)}, [e(3)]),  # childEPCs
    ({"MATCH_epc": "urn:epc:idpat:sgtin:6901234.012345.*"}, [e(1), e(2), e(3), e(6), e(1)]),
    ({"MATCH_epc": GTIN_DL}, [e(1), e(2), e(3), e(6), e(1)]),
    ({"MATCH_epc": f"{item(1)}|{item(7)}"}, [e(1), e(6), e(1)]),
    ({"MATCH_epc": item(5)}, []),  # an input, not an epcList
    ({"MATCH_parentID": SSCC}, [e(3)]),
    ({"MATCH_inputEPC": item(5)}, [e(4)]),
    ({"MATCH_outputEPC": "urn:epc:idpat:sgtin:6901234.067890.*"}, [e(4)]),
    ({"MATCH_anyEPC": SSCC}, [e(3), e(5)]),
    ({"MATCH_anyEPC": f"{item(5)}|{item(6, '067890')}"}, [e(4)]),
    ({"MATCH_epcClass": LOT_A}, [e(1), e(1)]),
    ({"MATCH_epcClass": "https://id.gs1.org/01/06901234123456/10/B"}, [e(3)]),  # childQuantityList
    ({"MATCH_epcClass": "urn:epc:idpat:sgtin:6901234.012345.*"}, [e(1), e(3), e(1)]),
    ({"MATCH_inputEPCClass": LOT_C}, [e(4)]),
    ({"MATCH_outputEPCClass": LOT_D}, [e(4)]),
    ({"MATCH_outputEPCClass": LOT_C}, []),
    ({"MATCH_anyEPCClass": f"{LOT_B}|{LOT_D}"}, [e(3), e(4)]),
    ({"EQ_quantity": "5"}, [e(3)]),
    ({"GT_quantity": "10"}, [e(4)]),
    ({"GE_quantity": "10"}, [e(1), e(4), e(1)]),
    ({"LT_quantity": "10"}, [e(3)]),
    ({"LE_quantity": "5"}, [e(3)]),
    ({"GE_quantity_KGM": "15"}, [e(4)]),
    ({"EQ_eventID": f"{e(2)}|{e(5)}"}, [e(2), e(5)]),
    ({"EXISTS_errorDeclaration": "true"}, [e(1)]),
    ({"EXISTS_errorDeclaration": "false"}, ALL),
    ({"GE_errorDeclarationTime": "2026-05-07T00:00:00Z"}, [e(1)]),
    ({"LT_errorDeclarationTime": "2026-05-07T00:00:00Z"}, []),
    ({"EQ_errorReason": "incorrect_data"}, [e(1)]),
    ({"EQ_errorReason": "did_not_occur"}, []),
    ({"EQ_correctiveEventID": e(2)}, [e(1)]),
    ({"EXISTS_sensorElementList": "true"}, [e(5)]),
    ({"EQ_type": "Temperature"}, [e(5)]),
    ({"EQ_type": "gs1:Pressure"}, []),
    ({"EQ_deviceID": DEVICE}, [e(5)]),
    ({"GE_time": "2026-05-04T23:00:00Z"}, [e(5)]),
    ({"LT_time": "2026-05-04T23:00:00Z"}, []),
    ({"GT_value_CEL": "3.5"}, [e(5)]),
    ({"GT_value_CEL": "4"}, []),
    ({"GE_value_FAH": "39"}, [e(5)]),  # 4 °C = 39.2 °F
    ({"LT_value_KEL": "277.2"}, [e(5)]),  # 277.15 K
    ({"EQ_value_KGM": "4"}, []),  # another dimension
    ({"EQ_stringValue": "ok"}, [e(5)]),
    ({"EQ_booleanValue": "true"}, [e(5)]),
    ({"EQ_hexBinaryValue": "0AFF"}, [e(5)]),
    ({"EQ_ex:grade": "A|C"}, [e(1), e(1)]),
    ({"GT_ex:weight": "10"}, [e(1), e(1)]),
    ({"LE_ex:weight": "8"}, [e(2)]),
    ({f"EQ_{NS}#grade": "B"}, [e(2)]),
    ({"EXISTS_ex:grade": "true"}, [e(1), e(2), e(1)]),
    ({"EQ_ILMD_ex:origin": "山东寿光"}, [e(1), e(1)]),
    ({"GE_ILMD_ex:harvest": "2026-04-27T00:00:00Z"}, [e(1), e(1)]),
    ({"EXISTS_ILMD_ex:origin": "true"}, [e(1), e(1)]),
    ({"EXISTS_ILMD_ex:nothing": "true"}, []),
    ({"EQ_bizStep": "commissioning", "EQ_bizLocation": L2}, [e(4)]),
]


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[str(sorted(q.items())) for q, _ in CASES])
def test_parameter_selects_exactly(
    dataset: Engine, query: dict[str, str | list[str]], expected: list[str]
) -> None:
    assert run_ids(dataset, query) == expected


def test_event_time_bound_is_half_open(dataset: Engine) -> None:
    # e2 is at 2026-05-02T00:00Z exactly: GE includes it, LT excludes it (§8.2.7.1)
    assert run_ids(
        dataset, {"GE_eventTime": "2026-05-02T00:00:00Z", "LT_eventTime": "2026-05-02T00:00:01Z"}
    ) == [e(2)]
    assert e(2) not in run_ids(dataset, {"LT_eventTime": "2026-05-02T00:00:00Z"})


def test_record_time_window(dataset: Engine) -> None:
    assert run_ids(dataset, {"GE_recordTime": "2000-01-01T00:00:00Z"}) == ALL
    assert run_ids(dataset, {"LT_recordTime": "2000-01-01T00:00:00Z"}) == []


def test_with_descendants_uses_location_master_data(dataset: Engine) -> None:
    assert run_ids(dataset, {"WD_bizLocation": L1}) == [e(1), e(6), e(1)]
    with write_transaction(dataset) as conn:
        masterdata.capture_master_data(
            conn, "location", [{"id": L1A, "parentID": epc.canonical(L1), "nameZh": "一号冷库"}]
        )
    assert run_ids(dataset, {"WD_bizLocation": L1}) == [e(1), e(3), e(6), e(1)]
    assert run_ids(dataset, {"WD_readPoint": "https://id.gs1.org/414/6901234000016"}) == [e(1), e(3), e(1)]
    assert run_ids(dataset, {"WD_readPoint": L1, "EQ_readPoint": L1A}) == [e(3)]


def test_order_by_event_time(dataset: Engine) -> None:
    # orderDirection defaults to DESC (§8.2.7.1)
    assert run_ids(dataset, {"orderBy": "eventTime"}) == [e(6), e(5), e(4), e(3), e(2), e(1), e(1)]
    assert run_ids(dataset, {"orderBy": "eventTime", "orderDirection": "ASC"}) == [
        e(1),
        e(1),
        e(2),
        e(3),
        e(4),
        e(5),
        e(6),
    ]


def test_order_by_record_time_then_capture_order(dataset: Engine) -> None:
    # one capture: same recordTime, so ties are broken by capture order (pk)
    assert run_ids(dataset, {"orderBy": "recordTime", "orderDirection": "ASC"}) == ALL


def test_order_by_extension_field(dataset: Engine) -> None:
    got = run_ids(dataset, {"orderBy": "ex:weight", "orderDirection": "ASC"}, per_page=2)
    assert got[:3] == [e(2), e(1), e(1)]  # 8, 12.5, 12.5; events without the field come last
    assert sorted(got[3:]) == sorted([e(3), e(4), e(5), e(6)])


def test_event_count_limit_across_pages(dataset: Engine) -> None:
    query: dict[str, str | list[str]] = {
        "orderBy": "eventTime",
        "orderDirection": "ASC",
        "eventCountLimit": "3",
    }
    assert run_ids(dataset, query, per_page=2) == [e(1), e(1), e(2)]
    assert run_ids(dataset, {"orderBy": "eventTime", "eventCountLimit": "1"}) == [e(6)]


def test_max_event_count(dataset: Engine) -> None:
    assert run_ids(dataset, {"EQ_bizStep": "commissioning", "maxEventCount": "3"}) == [e(1), e(4), e(1)]
    with pytest.raises(QueryTooLarge):
        run_ids(dataset, {"EQ_bizStep": "commissioning", "maxEventCount": "2"})
    with pytest.raises(QueryTooLarge):  # also when the count needs the nested-structure tests
        run_ids(dataset, {"GE_quantity": "1", "maxEventCount": "1"})


@pytest.mark.parametrize("per_page", [1, 2, 3, 100])
def test_pages_join_up(dataset: Engine, per_page: int) -> None:
    assert run_ids(dataset, {}, per_page=per_page) == ALL
    assert run_ids(dataset, {"GE_quantity": "1"}, per_page=per_page) == [e(1), e(3), e(4), e(1)]
    assert run_ids(dataset, {"orderBy": "eventTime", "orderDirection": "ASC"}, per_page=per_page) == [
        e(1),
        e(1),
        e(2),
        e(3),
        e(4),
        e(5),
        e(6),
    ]
