"""Supply chains built through the capture service, for the chain tests (data written by us)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from tests.factories import EXAMPLE_NS, document_bytes, make_event
from zhuisu.capture.formats.detect import parse_bytes
from zhuisu.capture.service import CaptureResult, ErrorBehaviour, capture
from zhuisu.domain.event_model import ZHUISU_NS
from zhuisu.store.engine import write_transaction

NAMESPACES = {"ex": EXAMPLE_NS, "zs": ZHUISU_NS}

FARM = "urn:epc:id:sgln:6901234.00001.0"
SLAUGHTER = "urn:epc:id:sgln:6901234.00002.0"
MARKET_A = "urn:epc:id:sgln:6902000.00001.0"
MARKET_B = "urn:epc:id:sgln:6902000.00002.0"
SUPERMARKET = "urn:epc:id:sgln:6903000.00001.0"

PIGS = "urn:epc:class:lgtin:6901234.100001.F1"
CARCASS = "urn:epc:class:lgtin:6901234.200001.S1"
LOT_A = "urn:epc:class:lgtin:6902000.300001.WA"
LOT_B = "urn:epc:class:lgtin:6902000.300001.WB"
LOT_SM = "urn:epc:class:lgtin:6903000.400001.SM"

FARM_CODE = "YZ320101000120260501"
TO_A, TO_B = "TZ3201010010001A", "TZ3201010010001B"
RETAIL_A1, RETAIL_A2 = "LS3201020010001001", "LS3201020010001002"
TO_SM, RETAIL_SM = "PF3201020020001001", "CS3201030010001001"


def store(engine: Engine, events: list[dict[str, Any]]) -> CaptureResult:
    """Capture a document of events in one transaction; fails the test if anything is refused."""
    doc = parse_bytes(document_bytes(events, namespaces=NAMESPACES), "application/json")
    with write_transaction(engine) as conn:
        result = capture(conn, doc, error_behaviour=ErrorBehaviour.ROLLBACK)
        assert result.success, result.problems
    return result


def qty(epc_class: str, amount: float | None = None, uom: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"epcClass": epc_class}
    if amount is not None:
        element["quantity"] = amount
    if uom is not None:
        element["uom"] = uom
    return element


def obj(
    event_id: str,
    time: str,
    where: str,
    quantities: list[dict[str, Any]],
    *,
    step: str = "shipping",
    action: str = "OBSERVE",
    fields: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An ObjectEvent with a quantity list and zhuisu trace fields."""
    event = make_event(
        event_id=event_id,
        epcs=[],
        action=action,
        biz_step=step,
        disposition=None,
        event_time=f"2026-05-{time}:00.000+08:00",
        read_point=where,
        biz_location=where,
        extra={"quantityList": quantities, **(fields or {})},
    )
    del event["epcList"]
    return event


def pork_chain() -> list[dict[str, Any]]:
    """Farm → slaughterhouse (transformation) → markets A and B → retail; B → supermarket → retail.

    Event ids e01 … e13 in time order (e05 and e06 are the slaughterhouse's two sales).
    """
    return [
        obj("urn:uuid:e01", "01T06:00", FARM, [qty(PIGS, 20, "H87")], step="commissioning", action="ADD"),
        obj(
            "urn:uuid:e02",
            "01T08:00",
            FARM,
            [qty(PIGS, 20, "H87")],
            fields={"zs:traceCode": FARM_CODE, "zs:subject": "91320101MA1XXXXX0A"},
        ),
        obj(
            "urn:uuid:e03",
            "01T10:00",
            SLAUGHTER,
            [qty(PIGS, 20, "H87")],
            step="receiving",
            fields={"zs:traceVoucher": FARM_CODE},
        ),
        {
            "type": "TransformationEvent",
            "eventID": "urn:uuid:e04",
            "eventTime": "2026-05-01T14:00:00.000+08:00",
            "eventTimeZoneOffset": "+08:00",
            "inputQuantityList": [qty(PIGS, 20, "H87")],
            "outputQuantityList": [qty(CARCASS, 1500, "KGM")],
            "bizStep": "commissioning",
            "readPoint": {"id": SLAUGHTER},
            "bizLocation": {"id": SLAUGHTER},
        },
        obj(
            "urn:uuid:e05",
            "02T04:00",
            SLAUGHTER,
            [qty(CARCASS, 800, "KGM")],
            fields={"zs:traceCode": TO_A, "zs:buyer": "market A"},
        ),
        obj(
            "urn:uuid:e06",
            "02T04:30",
            SLAUGHTER,
            [qty(CARCASS, 700, "KGM")],
            fields={"zs:traceCode": TO_B, "zs:buyer": "market B"},
        ),
        obj(
            "urn:uuid:e07",
            "02T06:00",
            MARKET_A,
            [qty(LOT_A, 800, "KGM")],
            step="receiving",
            fields={"zs:traceVoucher": TO_A, "zs:batchNo": "A0502", "zs:subject": "MARKET-A"},
        ),
        obj(
            "urn:uuid:e08",
            "02T09:00",
            MARKET_A,
            [qty(LOT_A, 2, "KGM")],
            step="retail_selling",
            fields={"zs:traceCode": RETAIL_A1},
        ),
        obj(
            "urn:uuid:e09",
            "02T10:00",
            MARKET_A,
            [qty(LOT_A, 3, "KGM")],
            step="retail_selling",
            fields={"zs:traceCode": RETAIL_A2},
        ),
        obj(
            "urn:uuid:e10",
            "02T07:00",
            MARKET_B,
            [qty(LOT_B, 700, "KGM")],
            step="receiving",
            fields={"zs:traceVoucher": TO_B},
        ),
        obj("urn:uuid:e11", "02T08:00", MARKET_B, [qty(LOT_B, 100, "KGM")], fields={"zs:traceCode": TO_SM}),
        obj(
            "urn:uuid:e12",
            "02T11:00",
            SUPERMARKET,
            [qty(LOT_SM, 100, "KGM")],
            step="receiving",
            fields={"zs:traceVoucher": TO_SM},
        ),
        obj(
            "urn:uuid:e13",
            "02T15:00",
            SUPERMARKET,
            [qty(LOT_SM, 1, "KGM")],
            step="retail_selling",
            fields={"zs:traceCode": RETAIL_SM},
        ),
    ]


def ids(*numbers: int) -> list[str]:
    return [f"urn:uuid:e{n:02d}" for n in numbers]
