"""EPCIS 2.0 JSON / JSON-LD documents (EPCIS 2.0 §12) → canonical events.

Accepts an EPCISDocument, an EPCISQueryDocument (for re-capture of another repository's query
output) or one bare event (the body of ``POST /events``). Extension prefixes come from the
objects of the document's ``@context`` (and of an event's own ``@context``, which wins for that
event); the standard context's own prefixes (gs1, cbv, epcis …) are always known.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from zhuisu.capture.document import Event, Format, ParsedDocument
from zhuisu.domain.event_model import STANDARD_CONTEXT_PREFIXES
from zhuisu.domain.problem import Problem

EVENT_TYPES = frozenset(
    {"ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent"}
)

#: prefixes the EPCIS 2.0 JSON-LD context defines itself (epcis-context.jsonld)
# The prefixes of the standard EPCIS 2.0 JSON-LD context (defined once, in the event model).
STANDARD_PREFIXES: Mapping[str, str] = STANDARD_CONTEXT_PREFIXES


def _problem(path: str, code: str, zh: str, en: str) -> Problem:
    return Problem(None, path, code, zh, en)


def context_namespaces(context: Any) -> dict[str, str]:
    """prefix → IRI from a JSON-LD ``@context`` value (a string, an object or a list of both)."""
    items = context if isinstance(context, list) else [context]
    found: dict[str, str] = {}
    for item in items:
        if isinstance(item, dict):
            for prefix, iri in item.items():
                if isinstance(iri, str) and not prefix.startswith("@"):
                    found[prefix] = iri
    return found


def parse_json(data: bytes) -> ParsedDocument:
    """Parse JSON bytes into a ParsedDocument; malformed input gives document-level problems."""
    doc = ParsedDocument(Format.JSON)
    try:
        root = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        doc.problems.append(
            _problem(
                "$",
                "json.malformed",
                f"JSON 格式错误(第 {exc.lineno} 行第 {exc.colno} 列): {exc.msg}",
                f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            )
        )
        return doc
    if not isinstance(root, dict):
        doc.problems.append(
            _problem("$", "document.not_object", "文档必须是 JSON 对象", "the document must be a JSON object")
        )
        return doc
    doc.namespaces = {**STANDARD_PREFIXES, **context_namespaces(root.get("@context"))}
    kind = root.get("type")
    if kind in EVENT_TYPES:
        _add_event(doc, root, "$")
        return doc
    if kind == "EPCISDocument":
        body_path = "$.epcisBody"
        body = root.get("epcisBody")
        event_list = body.get("eventList") if isinstance(body, dict) else None
        list_path = f"{body_path}.eventList"
        doc.masterdata = _masterdata(root)
    elif kind == "EPCISQueryDocument":
        body = root.get("epcisBody")
        results = body.get("queryResults") if isinstance(body, dict) else None
        rbody = results.get("resultsBody") if isinstance(results, dict) else None
        event_list = rbody.get("eventList") if isinstance(rbody, dict) else None
        list_path = "$.epcisBody.queryResults.resultsBody.eventList"
    else:
        doc.problems.append(
            _problem(
                "$.type",
                "document.unknown_type",
                f"未知的文档类型 {kind!r}:应为 EPCISDocument、EPCISQueryDocument 或单个事件",
                f"unknown document type {kind!r}: expected EPCISDocument, EPCISQueryDocument or one event",
            )
        )
        return doc
    if event_list is None:
        event_list = []
    if not isinstance(event_list, list):
        doc.problems.append(
            _problem(
                list_path,
                "document.event_list_not_array",
                "eventList 必须是数组",
                "eventList must be an array",
            )
        )
        return doc
    for i, item in enumerate(event_list):
        _add_event(doc, item, f"{list_path}[{i}]")
    return doc


def _add_event(doc: ParsedDocument, item: Any, path: str) -> None:
    if isinstance(item, dict) and "@context" in item:
        local = context_namespaces(item["@context"])
        item = {k: v for k, v in item.items() if k != "@context"}
        clash = {p for p, iri in local.items() if doc.namespaces.get(p, iri) != iri}
        if clash:
            doc.problems.append(
                _problem(
                    f"{path}.@context",
                    "extension.prefix_clash",
                    f"事件的 @context 重新定义了文档中已有的前缀: {', '.join(sorted(clash))}",
                    f"the event's @context redefines document prefixes: {', '.join(sorted(clash))}",
                )
            )
        doc.namespaces.update(local)
    doc.events.append(item if isinstance(item, dict) else {"__invalid__": item})
    doc.event_paths.append(path)


def _masterdata(root: dict[str, Any]) -> list[dict[str, Any]]:
    """Vocabulary elements from ``epcisHeader.epcisMasterData.vocabularyList`` (EPCIS 2.0 §12)."""
    header = root.get("epcisHeader")
    md = header.get("epcisMasterData") if isinstance(header, dict) else None
    vocabularies = md.get("vocabularyList") if isinstance(md, dict) else None
    out: list[dict[str, Any]] = []
    if not isinstance(vocabularies, list):
        return out
    for vocabulary in vocabularies:
        if not isinstance(vocabulary, dict):
            continue
        for element in vocabulary.get("vocabularyElementList") or []:
            if not isinstance(element, dict) or not isinstance(element.get("id"), str):
                continue
            attributes = {
                a["id"]: a.get("attribute")
                for a in element.get("attributes") or []
                if isinstance(a, dict) and isinstance(a.get("id"), str)
            }
            out.append(
                {
                    "type": vocabulary.get("type"),
                    "id": element["id"],
                    "attributes": attributes,
                    "children": [c for c in element.get("children") or [] if isinstance(c, str)],
                }
            )
    return out


def dumps_event(event: Event) -> str:
    return orjson.dumps(event).decode()
