"""Helpers for query tests: capture events, run a query, see which events come back."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import orjson
import pytest
from sqlalchemy import Engine

from tests.factories import make_document
from zhuisu.capture.formats.epcis_json import parse_json
from zhuisu.capture.service import ErrorBehaviour, capture
from zhuisu.query import params, service
from zhuisu.store.engine import read_connection, write_transaction

SECRET = b"test-secret"


def store(engine: Engine, events: list[dict[str, Any]], namespaces: dict[str, str] | None = None) -> None:
    doc = parse_json(orjson.dumps(make_document(events, namespaces=namespaces)))
    with write_transaction(engine) as conn:
        result = capture(conn, doc, error_behaviour=ErrorBehaviour.ROLLBACK)
    assert result.problems == [], [p.message_en for p in result.problems]


Query = Callable[..., list[str]]


def run_ids(engine: Engine, query: Mapping[str, str | list[str]], *, per_page: int = 1000) -> list[str]:
    """eventIDs of every page of the query, in order."""
    raw = {k: v if isinstance(v, list) else [v] for k, v in query.items()}
    parsed = params.parse(raw)
    out: list[str] = []
    token: str | None = None
    with read_connection(engine) as conn:
        while True:
            page = service.run_query(conn, parsed, service.PageRequest(per_page, token, SECRET, 60))
            out.extend(row.event_id for row in page.events)
            if page.next_token is None:
                return out
            token = page.next_token


@pytest.fixture
def ids(engine: Engine) -> Query:
    def run(per_page: int = 1000, **query: str | list[str]) -> list[str]:
        return run_ids(engine, query, per_page=per_page)

    return run


# ------------------------------------------------------------------------------ a small data set

NS = "https://example.cn/trace/"
L1 = "urn:epc:id:sgln:6901234.00001.0"
L1A = "urn:epc:id:sgln:6901234.00002.0"  # below L1 in the master data
L2 = "urn:epc:id:sgln:6901234.00003.0"
PARTY = "urn:epc:id:pgln:6901234.00001"
SSCC = "urn:epc:id:sscc:6901234.0000000001"
LOT_A = "urn:epc:class:lgtin:6901234.012345.A"
LOT_B = "urn:epc:class:lgtin:6901234.012345.B"
LOT_C = "urn:epc:class:lgtin:6901234.054321.C"
LOT_D = "urn:epc:class:lgtin:6901234.067890.D"
PO = "urn:epc:id:gdti:6901234.00001.PO123"
DEVICE = "urn:epc:id:giai:6901234.D1"


def e(n: int) -> str:
    return f"urn:zhuisu:test:e{n}"


def item(n: int, ref: str = "012345") -> str:
    return f"urn:epc:id:sgtin:6901234.{ref}.{n}"


def dataset_events() -> list[dict[str, Any]]:
    """Six events and one error declaration, covering every dimension the query tests."""
    e1 = {
        "type": "ObjectEvent",
        "eventID": e(1),
        "action": "ADD",
        "bizStep": "commissioning",
        "disposition": "active",
        "eventTime": "2026-05-01T08:00:00.000+08:00",
        "eventTimeZoneOffset": "+08:00",
        "epcList": [item(1)],
        "readPoint": {"id": L1},
        "bizLocation": {"id": L1},
        "quantityList": [{"epcClass": LOT_A, "quantity": 10, "uom": "KGM"}],
        "ilmd": {"ex:origin": "山东寿光", "ex:harvest": "2026-04-28T06:00:00+08:00"},
        "ex:grade": "A",
        "ex:weight": 12.5,
    }
    e2 = {
        "type": "ObjectEvent",
        "eventID": e(2),
        "action": "OBSERVE",
        "bizStep": "shipping",
        "disposition": "in_transit",
        "eventTime": "2026-05-02T08:00:00.000+08:00",
        "eventTimeZoneOffset": "+08:00",
        "epcList": ["https://id.gs1.org/01/06901234123456/21/2", item(3)],
        "readPoint": {"id": L2},
        "bizLocation": {"id": L2},
        "bizTransactionList": [{"type": "po", "bizTransaction": PO}],
        "sourceList": [{"type": "owning_party", "source": PARTY}],
        "destinationList": [{"type": "location", "destination": L1A}],
        "persistentDisposition": {"set": ["completeness_verified"], "unset": ["in_progress"]},
        "ex:grade": "B",
        "ex:weight": 8,
    }
    e3 = {
        "type": "AggregationEvent",
        "eventID": e(3),
        "action": "ADD",
        "bizStep": "packing",
        "disposition": "in_progress",
        "eventTime": "2026-05-03T08:00:00.000+08:00",
        "eventTimeZoneOffset": "+08:00",
        "parentID": SSCC,
        "childEPCs": [item(4)],
        "readPoint": {"id": L1A},
        "bizLocation": {"id": L1A},
        "childQuantityList": [{"epcClass": LOT_B, "quantity": 5}],
    }
    e4 = {
        "type": "TransformationEvent",
        "eventID": e(4),
        "bizStep": "commissioning",
        "eventTime": "2026-05-04T08:00:00.000+08:00",
        "eventTimeZoneOffset": "+08:00",
        "inputEPCList": [item(5)],
        "outputEPCList": [item(6, "067890")],
        "inputQuantityList": [{"epcClass": LOT_C, "quantity": 20, "uom": "KGM"}],
        "outputQuantityList": [{"epcClass": LOT_D, "quantity": 18500, "uom": "GRM"}],
        "transformationID": "urn:uuid:6ad2cf0a-0fe3-4c4c-9f3a-6f7c4e6f7a01",
        "readPoint": {"id": L2},
        "bizLocation": {"id": L2},
    }
    e5 = {
        "type": "ObjectEvent",
        "eventID": e(5),
        "action": "OBSERVE",
        "bizStep": "sensor_reporting",
        "eventTime": "2026-05-05T08:00:00.000+08:00",
        "eventTimeZoneOffset": "+08:00",
        "epcList": [SSCC],
        "readPoint": {"id": L2},
        "sensorElementList": [
            {
                "sensorMetadata": {"time": "2026-05-05T07:00:00.000+08:00", "deviceID": DEVICE},
                "sensorReport": [
                    {"type": "Temperature", "value": 4.0, "uom": "CEL"},
                    {
                        "type": "RelativeHumidity",
                        "value": 80,
                        "uom": "P1",
                        "stringValue": "ok",
                        "booleanValue": True,
                        "hexBinaryValue": "0aff",
                    },
                ],
            }
        ],
    }
    e6 = {
        "type": "TransactionEvent",
        "eventID": e(6),
        "action": "ADD",
        "bizStep": "retail_selling",
        "disposition": "retail_sold",
        "eventTime": "2026-05-06T08:00:00.000+08:00",
        "eventTimeZoneOffset": "+08:00",
        "epcList": [item(7)],
        "bizLocation": {"id": L1},
        "bizTransactionList": [{"type": "inv", "bizTransaction": "urn:zhuisu:invoice:9"}],
    }
    declaration = {
        **e1,
        "errorDeclaration": {
            "declarationTime": "2026-05-07T09:00:00.000+08:00",
            "reason": "incorrect_data",
            "correctiveEventIDs": [e(2)],
        },
    }
    return [e1, e2, e3, e4, e5, e6, declaration]


@pytest.fixture
def dataset(engine: Engine) -> Engine:
    store(engine, dataset_events(), namespaces={"ex": NS})
    return engine
