"""The food, agricultural-input and jewellery templates: one full journey each through the record
API (capture/records.submit) that links into a chain, traced back on SQLite and PostgreSQL.

Expected chains, from the link rules of domain.links: the food production record names its
ingredient lots as 追溯凭证号, so ingredient lot → product lot (VOUCHER); every other step carries the
product lot's own code, so the same node joins them.
"""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from sqlalchemy import Engine, select

from zhuisu.capture import records
from zhuisu.chain.service import Direction, trace
from zhuisu.domain.templates import STEPS, TEMPLATES
from zhuisu.errors import ValidationFailed
from zhuisu.store.engine import read_connection
from zhuisu.store.tables import events

GS1 = "https://id.gs1.org/01/06901234567892"
MILK, POWDER = f"{GS1}/10/R0427", f"{GS1}/10/R0428"  # two ingredient lots
PRODUCT = f"{GS1}/10/L0429"
PIECE = f"{GS1}/21/J0042"
DEALER_USCC = "91110000600037341L"


def example(step_id: str, **over: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"step": step_id}
    record.update({sf.field.key: sf.field.example for sf in STEPS[step_id].fields})
    record.update(over)
    return record


def journey(template: str, code: str, first: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Every step of ``template`` in order, one hour apart, each naming ``code`` (``first`` overrides)."""
    out = []
    for i, s in enumerate(TEMPLATES[template].steps):
        record = example(s.id, trace_code=code, event_time=f"2026-05-01 {8 + i:02d}:00:00")
        if i == 0 and first:
            record.update(first)
        out.append(record)
    return out


def stored(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [orjson.loads(d) for d in conn.execute(select(events.c.doc).order_by(events.c.pk)).scalars()]


def traced_back(engine: Engine, identifier: str) -> set[str]:
    with read_connection(engine) as conn:
        return {s.event_id for s in trace(conn, identifier, direction=Direction.BACK).steps}


def test_food_production_links_ingredient_lots_to_the_product_lot(engine: Engine) -> None:
    receipts = [
        example(
            "dairy.material_receipt",
            trace_code=lot,
            event_time=f"2026-04-30 0{8 + i}:00:00",
            batch_no=lot[-5:],
        )
        for i, lot in enumerate((MILK, POWDER))
    ]
    # no batch number shared with the receipts: only the production record's vouchers link them
    rest = [{**r, "batch_no": "L0429"} if "batch_no" in r else r for r in journey("dairy", PRODUCT)[1:]]
    rest[0]["trace_voucher"] = f"{MILK}, {POWDER}"
    with engine.begin() as conn:
        result = records.submit(conn, [*receipts, *rest])
    assert result.inserted == 6 and not result.problems
    ids = [d["eventID"] for d in stored(engine)]
    # the retail sale of the product lot reaches back to both raw-material receipts
    assert traced_back(engine, PRODUCT) == set(ids)
    # an ingredient lot's history is its receipt (and the production record that names it), not the
    # other ingredient's receipt
    milk = traced_back(engine, MILK)
    assert ids[0] in milk and ids[1] not in milk


@pytest.mark.parametrize(
    "template",
    ["infant_formula", "imported_food", "pesticide", "fertiliser", "seed", "vet_drug", "feed", "jewellery"],
)
def test_journey_traces_back_from_the_last_step_to_the_first(engine: Engine, template: str) -> None:
    code = PIECE if template == "jewellery" else PRODUCT
    batch = journey(template, code)
    if template == "infant_formula":
        batch[1]["trace_voucher"] = MILK  # the production step names an ingredient lot
    with engine.begin() as conn:
        result = records.submit(conn, batch)
    assert result.inserted == len(batch) and not result.problems
    docs = stored(engine)
    assert traced_back(engine, code) == {d["eventID"] for d in docs}
    first, last = docs[0], docs[-1]
    assert first["zs:template"] == TEMPLATES[template].steps[0].id
    assert code in [*first.get("epcList", ()), *(q["epcClass"] for q in first.get("quantityList", ()))]
    assert last["bizStep"] == "retail_selling" and last["disposition"] == "retail_sold"


def test_restricted_pesticide_sale_needs_the_buyer_named(engine: Engine) -> None:
    sale = example("pesticide.sale", buyer=DEALER_USCC)
    del sale["buyer_id_type"]
    with pytest.raises(ValidationFailed) as info, engine.begin() as conn:
        records.submit(conn, sale)
    assert [p.code for p in info.value.problems] == ["record.missing_field"]
    assert "购买人证件类型" in info.value.problems[0].message_zh
    # a fertiliser sale is not a real-name sale: the ID type is only expected
    fertiliser = example("fertiliser.sale")
    del fertiliser["buyer_id_type"]
    with engine.begin() as conn:
        result = records.submit(conn, fertiliser)
    assert result.inserted == 1 and result.records[0].quality < 100


def test_food_fields_reach_the_event(engine: Engine) -> None:
    with engine.begin() as conn:
        records.submit(conn, example("liquor.production", trace_code=PRODUCT, trace_voucher=MILK))
    (doc,) = stored(engine)
    assert doc["type"] == "ObjectEvent" and doc["action"] == "ADD" and doc["bizStep"] == "commissioning"
    assert doc["quantityList"] == [{"epcClass": PRODUCT}]
    assert doc["zs:traceCode"] == PRODUCT and doc["zs:traceVoucher"] == [MILK]
    assert doc["zs:licenceNo"] == "SC10637011500052"
    assert doc["zs:productionDate"].startswith("2026-04-28T00:00:00")


def test_bad_sc_licence_is_rejected(engine: Engine) -> None:
    with pytest.raises(ValidationFailed) as info, engine.begin() as conn:
        records.submit(conn, example("dairy.production", licence_no="SC10699011500052"))
    assert [p.code for p in info.value.problems] == ["record.invalid_code"]
    assert "食品生产许可证编号" in info.value.problems[0].message_zh
