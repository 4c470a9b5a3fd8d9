"""EPCIS 2.0 query output documents (EPCIS 2.0 §12 JSON-LD binding, EPCISQueryDocument).

Stored events are canonical JSON text; output joins them into one document without re-encoding
each event (the text is spliced in), and declares the extension prefixes the events use in the
document's ``@context`` next to the standard context URL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import orjson

from zhuisu.store.events import StoredEvent

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"


def merged_namespaces(stored: Sequence[StoredEvent]) -> dict[str, str]:
    """The union of the events' prefix maps. A prefix bound to two IRIs keeps the first binding;
    events are stored with the document's own prefixes, so clashes need two documents that reuse
    one prefix for different namespaces (rare; the query issue renames such prefixes)."""
    merged: dict[str, str] = {}
    for item in stored:
        if item.namespaces:
            for prefix, iri in orjson.loads(item.namespaces).items():
                merged.setdefault(prefix, iri)
    return merged


def context(namespaces: dict[str, str]) -> list[Any]:
    return [EPCIS_CONTEXT, namespaces] if namespaces else [EPCIS_CONTEXT]


def query_document(stored: Sequence[StoredEvent], *, query_name: str = "SimpleEventQuery") -> bytes:
    """An EPCISQueryDocument holding the stored events, in the given order, as JSON-LD bytes."""
    head = {
        "@context": context(merged_namespaces(stored)),
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
    }
    prefix = orjson.dumps(head)[:-1]
    body = b",".join(item.doc.encode() for item in stored)
    return (
        prefix
        + b',"epcisBody":{"queryResults":{"queryName":'
        + orjson.dumps(query_name)
        + b',"resultsBody":{"eventList":['
        + body
        + b"]}}}}"
    )


def event_with_context(item: StoredEvent) -> dict[str, Any]:
    """One stored event as a standalone JSON-LD object (with its own @context)."""
    event = orjson.loads(item.doc)
    namespaces = orjson.loads(item.namespaces) if item.namespaces else {}
    return {"@context": context(namespaces), **event}
