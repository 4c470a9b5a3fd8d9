"""The memo of ``epc.canonical``: a hit gives what the parse gives; malformed keys raise every time."""

from __future__ import annotations

import pytest

from zhuisu.domain import epc


def test_a_second_look_gives_the_same_key_as_the_first() -> None:
    urn = "urn:epc:id:sgtin:0614141.107346.2018"
    epc._canonical_cache.clear()
    first = epc.canonical(urn)
    assert epc._canonical_cache[urn] == first == epc._canonical(urn)
    assert epc.canonical(urn) == first == "https://id.gs1.org/01/10614141073464/21/2018"


def test_malformed_keys_are_not_remembered() -> None:
    bad = "urn:epc:id:sgtin:0614141.107346"  # no serial
    for _ in range(2):
        with pytest.raises(ValueError):
            epc.canonical(bad)
    assert bad not in epc._canonical_cache


def test_the_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(epc, "_MAX_CANONICAL", 3)
    epc._canonical_cache.clear()
    keys = [epc.canonical(f"urn:epc:id:sgtin:0614141.107346.{n}") for n in range(10)]
    assert len(epc._canonical_cache) <= 3
    assert keys == [f"https://id.gs1.org/01/10614141073464/21/{n}" for n in range(10)]
