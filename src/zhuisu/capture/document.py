"""What every capture format produces: events in zhuisu's canonical form, plus where they came from.

The canonical event (see docs/standards.md, "Canonical event form") is a ``dict`` shaped like an
event of the EPCIS 2.0 JSON-LD binding (EPCIS 2.0 §12), whatever format it arrived in:

* ``type`` is one of the five event types; keys are the JSON binding's names
  (``epcList``, ``childEPCs``, ``quantityList``, ``bizTransactionList`` …);
* CBV standard values are bare words (``shipping``, ``in_progress``, ``po``); other values are URIs;
* identifiers are kept as sent (EPC URN or GS1 Digital Link); the event hash and the link rows
  normalise them, and output can translate them (``GS1-EPC-Format``);
* extension fields are ``prefix:local`` keys whose prefixes are declared in ``namespaces``;
  from XML, an element with only text becomes a string, an element with children an object,
  repeated elements a list, and attributes ``@prefix:name`` / ``@name`` keys, so that XML →
  canonical → XML gives the element back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from zhuisu.domain.problem import Problem

Event = dict[str, Any]


class Format(StrEnum):
    JSON = "json"  # EPCIS 2.0 JSON / JSON-LD document, or a bare event
    XML = "xml"  # EPCIS 2.0 XML
    XML12 = "xml-1.2"  # EPCIS 1.2 XML, converted to the 2.0 model


@dataclass(slots=True)
class ParsedDocument:
    """A document after parsing, before validation.

    events: the events in document order, canonical form (not yet validated or normalised).
    namespaces: prefix → namespace IRI declared by the document (JSON-LD ``@context`` objects or
        XML ``xmlns:`` declarations), for the extension keys of the events.
    event_paths: for each event, the JSON path or XPath of the event inside the document, so
        problems found later can point into the original bytes.
    problems: document-level problems (malformed JSON, wrong root, XML bomb …); if any are
        present the document is rejected.
    masterdata: vocabulary elements carried in the document header (EPCISMasterData), as
        ``{"type": vocabulary type URI, "id": element id, "attributes": {name: value}, "children": [...]}``.
    """

    format: Format
    events: list[Event] = field(default_factory=list)
    namespaces: dict[str, str] = field(default_factory=dict)
    event_paths: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    masterdata: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_xml(self) -> bool:
        return self.format in (Format.XML, Format.XML12)
