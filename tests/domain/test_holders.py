"""domain.holders: the subject and the amounts capture stores beside each event."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from zhuisu.domain import epc
from zhuisu.domain.event_model import ZHUISU_NS
from zhuisu.domain.holders import SEVERAL_UNITS, amounts_of, subject_of

LOT = "urn:epc:class:lgtin:6901234.100001.F1"
OTHER = "urn:epc:class:lgtin:6901234.100001.F2"


def test_the_subject_field_comes_first_then_the_party_of_the_step() -> None:
    ns = {"t": ZHUISU_NS}
    parties = {
        "sourceList": [{"type": "owning_party", "source": "urn:epc:id:pgln:6901234.00001"}],
        "destinationList": [{"type": "owning_party", "destination": "urn:epc:id:pgln:6902000.00001"}],
    }
    assert subject_of({"t:subject": "91110000600037341L", **parties}, ns) == "91110000600037341L"
    assert subject_of({"bizStep": "shipping", **parties}, ns) == "urn:epc:id:pgln:6901234.00001"
    assert subject_of({"bizStep": "receiving", **parties}, ns) == "urn:epc:id:pgln:6902000.00001"
    assert subject_of({"bizStep": "receiving"}, ns) is None


def test_amounts_per_lot_of_one_list() -> None:
    elements = [
        {"epcClass": LOT, "quantity": 2.5, "uom": "KGM"},
        {"epcClass": LOT, "quantity": 1.5, "uom": "KGM"},
        {"epcClass": OTHER, "quantity": 3},
        {"epcClass": "urn:epc:class:lgtin:6901234.100001.F3"},
        {"epcClass": "urn:epc:class:lgtin:6901234.100001.F4", "quantity": 1, "uom": "KGM"},
        {"epcClass": "urn:epc:class:lgtin:6901234.100001.F4", "quantity": 2, "uom": "LTR"},
    ]
    out = amounts_of(elements, epc.canonical)
    assert out[epc.canonical(LOT)] == (4.0, "KGM")
    assert out[epc.canonical(OTHER)] == (3.0, "EA")  # no unit: a count (EPCIS 2.0 §7.3.3.3)
    assert out[epc.canonical("urn:epc:class:lgtin:6901234.100001.F3")] == (None, None)
    assert out[epc.canonical("urn:epc:class:lgtin:6901234.100001.F4")] == (None, SEVERAL_UNITS)
    assert amounts_of(None, epc.canonical) == {}


@given(st.lists(st.tuples(st.sampled_from([LOT, OTHER]), st.floats(0, 1e6), st.sampled_from(["KGM", "EA"]))))
def test_a_stored_amount_is_the_sum_of_its_elements(items: list[tuple[str, float, str]]) -> None:
    elements = [{"epcClass": cls, "quantity": q, "uom": u} for cls, q, u in items]
    out = amounts_of(elements, epc.canonical)
    for cls in {cls for cls, _, _ in items}:
        units = {u for c, _, u in items if c == cls}
        amount, uom = out[epc.canonical(cls)]
        if len(units) > 1:
            assert (amount, uom) == (None, SEVERAL_UNITS)
        else:
            assert uom in units and amount == sum(q for c, q, _ in items if c == cls)
