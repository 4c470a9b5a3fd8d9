"""EPCIS XML → canonical events: ``parse_xml`` (2.0, and 1.2 via ``epcis12_xml``); see ``epcis_xml_render``.

EPCIS 2.0 §9 (XML binding) and §12 (JSON binding) carry the same event model (§7); zhuisu's
canonical event is the JSON shape (see ``capture/document.py``), so reading XML means mapping each
§9 element onto its §12 key, and writing XML is the exact inverse. The mapping of the standard
fields follows the XSD (``EPCglobal-epcis-2_0.xsd``) element by element; the notes below are the
choices the standard leaves open.

Conventions (one set, used by the reader and the writer alike)
--------------------------------------------------------------
* **Extension elements** (§9.4, the ``##other`` wildcards): key ``prefix:local`` with the prefix
  the document declared for the element's namespace. A namespace declared with no prefix (a
  default ``xmlns="…"``), or whose prefix is already taken by another IRI, gets an invented stable
  prefix ``ns1``, ``ns2`` … (first come, first served, in document order). All prefixes, declared
  or invented, are returned in ``ParsedDocument.namespaces``.
* **Values**: an element with text only → that text, stripped of surrounding whitespace (``""`` for
  an empty element); an element with child elements → an object; children repeating the same name
  → a list (in document order); attributes → ``"@name"`` / ``"@prefix:name"`` keys of an object; an
  element with both attributes and text → ``{"@attr": …, "#text": "…"}``; text mixed with child
  elements → ``"#text"`` beside the children. ``xsi:`` attributes (``xsi:type``, ``xsi:nil``,
  ``xsi:schemaLocation``) are typing hints of the XML binding with no JSON counterpart and are
  dropped — which is also what makes GS1's XML and JSON-LD twins agree (extension values are
  strings in both).
* **``<extension>`` wrappers** are flattened. The 1.2 schema wraps later fields in ``extension``
  / ``baseExtension`` elements (quantityList, sourceList, ilmd, eventID, errorDeclaration …);
  2.0 keeps the event's wrapper for user elements only. Namespaced children become ordinary
  extension keys of the event (or of readPoint, bizLocation, ilmd, errorDeclaration,
  sensorElement), unqualified children named like an EPCIS field become that field, and any other
  unqualified child is ignored: the schemas reserve unqualified content there for later versions
  of the standard, following the "must ignore" versioning their comments cite (Orchard,
  "Versioning XML Vocabularies"), and EPCIS 2.0 defines nothing more there. GS1 reads it that way
  too: its 2.0 rendition of its 1.2 ObjectEvent example leaves such content out.
* **Unqualified elements outside those slots** that are not EPCIS fields (invalid per the XSD) are
  kept, under an ``"extension"`` object of the event, so that validation can point at them.
* **Sensor data**: sensorMetadata / sensorReport attributes are the JSON keys themselves, a
  namespaced attribute ``prefix:local`` (no ``@``), as in the JSON binding.
* **Event attributes** (the ``anyAttribute`` of event types) → ``"@prefix:name"`` keys of the event.
* **Master data** (``VocabularyList`` in the header, a master-data document or query results):
  one entry per VocabularyElement, ``{"type", "id", "attributes": {attribute id: value},
  "children": [id, …]}``, values read as above (a repeated attribute id → a list).
* **CBV values** → bare words via ``cbv.normalise`` (unrecognised values are kept as given);
  sensor ``type`` / ``exception`` → bare ``Temperature`` / ``ALARM_CONDITION``; numbers in
  quantities and numeric sensor attributes → ``int`` when integral, else ``float`` (kept as the
  string if not a number); ``booleanValue`` → ``bool``; ``<quantity xsi:nil="true"/>`` → no
  ``quantity`` key.
* **render_xml** writes the standard fields in XSD order, CBV values in the form the
  ``GS1-CBV-XML-Format`` header asks for (EPCIS 2.0 REST bindings), measurement types as
  ``gs1:Temperature`` (as GS1's XML examples do; the full ``https://gs1.org/voc/`` URI under
  ``Always_Web_URI``), then the extension elements. XML →
  canonical → XML → canonical is a fixed point.

Problem codes of the document structure (the XML-level ones are in ``xml_safety``):
``xml.wrong_root``, ``xml.schema_version``, ``xml.missing_body``, ``xml.missing_event_list``,
``xml.unknown_event``, ``xml.duplicate_element``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, ItemsView, Mapping
from functools import lru_cache
from typing import Any, cast

from lxml import etree

from zhuisu.capture.document import Event, Format, ParsedDocument
from zhuisu.capture.formats.xml_safety import DEFAULT_MAX_BYTES, parse_untrusted
from zhuisu.domain import cbv
from zhuisu.domain.problem import Problem

NS_EPCIS2 = "urn:epcglobal:epcis:xsd:2"
NS_QUERY2 = "urn:epcglobal:epcis-query:xsd:2"
NS_MASTERDATA2 = "urn:epcglobal:epcis-masterdata:xsd:2"
NS_EPCIS1 = "urn:epcglobal:epcis:xsd:1"
NS_QUERY1 = "urn:epcglobal:epcis-query:xsd:1"
NS_MASTERDATA1 = "urn:epcglobal:epcis-masterdata:xsd:1"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
NS_XML = "http://www.w3.org/XML/1998/namespace"
_XSI_NIL = f"{{{NS_XSI}}}nil"

EVENT_TYPES = frozenset(
    {"ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent"}
)

# root (namespace, local name) → (major version, document kind)
_ROOTS: dict[tuple[str, str], tuple[int, str]] = {
    (NS_EPCIS2, "EPCISDocument"): (2, "document"),
    (NS_QUERY2, "EPCISQueryDocument"): (2, "query"),
    (NS_MASTERDATA2, "EPCISMasterDataDocument"): (2, "masterdata"),
    (NS_EPCIS1, "EPCISDocument"): (1, "document"),
    (NS_QUERY1, "EPCISQueryDocument"): (1, "query"),
    (NS_MASTERDATA1, "EPCISMasterDataDocument"): (1, "masterdata"),
}

# Prefixes the JSON-LD context of EPCIS 2.0 predefines, so JSON-captured events may use them
# undeclared; written with their XML namespaces (CBV 2.0 §10 master data: cbvmda is urn:epcglobal:cbv:mda).
PREDEFINED_PREFIXES = {
    "cbv": "https://ref.gs1.org/cbv/",
    "cbvmda": "urn:epcglobal:cbv:mda",
    "gs1": "https://gs1.org/voc/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
}
# JSON-LD spells the CBV master-data namespace with a trailing colon (it builds URIs by
# concatenation); the XML binding names the same namespace without it.
XML_NAMESPACE_OF = {"urn:epcglobal:cbv:mda:": "urn:epcglobal:cbv:mda"}

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
NCNAME = re.compile(r"[A-Za-z_][\w.\-]*")


def problem(code: str, path: str, zh: str, en: str, index: int | None = None) -> Problem:
    """A structural problem of an XML document."""
    return Problem(index, path, code, zh, en)


def unknown_event(path: str, name: str) -> Problem:
    return problem(
        "xml.unknown_event",
        path,
        f"EventList 中有未知的事件元素 <{name}>（EPCIS 2.0 只有五种事件）",
        f"unknown event element <{name}> in EventList (EPCIS 2.0 has five event types)",
    )


def _number(text: str) -> int | float | str:
    """xsd:decimal / xsd:double text → int when integral, else float; the text if not a number."""
    if not _NUMBER.fullmatch(text):
        return text
    if "." not in text and "e" not in text and "E" not in text:
        return int(text)
    value = float(text)
    if not math.isfinite(value):
        return text
    if value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _boolean(text: str) -> bool | str:
    text = text.strip()
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    return text


def _add(target: dict[str, Any], key: str, value: Any) -> None:
    """Add a child's value; a repeated name turns into a list (values are never lists themselves)."""
    if key not in target:
        target[key] = value
        return
    existing = target[key]
    if isinstance(existing, list):
        existing.append(value)
    else:
        target[key] = [existing, value]


def _attributes(el: etree._Element) -> ItemsView[str, str]:
    # lxml returns str for names and values parsed from a document; the stubs also allow bytes
    return cast("ItemsView[str, str]", el.attrib.items())


def _text(el: etree._Element) -> str:
    return (el.text or "").strip()


def _keep(normalised: cbv.Normalised | None, value: str) -> str:
    return value if normalised is None else normalised.value


@lru_cache(maxsize=4096)
def _word(vocabulary: cbv.Vocabulary, value: str) -> str:
    """A CBV value's bare word, or the value as given when it is not a standard one (cached:
    a document repeats the same few values on every event)."""
    return _keep(cbv.normalise(vocabulary, value), value)


class NamespaceTable:
    """Prefixes for the namespaces met in a document: declared ones first, invented on clashes."""

    def __init__(self, declared: Mapping[Any, str]) -> None:
        self.prefixes: dict[str, str] = {}  # what ParsedDocument.namespaces gets
        self._by_uri: dict[str, str] = {}
        self._keys: dict[str, str | None] = {}
        self._invented = 0
        for prefix, uri in declared.items():
            if prefix and prefix != "xml":
                self.prefixes.setdefault(prefix, uri)
                if self.prefixes[prefix] == uri:
                    self._by_uri.setdefault(uri, prefix)

    def prefix_for(self, uri: str, hint: str | None) -> str:
        if uri == NS_XML:
            return "xml"
        known = self._by_uri.get(uri)
        if known is not None:
            return known
        if not hint or hint == "xml" or hint in self.prefixes:
            while True:
                self._invented += 1
                hint = f"ns{self._invented}"
                if hint not in self.prefixes:
                    break
        self.prefixes[hint] = uri
        self._by_uri[uri] = hint
        return hint

    def key(self, el: etree._Element) -> str:
        """``prefix:local`` of a namespaced element, the local name of an unqualified one."""
        tag: str = el.tag
        key = self._keys.get(tag)
        if key is None:
            if tag[0] == "{":
                uri, local = tag[1:].split("}", 1)
                key = f"{self.prefix_for(uri, el.prefix)}:{local}"
            else:
                key = tag
            self._keys[tag] = key
        return key

    def attribute(self, name: str, el: etree._Element) -> str | None:
        """``prefix:local`` / ``local`` of an attribute; None for the dropped ``xsi:`` ones."""
        if name[0] != "{":
            return name
        cache_key = "@" + name
        if cache_key in self._keys:
            return self._keys[cache_key]
        uri, local = name[1:].split("}", 1)
        result: str | None = None
        if uri != NS_XSI:
            hint = next((p for p, u in el.nsmap.items() if u == uri and p), None)
            result = f"{self.prefix_for(uri, hint)}:{local}"
        self._keys[cache_key] = result
        return result


class EventReader:
    """Reads EPCIS event elements (§9 XML binding) into canonical events (§12 JSON shape)."""

    def __init__(self, namespaces: NamespaceTable, *, legacy: bool = False) -> None:
        self.ns = namespaces
        self.legacy = legacy  # EPCIS 1.x input: accept GS1's 1.2 spelling <sensorMetaData>
        self.problems: list[Problem] = []
        self._index: int | None = None

    # -- generic values (extension elements, ilmd, master data attributes) -------------------

    def value(self, el: etree._Element, skip: str | None = None) -> Any:
        """An element as string / object, following the conventions in the module docstring."""
        obj: dict[str, Any] = {}
        if len(el.attrib):
            for name, raw in _attributes(el):
                if name == skip:
                    continue
                key = self.ns.attribute(name, el)
                if key is not None:
                    obj["@" + key] = raw
        has_children = False
        for child in el:
            has_children = True
            _add(obj, self.ns.key(child), self.value(child))
        if not has_children:
            text = _text(el)
            if not obj:
                return text
            if text:
                obj["#text"] = text
            return obj
        mixed = ((el.text or "") + "".join(child.tail or "" for child in el)).strip()
        if mixed:
            obj["#text"] = mixed
        return obj

    def _structure(self, el: etree._Element) -> dict[str, Any]:
        """readPoint, bizLocation, ilmd: an object of their children, extension wrapper flattened."""
        obj: dict[str, Any] = {}
        for name, raw in _attributes(el):
            key = self.ns.attribute(name, el)
            if key is not None:
                obj["@" + key] = raw
        has_children = False
        for child in el:
            has_children = True
            if child.tag == "extension":
                self._lift(child, obj)
            else:
                _add(obj, self.ns.key(child), self.value(child))
        text = _text(el) if not has_children else ""
        if text:
            obj["#text"] = text
        return obj

    def _lift(self, wrapper: etree._Element, target: dict[str, Any]) -> None:
        # a ##local extension slot: namespaced elements (misplaced, but meaningful) are kept,
        # unqualified ones are reserved for later versions of EPCIS and ignored (module docstring)
        for child in wrapper:
            if child.tag[0] == "{":
                _add(target, self.ns.key(child), self.value(child))

    # -- standard fields (EPCIS 2.0 §7.3 data types, §9 XSD element types) ---------------------

    def _epcs(self, el: etree._Element) -> list[str]:
        return [_text(c) for c in el if c.tag == "epc"]

    def _quantities(self, el: etree._Element) -> list[dict[str, Any]]:
        # QuantityElementType: epcClass, then optionally quantity (nillable) and uom (§7.3)
        out: list[dict[str, Any]] = []
        for qe in el:
            if qe.tag != "quantityElement":
                continue
            item: dict[str, Any] = {}
            for c in qe:
                tag = c.tag
                if tag in ("epcClass", "uom"):
                    item[tag] = _text(c)
                elif tag == "quantity":
                    if c.get(_XSI_NIL) not in ("true", "1"):
                        item["quantity"] = _number(_text(c))
                else:
                    _add(item, self.ns.key(c), self.value(c))
            out.append(item)
        return out

    def _biz_step(self, el: etree._Element) -> str:
        text = _text(el)
        return _word(cbv.Vocabulary.BIZ_STEP, text)

    def _disposition(self, el: etree._Element) -> str:
        text = _text(el)
        return _word(cbv.Vocabulary.DISPOSITION, text)

    def _biz_transactions(self, el: etree._Element) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for c in el:
            if c.tag != "bizTransaction":
                continue
            item: dict[str, Any] = {}
            kind = c.get("type")
            if kind is not None:
                kind = kind.strip()
                item["type"] = _word(cbv.Vocabulary.BIZ_TRANSACTION_TYPE, kind)
            item["bizTransaction"] = _text(c)
            out.append(item)
        return out

    def _source_dest(self, el: etree._Element, name: str) -> list[dict[str, Any]]:
        # §7.3: each source / destination has a type (CBV SourceDestType) and an id
        out: list[dict[str, Any]] = []
        for c in el:
            if c.tag != name:
                continue
            item: dict[str, Any] = {}
            kind = c.get("type")
            if kind is not None:
                kind = kind.strip()
                item["type"] = _word(cbv.Vocabulary.SOURCE_DEST_TYPE, kind)
            item[name] = _text(c)
            out.append(item)
        return out

    def _sources(self, el: etree._Element) -> list[dict[str, Any]]:
        return self._source_dest(el, "source")

    def _destinations(self, el: etree._Element) -> list[dict[str, Any]]:
        return self._source_dest(el, "destination")

    def _sensor_attributes(self, el: etree._Element) -> dict[str, Any]:
        # SensorMetadataType / SensorReportType: all data in attributes (§7.3, §9 XSD);
        # the JSON binding names them alike, extension attributes as "prefix:local" keys.
        out: dict[str, Any] = {}
        for name, raw in _attributes(el):
            if name[0] == "{":
                key = self.ns.attribute(name, el)
                if key is not None:
                    out[key] = raw
            elif name in _SENSOR_NUMBERS:
                out[name] = _number(raw.strip())
            elif name == "booleanValue":
                out[name] = _boolean(raw)
            elif name == "type":
                out[name] = _keep(cbv.normalise_measurement_type(raw.strip()), raw.strip())
            elif name == "exception":
                out[name] = _keep(cbv.normalise_alert_type(raw.strip()), raw.strip())
            elif name == "component":
                out[name] = _word(cbv.Vocabulary.COMPONENT, raw.strip())
            else:
                out[name] = raw
        text = _text(el)
        if text:
            out["#text"] = text
        for child in el:
            _add(out, self.ns.key(child), self.value(child))
        return out

    def _sensor_elements(self, el: etree._Element) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for se in el:
            if se.tag != "sensorElement":
                continue
            item: dict[str, Any] = {}
            reports: list[dict[str, Any]] = []
            for c in se:
                tag = c.tag
                if tag == "sensorMetadata" or (self.legacy and tag == "sensorMetaData"):
                    item["sensorMetadata"] = self._sensor_attributes(c)
                elif tag == "sensorReport":
                    reports.append(self._sensor_attributes(c))
                elif tag == "extension":
                    self._lift(c, item)
                else:
                    _add(item, self.ns.key(c), self.value(c))
            if reports:
                item["sensorReport"] = reports
            out.append(item)
        return out

    def _persistent_disposition(self, el: etree._Element) -> dict[str, list[str]]:
        # §7.3 (new in 2.0): dispositions set / unset, each a CBV Disposition
        out: dict[str, list[str]] = {}
        for c in el:
            if c.tag in ("set", "unset"):
                out.setdefault(c.tag, []).append(_word(cbv.Vocabulary.DISPOSITION, _text(c)))
        return out

    def _error_declaration(self, el: etree._Element) -> dict[str, Any]:
        # §7.4 ErrorDeclaration: declarationTime, reason?, correctiveEventIDs?, extensions
        out: dict[str, Any] = {}
        for name, raw in _attributes(el):
            key = self.ns.attribute(name, el)
            if key is not None:
                out["@" + key] = raw
        for c in el:
            tag = c.tag
            if tag == "declarationTime":
                out[tag] = _text(c)
            elif tag == "reason":
                out[tag] = _word(cbv.Vocabulary.ERROR_REASON, _text(c))
            elif tag == "correctiveEventIDs":
                out[tag] = [_text(i) for i in c if i.tag == "correctiveEventID"]
            elif tag == "extension":
                self._lift(c, out)
            else:
                _add(out, self.ns.key(c), self.value(c))
        return out

    # -- events -----------------------------------------------------------------------------

    def read_event(self, el: etree._Element, type_name: str, index: int, path: str) -> Event:
        """One event element → canonical event; duplicate fields go to ``self.problems``."""
        self._index = index
        event: Event = {"type": type_name}
        for name, raw in _attributes(el):
            key = self.ns.attribute(name, el)
            if key is not None:
                event["@" + key] = raw
        self._fields_into(el, event, path, wrapper=False)
        return event

    def _fields_into(self, el: etree._Element, event: Event, path: str, *, wrapper: bool) -> None:
        for child in el:
            tag: str = child.tag
            if tag[0] == "{":  # §9.4 extension element
                _add(event, self.ns.key(child), self.value(child))
                continue
            read = _FIELDS.get(tag)
            if read is not None:
                if tag in event:
                    self.problems.append(
                        problem(
                            "xml.duplicate_element",
                            f"{path}/{tag}",
                            f"事件中字段 <{tag}> 出现了不止一次",
                            f"field <{tag}> occurs more than once in the event",
                            self._index,
                        )
                    )
                else:
                    event[tag] = read(self, child)
            elif tag in ("extension", "baseExtension"):
                self._fields_into(child, event, f"{path}/{tag}", wrapper=True)
            elif not wrapper:  # unqualified, not an EPCIS field: invalid, kept for validation
                _add(event.setdefault("extension", {}), tag, self.value(child))
            # else: unqualified content of an extension slot, reserved for later EPCIS versions

    # -- master data (§9 XML binding: VocabularyList) ----------------------------------

    def read_vocabularies(self, vocabulary_list: etree._Element) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for vocabulary in vocabulary_list:
            if vocabulary.tag != "Vocabulary":
                continue
            vtype = (vocabulary.get("type") or "").strip()
            for element_list in vocabulary:
                if element_list.tag != "VocabularyElementList":
                    continue
                for element in element_list:
                    if element.tag != "VocabularyElement":
                        continue
                    attributes: dict[str, Any] = {}
                    children: list[str] = []
                    for c in element:
                        if c.tag == "attribute":
                            _add(attributes, (c.get("id") or "").strip(), self.value(c, skip="id"))
                        elif c.tag == "children":
                            children.extend(_text(i) for i in c if i.tag == "id")
                    out.append(
                        {
                            "type": vtype,
                            "id": (element.get("id") or "").strip(),
                            "attributes": attributes,
                            "children": children,
                        }
                    )
        return out


_SENSOR_NUMBERS = frozenset({"value", "minValue", "maxValue", "sDev", "meanValue", "percRank", "percValue"})

_Reader = Callable[[EventReader, etree._Element], Any]
_FIELDS: dict[str, _Reader] = {
    **{
        name: lambda r, el: _text(el)
        for name in (
            "eventTime",
            "recordTime",
            "eventTimeZoneOffset",
            "eventID",
            "certificationInfo",
            "action",
            "parentID",
            "transformationID",
        )
    },
    **{name: EventReader._epcs for name in ("epcList", "childEPCs", "inputEPCList", "outputEPCList")},
    **{
        name: EventReader._quantities
        for name in (
            "quantityList",
            "childQuantityList",
            "inputQuantityList",
            "outputQuantityList",
        )
    },
    "bizStep": EventReader._biz_step,
    "disposition": EventReader._disposition,
    "readPoint": EventReader._structure,
    "bizLocation": EventReader._structure,
    "bizTransactionList": EventReader._biz_transactions,
    "sourceList": EventReader._sources,
    "destinationList": EventReader._destinations,
    "sensorElementList": EventReader._sensor_elements,
    "persistentDisposition": EventReader._persistent_disposition,
    "ilmd": EventReader._structure,
    "errorDeclaration": EventReader._error_declaration,
}

#: the EPCIS fields the reader knows, by their XML (= JSON) name
FIELD_NAMES = frozenset(_FIELDS)


def read_event_list(event_list: etree._Element, path: str, reader: EventReader, doc: ParsedDocument) -> None:
    """EPCIS 2.0 EventList: the five event types, in document order (§9, EventListType)."""
    counts: dict[str, int] = {}
    for child in event_list:
        name = reader.ns.key(child)
        counts[name] = counts.get(name, 0) + 1
        child_path = f"{path}/{name}[{counts[name]}]"
        if name in EVENT_TYPES:
            doc.events.append(reader.read_event(child, name, len(doc.events), child_path))
            doc.event_paths.append(child_path)
        elif name == "extension" and not len(child):
            continue  # an empty extension wrapper carries nothing
        else:
            # including 2.0's EventList/extension: vendor event types have no canonical form
            doc.problems.append(unknown_event(child_path, name))


def _schema_version_problem(root: etree._Element, root_path: str, major: int) -> Problem | None:
    version = (root.get("schemaVersion") or "").strip()
    if not version or version.split(".", 1)[0] == str(major):
        return None
    return problem(
        "xml.schema_version",
        f"{root_path}/@schemaVersion",
        f'schemaVersion="{version}" 与根元素命名空间（EPCIS {major}.x）不符',
        f'schemaVersion="{version}" contradicts the root element\'s namespace (EPCIS {major}.x)',
    )


def parse_xml(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedDocument:
    """An EPCIS XML document (2.0 or 1.2; EPCISDocument, EPCISQueryDocument or
    EPCISMasterDataDocument) → canonical events, namespaces, event XPaths and master data.

    Structural problems (see the module docstrings here and in ``xml_safety``) are reported in
    ``problems``; field values are not validated here.
    """
    root = parse_untrusted(data, max_bytes=max_bytes)
    if isinstance(root, Problem):
        return ParsedDocument(Format.XML, problems=[root])
    tag: str = root.tag
    uri, _, local = tag[1:].partition("}") if tag[0] == "{" else ("", "", tag)
    root_path = f"/{local}"
    found = _ROOTS.get((uri, local))
    if found is None:
        return ParsedDocument(
            Format.XML,
            problems=[
                problem(
                    "xml.wrong_root",
                    root_path,
                    f"根元素 <{local}>（命名空间 {uri or '无'}）不是 EPCIS 1.2/2.0 文档",
                    f"root element <{local}> (namespace {uri or 'none'}) is not an EPCIS 1.2/2.0 document",
                )
            ],
        )
    major, kind = found
    doc = ParsedDocument(Format.XML if major == 2 else Format.XML12)
    version_problem = _schema_version_problem(root, root_path, major)
    if version_problem is not None:
        doc.problems.append(version_problem)
        return doc
    table = NamespaceTable(root.nsmap)
    reader = EventReader(table, legacy=major == 1)

    # EPCISHeader/extension/EPCISMasterData/VocabularyList (§9, EPCISHeaderExtensionType)
    vocabularies = root.find("EPCISHeader/extension/EPCISMasterData/VocabularyList")
    if vocabularies is not None:
        doc.masterdata.extend(reader.read_vocabularies(vocabularies))

    body = root.find("EPCISBody")
    if body is None:
        doc.problems.append(
            problem("xml.missing_body", root_path, "缺少 EPCISBody 元素", "the EPCISBody element is missing")
        )
        return doc
    body_path = f"{root_path}/EPCISBody"
    event_list: etree._Element | None = None
    list_path = f"{body_path}/EventList"
    if kind == "masterdata":
        vocabularies = body.find("VocabularyList")
        if vocabularies is not None:
            doc.masterdata.extend(reader.read_vocabularies(vocabularies))
    elif kind == "query":
        # EPCISQueryDocument/EPCISBody/epcisq:QueryResults/resultsBody/(EventList|VocabularyList)
        results_body = body.find(f"{{{uri}}}QueryResults/resultsBody")
        list_path = f"{body_path}/QueryResults/resultsBody/EventList"
        if results_body is not None:
            event_list = results_body.find("EventList")
            vocabularies = results_body.find("VocabularyList")
            if vocabularies is not None:
                doc.masterdata.extend(reader.read_vocabularies(vocabularies))
        if event_list is None and vocabularies is None:
            doc.problems.append(_missing_event_list(list_path))
    else:
        event_list = body.find("EventList")
        if event_list is None:
            doc.problems.append(_missing_event_list(list_path))

    if event_list is not None:
        if major == 2:
            read_event_list(event_list, list_path, reader, doc)
        else:
            from zhuisu.capture.formats import epcis12_xml

            epcis12_xml.read_event_list(event_list, list_path, reader, doc)
    doc.problems.extend(reader.problems)
    doc.namespaces = table.prefixes
    return doc


def _missing_event_list(path: str) -> Problem:
    return problem(
        "xml.missing_event_list",
        path,
        "缺少 EventList 元素（事件列表）",
        "the EventList element (the list of events) is missing",
    )
