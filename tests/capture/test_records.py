"""Records → events through the real capture service: a full journey per template, on both databases."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from sqlalchemy import Engine, func, select, text

from zhuisu.capture import records
from zhuisu.domain.templates import STEPS, TEMPLATES
from zhuisu.errors import NotFound, ValidationFailed
from zhuisu.store.chain_tables import chain_links
from zhuisu.store.tables import events

USCC = "91350100M000100Y43"


def example(step_id: str, **over: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"step": step_id}
    record.update({sf.field.key: sf.field.example for sf in STEPS[step_id].fields})
    record.update(over)
    return record


def stored(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [orjson.loads(d) for d in conn.execute(select(events.c.doc).order_by(events.c.pk)).scalars()]


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_full_valid_journey_per_template(engine: Engine, template: str) -> None:
    steps = TEMPLATES[template].steps
    batch = [
        example(s.id, event_time=f"2026-05-0{1 + i // 6} {8 + i % 6:02d}:00:00") for i, s in enumerate(steps)
    ]
    with engine.begin() as conn:
        result = records.submit(conn, batch)
    assert result.inserted == len(steps) and result.duplicates == 0 and not result.problems
    docs = stored(engine)
    assert [d["zs:template"] for d in docs] == [s.id for s in steps]
    assert [d["eventID"] for d in docs] == result.event_ids
    for doc, s in zip(docs, steps, strict=True):
        assert doc["bizStep"] == s.biz_step and doc["zs:dataQuality"] == 100
        assert doc.get("epcList") or doc.get("quantityList")


def test_pork_chain_links_through_vouchers_and_batches(engine: Engine) -> None:
    exit_code, wholesale_code = "37060000400010000011", "37060000500010000022"
    journey = [
        example("pork.slaughter.exit", trace_code=exit_code, batch_no="S1"),
        example("pork.wholesale.entry", trace_code=exit_code, batch_no="W1", subject="91110000600037341L"),
        example(
            "pork.wholesale.sale", trace_code=wholesale_code, batch_no="W1", subject="91110000600037341L"
        ),
        example("pork.retail.entry", trace_code=wholesale_code),
    ]
    with engine.begin() as conn:
        result = records.submit(conn, journey)
    assert result.inserted == 4
    docs = stored(engine)
    assert docs[0]["zs:traceCode"] == exit_code and docs[1]["zs:traceVoucher"] == exit_code
    assert docs[2]["zs:traceCode"] == wholesale_code and docs[3]["zs:traceVoucher"] == wholesale_code
    assert "sourceList" not in docs[1]  # the wholesaler example is a name, not a USCC
    with engine.connect() as conn:
        nodes = set(conn.execute(select(chain_links.c.node)).scalars())
    batch = "urn:zhuisu:batch:91110000600037341L:W1"
    assert {exit_code, wholesale_code, batch} <= nodes


def test_test_result_sets_disposition(engine: Engine) -> None:
    with engine.begin() as conn:
        records.submit(conn, [example("veg.wholesale.test", test_result="不合格")])
    assert stored(engine)[0]["disposition"] == "non_conformant"


def test_parties_gs1_lots_and_bills(engine: Engine) -> None:
    lgtin = "https://id.gs1.org/01/09506000134376/10/L1"
    with engine.begin() as conn:
        records.submit(
            conn,
            [
                example("pork.slaughter.exit", trace_code=lgtin, buyer="91110000600037341L", weight_kg="80"),
                example("drug.sales_out", trace_code="81234560000000000012,81234560000000000029"),
            ],
        )
    pork, drug = stored(engine)
    assert pork["quantityList"] == [{"epcClass": lgtin, "quantity": 80, "uom": "KGM"}]
    assert pork["destinationList"] == [
        {"type": "owning_party", "destination": "https://zhuisu.cn/id/subject/91110000600037341L"}
    ]
    assert len(drug["epcList"]) == 2 and drug["zs:billType"] == "201"
    assert drug["bizTransactionList"][0]["bizTransaction"].startswith(f"urn:zhuisu:bt:{USCC}:")


@pytest.mark.parametrize("step_id", ["pork.wholesale.entry", "elevator.inspection", "drug.retail"])
def test_missing_required_field_rejects_and_stores_nothing(engine: Engine, step_id: str) -> None:
    for f in STEPS[step_id].required:
        record = example(step_id)
        del record[f.key]
        with pytest.raises(ValidationFailed) as info, engine.begin() as conn:
            records.submit(conn, [example(step_id), record])
        assert [(p.index, p.code) for p in info.value.problems] == [(1, "record.missing_field")]
        assert f.zh in info.value.problems[0].message_zh
    assert stored(engine) == []


def test_optional_field_missing_lowers_quality(engine: Engine) -> None:
    record = example("pork.wholesale.entry")
    del record["stall_no"], record["batch_no"]
    with engine.begin() as conn:
        result = records.submit(conn, record)
    (doc,) = stored(engine)
    assert result.records[0].quality == doc["zs:dataQuality"] < 100
    assert sorted(doc["zs:missingFields"]) == ["batch_no", "stall_no"]


def test_keep_good_and_resubmission_is_idempotent(engine: Engine) -> None:
    good, bad = example("veg.retail.sale"), {"step": "veg.retail.sale"}
    with engine.begin() as conn:
        first = records.submit(conn, [good, bad, {"step": "nope"}], keep_good=True)
    assert (first.inserted, first.rejected) == (1, 2)
    assert {p.code for p in first.problems} == {"record.missing_field", "record.unknown_step"}
    with engine.begin() as conn:
        again = records.submit(conn, good)
    assert (again.inserted, again.duplicates) == (0, 1)
    assert again.records[0].status == "duplicate" and again.records[0].event_id == first.event_ids[0]
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(events)).scalar() == 1


def test_catalog_versions(engine: Engine) -> None:
    items = [{"category": "edible_agri", "subclass": "肉类", "variety": "猪肉"}]
    with engine.begin() as conn:
        first = records.publish_catalog(
            conn, records.CatalogInput("key", "370600", "烟台市重点追溯产品目录", items)
        )
        second = records.publish_catalog(
            conn,
            records.CatalogInput(
                "key", "370600", "第二版", [*items, {"category": "drugs", "subclass": "疫苗"}]
            ),
        )
    assert (first.version, second.version) == (1, 2)
    with engine.connect() as conn:
        assert len(records.get_catalog(conn, "key", "370600").items) == 2
        assert records.get_catalog(conn, "key", "370600", 1).title == "烟台市重点追溯产品目录"
        with pytest.raises(NotFound):
            records.get_catalog(conn, "encouraged", "370600")
        conn.execute(text("SELECT 1"))
    with pytest.raises(ValidationFailed), engine.begin() as conn:
        records.publish_catalog(
            conn, records.CatalogInput("key", "370600", "x", [{"category": "x", "subclass": "y"}])
        )


def test_record_events_take_the_fast_hash_path() -> None:
    """Every step's event, with and without missing fields (zs:missingFields, a list), is hashed by
    the flat fast path, and it agrees with the general one (CBV 2.0 §8.9)."""
    from zhuisu.capture.formats.records import NAMESPACES, to_event
    from zhuisu.domain import event_hash as eh
    from zhuisu.domain.templates import check_record

    for step_id, step in STEPS.items():
        full = {sf.field.key: sf.field.example for sf in step.fields}
        bare = {sf.field.key: sf.field.example for sf in step.fields if sf.required}
        for values in (full, bare):
            checked = check_record(step, values)
            assert checked.ok, (step_id, checked.problems)
            event = to_event(checked)
            fast = eh._fast_prehash(event, NAMESPACES)
            assert fast is not None and fast == eh._Hasher(NAMESPACES).event(event), step_id
