"""A split lot in a back trace: the portion that came to us, not its siblings (chain.custody)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from tests.chain.scenarios import obj, qty, store
from zhuisu.chain.custody import is_lot, place_of
from zhuisu.chain.service import Direction, trace
from zhuisu.store.engine import read_connection

FARM = "urn:epc:id:sgln:6901234.00001.0"
PLANT_1 = "urn:epc:id:sgln:6901234.00002.0"
PLANT_1_DOOR = "urn:epc:id:sgln:6901234.00002.7"
PLANT_2 = "urn:epc:id:sgln:6901234.00003.0"
COLD_STORE = "urn:epc:id:sgln:6901234.00004.0"
PIGS = "urn:epc:class:lgtin:6901234.100001.F1"
SIDES_1 = "urn:epc:class:lgtin:6901234.200001.S1"
SIDES_2 = "urn:epc:class:lgtin:6901234.200001.S2"


def _xform(event_id: str, time: str, where: str, inputs: list[str], output: str) -> dict[str, Any]:
    return {
        "type": "TransformationEvent",
        "eventID": event_id,
        "eventTime": f"2026-05-{time}:00.000+08:00",
        "eventTimeZoneOffset": "+08:00",
        "inputQuantityList": [qty(i, 10, "H87") for i in inputs],
        "outputQuantityList": [qty(output, 700, "KGM")],
        "bizStep": "commissioning",
        "bizLocation": {"id": where},
    }


def _split_batch() -> list[dict[str, Any]]:
    """One farm batch of pigs split between two slaughterhouses, each portion under its own code
    (e02 / e03), received by voucher (e04 at plant 1's dock door, e05 at plant 2) and slaughtered
    into each plant's own lot of sides (e06, e07), then sold on under new codes (e08, e09)."""
    return [
        obj("urn:uuid:e01", "01T06:00", FARM, [qty(PIGS, 20, "H87")], step="commissioning", action="ADD"),
        obj("urn:uuid:e02", "01T08:00", FARM, [qty(PIGS, 10, "H87")], fields={"zs:traceCode": "YZ-1"}),
        obj("urn:uuid:e03", "01T08:05", FARM, [qty(PIGS, 10, "H87")], fields={"zs:traceCode": "YZ-2"}),
        obj(
            "urn:uuid:e04",
            "01T10:00",
            PLANT_1_DOOR,
            [qty(PIGS, 10, "H87")],
            step="receiving",
            fields={"zs:traceVoucher": "YZ-1"},
        ),
        obj(
            "urn:uuid:e05",
            "01T10:30",
            PLANT_2,
            [qty(PIGS, 10, "H87")],
            step="receiving",
            fields={"zs:traceVoucher": "YZ-2"},
        ),
        _xform("urn:uuid:e06", "01T14:00", PLANT_1, [PIGS], SIDES_1),
        _xform("urn:uuid:e07", "01T14:00", PLANT_2, [PIGS], SIDES_2),
        obj("urn:uuid:e08", "02T04:00", PLANT_1, [qty(SIDES_1, 80, "KGM")], fields={"zs:traceCode": "TZ-1"}),
        obj("urn:uuid:e09", "02T04:00", PLANT_2, [qty(SIDES_2, 80, "KGM")], fields={"zs:traceCode": "TZ-2"}),
    ]


def _events(engine: Engine, identifier: str, direction: Direction) -> list[str]:
    with read_connection(engine) as conn:
        return [e.rsplit(":", 1)[1] for e in trace(conn, identifier, direction=direction).events]


def test_a_back_trace_keeps_to_the_portion_that_came_to_it(engine: Engine) -> None:
    store(engine, _split_batch())
    # plant 1's sides came from the farm's portion shipped under YZ-1 and received at plant 1:
    # the farm's other shipment and plant 2's receipt are another portion's
    assert _events(engine, "TZ-1", Direction.BACK) == ["e01", "e02", "e04", "e06", "e08"]
    assert _events(engine, "TZ-2", Direction.BACK) == ["e01", "e03", "e05", "e07", "e09"]
    with read_connection(engine) as conn:
        nodes = {n.id for n in trace(conn, "TZ-1", direction=Direction.BACK).nodes}
    assert "YZ-1" in nodes and "YZ-2" not in nodes


def test_the_lot_itself_still_shows_every_portion(engine: Engine) -> None:
    store(engine, _split_batch())
    # asked about the farm batch as a whole, nothing is narrowed
    assert _events(engine, PIGS, Direction.FORWARD) == [f"e{n:02d}" for n in range(1, 10)]
    assert _events(engine, PIGS, Direction.BACK) == [f"e{n:02d}" for n in range(1, 8)]


def test_a_lot_moved_without_a_receipt_keeps_its_earlier_history(engine: Engine) -> None:
    """Plant 1 moved its portion to its cold store with no receipt on record and slaughtered it
    there: nothing says which receipt brought it, so the receipts before that use are kept — here
    only plant 1's, since plant 2 received its portion after the use; and with plant 2's receipt
    the farm's shipment to plant 2 is another portion's again."""
    events = _split_batch()
    events[4]["eventTime"] = "2026-05-01T15:30:00.000+08:00"  # plant 2 receives after the use
    events[6]["eventTime"] = "2026-05-01T16:00:00.000+08:00"
    events[5]["bizLocation"] = {"id": COLD_STORE}  # the use, where nothing booked the lot in
    store(engine, events)
    assert _events(engine, "TZ-1", Direction.BACK) == ["e01", "e02", "e04", "e06", "e08"]


def test_a_lot_moved_without_a_receipt_after_two_receipts_keeps_both(engine: Engine) -> None:
    """As above, but both portions were received before the use at the cold store: either may be
    the one that was moved there, so both stay."""
    events = _split_batch()
    events[5]["bizLocation"] = {"id": COLD_STORE}
    store(engine, events)
    assert _events(engine, "TZ-1", Direction.BACK) == ["e01", "e02", "e03", "e04", "e05", "e06", "e08"]


def test_a_place_is_its_site() -> None:
    assert (
        place_of(PLANT_1_DOOR) == place_of(PLANT_1) == place_of("https://id.gs1.org/414/6901234000023/254/9")
    )
    assert place_of(PLANT_1) != place_of(PLANT_2)
    assert place_of("urn:example:warehouse:7") == "urn:example:warehouse:7"
    assert place_of(None) is None
    assert is_lot("https://id.gs1.org/01/06901234000016/10/F1")
    assert not is_lot("https://id.gs1.org/01/06901234000016/21/7")
    assert not is_lot("YZ-1")
