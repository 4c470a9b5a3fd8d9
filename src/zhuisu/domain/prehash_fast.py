"""The fast path of the pre-hash string: the common event shape, written flat (CBV 2.0 §8.9).

Same result as ``prehash._Hasher.event`` (a property test checks it), written flat because every
Python call costs about a microsecond on the target machine and capture hashes every event.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zhuisu.domain import cbv
from zhuisu.domain.prehash import (
    _EVENT_ORDER,
    _EXCLUDED,
    _IGNORED_NAMES,
    _MAX_CACHE,
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
    _value_cache,
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
            elif key in _SLOT or key.startswith("@") or not isinstance(raw, str | int | float | list):
                return None  # ilmd-like structures, XML attributes: the general path
            elif key not in _IGNORED_NAMES:
                colon = key.find(":")
                iri = namespaces.get(key[:colon]) if colon > 0 else None
                name = f"{{{iri}}}{key[colon + 1 :]}" if iri is not None else key
                if name in _IGNORED_NAMES or name.startswith(("xsi:", f"{{{XSI_NAMESPACE}}}")):
                    continue
                if name in _UNSORTED_NAMES:
                    return None  # the oracle leaves such a level unsorted: the general path
                # a list of scalars is the element repeated (rule 8, prehash._spread), e.g. the
                # zs:missingFields of a trace record; nulls and nested values: the general path
                for item in raw if isinstance(raw, list) else (raw,):
                    if not isinstance(item, str | int | float):
                        return None
                    text = value(item) if isinstance(item, str) else value(_text(item))
                    rest.append(f"{name}={text}" if text else name)
    except _UnusualShapeError:
        return None
    rest.sort()
    return f"eventType={_text(event.get('type'))}{''.join(slots)}{''.join(rest)}"
