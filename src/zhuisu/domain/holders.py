"""Who held a step, and how much of each lot it stated: two facts capture stores per event.

The responsible subject of an event (责任主体) is zhuisu's ``zs:subject`` trace field, else the
party named by the EPCIS source / destination lists (EPCIS 2.0 §7.3.5.4, CBV 2.0 §8.6: the
sender's party on an outgoing step, the receiver's on any other). The amounts are what an event's
quantity lists state per lot and unit (§7.3.3.3, QuantityElement). Both are worked out once, at
capture, and stored beside the event (``events.subject``, ``event_ids.quantity`` / ``uom``), so
that traces and recalls need not parse the stored documents again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from zhuisu.domain.links import field_keys

OUT_STEPS = frozenset({"shipping", "departing", "retail_selling", "dispensing"})
_PARTIES = ("owning_party", "possessing_party")
#: the ``uom`` of an identifier row whose list states the lot in more than one unit: the amounts
#: are then read from the document (rare; a row holds one amount)
SEVERAL_UNITS = "*"


def _first(value: Any) -> str | None:
    if isinstance(value, str) and value:
        return value
    if isinstance(value, list):
        return next((v for v in value if isinstance(v, str) and v), None)
    return None


def _party(doc: Mapping[str, Any], outbound: bool) -> str | None:
    lists = ("sourceList", "destinationList") if outbound else ("destinationList", "sourceList")
    for name in lists:
        for party_type in _PARTIES:
            for entry in doc.get(name) or ():
                if isinstance(entry, Mapping) and entry.get("type") == party_type:
                    value = entry.get("source") or entry.get("destination")
                    if isinstance(value, str):
                        return value
    return None


def subject_by_keys(doc: Mapping[str, Any], keys: tuple[str, ...]) -> str | None:
    """The responsible subject, ``keys`` being where the document writes ``zs:subject``."""
    for key in keys:
        value = doc.get(key)
        if value:
            found = _first(value)
            if found is not None:
                return found
            break  # the first key with a value decides, even when it is no string
    return _party(doc, doc.get("bizStep") in OUT_STEPS)


def subject_of(doc: Mapping[str, Any], namespaces: Mapping[str, str]) -> str | None:
    """The responsible subject of a parsed event whose document binds ``namespaces``."""
    return subject_by_keys(doc, field_keys(namespaces, "subject"))


def unit_sums(elements: Any, canonical: Callable[[str], str]) -> dict[str, dict[str, float]]:
    """Per lot (canonical key) of one quantity list: the amount its elements state per unit (an
    empty mapping for a lot no element gives an amount). Elements that are not QuantityElements
    are skipped (capture rejected them before this runs)."""
    sums: dict[str, dict[str, float]] = {}
    for element in elements or ():
        if not isinstance(element, Mapping) or not isinstance(element.get("epcClass"), str):
            continue
        try:
            key = canonical(element["epcClass"])
        except ValueError:
            continue
        units = sums.setdefault(key, {})
        amount = element.get("quantity")
        if amount is None or isinstance(amount, bool) or not isinstance(amount, int | float):
            continue
        uom = str(element.get("uom") or "EA")
        units[uom] = units.get(uom, 0.0) + float(amount)
    return sums


def amounts_of(elements: Any, canonical: Callable[[str], str]) -> dict[str, tuple[float | None, str | None]]:
    """Per lot of one quantity list, what one ``event_ids`` row stores: (amount, unit) when its
    elements share one unit; (None, None) when none states an amount; (None, SEVERAL_UNITS) when
    they state several units (``unit_sums`` of the document then has them)."""
    out: dict[str, tuple[float | None, str | None]] = {}
    for key, units in unit_sums(elements, canonical).items():
        if not units:
            out[key] = (None, None)
        elif len(units) == 1:
            ((uom, amount),) = units.items()
            out[key] = (amount, uom)
        else:
            out[key] = (None, SEVERAL_UNITS)
    return out
