"""The parts of a SimpleEventQuery that test nested structures, evaluated on the stored event.

The store answers the indexed dimensions in SQL (type, times, action, bizStep, disposition,
locations, identifiers, eventID, error declaration). What lives inside lists of objects —
persistentDisposition, bizTransactionList, sourceList / destinationList, quantity elements,
correctiveEventIDs, sensorElementList, extension and ILMD fields — is tested here on the parsed
JSON of each candidate, after the SQL has narrowed the candidates and after a cheap text test
(:func:`doc_hints`) has dropped rows that cannot contain the structure at all.

Each parameter is one predicate; the event passes when all of them pass (§8.2.7.1: parameters
are ANDed, the values of one parameter ORed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

from zhuisu.domain import epc
from zhuisu.query.params import (
    EPOCH,
    ONE_US,
    EventQuery,
    FieldRef,
    FieldTest,
    Op,
    QuantityTest,
    SensorKind,
    SensorTest,
    TypedValues,
)

Event = dict[str, Any]
Namespaces = Mapping[str, str]
Predicate = Callable[[Event, Namespaces], bool]

_QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")


def _compare(op: Op, left: float, right: float) -> bool:
    if op is Op.EQ:
        return left == right
    if op is Op.GT:
        return left > right
    if op is Op.GE:
        return left >= right
    if op is Op.LT:
        return left < right
    return left <= right


def _time_us(value: Any) -> int | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return None if moment.tzinfo is None else (moment - EPOCH) // ONE_US


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _canonical(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return epc.canonical(value)
    except ValueError:
        return value


# ------------------------------------------------------------------------------ why: lists


def _persistent(key: str, wanted: frozenset[str]) -> Predicate:
    def test(event: Event, _ns: Namespaces) -> bool:
        found = (event.get("persistentDisposition") or {}).get(key) or ()
        return any(value in wanted for value in found)

    return test


def _typed(list_key: str, item_key: str, spec: TypedValues) -> Predicate:
    # §8.2.7.1 EQ_bizTransaction_<type> / EQ_source_<type> / EQ_destination_<type>: an element of
    # that type whose value is one of the given ones (identifiers compared in canonical form).
    def test(event: Event, _ns: Namespaces) -> bool:
        for item in event.get(list_key) or ():
            if item.get("type") == spec.type and _canonical(item.get(item_key)) in spec.values:
                return True
        return False

    return test


def _quantity(spec: QuantityTest) -> Predicate:
    def test(event: Event, _ns: Namespaces) -> bool:
        for name in _QUANTITY_LISTS:
            for element in event.get(name) or ():
                quantity = _number(element.get("quantity"))
                if quantity is None or (spec.uom is not None and element.get("uom") != spec.uom):
                    continue
                if _compare(spec.op, quantity, spec.value):
                    return True
        return False

    return test


def _corrective(wanted: frozenset[str]) -> Predicate:
    def test(event: Event, _ns: Namespaces) -> bool:
        ids = (event.get("errorDeclaration") or {}).get("correctiveEventIDs") or ()
        return any(i in wanted for i in ids)

    return test


# ------------------------------------------------------------------------------ how: sensors

# Unit conversions for sensor comparisons (UN/CEFACT Rec. 20 codes): value in unit → value in the
# base unit of its dimension. A report in another unit of the same dimension is converted before
# the comparison; units of other dimensions never match.
_TO_BASE: dict[str, tuple[str, Callable[[float], float]]] = {
    "CEL": ("K", lambda v: v + 273.15),
    "FAH": ("K", lambda v: (v - 32) * 5 / 9 + 273.15),
    "KEL": ("K", lambda v: v),
    "KGM": ("kg", lambda v: v),
    "GRM": ("kg", lambda v: v / 1000),
    "TNE": ("kg", lambda v: v * 1000),
    "LTR": ("m3", lambda v: v / 1000),
    "MTQ": ("m3", lambda v: v),
}


def _in_unit(value: float, unit: str | None, wanted: str) -> float | None:
    if unit == wanted:
        return value
    have, want = _TO_BASE.get(unit or ""), _TO_BASE.get(wanted)
    if have is None or want is None or have[0] != want[0]:
        return None
    base = have[1](value)
    # invert the wanted unit's affine map: it is a + b·v, so v = (base - a) / b
    offset, scale = want[1](0.0), want[1](1.0) - want[1](0.0)
    return (base - offset) / scale


def _sensor_parts(event: Event) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(metadata, report) pairs: the shared attributes (§7.3.8) may sit in either."""
    for element in event.get("sensorElementList") or ():
        metadata = element.get("sensorMetadata") or {}
        reports = element.get("sensorReport") or ()
        if not reports:
            yield metadata, {}
        for report in reports:
            yield metadata, report


def _attribute(metadata: dict[str, Any], report: dict[str, Any], name: str) -> Any:
    value = report.get(name)
    return metadata.get(name) if value is None else value


def _sensor(spec: SensorTest) -> Predicate:
    def test(event: Event, _ns: Namespaces) -> bool:
        if spec.kind is SensorKind.EXISTS:
            return bool(event.get("sensorElementList"))
        for metadata, report in _sensor_parts(event):
            value = _attribute(metadata, report, spec.attribute)
            if value is None:
                continue
            if spec.kind is SensorKind.EQUALS:
                text = ("true" if value else "false") if isinstance(value, bool) else str(value)
                if spec.attribute == "hexBinaryValue":
                    text = text.upper()
                if text in spec.values:
                    return True
            elif spec.kind is SensorKind.TIME:
                moment = _time_us(value)
                assert spec.op is not None
                if moment is not None and _compare(spec.op, moment, spec.time_us):
                    return True
            else:
                number = _number(value)
                if number is None:
                    continue
                if spec.uom is not None:
                    number = _in_unit(number, report.get("uom"), spec.uom)
                    if number is None:
                        continue
                assert spec.op is not None
                if _compare(spec.op, number, spec.number):
                    return True
        return False

    return test


# ------------------------------------------------------------------------------ extension fields


def field_values(event: Event, namespaces: Namespaces, ref: FieldRef) -> list[Any]:
    """The values of a namespaced field in the event (top level, ilmd or errorDeclaration).

    An event key ``p:local`` is the field when ``local`` matches and ``p`` is bound (in the
    event's own prefixes) to the field's namespace IRI — or, when the query gave a prefix it did
    not bind, when ``p`` is that prefix.
    """
    holder = event if ref.where == "event" else event.get(ref.where)
    if not isinstance(holder, dict):
        return []
    found: list[Any] = []
    for key, value in holder.items():
        prefix, colon, local = key.partition(":")
        if not colon or local != ref.local:
            continue
        bound = namespaces.get(prefix) == ref.iri if ref.iri is not None else prefix == ref.prefix
        if bound:
            found.append(value)
    return found


def _scalars(values: Iterable[Any]) -> Iterator[Any]:
    for value in values:
        if isinstance(value, list):
            yield from _scalars(value)
        elif isinstance(value, dict):
            if "#text" in value:
                yield value["#text"]
        else:
            yield value


def _field(spec: FieldTest) -> Predicate:
    def test(event: Event, ns: Namespaces) -> bool:
        values = field_values(event, ns, spec.ref)
        if spec.op is None:
            return bool(values)
        for value in _scalars(values):
            if spec.op is Op.EQ:
                text = ("true" if value else "false") if isinstance(value, bool) else str(value)
                if text in spec.values:
                    return True
                number = _number(value)
                if number is not None and any(_number(v) == number for v in spec.values):
                    return True
                continue
            wanted = spec.values[0]
            left, right = _number(value), _number(wanted)
            if left is None or right is None:
                left_t, right_t = _time_us(value), _time_us(wanted)
                if left_t is None or right_t is None:
                    continue
                left, right = float(left_t), float(right_t)
            if _compare(spec.op, left, right):
                return True
        return False

    return test


def sort_value(event: Event, namespaces: Namespaces, ref: FieldRef) -> tuple[int, float, str] | None:
    """The orderBy key of an extension field (§8.2.7.1: Int, Float, Time or String), or None."""
    for value in _scalars(field_values(event, namespaces, ref)):
        number = _number(value)
        if number is not None:
            return (0, number, "")
        moment = _time_us(value)
        if moment is not None:
            return (1, float(moment), "")
        if isinstance(value, str):
            return (2, 0.0, value)
    return None


# ------------------------------------------------------------------------------ assembly


def predicates(query: EventQuery) -> list[Predicate]:
    """One predicate per parameter that the SQL does not answer."""
    tests: list[Predicate] = []
    if query.persistent_set is not None:
        tests.append(_persistent("set", query.persistent_set))
    if query.persistent_unset is not None:
        tests.append(_persistent("unset", query.persistent_unset))
    tests.extend(_typed("bizTransactionList", "bizTransaction", s) for s in query.biz_transactions)
    tests.extend(_typed("sourceList", "source", s) for s in query.sources)
    tests.extend(_typed("destinationList", "destination", s) for s in query.destinations)
    tests.extend(_quantity(s) for s in query.quantities)
    if query.corrective_ids is not None:
        tests.append(_corrective(query.corrective_ids))
    tests.extend(_sensor(s) for s in query.sensors)
    tests.extend(_field(s) for s in query.fields)
    return tests


def doc_hints(query: EventQuery) -> tuple[str, ...]:
    """Substrings that the stored JSON text of every matching event must contain.

    A cheap test the store runs before any JSON is parsed; each is implied by a predicate of
    :func:`predicates` (a key the predicate reads must be present).
    """
    hints: list[str] = []
    if query.persistent_set is not None or query.persistent_unset is not None:
        hints.append('"persistentDisposition"')
    if query.biz_transactions:
        hints.append('"bizTransactionList"')
    if query.sources:
        hints.append('"sourceList"')
    if query.destinations:
        hints.append('"destinationList"')
    if query.quantities:
        hints.append('"quantity"')
    if query.corrective_ids is not None:
        hints.append('"correctiveEventIDs"')
    if query.sensors:
        hints.append('"sensorElementList"')
    for spec in query.fields:
        hints.append(f':{spec.ref.local}"')
        if spec.ref.where != "event":
            hints.append(f'"{spec.ref.where}"')
    return tuple(dict.fromkeys(hints))
