"""EPCIS 2.0 query output documents (EPCIS 2.0 §12 JSON-LD binding, EPCISQueryDocument).

Stored events are canonical JSON text; output joins them into one document without re-encoding
each event (the text is spliced in: a query page reads it from the store as UTF-8 bytes, so it is
not even decoded into a str and encoded back), and declares the extension prefixes the events use in the
document's ``@context`` next to the standard context URL. An event is parsed and re-encoded only
when it must change: its identifiers are to be written in another form (``GS1-EPC-Format``), or
one of its prefixes is bound to a different namespace by an earlier event of the page (it is then
renamed, ``ex`` → ``ex_2``, so that one document-level ``@context`` holds every binding).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol

import orjson

from zhuisu.domain import epc
from zhuisu.errors import QueryParameterError

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"


class StoredDoc(Protocol):
    @property
    def doc(self) -> str | bytes: ...

    @property
    def namespaces(self) -> str | None: ...


class EpcFormat(StrEnum):
    """The ``GS1-EPC-Format`` request header (EPCIS 2.0 REST bindings)."""

    NO_PREFERENCE = "No_Preference"
    DIGITAL_LINK = "Always_GS1_Digital_Link"
    URN = "Always_EPC_URN"
    NEVER = "Never_Translates"


def epc_format(header: str | None) -> EpcFormat:
    """The header's value. Absent means No_Preference here, and with no preference zhuisu returns
    identifiers as they were captured (spliced, the fast path): the REST bindings name
    Always_GS1_Digital_Link as the default, but clients that want Digital Links ask for them, and
    an event read back unchanged is what capture promises (docs/api.md states the deviation)."""
    if header is None or not header.strip():
        return EpcFormat.NO_PREFERENCE
    try:
        return EpcFormat(header.strip())
    except ValueError:
        raise QueryParameterError(
            f"请求头 GS1-EPC-Format 的值 {header!r} 无效:应为 {'、'.join(f.value for f in EpcFormat)}",
            f"invalid GS1-EPC-Format header {header!r}: use one of {', '.join(f.value for f in EpcFormat)}",
        ) from None


# ------------------------------------------------------------------------------ identifiers

_ID_LISTS = ("epcList", "childEPCs", "inputEPCList", "outputEPCList")
_QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")


def _to_dl(value: str) -> str:
    if not value.startswith("urn:epc:"):
        return value
    try:
        return epc.to_digital_link(value)
    except ValueError:
        return value


def _to_urn(value: str) -> str:
    # A Digital Link does not tell where the GS1 Company Prefix ends (TDS §7), so one that is not
    # already a URN stays as it is; an EPC URN comes back in its normalised form.
    try:
        return epc.to_urn(value) or value
    except ValueError:
        return value


def _translate(event: dict[str, Any], convert: Callable[[str], str]) -> None:
    """Rewrite the event's EPCs (EPCIS 2.0 §7.3.3, §7.4) and location / source / destination ids."""
    for key in _ID_LISTS:
        if isinstance(event.get(key), list):
            event[key] = [convert(v) if isinstance(v, str) else v for v in event[key]]
    if isinstance(event.get("parentID"), str):
        event["parentID"] = convert(event["parentID"])
    for key in _QUANTITY_LISTS:
        for element in event.get(key) or ():
            if isinstance(element, dict) and isinstance(element.get("epcClass"), str):
                element["epcClass"] = convert(element["epcClass"])
    for key in ("readPoint", "bizLocation"):
        place = event.get(key)
        if isinstance(place, dict) and isinstance(place.get("id"), str):
            place["id"] = convert(place["id"])
    for key, inner in (("sourceList", "source"), ("destinationList", "destination")):
        for item in event.get(key) or ():
            if isinstance(item, dict) and isinstance(item.get(inner), str):
                item[inner] = convert(item[inner])


#: text whose presence means an identifier may need rewriting into the format asked for
_TRANSLATED_FROM = {EpcFormat.DIGITAL_LINK: "urn:epc:", EpcFormat.URN: "http"}


def _needs_translation(doc: str | bytes, fmt: EpcFormat) -> bool:
    mark = _TRANSLATED_FROM.get(fmt)
    if mark is None:
        return False
    return mark.encode() in doc if isinstance(doc, bytes) else mark in doc


# ------------------------------------------------------------------------------ prefixes


def _rename_keys(value: Any, renames: dict[str, str]) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            prefix, colon, local = key.partition(":")
            new_key = f"{renames[prefix]}:{local}" if colon and prefix in renames else key
            out[new_key] = _rename_keys(item, renames)
        return out
    if isinstance(value, list):
        return [_rename_keys(v, renames) for v in value]
    return value


def _merge(stored: Sequence[StoredDoc]) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The page's prefix map, and per event the renames its own prefixes need to fit in it."""
    merged: dict[str, str] = {}
    by_iri: dict[str, str] = {}
    renames: list[dict[str, str]] = []
    # Most events of a page declare the same prefixes: a prefix map met again gets the renames it
    # got the first time (``merged`` and ``by_iri`` only ever gain entries, so they are the same).
    seen: dict[str, dict[str, str]] = {}
    for item in stored:
        if not item.namespaces:
            renames.append({})
            continue
        known = seen.get(item.namespaces)
        if known is not None:
            renames.append(known)
            continue
        own: dict[str, str] = {}
        for prefix, iri in orjson.loads(item.namespaces).items():
            if merged.get(prefix, iri) == iri:
                merged[prefix] = iri
                by_iri.setdefault(iri, prefix)
                continue
            new = by_iri.get(iri)
            n = 2
            while new is None:
                candidate = f"{prefix}_{n}"
                if candidate not in merged:
                    new = candidate
                n += 1
            merged[new] = iri
            by_iri[iri] = new
            own[prefix] = new
        seen[item.namespaces] = own
        renames.append(own)
    return merged, renames


def merged_namespaces(stored: Sequence[StoredDoc]) -> dict[str, str]:
    return _merge(stored)[0]


def context(namespaces: dict[str, str]) -> list[Any]:
    return [EPCIS_CONTEXT, namespaces] if namespaces else [EPCIS_CONTEXT]


def _event(item: StoredDoc, renames: dict[str, str], fmt: EpcFormat) -> dict[str, Any]:
    event: dict[str, Any] = orjson.loads(item.doc)
    if renames:
        event = _rename_keys(event, renames)
    if fmt is EpcFormat.DIGITAL_LINK:
        _translate(event, _to_dl)
    elif fmt is EpcFormat.URN:
        _translate(event, _to_urn)
    return event


def _event_bytes(item: StoredDoc, renames: dict[str, str], fmt: EpcFormat) -> bytes:
    doc = item.doc
    if not renames and not _needs_translation(doc, fmt):
        return doc if isinstance(doc, bytes) else doc.encode()
    return orjson.dumps(_event(item, renames, fmt))


def _bodies(stored: Sequence[StoredDoc], renames: list[dict[str, str]], fmt: EpcFormat) -> list[bytes]:
    """Each event's JSON bytes: the stored text itself unless it must change."""
    if fmt in _TRANSLATED_FROM:
        return [_event_bytes(item, r, fmt) for item, r in zip(stored, renames, strict=True)]
    out: list[bytes] = []
    for item, r in zip(stored, renames, strict=True):
        doc = item.doc
        if r:
            out.append(orjson.dumps(_event(item, r, fmt)))
        else:
            out.append(doc if isinstance(doc, bytes) else doc.encode())
    return out


def query_document(
    stored: Sequence[StoredDoc],
    *,
    query_name: str = "SimpleEventQuery",
    epc_format: EpcFormat = EpcFormat.NEVER,
    subscription_id: str | None = None,
) -> bytes:
    """An EPCISQueryDocument holding the stored events, in the given order, as JSON-LD bytes."""
    namespaces, renames = _merge(stored)
    head = {
        "@context": context(namespaces),
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
    }
    results = b'"queryName":' + orjson.dumps(query_name)
    if subscription_id is not None:
        results += b',"subscriptionID":' + orjson.dumps(subscription_id)
    opening = (
        orjson.dumps(head)[:-1]
        + b',"epcisBody":{"queryResults":{'
        + results
        + b',"resultsBody":{"eventList":['
    )
    # one join of everything: each `+` on the page-sized body would copy it again
    parts = _bodies(stored, renames, epc_format)
    if parts:
        parts[0] = opening + parts[0]
        parts[-1] = parts[-1] + b"]}}}}"
        return b",".join(parts)
    return opening + b"]}}}}"


def parsed_events(
    stored: Sequence[StoredDoc], *, epc_format: EpcFormat = EpcFormat.NEVER
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The events as objects (for the XML binding) and the prefix map that declares them."""
    namespaces, renames = _merge(stored)
    return [_event(item, r, epc_format) for item, r in zip(stored, renames, strict=True)], namespaces


def event_with_context(item: StoredDoc) -> dict[str, Any]:
    """One stored event as a standalone JSON-LD object (with its own @context)."""
    event = orjson.loads(item.doc)
    namespaces = orjson.loads(item.namespaces) if item.namespaces else {}
    return {"@context": context(namespaces), **event}
