"""The EPCIS Event Hash ID (CBV 2.0 §8.9): a fingerprint of an event, the same in XML and JSON.

zhuisu keys stored events by this ID, so a re-sent event is recognised as a duplicate whatever
syntax, identifier spelling, time zone or list order it arrives in, and so that another platform
computing the ID for the same event gets the same value. The ID is
``ni:///sha-256;{hex digest of the UTF-8 pre-hash string}?ver=CBV2.0`` (RFC 6920; CBV 2.0 §8.9
rules 22-24).

Algorithm (CBV 2.0 §8.9 and the algorithm description of the GS1 reference implementation,
github.com/RalphTro/epcis-event-hash-generator, "the oracle" below; rule numbers are its README's):

1. The pre-hash string starts ``eventType={type}`` and concatenates ``key=value`` pieces with no
   separator (rules 1-4). Fields that are absent or empty add nothing.
2. Fields are taken in the canonical property order (rule 1 table): eventTime, eventTimeZoneOffset,
   certificationInfo, parentID, epcList, inputEPCList, childEPCs, quantityList, childQuantityList,
   inputQuantityList, outputEPCList, outputQuantityList, action, transformationID, bizStep,
   disposition, persistentDisposition (set, unset), readPoint (id), bizLocation (id),
   sensorElementList (sensorMetadata: time … bizRules; sensorReport: type … coordinateReferenceSystem).
   A list's name appears once, followed by its items (``epcList`` ``epc=…`` ``epc=…``); a quantity
   element is ``quantityElement`` + epcClass, quantity, uom (rules 11-12).
3. Values are trimmed (rule 5). Times — fields whose name contains "time" but not "offset" — are
   written in UTC with ``Z`` and exactly three fraction digits, rounded half-to-even to the
   millisecond (rules 8-9). Numbers lose a leading ``+``, leading zeros and trailing zeros (``200.0``
   → ``200``, rules 6-7).
4. CBV values are written as Web URIs: bare words of bizStep, disposition, persistentDisposition,
   bizTransaction / source / destination types and sensor components expand to
   ``https://ref.gs1.org/cbv/{BizStep|Disp|BTT|SDT|Comp}-{word}``, and EPCIS 1.x URNs
   (``urn:epcglobal:cbv:…``) anywhere are rewritten to the same (rules 14, 16). Sensor measurement
   types and alert types expand to ``https://gs1.org/voc/{word}``. CURIEs whose prefix is declared
   (and gs1:, cbv:, epcis:) are expanded (rule 15).
5. Every value that is a GS1 key — EPC URN, class URN, pattern URI or Digital Link on any host — is
   replaced by its constrained canonical Digital Link (rules 17-18), see :mod:`zhuisu.domain.epc`.
6. Items of a list, and the pieces at one level, are sorted by code point (rules 10-12). Business
   transactions, sources and destinations are written ``type=…`` then the value, and those pairs
   are sorted (rule 13).
7. recordTime, eventID and errorDeclaration are not hashed (EPCIS 2.0 §7.4.1.4 / CBV §8.9: they
   are not part of what happened). JSON-LD ``@context``, ``comment`` / ``rdfs:comment`` and XML
   Schema instance attributes (``xsi:type``) are not event data either.
8. Everything else — ilmd, user extensions, business transaction / source / destination lists and
   whatever parts of standard fields were not consumed above — follows as one sorted list of
   pieces, each written ``{name}={value}`` with nested children appended; an extension element's
   name is ``{namespace IRI}localName`` (rules 19-21). XML attributes (``@prefix:name`` keys of the
   canonical form) are written like child elements, as the oracle does for XML input.
9. Extensions inside readPoint, bizLocation, sensorElement, sensorMetadata and sensorReport are
   appended right after their parent's standard fields (rule 21) — exactly when the oracle does so:
   when the namespace IRI ends in ``/`` and the parent has more than one child; otherwise they
   join the sorted list of step 8 under their parent's name.

Steps 8 and 9 reproduce what the oracle actually computes rather than the literal property table
(which would place bizTransactionList, sourceList and destinationList before sensorElementList and
ilmd before the other extensions): an Event Hash ID is only useful if the other side computes the
same value, and GS1's published hashes come from the oracle.

Known deviations from the oracle (epcis-event-hash-generator 1.9.3), each where the oracle
contradicts the algorithm's own requirement that XML and JSON of one event hash alike, or fails:

* D1 JSON booleans: the oracle writes Python's ``True``; we write ``true``, the XML Schema lexical
  form, which the oracle itself produces from XML.
* D2 CURIE values (rule 15): ``gs1:``, ``cbv:`` and ``epcis:`` always, and the prefixes the document
  declares, in JSON and XML alike. The oracle expands the first three only from XML
  (``"type": "gs1:Temperature"`` in JSON stays as written) and declared prefixes only from JSON.
* D3 ``xsi:type`` and other XML Schema instance attributes are ignored; the oracle hashes them, so
  GS1's own example pair event_with_identical_hash_id_1.xml / _6.xml (which differ only by an
  explicit ``xsi:type="xsd:string"``) and the JSON twin _7.json get different IDs there.
* D4 numbers with more than 15 significant digits keep all their digits; the oracle rounds them
  through a binary float, so two different long numeric codes could share an ID.
* D5 inputs the oracle rejects or crashes on are hashed all the same: a business transaction
  without a type, ``inf`` values, a time that rounds up to the next second, a time without offset
  (taken as UTC; the oracle uses the machine's zone); JSON ``null`` counts as absent.
* D6 extension names ending in ``List`` inside JSON, which the oracle's JSON reader splits as if
  they were standard lists, are kept as written (what its XML reader does).
* D7 GS1 keys are recognised a little more widely: Digital Links with key qualifiers in another
  order, with percent-encoded characters, an upper-case scheme or host, or a fragment; GRAI URNs
  and GRAI / GDTI patterns with a 12-digit company prefix (the oracle's patterns miss them);
  ``/254/0`` means "no extension" in a Digital Link as in an SGLN URN. A Digital Link with a
  wrong check digit is hashed as written (the oracle canonicalises it without checking).
* D8 value-level heuristics of the oracle are not copied: it expands a bare word anywhere in a JSON
  document when the same word is a CBV value elsewhere in it; we expand CBV words in their own
  fields only.

GS1's example set examples/xml/WithEventHashID says all seven events are the same event; event 2
differs from event 1 by its eventTimeZoneOffset (-05:00 instead of -06:00), which the algorithm
hashes (property 3), so it legitimately gets another ID. The other six agree here.

EPCIS 1.2 XML is hashed as the 2.0 event it is read into (``capture/formats/epcis12_xml``): GS1's
1.2 spelling ``sensorMetaData`` counts as ``sensorMetadata``, and unqualified content of 1.2
``extension`` wrappers, which the reader ignores, is not hashed.

Speed: capture hashes every event, so the common shape (string fields, identifier lists, plain
quantities, ``{"id": …}`` locations, type/value pairs, scalar extensions) takes a flat fast path;
anything else takes the general one. Both give the same string (a property test checks it).
Normalised scalar values and time-zone conversions per minute are memoised in bounded dicts.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from math import isfinite
from typing import Any

from zhuisu.domain import cbv, epc

__all__ = ["CBV_WEB_PREFIX", "HASH_VERSION", "event_hash", "prehash_string", "utc_millis"]

HASH_VERSION = "CBV2.0"
XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance"
TEXT_KEY = "#text"  # canonical form: the text of an XML element that also has attributes

# Web URI prefix of each CBV vocabulary's standard values (CBV 2.0 §7: …/BizStep-shipping,
# …/Disp-in_transit, …/BTT-po …), from the vocabulary module so both agree; ``cbv.web_uri`` is
# prefix + word, concatenated here directly on the hot path.
CBV_WEB_PREFIX: dict[cbv.Vocabulary, str] = {
    vocabulary: f"{cbv.WEB_URI_BASE}{segment}-" for vocabulary, segment in cbv.WEB_SEGMENT.items()
}
_CBV_URN = "urn:epcglobal:cbv:"
_URN_TO_WEB = {
    f"{_CBV_URN}{segment}:": CBV_WEB_PREFIX[vocabulary] for vocabulary, segment in cbv.URN_SEGMENT.items()
}
# CURIE prefixes expanded even when a document does not declare them (rule 15).
_WELL_KNOWN_PREFIXES = {
    "gs1:": cbv.GS1_VOC_BASE,
    "cbv:": cbv.WEB_URI_BASE,
    "epcis:": "https://ref.gs1.org/epcis/",
}

# Not part of what happened (step 7).
_EXCLUDED = frozenset({"recordTime", "eventID", "type", "errorDeclaration"})
_IGNORED_NAMES = frozenset(
    {
        TEXT_KEY,
        "@context",
        "comment",
        "rdfs:comment",
        "{http://www.w3.org/2000/01/rdf-schema#}comment",
    }
)
_UNSORTED_NAMES = frozenset({"bizTransaction", "source", "destination"})

Child = tuple[str, Any]


class _Rest:
    """What is left of a standard field after its known parts went into the ordered part (step 8)."""

    __slots__ = ("children",)

    def __init__(self, children: list[Child]) -> None:
        self.children = children


# --------------------------------------------------------------------------- scalar normalisation

_MAX_CACHE = 50_000
_value_cache: dict[str, str] = {}


def _number(text: str) -> str | None:
    """Rules 6-7: a number without '+', leading or trailing zeros; None when not a number.

    Like the oracle the value goes through a binary float ("1e3" → "1000", "0.10" → "0.1"); past 15
    significant digits a float would merge distinct values, so those are kept exact (D4).
    """
    if text[0] not in "0123456789+-." or text[-1] not in "0123456789.":
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    if not isfinite(number):
        return None
    mantissa = text.lstrip("+-").replace("E", "e").split("e")[0].replace(".", "").replace("_", "")
    if len(mantissa.strip("0")) > 15:
        try:
            return format(Decimal(text.replace("_", "")).normalize(), "f")
        except InvalidOperation:
            return None
    return str(int(number)) if number.is_integer() else str(number)


def _normalise(text: str) -> str:
    """CURIE (rule 15), CBV URN → Web URI (14), number (6-7), GS1 key → canonical DL (17-18)."""
    colon = text.find(":")
    if 0 < colon < 6:
        iri = _WELL_KNOWN_PREFIXES.get(text[: colon + 1])
        if iri is not None:
            return iri + text[colon + 1 :]
    if text.startswith(_CBV_URN):
        cut = text.find(":", len(_CBV_URN)) + 1
        web = _URN_TO_WEB.get(text[:cut])
        return text if web is None else web + text[cut:]
    number = _number(text)
    if number is not None:
        return number
    try:
        return epc.canonical(text)
    except ValueError:
        return text  # a malformed GS1 key is hashed as written; validation reports it


def _text(raw: Any) -> str:
    """A scalar's text, trimmed (rule 5)."""
    if isinstance(raw, str):
        return raw.strip()
    if isinstance(raw, bool):
        return "true" if raw else "false"  # D1: the XML Schema lexical form
    if raw is None:
        return ""
    return str(raw)


_TIME = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?")
_minutes: dict[str, str] = {}


def _utc_minute(minute: str, zone: str | None) -> str:
    """``YYYY-MM-DDTHH:MM`` at ``zone`` → the same minute in UTC; ValueError if no such minute.

    Memoised, since the events of a batch share their minutes. Offsets are whole minutes
    (xsd:dateTime), so the seconds and fraction of a time never change.
    """
    key = minute if zone is None else minute + zone
    utc = _minutes.get(key)
    if utc is None:
        moment = datetime.fromisoformat(minute)
        if zone is not None and zone != "Z":
            sign = -1 if zone[0] == "-" else 1
            moment -= sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        if len(_minutes) >= _MAX_CACHE:
            _minutes.clear()
        utc = _minutes[key] = moment.isoformat(timespec="minutes")
    return utc


def utc_millis(text: str) -> str:
    """Rules 8-9: an ISO 8601 date-time in UTC with ``Z`` and milliseconds.

    Fractions are rounded to the millisecond half-to-even, as the oracle does. A value that is not
    an ISO 8601 date-time is returned as written; one without an offset is taken as UTC (D5).
    """
    match = _TIME.fullmatch(text)
    if match is None:
        return _utc_millis_slow(text)
    minute, second, fraction, zone = match.groups()
    if fraction is None:
        fraction = "000"
    elif len(fraction) != 3:
        millis = round(int(fraction[:6].ljust(6, "0")), -3) // 1000
        if millis == 1000:
            return _utc_millis_slow(text)  # rounds up into the next second
        fraction = f"{millis:03d}"
    if second > "59":
        return text
    try:
        return f"{_utc_minute(minute, zone)}:{second}.{fraction}Z"
    except ValueError:
        return text


def _utc_millis_slow(text: str) -> str:
    """Other ISO 8601 spellings ``datetime.fromisoformat`` accepts (a date alone, a space …)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    offset = moment.utcoffset()
    moment = moment.replace(tzinfo=None, microsecond=0) + timedelta(
        microseconds=round(moment.microsecond, -3)
    )
    if offset is not None:
        moment -= offset
    return f"{moment.isoformat(timespec='milliseconds')}Z"


def _spread(name: str, item: Any) -> list[Child]:
    """A JSON list is a repeated XML element: one child per item (JSON ``null`` is absent, D5)."""
    if not isinstance(item, list):
        return [] if item is None else [(name, item)]
    out: list[Child] = []
    for element in item:
        if isinstance(element, list):
            out.extend(_spread(name, element))
        elif element is not None:
            out.append((name, element))
    return out


def _assigned(name: str, text: str) -> str:
    return f"{name}={text}" if text else name


# --------------------------------------------------------------------------- field specifications

Leaf = Callable[["_Hasher", str], str]


class Fields:
    """A standard field with sub-fields, in canonical property order (CBV 2.0 §8.9 table)."""

    __slots__ = ("names", "order")

    def __init__(self, *order: tuple[str, Leaf | Fields]) -> None:
        self.order = order
        self.names = frozenset(name for name, _ in order)


def _plain(hasher: _Hasher, text: str) -> str:
    return hasher.value(text)


def _time(hasher: _Hasher, text: str) -> str:
    return utc_millis(text)


def _words(words: frozenset[str], prefix: str) -> Leaf:
    """A standard vocabulary field: bare words expand to their Web URI (rules 14-16)."""

    def expand(hasher: _Hasher, text: str) -> str:
        return prefix + text if text in words else hasher.value(text)

    return expand


def _cbv(vocabulary: cbv.Vocabulary) -> Leaf:
    return _words(cbv.WORDS[vocabulary], CBV_WEB_PREFIX[vocabulary])


_SENSOR_METADATA = Fields(
    ("time", _time),
    ("startTime", _time),
    ("endTime", _time),
    ("deviceID", _plain),
    ("deviceMetadata", _plain),
    ("rawData", _plain),
    ("dataProcessingMethod", _plain),
    ("bizRules", _plain),
)
_SENSOR_REPORT = Fields(
    ("type", _words(cbv.MEASUREMENT_TYPES, cbv.GS1_VOC_BASE)),
    ("exception", _words(cbv.SENSOR_ALERT_TYPES, cbv.GS1_VOC_BASE)),
    ("deviceID", _plain),
    ("deviceMetadata", _plain),
    ("rawData", _plain),
    ("dataProcessingMethod", _plain),
    ("time", _time),
    ("microorganism", _plain),
    ("chemicalSubstance", _plain),
    ("value", _plain),
    ("component", _cbv(cbv.Vocabulary.COMPONENT)),
    ("stringValue", _plain),
    ("booleanValue", _plain),
    ("hexBinaryValue", _plain),
    ("uriValue", _plain),
    ("minValue", _plain),
    ("maxValue", _plain),
    ("meanValue", _plain),
    ("sDev", _plain),
    ("percRank", _plain),
    ("percValue", _plain),
    ("uom", _plain),
    ("coordinateReferenceSystem", _plain),
)
_SENSOR_ELEMENT = Fields(("sensorMetadata", _SENSOR_METADATA), ("sensorReport", _SENSOR_REPORT))
_QUANTITY_ELEMENT = Fields(("epcClass", _plain), ("quantity", _plain), ("uom", _plain))
_POINT = Fields(("id", _plain))
_PERSISTENT_DISPOSITION = Fields(
    ("set", _cbv(cbv.Vocabulary.DISPOSITION)),
    ("unset", _cbv(cbv.Vocabulary.DISPOSITION)),
)


class ListOf:
    """A list field of the JSON binding (``epcList``) whose items the XML binding names (``epc``)."""

    __slots__ = ("item", "spec")

    def __init__(self, item: str, spec: Leaf | Fields) -> None:
        self.item = item
        self.spec = spec


_EPCS = ListOf("epc", _plain)
_QUANTITIES = ListOf("quantityElement", _QUANTITY_ELEMENT)
# The event level (rule 1 table, as the oracle applies it: see steps 8-9).
_EVENT_ORDER: tuple[tuple[str, Leaf | Fields | ListOf], ...] = (
    ("eventTime", _time),
    ("eventTimeZoneOffset", _plain),
    ("certificationInfo", _plain),
    ("parentID", _plain),
    ("epcList", _EPCS),
    ("inputEPCList", _EPCS),
    ("childEPCs", _EPCS),
    ("quantityList", _QUANTITIES),
    ("childQuantityList", _QUANTITIES),
    ("inputQuantityList", _QUANTITIES),
    ("outputEPCList", _EPCS),
    ("outputQuantityList", _QUANTITIES),
    ("action", _plain),
    ("transformationID", _plain),
    ("bizStep", _cbv(cbv.Vocabulary.BIZ_STEP)),
    ("disposition", _cbv(cbv.Vocabulary.DISPOSITION)),
    ("persistentDisposition", _PERSISTENT_DISPOSITION),
    ("readPoint", _POINT),
    ("bizLocation", _POINT),
    ("sensorElementList", ListOf("sensorElement", _SENSOR_ELEMENT)),
)
_SLOT = {name: index for index, (name, _) in enumerate(_EVENT_ORDER)}
# Lists of (type, value) pairs: part of the sorted remainder (step 8), type first (rule 13).
_PAIR_LISTS = {
    "bizTransactionList": ("bizTransaction", _cbv(cbv.Vocabulary.BIZ_TRANSACTION_TYPE)),
    "sourceList": ("source", _cbv(cbv.Vocabulary.SOURCE_DEST_TYPE)),
    "destinationList": ("destination", _cbv(cbv.Vocabulary.SOURCE_DEST_TYPE)),
}
_QUANTITY_KEYS = frozenset({"epcClass", "quantity", "uom"})


# --------------------------------------------------------------------------- the computation


class _Hasher:
    """The pre-hash computation of one event, with the document's namespace prefixes.

    Written for speed (it runs for every captured event): the common shapes take direct paths,
    and anything else goes through :meth:`fields` / :meth:`pieces`, which handle the general case.
    """

    __slots__ = ("names", "namespaces")

    def __init__(self, namespaces: Mapping[str, str]) -> None:
        self.namespaces = namespaces
        self.names: dict[str, str | None] = {}

    def name(self, key: str) -> str | None:
        """``prefix:local`` or ``@prefix:local`` → ``{IRI}local`` (rules 19-20); None: not hashed."""
        if key in self.names:
            return self.names[key]
        local = key[1:] if key.startswith("@") else key  # an XML attribute hashes like an element
        colon = local.find(":")
        if colon > 0:
            iri = self.namespaces.get(local[:colon])
            if iri is not None:
                local = f"{{{iri}}}{local[colon + 1 :]}"
        hashed = not (
            key in _IGNORED_NAMES
            or local in _IGNORED_NAMES
            or local.startswith((f"{{{XSI_NAMESPACE}}}", "xsi:"))  # D3: typing, not data
        )
        self.names[key] = local if hashed else None
        return self.names[key]

    def value(self, raw: Any) -> str:
        """A scalar as the pre-hash string writes it; "" when empty."""
        text = raw.strip() if isinstance(raw, str) else _text(raw)
        if not text:
            return text
        colon = text.find(":")
        if colon > 0:  # rule 15: expand a CURIE whose prefix the document declares
            iri = self.namespaces.get(text[:colon])
            if iri is not None and not text.startswith("//", colon + 1):
                text = iri + text[colon + 1 :]
        cached = _value_cache.get(text)
        if cached is None:
            if len(_value_cache) >= _MAX_CACHE:
                _value_cache.clear()
            cached = _value_cache[text] = _normalise(text)
        return cached

    # ---- the sorted remainder (step 8)

    def children(self, node: Mapping[str, Any]) -> list[Child]:
        out: list[Child] = []
        for key, item in node.items():
            name = self.name(key)
            if name is not None:
                out.extend(_spread(name, item))
        return out

    def piece(self, name: str, item: Any) -> str:
        if isinstance(item, _Rest):
            return name + self.pieces(item.children)
        if isinstance(item, dict):
            text = item.get(TEXT_KEY)
            head = name if text is None else _assigned(name, self.value(text))
            return head + self.pieces(self.children(item))
        return _assigned(name, self.value(item))

    def pieces(self, children: list[Child], extra: list[str] | None = None) -> str:
        rendered = [self.piece(name, item) for name, item in children]
        if extra:
            rendered.extend(extra)
        if len(rendered) > 1 and _UNSORTED_NAMES.isdisjoint(name for name, _ in children):
            rendered.sort()
        return "".join(rendered)

    # ---- standard fields in property order (steps 2-6, 9)

    def fields(self, node: Mapping[str, Any], spec: Fields) -> tuple[str, list[Child]]:
        """(pre-hash text of a standard field's sub-fields, the children left for step 8)."""
        children = self.children(node)
        gathered: list[Child] = []
        if len(children) > 1 and not any("eventTime" in n or "action" in n for n, _ in children):
            # Rule 21 as the oracle applies it: extensions whose namespace IRI ends in "/".
            gathered = [c for c in children if "{" in c[0] and "/}" in c[0]]
            if gathered:
                children = [c for c in children if not ("{" in c[0] and "/}" in c[0])]
        out: list[str] = []
        rest: list[Child] = []
        for field, sub in spec.order:
            group = [self.item(field, item, sub, rest) for name, item in children if name == field]
            group.sort()
            out.extend(group)
        names = spec.names
        rest.extend(c for c in children if c[0] not in names)
        if gathered:
            out.append(self.pieces(gathered))
        return "".join(out), rest

    def item(self, name: str, item: Any, spec: Leaf | Fields, rest: list[Child]) -> str:
        """One occurrence of a standard field; what cannot be hashed in order goes to ``rest``."""
        if isinstance(spec, Fields):
            if not isinstance(item, dict):
                rest.append((name, item))
                return ""
            text, left = self.fields(item, spec)
            if left:
                rest.append((name, _Rest(left)))
            return name + text if text else ""
        if isinstance(item, str):
            text = item.strip()
        elif isinstance(item, dict):
            rest.append((name, item))
            return ""
        else:
            text = _text(item)
        if not text:
            return ""
        return f"{name}={self.value(text) if spec is _plain else spec(self, text)}"

    def list_field(self, name: str, items: Any, spec: ListOf, rest: list[Child]) -> str:
        group: list[str] | None = None
        if spec is _EPCS and isinstance(items, list):
            group = self.epcs(items)
        if group is not None:
            pass
        elif (
            spec is _QUANTITIES
            and isinstance(items, list)
            and all(isinstance(i, dict) and _QUANTITY_KEYS.issuperset(i) for i in items)
        ):
            group = [self.quantity(i) for i in items]
        else:
            left: list[Child] = []
            group = [self.item(spec.item, i, spec.spec, left) for _, i in _spread(spec.item, items)]
            if left:
                rest.append((name, _Rest(left)))
        group.sort()
        text = "".join(group)
        return name + text if text else ""

    def epcs(self, items: list[Any]) -> list[str] | None:
        """``epc=…`` pieces of a list of identifiers; None if an item is not a string."""
        value = self.value
        group = []
        for item in items:
            if not isinstance(item, str):
                return None
            text = value(item)
            if text:
                group.append("epc=" + text)
        return group

    def quantity(self, element: Mapping[str, Any]) -> str:
        """A quantity element with only its standard fields (the usual case)."""
        value = self.value
        text = "quantityElement"
        for field in ("epcClass", "quantity", "uom"):
            raw = element.get(field)
            if raw is not None:
                normalised = value(raw)
                if normalised:
                    text += f"{field}={normalised}"
        return text if len(text) > 15 else ""

    def point(self, name: str, raw: Any, rest: list[Child]) -> str:
        """readPoint / bizLocation, usually just ``{"id": …}``."""
        if isinstance(raw, dict) and len(raw) == 1 and isinstance(raw.get("id"), str):
            text = self.value(raw["id"])
            return f"{name}id={text}" if text else ""
        return self.item(name, raw, _POINT, rest)

    def pair_list(self, name: str, items: Any) -> str:
        """bizTransactionList / sourceList / destinationList: sorted ``type=…{item}=…`` pairs."""
        item_name, type_spec = _PAIR_LISTS[name]
        value = self.value
        pairs: list[str] = []
        for entry in items if isinstance(items, list) else [items]:
            if not isinstance(entry, dict):
                continue
            pair = _assigned(item_name, value(entry.get(item_name)))
            kind = entry.get("type")
            kind = kind.strip() if isinstance(kind, str) else _text(kind)
            pairs.append(f"type={type_spec(self, kind)}{pair}" if kind else pair)
        pairs.sort()
        return name + "".join(pairs)

    def field(self, field: str, raw: Any, spec: Leaf | Fields | ListOf, rest: list[Child]) -> str:
        """One event-level standard field (step 2)."""
        if isinstance(raw, str) and not isinstance(spec, Fields | ListOf):
            text = raw.strip()
            if not text:
                return ""
            return f"{field}={self.value(text) if spec is _plain else spec(self, text)}"
        if spec is _POINT:
            return self.point(field, raw, rest)
        if isinstance(spec, ListOf):
            return self.list_field(field, raw, spec, rest)
        return "".join(sorted(self.item(field, item, spec, rest) for _, item in _spread(field, raw)))

    def event(self, event: Mapping[str, Any]) -> str:
        # One pass over the event's keys: standard fields go to their slot in the property order,
        # pair lists and everything else to the sorted remainder.
        slots = [""] * len(_EVENT_ORDER)
        rest: list[Child] = []
        extra: list[str] = []
        for key, raw in event.items():
            slot = _SLOT.get(key)
            if slot is not None:
                if raw is not None:
                    slots[slot] = self.field(key, raw, _EVENT_ORDER[slot][1], rest)
            elif key in _PAIR_LISTS:
                extra.append(self.pair_list(key, raw))
            elif key not in _EXCLUDED:
                name = self.name(key)
                if name is not None:
                    rest.extend(_spread(name, raw))
        head = f"eventType={_text(event.get('type'))}{''.join(slots)}"
        return head + self.pieces(rest, extra) if rest or extra else head


# --------------------------------------------------------------------------- the fast path

# Event-level fields the fast path writes itself: scalar fields (with their vocabulary, if any)
# and the fields of the common shapes.
_FAST_SCALARS: dict[str, tuple[int, frozenset[str], str]] = {
    name: (
        _SLOT[name],
        cbv.WORDS[vocabulary] if vocabulary else frozenset(),
        CBV_WEB_PREFIX[vocabulary] if vocabulary else "",
    )
    for name, vocabulary in (
        ("eventTimeZoneOffset", None),
        ("certificationInfo", None),
        ("parentID", None),
        ("action", None),
        ("transformationID", None),
        ("bizStep", cbv.Vocabulary.BIZ_STEP),
        ("disposition", cbv.Vocabulary.DISPOSITION),
    )
}
_FAST_EPC_LISTS = frozenset({"epcList", "inputEPCList", "childEPCs", "outputEPCList"})
_FAST_QUANTITY_LISTS = frozenset(
    {"quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"}
)
_PAIR_WORDS = {
    name: (item, cbv.WORDS[vocabulary], CBV_WEB_PREFIX[vocabulary])
    for name, item, vocabulary in (
        ("bizTransactionList", "bizTransaction", cbv.Vocabulary.BIZ_TRANSACTION_TYPE),
        ("sourceList", "source", cbv.Vocabulary.SOURCE_DEST_TYPE),
        ("destinationList", "destination", cbv.Vocabulary.SOURCE_DEST_TYPE),
    )
}


# Sub-fields of sensor elements the fast path writes itself, in canonical property order:
# name → (position, kind, words, prefix), kind "time" (rules 8-9), "words" (rules 14-16) or "plain".
_FastFields = dict[str, tuple[int, str, frozenset[str], str]]


def _fast_fields(spec: Fields) -> _FastFields:
    out: _FastFields = {}
    for position, (name, leaf) in enumerate(spec.order):
        if leaf is _time:
            out[name] = (position, "time", frozenset(), "")
        elif leaf is _plain:
            out[name] = (position, "plain", frozenset(), "")
    return out


_FAST_METADATA = _fast_fields(_SENSOR_METADATA)
_FAST_REPORT = {
    **_fast_fields(_SENSOR_REPORT),
    "type": (0, "words", cbv.MEASUREMENT_TYPES, cbv.GS1_VOC_BASE),
    "exception": (1, "words", cbv.SENSOR_ALERT_TYPES, cbv.GS1_VOC_BASE),
    "component": (
        [name for name, _ in _SENSOR_REPORT.order].index("component"),
        "words",
        cbv.WORDS[cbv.Vocabulary.COMPONENT],
        CBV_WEB_PREFIX[cbv.Vocabulary.COMPONENT],
    ),
}
_SENSOR_ELEMENT_KEYS = frozenset({"sensorMetadata", "sensorReport"})


class _UnusualShapeError(Exception):
    """The event has a shape the fast path leaves to the general one."""


def _fast_prehash(event: Mapping[str, Any], namespaces: Mapping[str, str]) -> str | None:
    """The pre-hash string of an event of the common shape, or None for the general path.

    Same result as :meth:`_Hasher.event` (a property test checks it), written flat because every
    Python call costs about a microsecond on the target machine and capture hashes every event.
    """
    cache = _value_cache

    def value(text: str) -> str:
        # Inline form of _Hasher.value for a str; "" when blank.
        text = text.strip()
        colon = text.find(":")
        if colon > 0 and text[:colon] in namespaces:
            raise _UnusualShapeError
        cached = cache.get(text)
        if cached is None:
            if not text:
                return text
            if len(cache) >= _MAX_CACHE:
                cache.clear()
            cached = cache[text] = _normalise(text)
        return cached

    def fields(node: Any, spec: _FastFields) -> str:
        # A sensorMetadata / sensorReport of flat standard scalars, in property order (step 9).
        if not isinstance(node, dict):
            raise _UnusualShapeError
        placed: list[tuple[int, str]] = []
        for name, raw in node.items():
            known = spec.get(name)
            if known is None or isinstance(raw, bool) or not isinstance(raw, str | int | float):
                raise _UnusualShapeError  # extensions, lists, booleans, nulls: the general path
            text = raw.strip() if isinstance(raw, str) else str(raw)
            if not text:
                continue
            position, kind, words, prefix = known
            if kind == "time":
                text = utc_millis(text)
            elif kind == "words" and text in words:
                text = prefix + text
            else:
                text = value(text)
            placed.append((position, f"{name}={text}"))
        placed.sort()
        return "".join(piece for _, piece in placed)

    def sensor_elements(raw: Any) -> str:
        if not isinstance(raw, list):
            raise _UnusualShapeError
        elements = []
        for element in raw:
            if not isinstance(element, dict) or not _SENSOR_ELEMENT_KEYS.issuperset(element):
                raise _UnusualShapeError
            text = ""
            metadata = element.get("sensorMetadata")
            if metadata is not None:
                piece = fields(metadata, _FAST_METADATA)
                if piece:
                    text = "sensorMetadata" + piece
            reports = element.get("sensorReport")
            if reports is not None:
                if not isinstance(reports, list):
                    raise _UnusualShapeError
                pieces = []
                for report in reports:
                    piece = fields(report, _FAST_REPORT)
                    if piece:
                        pieces.append("sensorReport" + piece)
                pieces.sort()
                text += "".join(pieces)
            if text:
                elements.append("sensorElement" + text)
        elements.sort()
        return "sensorElementList" + "".join(elements) if elements else ""

    slots = [""] * len(_EVENT_ORDER)
    rest: list[str] = []
    try:
        for key, raw in event.items():
            if raw is None or key in _EXCLUDED:
                continue
            scalar = _FAST_SCALARS.get(key)
            if scalar is not None:
                if not isinstance(raw, str):
                    return None
                text = raw.strip()
                if text:
                    slot, words, prefix = scalar
                    slots[slot] = f"{key}={prefix}{text}" if text in words else f"{key}={value(text)}"
            elif key == "eventTime":
                if not isinstance(raw, str):
                    return None
                text = raw.strip()
                if text:
                    slots[0] = f"eventTime={utc_millis(text)}"
            elif key in _FAST_EPC_LISTS:
                if not isinstance(raw, list):
                    return None
                items = []
                for item in raw:
                    if not isinstance(item, str):
                        return None
                    text = value(item)
                    if text:
                        items.append(f"epc={text}")
                if items:
                    items.sort()
                    slots[_SLOT[key]] = key + "".join(items)
            elif key in _FAST_QUANTITY_LISTS:
                if not isinstance(raw, list):
                    return None
                items = []
                for element in raw:
                    if not isinstance(element, dict) or not _QUANTITY_KEYS.issuperset(element):
                        return None
                    text = "quantityElement"
                    for field in ("epcClass", "quantity", "uom"):
                        item = element.get(field)
                        if item is not None:
                            if not isinstance(item, str):
                                if isinstance(item, bool) or not isinstance(item, int | float):
                                    return None
                                item = str(item)
                            normalised = value(item)
                            if normalised:
                                text += f"{field}={normalised}"
                    if len(text) > 15:
                        items.append(text)
                if items:
                    items.sort()
                    slots[_SLOT[key]] = key + "".join(items)
            elif key in ("readPoint", "bizLocation"):
                if not isinstance(raw, dict) or len(raw) != 1:
                    return None
                point = raw.get("id")
                if not isinstance(point, str):
                    return None
                text = value(point)
                if text:
                    slots[_SLOT[key]] = f"{key}id={text}"
            elif key in _PAIR_WORDS:
                if not isinstance(raw, list):
                    return None
                item_name, words, prefix = _PAIR_WORDS[key]
                pairs = []
                for entry in raw:
                    if not isinstance(entry, dict) or len(entry) > 2:
                        return None
                    item = entry.get(item_name)
                    kind = entry.get("type")
                    if not isinstance(item, str) or not isinstance(kind, str | None):
                        return None
                    text = value(item)
                    pair = f"{item_name}={text}" if text else item_name
                    kind = kind.strip() if kind else ""
                    if kind:
                        pair = f"type={prefix}{kind}{pair}" if kind in words else f"type={value(kind)}{pair}"
                    pairs.append(pair)
                pairs.sort()
                rest.append(key + "".join(pairs))
            elif key == "sensorElementList":
                slots[_SLOT[key]] = sensor_elements(raw)
            elif key in _SLOT or key.startswith("@") or not isinstance(raw, str | int | float):
                return None  # ilmd-like structures, XML attributes: the general path
            elif key not in _IGNORED_NAMES:
                colon = key.find(":")
                iri = namespaces.get(key[:colon]) if colon > 0 else None
                name = f"{{{iri}}}{key[colon + 1 :]}" if iri is not None else key
                if name in _IGNORED_NAMES or name.startswith(("xsi:", f"{{{XSI_NAMESPACE}}}")):
                    continue
                if name in _UNSORTED_NAMES:
                    return None  # the oracle leaves such a level unsorted: the general path
                text = value(raw) if isinstance(raw, str) else value(_text(raw))
                rest.append(f"{name}={text}" if text else name)
    except _UnusualShapeError:
        return None
    rest.sort()
    return f"eventType={_text(event.get('type'))}{''.join(slots)}{''.join(rest)}"


# --------------------------------------------------------------------------- public API


def prehash_string(event: Mapping[str, Any], namespaces: Mapping[str, str]) -> str:
    """The canonical pre-hash string of a canonical event (CBV 2.0 §8.9 rules 1-21).

    ``namespaces`` maps the prefixes of the event's extension keys (``prefix:local`` and, from XML,
    ``@prefix:local``) to their namespace IRIs, as declared by the document.
    """
    fast = _fast_prehash(event, namespaces)
    return fast if fast is not None else _Hasher(namespaces).event(event)


def event_hash(event: Mapping[str, Any], namespaces: Mapping[str, str]) -> str:
    """The EPCIS Event Hash ID: ``ni:///sha-256;{hex}?ver=CBV2.0`` (CBV 2.0 §8.9 rules 22-24)."""
    digest = hashlib.sha256(prehash_string(event, namespaces).encode()).hexdigest()
    return f"ni:///sha-256;{digest}?ver={HASH_VERSION}"
