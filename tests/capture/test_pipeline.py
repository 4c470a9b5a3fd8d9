"""Preparing in worker processes stores exactly what preparing inline stores; the collector pause."""

from __future__ import annotations

import gc
from typing import Any

from sqlalchemy import Engine, select

from zhuisu.bench.workload import capture_documents
from zhuisu.capture.formats.epcis_json import parse_json
from zhuisu.capture.pipeline import PoolPreparer
from zhuisu.capture.service import ErrorBehaviour, Preparer, capture, collector_paused
from zhuisu.store.chain_tables import chain_links
from zhuisu.store.engine import write_transaction
from zhuisu.store.schema import metadata
from zhuisu.store.tables import event_ids, events


def _capture_all(engine: Engine, documents: list[bytes], preparer: Preparer | None) -> None:
    for data in documents:
        with write_transaction(engine) as conn:
            result = capture(
                conn,
                parse_json(data),
                error_behaviour=ErrorBehaviour.ROLLBACK,
                batch_size=120,  # chunks that do not divide the document: the last one is short
                record_us=1_700_000_000_000_000,
                preparer=preparer,
            )
            assert result.success and result.inserted == 500


def _stored(engine: Engine) -> dict[str, list[Any]]:
    with engine.connect() as conn:
        return {
            "events": [tuple(r) for r in conn.execute(select(events).order_by(events.c.pk))],
            "event_ids": sorted(tuple(r) for r in conn.execute(select(event_ids))),
            "chain_links": sorted(tuple(r) for r in conn.execute(select(chain_links))),
        }


def _empty(engine: Engine) -> None:
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())


def test_worker_processes_store_the_same_rows_as_inline(engine: Engine) -> None:
    # the bench workload states 17 links per event, through a hub named after the event's pk:
    # the walk rows worked out in a worker must get the same hub names as those worked out inline
    documents = list(capture_documents(1_000, 500))
    _capture_all(engine, documents, None)
    inline = _stored(engine)
    _empty(engine)
    with PoolPreparer(2) as pool:
        _capture_all(engine, documents, pool)
    pooled = _stored(engine)
    assert len(inline["events"]) == 1_000 and len(inline["chain_links"]) >= 24_000
    assert any(row[0].startswith("urn:zhuisu:hub:") for row in inline["chain_links"])
    # pks are allocated afresh after the delete on PostgreSQL (a sequence): compare relative to the first
    base_inline, base_pooled = inline["events"][0][0], pooled["events"][0][0]
    assert [r[1:] for r in inline["events"]] == [r[1:] for r in pooled["events"]]
    assert _relative(inline, base_inline) == _relative(pooled, base_pooled)


def _relative(stored: dict[str, list[Any]], base: int) -> tuple[list[Any], list[Any]]:
    def hub(node: str) -> str:
        if not node.startswith("urn:zhuisu:hub:"):
            return node
        pk, group = node.removeprefix("urn:zhuisu:hub:").split(".")
        return f"hub:{int(pk) - base}.{group}"

    ids = sorted((pk - base, *rest) for pk, *rest in stored["event_ids"])
    links = sorted(
        (hub(node), step, hub(other), t_us, pk - base, *rest)
        for node, step, other, t_us, pk, *rest in stored["chain_links"]
    )
    return ids, links


def test_the_collector_is_paused_during_a_capture_and_restored() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()


def test_the_collector_is_restored_when_a_capture_fails() -> None:
    try:
        with collector_paused():
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert gc.isenabled()
