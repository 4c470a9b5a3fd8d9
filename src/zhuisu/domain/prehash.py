"""The canonical pre-hash string of an event (CBV 2.0 §8.9): its rules and the general computation.

The algorithm and zhuisu's reading of it are described in ``domain.event_hash``; the common event
shape takes the flat fast path in ``domain.prehash_fast``, which must give the same string.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from math import isfinite
from typing import Any

from zhuisu.domain import cbv, epc

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
    if len(text) <= 15:  # at most 15 significant digits: the float is exact enough
        return str(int(number)) if number.is_integer() else str(number)
    if text.isdigit() and text.isascii():
        # an integer (trace codes, document numbers): its exact value is the text without zeros
        # ahead. A float holds it only up to 2**53: it would round the 20-digit trace code
        # 31011500100010000000 (nine significant digits) to …0384, the spelling of another code,
        # and two events would share one ID (D4: a float must never merge distinct values)
        return text.lstrip("0") or "0"
    mantissa = text.lstrip("+-").replace("E", "e").split("e")[0].replace(".", "").replace("_", "")
    if len(mantissa.strip("0")) > 15:
        try:
            return format(Decimal(text.replace("_", "")).normalize(), "f")
        except InvalidOperation:
            return None
    return str(int(number)) if number.is_integer() else str(number)


def _normalise(text: str) -> str:
    """CURIE (rule 15), CBV URN → Web URI (14), number (6-7), GS1 key → canonical DL (17-18)."""
    if text.startswith("urn:epc:"):
        # an EPC URN (an EPCIS 1.x CBV URN starts urn:epcglobal:) is neither a CURIE nor a number
        return _gs1_key(text)
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
    if colon < 0:
        return text  # neither a URN nor a URL: no GS1 key (epc.canonical would return it as is)
    return _gs1_key(text)


def _gs1_key(text: str) -> str:
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
