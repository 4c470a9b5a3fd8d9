"""The fast path of the pre-hash string: the common event shape, written flat (CBV 2.0 §8.9).

Same result as ``prehash._Hasher.event`` (a property test checks it), written flat because every
Python call costs about a microsecond on the target machine and capture hashes every event.

One :class:`FastPrehasher` serves the events of one document (one set of namespace prefixes) and
remembers, for that document, what each event key is (a *plan*: standard field, extension with its
``{IRI}local`` name, or a shape left to the general path) and what each raw value normalises to:
the events of a capture share their keys and many values (locations, parties, vocabulary words,
units), and working a key's name out again cost ~6 µs per extension field and event.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zhuisu.domain import cbv
from zhuisu.domain.prehash import (
    _EVENT_ORDER,
    _EXCLUDED,
    _IGNORED_NAMES,
    _QUANTITY_KEYS,
    _SENSOR_METADATA,
    _SENSOR_REPORT,
    _SLOT,
    _UNSORTED_NAMES,
    CBV_WEB_PREFIX,
    XSI_NAMESPACE,
    Fields,
    _normalise,
    _plain,
    _text,
    _time,
    utc_millis,
)

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


# What an event key is (the first item of its plan), in the order the general path tests them.
_SKIP = 0  # not hashed (step 7)
_SCALAR = 1  # (kind, slot, words, prefix, memo of raw value → piece)
_TIME = 2
_EPCS = 3  # (kind, slot)
_QUANTITIES = 4  # (kind, slot)
_POINT = 5  # (kind, slot, memo of raw id → piece)
_PAIRS = 6  # (kind, item name, words, prefix)
_SENSORS = 7  # (kind, slot)
_GENERAL = 8  # a shape for the general path
_EXTENSION = 9  # (kind, hashed name or None when not hashed)

_Plan = tuple[Any, ...]
#: per-document memo bounds (a document may be large; entries are small)
_MAX_MEMO = 50_000
_MAX_PLANS = 1_000


def _plan(key: str, namespaces: Mapping[str, str]) -> _Plan:
    """What the fast path does with ``key`` (the same tests, in the same order, as the general
    path's dispatch; per-event type checks stay in :meth:`FastPrehasher.prehash`)."""
    if key in _EXCLUDED:
        return (_SKIP,)
    scalar = _FAST_SCALARS.get(key)
    if scalar is not None:
        return (_SCALAR, scalar[0], scalar[1], scalar[2], {})
    if key == "eventTime":
        return (_TIME,)
    if key in _FAST_EPC_LISTS:
        return (_EPCS, _SLOT[key])
    if key in _FAST_QUANTITY_LISTS:
        return (_QUANTITIES, _SLOT[key])
    if key in ("readPoint", "bizLocation"):
        return (_POINT, _SLOT[key], {})
    pair = _PAIR_WORDS.get(key)
    if pair is not None:
        return (_PAIRS, *pair)
    if key == "sensorElementList":
        return (_SENSORS, _SLOT[key])
    if key in _SLOT or key.startswith("@"):
        return (_GENERAL,)  # ilmd-like structures, XML attributes: the general path
    if key in _IGNORED_NAMES:
        return (_EXTENSION, None)
    colon = key.find(":")
    iri = namespaces.get(key[:colon]) if colon > 0 else None
    name = f"{{{iri}}}{key[colon + 1 :]}" if iri is not None else key
    if name in _IGNORED_NAMES or name.startswith(("xsi:", f"{{{XSI_NAMESPACE}}}")):
        return (_EXTENSION, None)
    if name in _UNSORTED_NAMES:
        return (_GENERAL,)  # the oracle leaves such a level unsorted: the general path
    return (_EXTENSION, name)


class FastPrehasher:
    """The fast pre-hash of the events of one document (its namespace prefixes), with memos."""

    __slots__ = ("_floats", "_ints", "_memo", "_plans", "_times", "namespaces")

    def __init__(self, namespaces: Mapping[str, str]) -> None:
        self.namespaces = namespaces
        self._plans: dict[str, _Plan] = {}
        # raw text (untrimmed) → normalised value, for this document's prefixes (rule 15 decides
        # per document whether ``p:x`` is a CURIE); numbers by value, ints and floats apart
        # (2**60 == 2.0**60, yet their texts normalise differently: D4)
        self._memo: dict[str, str] = {}
        self._floats: dict[float, str] = {}
        self._ints: dict[int, str] = {}
        self._times: dict[str, str] = {}

    def value(self, raw: str) -> str:
        """Inline form of ``_Hasher.value`` for a str; "" when blank; a CURIE whose prefix the
        document declares is a shape for the general path (rule 15)."""
        found = self._memo.get(raw)
        return self._value(raw) if found is None else found

    def _value(self, raw: str) -> str:
        text = raw.strip()
        colon = text.find(":")
        if colon > 0 and text[:colon] in self.namespaces:
            raise _UnusualShapeError
        if text:
            # the memo is the cache here (prehash._value_cache serves the general path): most
            # values of an event are new (serials, documents, codes, weights), and storing them in
            # a second large dict cost more than it saved
            text = _normalise(text)
        memo = self._memo
        if len(memo) >= _MAX_MEMO:
            memo.clear()
        memo[raw] = text
        return text

    def number(self, raw: int | float) -> str:
        """A JSON number (not a bool) as ``value(str(raw))``, memoised by value."""
        memo: dict[Any, str] = self._floats if type(raw) is float else self._ints
        found = memo.get(raw)
        if found is None:
            # value(str(raw)) without its steps that cannot apply: a number's text is never
            # blank, untrimmed or a CURIE
            found = _normalise(str(raw))
            if len(memo) >= _MAX_MEMO:
                memo.clear()
            memo[raw] = found
        return found

    def time(self, text: str) -> str:
        """``utc_millis`` of a trimmed date-time, memoised (sensor times recur)."""
        found = self._times.get(text)
        if found is None:
            found = utc_millis(text)
            times = self._times
            if len(times) >= _MAX_MEMO:
                times.clear()
            times[text] = found
        return found

    def scalar(self, raw: Any) -> str:
        """An extension value that is a str, int or float (a bool is ``true`` / ``false``, D1)."""
        kind = type(raw)
        if kind is str:
            found = self._memo.get(raw)
            return self._value(raw) if found is None else found
        if kind is float or kind is int:
            return self.number(raw)
        return self.value(raw) if isinstance(raw, str) else self.value(_text(raw))

    def fields(self, node: Any, spec: _FastFields) -> str:
        """A sensorMetadata / sensorReport of flat standard scalars, in property order (step 9)."""
        if not isinstance(node, dict):
            raise _UnusualShapeError
        placed: list[tuple[int, str]] = []
        for name, raw in node.items():
            known = spec.get(name)
            if known is None:
                raise _UnusualShapeError  # extensions: the general path
            position, kind, words, prefix = known
            form = type(raw)
            if (form is float or form is int) and kind == "plain":
                placed.append((position, f"{name}={self.number(raw)}"))
                continue
            if isinstance(raw, str):
                text = raw.strip()
            elif isinstance(raw, bool) or not isinstance(raw, int | float):
                raise _UnusualShapeError  # lists, booleans, nulls: the general path
            else:
                text = str(raw)
            if not text:
                continue
            if kind == "time":
                text = self.time(text)
            elif kind == "words" and text in words:
                text = prefix + text
            else:
                text = self.value(text)
            placed.append((position, f"{name}={text}"))
        if len(placed) > 1:
            placed.sort()
        return "".join([piece for _, piece in placed])

    def sensor_elements(self, raw: Any) -> str:
        if not isinstance(raw, list):
            raise _UnusualShapeError
        elements = []
        for element in raw:
            if not isinstance(element, dict) or not _SENSOR_ELEMENT_KEYS.issuperset(element):
                raise _UnusualShapeError
            text = ""
            metadata = element.get("sensorMetadata")
            if metadata is not None:
                piece = self.fields(metadata, _FAST_METADATA)
                if piece:
                    text = "sensorMetadata" + piece
            reports = element.get("sensorReport")
            if reports is not None:
                if not isinstance(reports, list):
                    raise _UnusualShapeError
                pieces = []
                for report in reports:
                    piece = self.fields(report, _FAST_REPORT)
                    if piece:
                        pieces.append("sensorReport" + piece)
                pieces.sort()
                text += "".join(pieces)
            if text:
                elements.append("sensorElement" + text)
        elements.sort()
        return "sensorElementList" + "".join(elements) if elements else ""

    def prehash(self, event: Mapping[str, Any]) -> str | None:
        """The pre-hash string of an event of the common shape, or None for the general path."""
        try:
            return self._prehash(event)
        except _UnusualShapeError:
            return None

    def _prehash(self, event: Mapping[str, Any]) -> str | None:
        # Written flat, locals bound once: this runs for every captured event.
        plans = self._plans
        memo = self._memo
        value = self._value
        slots = [""] * len(_EVENT_ORDER)
        rest: list[str] = []
        for key, raw in event.items():
            if raw is None:
                continue
            plan = plans.get(key)
            if plan is None:
                plan = _plan(key, self.namespaces)
                if len(plans) < _MAX_PLANS:
                    plans[key] = plan
            kind = plan[0]
            if kind == _EXTENSION:
                form = type(raw)
                if form is str:
                    name = plan[1]
                    if name is not None:
                        text = memo.get(raw)
                        if text is None:
                            text = value(raw)
                        rest.append(f"{name}={text}" if text else name)
                elif form is float or form is int:
                    name = plan[1]
                    if name is not None:
                        text = self.number(raw)
                        rest.append(f"{name}={text}")
                elif isinstance(raw, str | int | float | list):
                    name = plan[1]
                    if name is not None:
                        # a list of scalars is the element repeated (rule 8, prehash._spread),
                        # e.g. the zs:missingFields of a trace record; nulls and nested values:
                        # the general path
                        for item in raw if isinstance(raw, list) else (raw,):
                            if not isinstance(item, str | int | float):
                                return None
                            text = self.scalar(item)
                            rest.append(f"{name}={text}" if text else name)
                else:
                    return None
            elif kind == _SCALAR:
                if not isinstance(raw, str):
                    return None
                piece = plan[4].get(raw)
                if piece is None:
                    text = raw.strip()
                    piece = ""
                    if text:
                        words = plan[2]
                        piece = f"{key}={plan[3]}{text}" if text in words else f"{key}={value(text)}"
                    if len(plan[4]) < _MAX_MEMO:
                        plan[4][raw] = piece
                slots[plan[1]] = piece
            elif kind == _TIME:
                if not isinstance(raw, str):
                    return None
                text = raw.strip()
                if text:
                    slots[0] = f"eventTime={utc_millis(text)}"
            elif kind == _EPCS:
                if not isinstance(raw, list):
                    return None
                items = []
                for item in raw:
                    if type(item) is not str and not isinstance(item, str):
                        return None
                    text = memo.get(item)
                    if text is None:
                        text = value(item)
                    if text:
                        items.append("epc=" + text)
                if items:
                    items.sort()
                    slots[plan[1]] = key + "".join(items)
            elif kind == _POINT:
                if not isinstance(raw, dict) or len(raw) != 1:
                    return None
                point = raw.get("id")
                if not isinstance(point, str):
                    return None
                piece = plan[2].get(point)
                if piece is None:
                    text = value(point)
                    piece = f"{key}id={text}" if text else ""
                    if len(plan[2]) < _MAX_MEMO:
                        plan[2][point] = piece
                slots[plan[1]] = piece
            elif kind == _PAIRS:
                if not isinstance(raw, list):
                    return None
                _, item_name, words, prefix = plan
                pairs = []
                for entry in raw:
                    if not isinstance(entry, dict) or len(entry) > 2:
                        return None
                    item = entry.get(item_name)
                    kind_text = entry.get("type")
                    if not isinstance(item, str) or not (kind_text is None or isinstance(kind_text, str)):
                        return None
                    text = memo.get(item)
                    if text is None:
                        text = value(item)
                    pair = f"{item_name}={text}" if text else item_name
                    kind_text = kind_text.strip() if kind_text else ""
                    if kind_text:
                        if kind_text in words:
                            pair = f"type={prefix}{kind_text}{pair}"
                        else:
                            pair = f"type={self.value(kind_text)}{pair}"
                    pairs.append(pair)
                pairs.sort()
                rest.append(key + "".join(pairs))
            elif kind == _SENSORS:
                slots[plan[1]] = self.sensor_elements(raw)
            elif kind == _QUANTITIES:
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
                            normalised = self.value(item)
                            if normalised:
                                text += f"{field}={normalised}"
                    if len(text) > 15:
                        items.append(text)
                if items:
                    items.sort()
                    slots[plan[1]] = key + "".join(items)
            elif kind == _GENERAL:
                return None
        rest.sort()
        return f"eventType={_text(event.get('type'))}{''.join(slots)}{''.join(rest)}"


def _fast_prehash(event: Mapping[str, Any], namespaces: Mapping[str, str]) -> str | None:
    """The pre-hash string of an event of the common shape, or None for the general path.

    Same result as :meth:`_Hasher.event` (a property test checks it); for many events of one
    document, one :class:`FastPrehasher` keeps its memos from event to event.
    """
    return FastPrehasher(namespaces).prehash(event)
