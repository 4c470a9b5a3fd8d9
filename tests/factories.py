"""Plain keyword-only factories for test data written by us (never copied from GS1 examples)."""

from __future__ import annotations

from typing import Any

import orjson

CONTEXT_URL = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
EXAMPLE_NS = "https://example.cn/trace/"


def make_event(
    *,
    type: str = "ObjectEvent",
    epcs: list[str] | None = None,
    action: str | None = "OBSERVE",
    biz_step: str | None = "shipping",
    disposition: str | None = "in_transit",
    event_time: str = "2026-05-01T08:30:00.000+08:00",
    offset: str = "+08:00",
    read_point: str | None = "urn:epc:id:sgln:6901234.00001.0",
    biz_location: str | None = "urn:epc:id:sgln:6901234.00001.0",
    event_id: str | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": type,
        "eventTime": event_time,
        "eventTimeZoneOffset": offset,
    }
    if event_id is not None:
        event["eventID"] = event_id
    if type in ("ObjectEvent", "TransactionEvent"):
        event["epcList"] = epcs if epcs is not None else ["urn:epc:id:sgtin:6901234.012345.1001"]
    if action is not None and type != "TransformationEvent":
        event["action"] = action
    if biz_step is not None:
        event["bizStep"] = biz_step
    if disposition is not None:
        event["disposition"] = disposition
    if read_point is not None:
        event["readPoint"] = {"id": read_point}
    if biz_location is not None:
        event["bizLocation"] = {"id": biz_location}
    event.update(extra or {})
    return event


def make_document(
    events: list[dict[str, Any]], *, namespaces: dict[str, str] | None = None
) -> dict[str, Any]:
    context: list[Any] = [CONTEXT_URL]
    context.append(namespaces if namespaces is not None else {"ex": EXAMPLE_NS})
    return {
        "@context": context,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-05-01T09:00:00Z",
        "epcisBody": {"eventList": events},
    }


def document_bytes(events: list[dict[str, Any]], **kwargs: Any) -> bytes:
    return orjson.dumps(make_document(events, **kwargs))


def sgtin(n: int, *, company: str = "6901234", item: str = "012345") -> str:
    return f"urn:epc:id:sgtin:{company}.{item}.{n}"
