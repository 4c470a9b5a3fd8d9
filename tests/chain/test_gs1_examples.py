"""Trace results on GS1's own EPCIS 2.0 examples (expectations written before the first run)."""

from __future__ import annotations

from sqlalchemy import Engine

from tests.reference import reference_path
from zhuisu.capture.formats.detect import parse_bytes
from zhuisu.capture.service import ErrorBehaviour, capture
from zhuisu.chain.service import Direction, TraceResult, trace
from zhuisu.store.engine import read_connection, write_transaction


def _load(engine: Engine, name: str) -> list[str]:
    data = reference_path("epcis", "examples", "jsonld", name).read_bytes()
    with write_transaction(engine) as conn:
        result = capture(
            conn, parse_bytes(data, "application/ld+json"), error_behaviour=ErrorBehaviour.ROLLBACK
        )
        assert result.success, result.problems
    return result.event_ids


def _trace(engine: Engine, identifier: str, direction: Direction) -> TraceResult:
    with read_connection(engine) as conn:
        return trace(conn, identifier, direction=direction)


def test_example_9_6_4_transformation(engine: Engine) -> None:
    (event_id,) = _load(engine, "Example_9.6.4-TransformationEvent.jsonld")
    back = _trace(engine, "urn:epc:id:sgtin:4012345.077889.25", Direction.BACK)
    # four inputs (two SGTINs, two LGTINs; the sgtin pattern names a class and is no node), each a
    # candidate source of each of the four outputs: confidence 1/4 (EPCIS 2.0 §7.4.5 "some or all")
    assert back.events == [event_id]
    sources = {e.source for e in back.edges if e.kind == "transformation"}
    assert sources == {
        "https://id.gs1.org/01/04012345111224/21/25",
        "https://id.gs1.org/01/04000001654321/21/99886655",
        "https://id.gs1.org/01/04012345111118/10/4444",
        "https://id.gs1.org/01/00614141777778/10/987",
    }
    assert {e.confidence for e in back.edges if e.kind == "transformation"} == {0.25}
    forward = _trace(engine, "urn:epc:class:lgtin:4012345.011111.4444", Direction.FORWARD)
    assert len({e.target for e in forward.edges if e.kind == "transformation"}) == 4


def test_example_9_6_3_aggregation(engine: Engine) -> None:
    (event_id,) = _load(engine, "Example_9.6.3-AggregationEvent.jsonld")
    back = _trace(engine, "urn:epc:id:sgtin:0614141.107346.2017", Direction.BACK)
    # the case observed on its pallet: the pallet is a carrier, the other case is not reached
    assert back.events == [event_id]
    roles = {n.id: n.role for n in back.nodes if n.kind in ("item", "container")}
    assert roles == {
        "https://id.gs1.org/01/10614141073464/21/2017": "start",
        "https://id.gs1.org/00/106141412345678908": "carrier",
    }
