"""Canonical events → EPCIS 2.0 XML (EPCIS 2.0 §9): the exact inverse of ``epcis_xml.parse_xml``.

The conventions (extension elements, attributes, ``#text``, xsi typing, CBV output forms) are
documented once, in ``epcis_xml``'s module docstring.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from lxml import etree

from zhuisu.capture.document import Event
from zhuisu.capture.formats.epcis_xml import (
    FIELD_NAMES,
    NCNAME,
    NS_EPCIS2,
    NS_QUERY2,
    NS_XML,
    PREDEFINED_PREFIXES,
    XML_NAMESPACE_OF,
)
from zhuisu.domain import cbv

# ---------------------------------------------------------------------------------------------
# Writing: canonical events → EPCIS 2.0 XML (§9), the inverse of the reader above
# ---------------------------------------------------------------------------------------------

_BASE_ORDER = (
    "eventTime",
    "recordTime",
    "eventTimeZoneOffset",
    "eventID",
    "errorDeclaration",
    "certificationInfo",
)
# the xsd:sequence of each event type (EPCglobal-epcis-2_0.xsd), after the EPCISEventType base
_ORDER: dict[str, tuple[str, ...]] = {
    "ObjectEvent": (
        *_BASE_ORDER,
        "epcList",
        "action",
        "bizStep",
        "disposition",
        "readPoint",
        "bizLocation",
        "bizTransactionList",
        "quantityList",
        "sourceList",
        "destinationList",
        "sensorElementList",
        "persistentDisposition",
        "ilmd",
    ),
    "AggregationEvent": (
        *_BASE_ORDER,
        "parentID",
        "childEPCs",
        "action",
        "bizStep",
        "disposition",
        "readPoint",
        "bizLocation",
        "bizTransactionList",
        "childQuantityList",
        "sourceList",
        "destinationList",
        "sensorElementList",
        "persistentDisposition",
    ),
    "TransactionEvent": (
        *_BASE_ORDER,
        "bizTransactionList",
        "parentID",
        "epcList",
        "action",
        "bizStep",
        "disposition",
        "readPoint",
        "bizLocation",
        "quantityList",
        "sourceList",
        "destinationList",
        "sensorElementList",
        "persistentDisposition",
    ),
    "TransformationEvent": (
        *_BASE_ORDER,
        "inputEPCList",
        "inputQuantityList",
        "outputEPCList",
        "outputQuantityList",
        "transformationID",
        "bizStep",
        "disposition",
        "readPoint",
        "bizLocation",
        "bizTransactionList",
        "sourceList",
        "destinationList",
        "sensorElementList",
        "persistentDisposition",
        "ilmd",
    ),
    "AssociationEvent": (
        *_BASE_ORDER,
        "parentID",
        "childEPCs",
        "childQuantityList",
        "action",
        "bizStep",
        "disposition",
        "readPoint",
        "bizLocation",
        "bizTransactionList",
        "sourceList",
        "destinationList",
        "sensorElementList",
        "persistentDisposition",
    ),
}
_CBV_FORMATS = frozenset({"No_Preference", "Always_URN", "Always_Web_URI"})


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "INF" if value > 0 else "-INF"
        # plain decimal notation: xsd:decimal (quantity) has no exponent form
        return format(Decimal(repr(value)), "f")
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _used_prefixes(value: Any, used: set[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            prefix, colon, _ = key.lstrip("@").partition(":")
            if colon:
                used.add(prefix)
            if isinstance(item, dict | list):
                _used_prefixes(item, used)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict | list):
                _used_prefixes(item, used)


class _Writer:
    def __init__(self, namespaces: Mapping[str, str], cbv_format: str) -> None:
        if cbv_format not in _CBV_FORMATS:
            raise ValueError(f"unknown GS1-CBV-XML-Format {cbv_format!r}")
        self.urn = cbv_format == "Always_URN"
        self.web_voc = cbv_format == "Always_Web_URI"
        self.namespaces = dict(PREDEFINED_PREFIXES)
        for prefix, uri in namespaces.items():
            if isinstance(prefix, str) and isinstance(uri, str):
                self.namespaces[prefix] = XML_NAMESPACE_OF.get(uri, uri)
        self._clark: dict[str, str] = {}

    def root_nsmap(
        self, reserved: dict[str, str], declared: Mapping[str, str], events: Sequence[Event]
    ) -> dict[str | None, str]:
        """The document's declarations: the EPCIS ones, the caller's, and predefined ones in use."""
        used: set[str] = set()
        for event in events:
            _used_prefixes(event, used)
            if "sensorElementList" in event:
                used.add("gs1")  # for gs1:Temperature and the like in attribute values
        nsmap: dict[str | None, str] = {}
        nsmap.update(reserved)
        for prefix, uri in self.namespaces.items():
            if prefix in reserved or prefix in ("xml", "xmlns") or not NCNAME.fullmatch(prefix):
                continue
            if uri in (NS_XML, "http://www.w3.org/2000/xmlns/"):
                continue
            if prefix in declared or prefix in used:
                nsmap[prefix] = uri
        return nsmap

    def clark(self, key: str) -> str:
        """``prefix:local`` → ``{namespace}local`` (lxml's name); an unprefixed name as is."""
        name = self._clark.get(key)
        if name is not None:
            return name
        prefix, colon, local = key.partition(":")
        if not colon:
            name = key
        elif prefix == "xml":
            name = f"{{{NS_XML}}}{local}"
        elif prefix in self.namespaces:
            name = f"{{{self.namespaces[prefix]}}}{local}"
        else:
            cut = max(key.rfind("#"), key.rfind("/"))
            if cut <= len(prefix):  # not a full IRI either
                raise ValueError(f"extension key {key!r} uses a prefix that is not declared")
            name = f"{{{key[: cut + 1]}}}{key[cut + 1 :]}"
        self._clark[key] = name
        return name

    def cbv_value(self, vocabulary: cbv.Vocabulary, value: Any) -> str:
        if not isinstance(value, str):
            return _scalar(value)
        return cbv.urn(vocabulary, value) if self.urn else cbv.web_uri(vocabulary, value)

    def voc_value(self, words: frozenset[str], value: Any) -> str:
        # GS1 Web Vocabulary terms (measurement / alert types): gs1:Temperature as in GS1's XML
        if isinstance(value, str) and value in words:
            return f"{cbv.GS1_VOC_BASE}{value}" if self.web_voc else f"gs1:{value}"
        return _scalar(value)

    # -- generic -------------------------------------------------------------------------------

    def content(self, el: etree._Element, value: Any, skip: frozenset[str] = frozenset()) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in skip:
                    continue
                if key == "#text":
                    el.text = _scalar(item)
                elif key.startswith("@"):
                    if key != "@context":
                        el.set(self.clark(key[1:]), _scalar(item))
                else:
                    self.child(el, key, item)
        else:
            el.text = _scalar(value)

    def child(self, parent: etree._Element, key: str, value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                self.child(parent, key, item)
        else:
            self.content(etree.SubElement(parent, self.clark(key)), value)

    # -- standard fields -------------------------------------------------------------------------

    def field(self, el: etree._Element, name: str, value: Any) -> None:
        sub = etree.SubElement(el, name)
        if name in ("epcList", "childEPCs", "inputEPCList", "outputEPCList"):
            for epc in value:
                etree.SubElement(sub, "epc").text = _scalar(epc)
        elif name in ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"):
            for item in value:
                self.quantity(etree.SubElement(sub, "quantityElement"), item)
        elif name == "bizStep":
            sub.text = self.cbv_value(cbv.Vocabulary.BIZ_STEP, value)
        elif name == "disposition":
            sub.text = self.cbv_value(cbv.Vocabulary.DISPOSITION, value)
        elif name in ("readPoint", "bizLocation"):
            self.location(sub, value)
        elif name == "bizTransactionList":
            for item in value:
                bt = etree.SubElement(sub, "bizTransaction")
                if item.get("type") is not None:
                    bt.set("type", self.cbv_value(cbv.Vocabulary.BIZ_TRANSACTION_TYPE, item["type"]))
                bt.text = _scalar(item.get("bizTransaction"))
        elif name in ("sourceList", "destinationList"):
            member = name[: -len("List")]
            for item in value:
                sd = etree.SubElement(sub, member)
                if item.get("type") is not None:
                    sd.set("type", self.cbv_value(cbv.Vocabulary.SOURCE_DEST_TYPE, item["type"]))
                sd.text = _scalar(item.get(member))
        elif name == "sensorElementList":
            for item in value:
                self.sensor_element(etree.SubElement(sub, "sensorElement"), item)
        elif name == "persistentDisposition":
            for key in ("unset", "set"):  # xsd:sequence order: unset*, set*
                for word in value.get(key, ()):
                    etree.SubElement(sub, key).text = self.cbv_value(cbv.Vocabulary.DISPOSITION, word)
        elif name == "ilmd":
            self.content(sub, value)
        elif name == "errorDeclaration":
            self.error_declaration(sub, value)
        else:
            sub.text = _scalar(value)

    def ordered(self, el: etree._Element, value: Any, first: tuple[str, ...]) -> None:
        """Object content with some unqualified keys first (xsd:sequence before the wildcard)."""
        if not isinstance(value, dict):
            self.content(el, value)
            return
        for key in first:
            if key in value:
                self.child(el, key, value[key])
        self.content(el, value, skip=frozenset(first))

    def location(self, el: etree._Element, value: Any) -> None:
        self.ordered(el, value, ("id",))

    def quantity(self, el: etree._Element, item: Mapping[str, Any]) -> None:
        etree.SubElement(el, "epcClass").text = _scalar(item.get("epcClass"))
        if item.get("quantity") is not None:
            etree.SubElement(el, "quantity").text = _scalar(item["quantity"])
        if item.get("uom") is not None:
            etree.SubElement(el, "uom").text = _scalar(item["uom"])
        self.content(el, item, skip=frozenset({"epcClass", "quantity", "uom"}))

    def sensor_attributes(self, el: etree._Element, item: Mapping[str, Any]) -> None:
        for key, value in item.items():
            if key == "#text":
                el.text = _scalar(value)
            elif key == "type":
                el.set(key, self.voc_value(cbv.MEASUREMENT_TYPES, value))
            elif key == "exception":
                el.set(key, self.voc_value(cbv.SENSOR_ALERT_TYPES, value))
            elif key == "component":
                el.set(key, self.cbv_value(cbv.Vocabulary.COMPONENT, value))
            elif isinstance(value, dict | list) and ":" in key:
                self.child(el, key, value)  # structured extension data: as child elements
            else:
                el.set(self.clark(key), _scalar(value))

    def sensor_element(self, el: etree._Element, item: Mapping[str, Any]) -> None:
        if "sensorMetadata" in item:
            self.sensor_attributes(etree.SubElement(el, "sensorMetadata"), item["sensorMetadata"])
        for report in item.get("sensorReport", ()):
            self.sensor_attributes(etree.SubElement(el, "sensorReport"), report)
        rest = {k: v for k, v in item.items() if k not in ("sensorMetadata", "sensorReport", "type")}
        # unqualified names (invalid) first, then the ##other extension elements
        for key in sorted(rest, key=lambda k: ":" in k):
            self.child(el, key, rest[key])

    def error_declaration(self, el: etree._Element, value: Mapping[str, Any]) -> None:
        if "declarationTime" in value:
            etree.SubElement(el, "declarationTime").text = _scalar(value["declarationTime"])
        if value.get("reason") is not None:
            etree.SubElement(el, "reason").text = self.cbv_value(cbv.Vocabulary.ERROR_REASON, value["reason"])
        if "correctiveEventIDs" in value:
            ids = etree.SubElement(el, "correctiveEventIDs")
            for event_id in value["correctiveEventIDs"]:
                etree.SubElement(ids, "correctiveEventID").text = _scalar(event_id)
        self.content(el, value, skip=frozenset({"declarationTime", "reason", "correctiveEventIDs"}))

    def event(self, parent: etree._Element, event: Mapping[str, Any]) -> None:
        type_name = event.get("type")
        order = _ORDER.get(type_name) if isinstance(type_name, str) else None
        if order is None or not isinstance(type_name, str):
            raise ValueError(f"cannot write an event of type {type_name!r}")
        el = etree.SubElement(parent, type_name)
        for key, value in event.items():
            if key.startswith("@") and key != "@context":
                el.set(self.clark(key[1:]), _scalar(value))
        for name in order:
            if name in event:
                self.field(el, name, event[name])
        # fields of another event type (validation rejects them) keep their names
        for name in event:
            if name in FIELD_NAMES and name not in order:
                self.field(el, name, event[name])
        # unqualified elements that are no EPCIS field (invalid, kept by the reader under
        # "extension") go back where they came from, so that reading them again is a fixed point
        unqualified = event.get("extension")
        if isinstance(unqualified, dict):
            for key, value in unqualified.items():
                self.child(el, key, value)
        for key, value in event.items():
            if (
                ":" not in key
                and not key.startswith("@")
                and key not in FIELD_NAMES
                and key not in ("type", "extension")
            ):
                self.child(el, key, value)
        for key, value in event.items():
            if ":" in key and not key.startswith("@"):
                self.child(el, key, value)


def render_xml(
    events: Sequence[Event],
    namespaces: Mapping[str, str],
    *,
    query: bool = False,
    cbv_format: str = "No_Preference",
    query_name: str | None = None,
    subscription_id: str | None = None,
) -> bytes:
    """Canonical events → an EPCIS 2.0 XML ``EPCISDocument`` (or, with ``query=True``, an
    ``EPCISQueryDocument`` whose ``QueryResults`` carry them), UTF-8 with an XML declaration.

    ``namespaces`` declares the prefixes of the extension keys (the JSON-LD context prefixes
    ``cbv``, ``cbvmda``, ``gs1`` … are known without it). ``cbv_format`` is the value of the
    ``GS1-CBV-XML-Format`` header: ``Always_URN`` writes CBV values as
    ``urn:epcglobal:cbv:…`` URNs, ``Always_Web_URI`` and ``No_Preference`` as
    ``https://ref.gs1.org/cbv/…`` Web URIs. Raises ValueError for an unknown ``cbv_format``, an
    event type outside the five, or an extension prefix that is not declared.
    """
    writer = _Writer(namespaces, cbv_format)
    reserved = {"epcis": NS_EPCIS2}
    if query:
        reserved["epcisq"] = NS_QUERY2
    nsmap = writer.root_nsmap(reserved, namespaces, events)
    root_name = f"{{{NS_QUERY2}}}EPCISQueryDocument" if query else f"{{{NS_EPCIS2}}}EPCISDocument"
    root = etree.Element(root_name, nsmap=nsmap)  # type: ignore[arg-type]
    root.set("schemaVersion", "2.0")
    root.set("creationDate", datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"))
    body = etree.SubElement(root, "EPCISBody")
    if query:
        results = etree.SubElement(body, f"{{{NS_QUERY2}}}QueryResults")
        etree.SubElement(results, "queryName").text = query_name or "SimpleEventQuery"
        if subscription_id is not None:
            etree.SubElement(results, "subscriptionID").text = subscription_id
        event_list = etree.SubElement(etree.SubElement(results, "resultsBody"), "EventList")
    else:
        event_list = etree.SubElement(body, "EventList")
    for event in events:
        writer.event(event_list, event)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
