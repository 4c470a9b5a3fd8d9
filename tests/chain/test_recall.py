"""Recall scope over the pork chain: every downstream lot and holder, still in stock first.

Expected before the first run (pork_chain quantities): market A received 800 kg of lot WA and
sold 5 (holds 795), market B received 700 of WB and shipped 100 (600), the supermarket received
100 of SM and sold 1 (99); the farm, the slaughterhouse hold nothing any more.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.chain import scenarios as sc
from tests.chain.scenarios import store
from zhuisu.chain.checks import parse_time
from zhuisu.chain.recall import RecallScope, recall_scope
from zhuisu.errors import NotFound, ValidationFailed
from zhuisu.store.engine import read_connection

LOT_A = "https://id.gs1.org/01/36902000000019/10/WA"
LOT_B = "https://id.gs1.org/01/36902000000019/10/WB"
LOT_SM = "https://id.gs1.org/01/46903000000013/10/SM"


def _scope(engine: Engine, *identifiers: str, since: str | None = None) -> RecallScope:
    with read_connection(engine) as conn:
        start = parse_time(since) if since else None
        return recall_scope(conn, list(identifiers), since_us=start)


def test_recall_of_the_farm_lot_reaches_every_holder_still_in_stock_first(engine: Engine) -> None:
    store(engine, sc.pork_chain())
    scope = _scope(engine, sc.PIGS)
    top = [(h.location, h.identifier, h.still_holds) for h in scope.holdings[:3]]
    assert top == [(sc.MARKET_A, LOT_A, 795), (sc.MARKET_B, LOT_B, 600), (sc.SUPERMARKET, LOT_SM, 99)]
    assert all(h.still_holds == 0 for h in scope.holdings[3:])
    market_a = scope.holdings[0]
    assert (market_a.received, market_a.sold_on, market_a.subject) == (800, 5, "MARKET-A")
    assert market_a.events == sc.ids(7, 8, 9)
    slaughter = [h for h in scope.holdings if h.location == sc.SLAUGHTER]
    assert {(h.received, h.used, h.sold_on) for h in slaughter} == {(20, 20, 0), (1500, 0, 1500)}
    assert {sc.RETAIL_A1, sc.RETAIL_SM, LOT_SM} <= {node for node, _ in scope.lots}
    assert sorted(scope.events) == sc.ids(*range(1, 14))
    doc = scope.to_json()
    assert doc["holdings"][0]["stillHolds"] == 795 and doc["unknown"] == []
    assert {"location": sc.SUPERMARKET, "subject": None} in doc["holders"]


def test_recall_of_one_branch_leaves_the_other_market_out(engine: Engine) -> None:
    store(engine, sc.pork_chain())
    scope = _scope(engine, sc.TO_B, "NO-SUCH-CODE")
    # the carcass lot at the slaughterhouse is upstream of the code: not in scope
    assert {h.location for h in scope.holdings} == {sc.MARKET_B, sc.SUPERMARKET}
    assert scope.events == sc.ids(6, 10, 11, 12, 13)
    assert scope.unknown == ["NO-SUCH-CODE"]
    assert scope.holdings[0].identifier == LOT_B


def test_a_time_window_counts_only_the_events_inside_it(engine: Engine) -> None:
    store(engine, sc.pork_chain())
    scope = _scope(engine, sc.TO_A, since="2026-05-02T00:00:00+08:00")
    assert scope.events == sc.ids(5, 7, 8, 9)


def test_recall_errors(engine: Engine) -> None:
    store(engine, sc.pork_chain())
    with pytest.raises(NotFound):
        _scope(engine, "NO-SUCH-CODE")
    with pytest.raises(ValidationFailed):
        _scope(engine)


def test_a_lot_received_in_two_units_is_held_in_each(engine: Engine) -> None:
    """One receipt states lot WA twice, in kilograms and in pieces: the stored row cannot hold two
    amounts (uom "*"), so the recall sums that list from the document, per unit."""
    chain = sc.pork_chain()
    chain[6]["quantityList"] = [sc.qty(sc.LOT_A, 800, "KGM"), sc.qty(sc.LOT_A, 4, "H87")]
    store(engine, chain)
    held = {
        (h.uom, h.received, h.still_holds) for h in _scope(engine, sc.PIGS).holdings if h.identifier == LOT_A
    }
    assert held == {("KGM", 800, 795), ("H87", 4, 4)}
