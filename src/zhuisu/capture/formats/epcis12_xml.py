"""EPCIS 1.2 XML → canonical EPCIS 2.0 events.

``epcis_xml.parse_xml`` recognises a 1.x document by its root namespace
(``urn:epcglobal:epcis:xsd:1``, ``…epcis-query:xsd:1``, ``…epcis-masterdata:xsd:1``) and hands the
EventList to ``read_event_list`` here. The header, the body, master data and the fields inside an
event are read by the shared ``EventReader``; what is particular to 1.2 is where things sit:

* **Event placement** (EPCIS 1.2 XSD, ``EventListType``): ObjectEvent, AggregationEvent,
  QuantityEvent and TransactionEvent sit directly in EventList; TransformationEvent (added in 1.1)
  sits in ``EventList/extension``; events newer than the 1.2 schema — GS1 puts the 2.0
  AssociationEvent there in its 1.2 examples — sit in ``EventList/extension/extension`` (the
  ``##local`` slot reserved for later versions). Any of the five 2.0 event types is accepted at any
  depth of these wrappers.
* **Fields in ``<extension>``**: 1.2 adds quantityList / childQuantityList, sourceList,
  destinationList and ilmd inside the event's ``extension`` element, and eventID and
  errorDeclaration inside ``baseExtension``; the reader flattens them (EPCIS 2.0 §9 moved them all
  to the event itself). Unqualified content of the innermost ``extension/extension`` slot, which
  1.2 reserves for later versions of the standard, is ignored unless it is a 2.0 field (such as
  sensorElementList or persistentDisposition) — see "<extension> wrappers" in ``epcis_xml``.
* **QuantityEvent** (deprecated in 1.1, removed in 2.0): EPCIS 1.2 §7.4 names its replacement,
  an ObjectEvent with action OBSERVE whose quantityList holds the epcClass and quantity; that is
  what it becomes (its other fields unchanged).
* **Vocabulary values**: 1.x writes CBV values as URNs (``urn:epcglobal:cbv:bizstep:shipping``);
  they become bare words like any other (CBV 2.0 §8.2).
* GS1's 1.2 AssociationEvent example spells ``<sensorMetaData>``; it is read as
  ``sensorMetadata``.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from zhuisu.capture.document import Event, ParsedDocument
from zhuisu.capture.formats.epcis_xml import EVENT_TYPES, EventReader, unknown_event

#: event elements the 1.2 schema allows directly in EventList
_DIRECT_EVENTS = frozenset({"ObjectEvent", "AggregationEvent", "TransactionEvent", "QuantityEvent"})


def quantity_event_to_object_event(event: Event) -> Event:
    """A 1.x QuantityEvent (epcClass + quantity) → its 2.0 form, an ObjectEvent (EPCIS 1.2 §7.4)."""
    extension = event.get("extension")
    epc_class: Any = None
    quantity: Any = None
    if isinstance(extension, dict):
        # the reader files QuantityEvent's own fields, unknown to 2.0, under "extension"
        epc_class = extension.pop("epcClass", None)
        quantity = extension.pop("quantity", None)
        if not extension:
            del event["extension"]
    element: dict[str, Any] = {}
    if epc_class is not None:
        element["epcClass"] = epc_class
    if quantity is not None:
        element["quantity"] = _integer(quantity)
    converted: Event = {"type": "ObjectEvent", **{k: v for k, v in event.items() if k != "type"}}
    converted.setdefault("action", "OBSERVE")
    converted["quantityList"] = [element, *converted.get("quantityList", [])]
    return converted


def _integer(value: Any) -> Any:
    # QuantityEvent's quantity is xsd:int (EPCIS 1.2 XSD); keep the text if it is not one
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("+-").isdigit():
            return int(text)
    return value


def read_event_list(event_list: etree._Element, path: str, reader: EventReader, doc: ParsedDocument) -> None:
    """EPCIS 1.2 EventList → canonical 2.0 events in document order, with their XPaths."""
    _read(event_list, path, reader, doc, depth=0)


def _read(container: etree._Element, path: str, reader: EventReader, doc: ParsedDocument, depth: int) -> None:
    counts: dict[str, int] = {}
    for child in container:
        name = reader.ns.key(child)
        counts[name] = counts.get(name, 0) + 1
        child_path = f"{path}/{name}[{counts[name]}]"
        if name in EVENT_TYPES or (depth == 0 and name in _DIRECT_EVENTS):
            event = reader.read_event(child, name, len(doc.events), child_path)
            if name == "QuantityEvent":
                event = quantity_event_to_object_event(event)
            doc.events.append(event)
            doc.event_paths.append(child_path)
        elif name == "extension":
            _read(child, child_path, reader, doc, depth + 1)
        else:
            doc.problems.append(unknown_event(child_path, name))
