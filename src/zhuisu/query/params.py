"""SimpleEventQuery parameters → a typed, validated ``EventQuery`` (EPCIS 2.0 §8.2.7.1).

Parameters arrive as name → list of strings: from the REST query string (EPCIS 2.0 REST bindings:
list values are ``pipeDelimited``, so ``EQ_bizStep=shipping|receiving``; a repeated name adds
values) or from a named query's JSON body (query-schema.json; arrays and scalars are turned into
the same strings by :func:`from_json`). Several values of one parameter are ORed; parameters are
ANDed (§8.2.7.1). An unknown name or a malformed value is a ``QueryParameterError``
(QueryParameterException, §8.2.6), whose message names the parameter and the reason — nothing is
silently ignored.

Values are brought to the stored forms here, so the store compares like with like: CBV words to
their bare word (CBV 2.0 §8.2), identifiers to the canonical key of ``domain.epc`` (EPC URN and
GS1 Digital Link meet), EPC class patterns (TDS §8, ``urn:epc:idpat:sgtin:0614141.107346.*``) to
a canonical prefix, times to integer microseconds UTC.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import orjson

from zhuisu.domain import cbv, epc
from zhuisu.domain.roles import EVENT_TYPE_CODES, IdRole
from zhuisu.errors import QueryParameterError

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_US = timedelta(microseconds=1)


class Op(StrEnum):
    EQ = "EQ"
    GT = "GT"
    GE = "GE"
    LT = "LT"
    LE = "LE"


@dataclass(frozen=True, slots=True)
class TimeRange:
    """[ge, lt) in microseconds since the epoch, UTC; None for an open end."""

    ge: int | None = None
    lt: int | None = None

    @property
    def open(self) -> bool:
        return self.ge is None and self.lt is None


@dataclass(frozen=True, slots=True)
class IdMatch:
    """One MATCH_ parameter: identifiers of these roles, equal to one of ``exact`` or starting with
    one of ``prefixes`` (the canonical form of a class pattern, §8.2.7.1.1)."""

    param: str
    roles: frozenset[IdRole]
    exact: frozenset[str]
    prefixes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TypedValues:
    """EQ_bizTransaction_<type>, EQ_source_<type>, EQ_destination_<type> (§8.2.7.1)."""

    type: str
    values: frozenset[str]  # canonical identifiers


@dataclass(frozen=True, slots=True)
class QuantityTest:
    """{EQ,GT,GE,LT,LE}_quantity[_<uom>]: some quantity element compares true (§8.2.7.1)."""

    op: Op
    value: float
    uom: str | None


@dataclass(frozen=True, slots=True)
class FieldRef:
    """A namespaced field (EPCIS 2.0 §6.3): ``prefix:local`` or ``<namespace IRI>#local``.

    ``where`` is the structure it sits in: the event itself, its ``ilmd`` or its
    ``errorDeclaration`` (the ``ILMD_`` and ``ERROR_DECLARATION_`` parameter forms).
    """

    where: str  # "event" | "ilmd" | "errorDeclaration"
    iri: str | None
    prefix: str | None
    local: str


@dataclass(frozen=True, slots=True)
class FieldTest:
    """EQ_/GT_/GE_/LT_/LE_<field> (values ORed for EQ) or EXISTS_<field>."""

    ref: FieldRef
    op: Op | None  # None: EXISTS
    values: tuple[str, ...]


class SensorKind(StrEnum):
    EXISTS = "exists"
    EQUALS = "equals"  # EQ_type, EQ_deviceID … : one of the values
    TIME = "time"  # GE_/LT_ time, startTime, endTime
    NUMBER = "number"  # {op}_{value…}_<uom>, {op}_percRank


@dataclass(frozen=True, slots=True)
class SensorTest:
    """One sensor parameter (EPCIS 2.0 §8.2.7.1, sensorElementList, §7.3.8): true when some sensor
    element (metadata or report) satisfies it; parameters are independent of each other."""

    kind: SensorKind
    attribute: str
    op: Op | None = None
    values: frozenset[str] = frozenset()
    number: float = 0.0
    time_us: int = 0
    uom: str | None = None


class OrderKey(StrEnum):
    CAPTURE = "capture"  # no orderBy: capture order (events.pk), the stable default
    EVENT_TIME = "eventTime"
    RECORD_TIME = "recordTime"
    FIELD = "field"  # an extension field (§8.2.7.1 orderBy)


@dataclass(frozen=True, slots=True)
class EventQuery:
    """A validated SimpleEventQuery. ``None`` means "no constraint" for every filter."""

    event_types: frozenset[int] | None = None
    event_time: TimeRange = TimeRange()
    record_time: TimeRange = TimeRange()
    actions: frozenset[str] | None = None
    biz_steps: frozenset[str] | None = None
    dispositions: frozenset[str] | None = None
    persistent_set: frozenset[str] | None = None
    persistent_unset: frozenset[str] | None = None
    transformation_ids: frozenset[str] | None = None
    biz_transactions: tuple[TypedValues, ...] = ()
    sources: tuple[TypedValues, ...] = ()
    destinations: tuple[TypedValues, ...] = ()
    read_points: frozenset[str] | None = None  # every spelling of the given locations
    wd_read_points: frozenset[str] | None = None  # roots; descendants come from master data
    biz_locations: frozenset[str] | None = None
    wd_biz_locations: frozenset[str] | None = None
    id_matches: tuple[IdMatch, ...] = ()
    quantities: tuple[QuantityTest, ...] = ()
    event_ids: frozenset[str] | None = None
    error_declared: bool | None = None
    error_declaration_time: TimeRange = TimeRange()
    error_reasons: frozenset[str] | None = None
    corrective_ids: frozenset[str] | None = None
    sensors: tuple[SensorTest, ...] = ()
    fields: tuple[FieldTest, ...] = ()
    order: OrderKey = OrderKey.CAPTURE
    order_field: FieldRef | None = None
    descending: bool = True
    event_count_limit: int | None = None
    max_event_count: int | None = None
    #: the normalised parameters, sorted: what a page token is bound to
    canonical: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())

    def fingerprint(self, scope: str = "") -> str:
        """A short digest of the query (and of the resource it runs on), for page tokens."""
        data = orjson.dumps([scope, [[k, list(v)] for k, v in self.canonical]])
        return hashlib.sha256(data).hexdigest()[:32]


# ---------------------------------------------------------------------------------------------
# errors and scalar values
# ---------------------------------------------------------------------------------------------


def bad(param: str, zh: str, en: str) -> QueryParameterError:
    return QueryParameterError(f"查询参数 {param} 无效:{zh}", f"invalid query parameter {param}: {en}")


def parse_time(param: str, value: str) -> int:
    """An ISO 8601 date-time with a time zone (EPCIS 2.0 §7.3.5 DateTimeStamp) → µs since epoch."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise bad(
            param,
            f"{value!r} 不是带时区的 ISO 8601 日期时间(如 2026-05-01T08:00:00+08:00)",
            f"{value!r} is not an ISO 8601 date-time with a time zone (e.g. 2026-05-01T08:00:00+08:00)",
        )
    return (moment - EPOCH) // ONE_US


def parse_number(param: str, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise bad(param, f"{value!r} 不是数值", f"{value!r} is not a number")
    return number


def parse_int(param: str, value: str, *, minimum: int) -> int:
    if not re.fullmatch(r"[+]?\d{1,18}", value.strip()) or int(value) < minimum:
        raise bad(
            param, f"{value!r} 应为不小于 {minimum} 的整数", f"{value!r} must be an integer >= {minimum}"
        )
    return int(value)


def parse_bool(param: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered not in ("true", "false"):
        raise bad(param, f"{value!r} 应为 true 或 false", f"{value!r} must be true or false")
    return lowered == "true"


def _vocabulary(param: str, vocabulary: cbv.Vocabulary, values: Sequence[str]) -> frozenset[str]:
    out: set[str] = set()
    for value in values:
        normal = cbv.normalise(vocabulary, value)
        if normal is None:
            raise bad(
                param,
                f"{value!r} 既不是 CBV {vocabulary.value} 标准值,也不是 URI",
                f"{value!r} is neither a CBV {vocabulary.value} value nor a URI",
            )
        out.add(normal.value)
    return frozenset(out)


def _canonical_id(param: str, value: str) -> str:
    try:
        return epc.canonical(value)
    except ValueError as exc:
        raise bad(
            param, f"标识符 {value!r} 格式错误:{exc}", f"malformed identifier {value!r}: {exc}"
        ) from exc


def location_spellings(param: str, value: str) -> frozenset[str]:
    """Every spelling under which events may store this location (they keep the captured form).

    The value itself, its canonical Digital Link and its EPC URN. A Digital Link does not reveal
    the length of the GS1 Company Prefix (TDS §7), so every length from 6 to 12 is tried: each of
    those URNs names the same GLN.
    """
    spellings = {value, _canonical_id(param, value)}
    for length in range(6, 13):
        try:
            urn = epc.to_urn(value, length)
        except ValueError:
            continue
        if urn is not None:
            spellings.add(urn)
    return frozenset(spellings)


# AIs whose class key is followed, in an instance's canonical form, by "/<qualifier AI>/…"; for the
# others (GRAI 8003, GDTI 253, GCN 255) the serial is appended to the class key itself.
_SLASH_QUALIFIED = frozenset({"01", "8006", "8010"})


def identifier_match(param: str, roles: frozenset[IdRole], values: Sequence[str]) -> IdMatch:
    """MATCH_ values → exact canonical identifiers and class prefixes (EPCIS 2.0 §8.2.7.1.1).

    A pattern ``urn:epc:idpat:<scheme>:<company>.<reference>.*`` (TDS §8), or the same class
    given as a Digital Link without serial (``https://id.gs1.org/01/<gtin>``), matches the class
    itself, each instance of it and each lot of it. Other pattern shapes (a ``*`` in the company or
    reference field) are refused rather than matched wrongly.
    """
    exact: set[str] = set()
    prefixes: list[str] = []
    for value in values:
        if "*" in value and not value.startswith("urn:epc:idpat:"):
            raise bad(param, f"{value!r} 不是 EPC 模式 URI", f"{value!r} is not an EPC pattern URI")
        key = _canonical_id(param, value)
        if value.startswith("urn:epc:idpat:") and key == value:
            raise bad(
                param,
                f"不支持的 EPC 模式 {value!r}:只支持 公司前缀.参考代码.* 形式",
                f"unsupported EPC pattern {value!r}: only <company>.<reference>.* patterns are supported",
            )
        exact.add(key)
        if epc.is_gs1_key(key) and epc.epc_class(key) == key:
            ai = key[len(epc.CANONICAL_HOST) + 1 :].split("/", 1)[0]
            if ai == "01" and "/10/" in key:
                continue  # an LGTIN is a class of its own, with no instances below it
            prefixes.append(f"{key}/" if ai in _SLASH_QUALIFIED else key)
    return IdMatch(param, roles, frozenset(exact), tuple(prefixes))


# ---------------------------------------------------------------------------------------------
# the parameter table
# ---------------------------------------------------------------------------------------------

_R = IdRole
MATCH_ROLES: dict[str, frozenset[IdRole]] = {
    # §8.2.7.1: epcList or childEPCs (by event type); parentID; input/output lists; "any" is all
    "MATCH_epc": frozenset({_R.EPC, _R.CHILD}),
    "MATCH_parentID": frozenset({_R.PARENT}),
    "MATCH_inputEPC": frozenset({_R.INPUT}),
    "MATCH_outputEPC": frozenset({_R.OUTPUT}),
    "MATCH_anyEPC": frozenset({_R.EPC, _R.PARENT, _R.CHILD, _R.INPUT, _R.OUTPUT}),
    "MATCH_epcClass": frozenset({_R.CLASS, _R.CHILD_CLASS}),
    "MATCH_inputEPCClass": frozenset({_R.INPUT_CLASS}),
    "MATCH_outputEPCClass": frozenset({_R.OUTPUT_CLASS}),
    "MATCH_anyEPCClass": frozenset({_R.CLASS, _R.CHILD_CLASS, _R.INPUT_CLASS, _R.OUTPUT_CLASS}),
}

#: sensor attributes compared by equality with one of the values (§8.2.7.1, "how" parameters)
SENSOR_EQUALS = (
    "type",
    "deviceID",
    "dataProcessingMethod",
    "microorganism",
    "chemicalSubstance",
    "bizRules",
    "stringValue",
    "hexBinaryValue",
    "uriValue",
    "booleanValue",
)
SENSOR_TIMES = ("time", "startTime", "endTime")

#: parameters taking exactly one value
_SINGLE = frozenset(
    {
        "GE_eventTime",
        "LT_eventTime",
        "GE_recordTime",
        "LT_recordTime",
        "GE_errorDeclarationTime",
        "LT_errorDeclarationTime",
        "EXISTS_errorDeclaration",
        "EXISTS_sensorElementList",
        "orderBy",
        "orderDirection",
        "eventCountLimit",
        "maxEventCount",
    }
)

_NUMBER_OP = re.compile(
    r"(EQ|GT|GE|LT|LE)_(value|minValue|maxValue|meanValue|sDev|percValue)_([A-Za-z0-9]{2,3})"
)
_PERC_RANK = re.compile(r"(GT|GE|LT|LE)_percRank")
_QUANTITY = re.compile(r"(EQ|GT|GE|LT|LE)_quantity(?:_([A-Za-z0-9]{2,3}))?")
_FIELD = re.compile(r"(EQ|GT|GE|LT|LE|EXISTS)_(ILMD_|ERROR_DECLARATION_)?(.+)")
_UNSUPPORTED_FIELD_FORMS = ("INNER_", "SENSORELEMENT_", "HASATTR_", "EQATTR_", "EQ_ATTR_")


def field_ref(param: str, name: str, where: str, namespaces: Mapping[str, str]) -> FieldRef:
    """``prefix:local`` (prefix declared in ``namespaces`` or, failing that, compared as written)
    or ``<namespace IRI>#local`` (the EPCIS 1.x fully qualified field name)."""
    if "#" in name:
        iri, _, local = name.rpartition("#")
        if not iri or not local:
            raise bad(param, f"字段名 {name!r} 不完整", f"incomplete field name {name!r}")
        return FieldRef(where, iri if iri.endswith(("/", "#")) else f"{iri}#", None, local)
    prefix, colon, local = name.partition(":")
    if not colon or not prefix or not local or "/" in prefix:
        raise bad(
            param,
            f"扩展字段名 {name!r} 应写作 前缀:字段名 或 命名空间IRI#字段名",
            f"extension field {name!r} must be written prefix:name or namespaceIRI#name",
        )
    return FieldRef(where, namespaces.get(prefix), prefix, local)


def _order_field(value: str, namespaces: Mapping[str, str]) -> FieldRef:
    return field_ref("orderBy", value, "event", namespaces)


@dataclass(slots=True)
class _Builder:
    namespaces: Mapping[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    id_matches: list[IdMatch] = field(default_factory=list)
    biz_transactions: list[TypedValues] = field(default_factory=list)
    sources: list[TypedValues] = field(default_factory=list)
    destinations: list[TypedValues] = field(default_factory=list)
    quantities: list[QuantityTest] = field(default_factory=list)
    sensors: list[SensorTest] = field(default_factory=list)
    fields: list[FieldTest] = field(default_factory=list)

    def time_bound(self, key: str, name: str, value: str, ge: bool) -> None:
        current: TimeRange = self.values.get(key, TimeRange())
        us = parse_time(name, value)
        self.values[key] = TimeRange(us, current.lt) if ge else TimeRange(current.ge, us)


def _typed(param: str, vocabulary: cbv.Vocabulary, type_name: str, values: Sequence[str]) -> TypedValues:
    (kind,) = _vocabulary(param, vocabulary, [type_name])
    return TypedValues(kind, frozenset(_canonical_id(param, v) for v in values))


def _add(b: _Builder, name: str, values: list[str]) -> None:
    first = values[0]
    simple_vocab = {
        "EQ_bizStep": ("biz_steps", cbv.Vocabulary.BIZ_STEP),
        "EQ_disposition": ("dispositions", cbv.Vocabulary.DISPOSITION),
        "EQ_persistentDisposition_set": ("persistent_set", cbv.Vocabulary.DISPOSITION),
        "EQ_persistentDisposition_unset": ("persistent_unset", cbv.Vocabulary.DISPOSITION),
        "EQ_errorReason": ("error_reasons", cbv.Vocabulary.ERROR_REASON),
    }
    if name in simple_vocab:
        key, vocabulary = simple_vocab[name]
        b.values[key] = _vocabulary(name, vocabulary, values)
    elif name == "eventType":
        codes: set[int] = set()
        for value in values:
            if value in EVENT_TYPE_CODES:
                codes.add(EVENT_TYPE_CODES[value])
            elif not cbv.is_uri(value):
                raise bad(
                    name,
                    f"{value!r} 不是 EPCIS 事件类型(ObjectEvent、AggregationEvent …)",
                    f"{value!r} is not an EPCIS event type (ObjectEvent, AggregationEvent …)",
                )
            # an extension event type given as a URI: no event of it is stored, nothing matches
        b.values["event_types"] = frozenset(codes)
    elif name in ("GE_eventTime", "LT_eventTime"):
        b.time_bound("event_time", name, first, name.startswith("GE"))
    elif name in ("GE_recordTime", "LT_recordTime"):
        b.time_bound("record_time", name, first, name.startswith("GE"))
    elif name in ("GE_errorDeclarationTime", "LT_errorDeclarationTime"):
        b.time_bound("error_declaration_time", name, first, name.startswith("GE"))
    elif name == "EQ_action":
        for value in values:
            if value not in ("ADD", "OBSERVE", "DELETE"):
                raise bad(
                    name,
                    f"{value!r} 应为 ADD、OBSERVE 或 DELETE",
                    f"{value!r} must be ADD, OBSERVE or DELETE",
                )
        b.values["actions"] = frozenset(values)
    elif name in ("EQ_transformationID", "EQ_eventID", "EQ_correctiveEventID"):
        key = {"EQ_transformationID": "transformation_ids", "EQ_eventID": "event_ids"}.get(
            name, "corrective_ids"
        )
        b.values[key] = frozenset(values)
    elif name in ("EQ_readPoint", "WD_readPoint", "EQ_bizLocation", "WD_bizLocation"):
        key = {
            "EQ_readPoint": "read_points",
            "WD_readPoint": "wd_read_points",
            "EQ_bizLocation": "biz_locations",
            "WD_bizLocation": "wd_biz_locations",
        }[name]
        b.values[key] = frozenset(s for v in values for s in location_spellings(name, v))
    elif name in MATCH_ROLES:
        b.id_matches.append(identifier_match(name, MATCH_ROLES[name], values))
    elif name.startswith("EQ_bizTransaction_") and len(name) > 18:
        b.biz_transactions.append(_typed(name, cbv.Vocabulary.BIZ_TRANSACTION_TYPE, name[18:], values))
    elif name.startswith("EQ_source_") and len(name) > 10:
        b.sources.append(_typed(name, cbv.Vocabulary.SOURCE_DEST_TYPE, name[10:], values))
    elif name.startswith("EQ_destination_") and len(name) > 15:
        b.destinations.append(_typed(name, cbv.Vocabulary.SOURCE_DEST_TYPE, name[15:], values))
    elif name == "EXISTS_errorDeclaration":
        # §8.2.7.1: true → only events with an ErrorDeclaration; false → no constraint
        if parse_bool(name, first):
            b.values["error_declared"] = True
    elif name == "EXISTS_sensorElementList":
        if parse_bool(name, first):
            b.sensors.append(SensorTest(SensorKind.EXISTS, "sensorElementList"))
    elif name == "orderBy":
        if first in ("eventTime", "recordTime"):
            b.values["order"] = OrderKey(first)
        else:
            b.values["order"] = OrderKey.FIELD
            b.values["order_field"] = _order_field(first, b.namespaces)
    elif name == "orderDirection":
        if first not in ("ASC", "DESC"):
            raise bad(name, f"{first!r} 应为 ASC 或 DESC", f"{first!r} must be ASC or DESC")
        b.values["descending"] = first == "DESC"
    elif name == "eventCountLimit":
        b.values["event_count_limit"] = parse_int(name, first, minimum=1)
    elif name == "maxEventCount":
        b.values["max_event_count"] = parse_int(name, first, minimum=0)
    elif name.startswith("EQ_") and name[3:] in SENSOR_EQUALS:
        _sensor_equals(b, name, name[3:], values)
    elif name[:3] in ("GE_", "LT_") and name[3:] in SENSOR_TIMES:
        b.sensors.append(
            SensorTest(SensorKind.TIME, name[3:], op=Op(name[:2]), time_us=parse_time(name, first))
        )
    elif match := _NUMBER_OP.fullmatch(name):
        op, attribute, uom = match.groups()
        b.sensors.append(
            SensorTest(SensorKind.NUMBER, attribute, op=Op(op), number=parse_number(name, first), uom=uom)
        )
    elif match := _PERC_RANK.fullmatch(name):
        b.sensors.append(
            SensorTest(SensorKind.NUMBER, "percRank", op=Op(match[1]), number=parse_number(name, first))
        )
    elif match := _QUANTITY.fullmatch(name):
        b.quantities.append(QuantityTest(Op(match[1]), parse_number(name, first), match[2]))
    else:
        _field_test(b, name, values)


def _sensor_equals(b: _Builder, name: str, attribute: str, values: list[str]) -> None:
    normal: set[str] = set()
    for value in values:
        if attribute == "type":
            found = cbv.normalise_measurement_type(value)
            if found is None:
                raise bad(
                    name,
                    f"{value!r} 既不是 GS1 测量类型,也不是 URI",
                    f"{value!r} is neither a GS1 MeasurementType nor a URI",
                )
            normal.add(found.value)
        elif attribute == "booleanValue":
            normal.add("true" if parse_bool(name, value) else "false")
        elif attribute == "hexBinaryValue":
            if not re.fullmatch(r"(?:[0-9A-Fa-f]{2})+", value):
                raise bad(name, f"{value!r} 不是十六进制二进制值", f"{value!r} is not hexBinary")
            normal.add(value.upper())
        else:
            normal.add(value)
    b.sensors.append(SensorTest(SensorKind.EQUALS, attribute, values=frozenset(normal)))


def _field_test(b: _Builder, name: str, values: list[str]) -> None:
    match = _FIELD.fullmatch(name)
    if match is None or not (":" in match[3] or "#" in match[3]):
        raise QueryParameterError(
            f"未知的查询参数 {name}(EPCIS 2.0 §8.2.7.1 SimpleEventQuery 中没有此参数)",
            f"unknown query parameter {name} (not a SimpleEventQuery parameter, EPCIS 2.0 §8.2.7.1)",
        )
    op_name, area, rest = match.groups()
    if rest.startswith(_UNSUPPORTED_FIELD_FORMS):
        raise bad(name, "该参数形式尚不支持", "this parameter form is not supported")
    where = {"ILMD_": "ilmd", "ERROR_DECLARATION_": "errorDeclaration"}.get(area or "", "event")
    ref = field_ref(name, rest, where, b.namespaces)
    if op_name == "EXISTS":
        if parse_bool(name, values[0]):
            b.fields.append(FieldTest(ref, None, ()))
        return
    op = Op(op_name)
    if op is not Op.EQ:
        if len(values) != 1:
            raise bad(name, "只能有一个值", "takes exactly one value")
        try:
            float(values[0])
        except ValueError:
            parse_time(name, values[0])  # comparisons are on numbers or times (§8.2.7.1)
    b.fields.append(FieldTest(ref, op, tuple(values)))


def parse(
    params: Mapping[str, Sequence[str]],
    namespaces: Mapping[str, str] | None = None,
    *,
    pipe_delimited: bool = True,
) -> EventQuery:
    """Validate SimpleEventQuery parameters (name → list of raw values) into an ``EventQuery``.

    ``namespaces`` maps the prefixes the client uses in extension field names to namespace IRIs
    (the ``GS1-Extensions`` header, or a named query's ``@context``). ``pipe_delimited``: the values
    come from a query string and each may hold a '|'-separated list; JSON bodies give lists.
    """
    builder = _Builder(namespaces or {})
    canonical: list[tuple[str, tuple[str, ...]]] = []
    for name, raw in params.items():
        if pipe_delimited:
            values = [part for value in raw for part in split_values(name, value)]
        else:
            values = [value.strip() for value in raw]
        if not values:
            raise bad(name, "缺少参数值", "no value given")
        if name in _SINGLE and len(values) != 1:
            raise bad(name, "只能有一个值", "takes exactly one value")
        _add(builder, name, values)
        canonical.append((name, tuple(values)))
    v = builder.values
    order = v.get("order", OrderKey.CAPTURE)
    if v.get("event_count_limit") is not None and v.get("max_event_count") is not None:
        raise QueryParameterError(
            "eventCountLimit 与 maxEventCount 不能同时使用(EPCIS 2.0 §8.2.7.1)",
            "eventCountLimit and maxEventCount are mutually exclusive (EPCIS 2.0 §8.2.7.1)",
        )
    if v.get("event_count_limit") is not None and order is OrderKey.CAPTURE:
        raise QueryParameterError(
            "使用 eventCountLimit 时必须指定 orderBy(EPCIS 2.0 §8.2.7.1)",
            "eventCountLimit may only be used together with orderBy (EPCIS 2.0 §8.2.7.1)",
        )
    ns = sorted((namespaces or {}).items())
    if ns:
        canonical.append(("@namespaces", tuple(f"{p}={i}" for p, i in ns)))
    return EventQuery(
        **v,
        id_matches=tuple(builder.id_matches),
        biz_transactions=tuple(builder.biz_transactions),
        sources=tuple(builder.sources),
        destinations=tuple(builder.destinations),
        quantities=tuple(builder.quantities),
        sensors=tuple(builder.sensors),
        fields=tuple(builder.fields),
        canonical=tuple(sorted(canonical)),
    )


def split_values(name: str, value: str) -> list[str]:
    """A query-string value: pipe-delimited list (REST bindings, ``style: pipeDelimited``).

    Parameters whose single value may itself contain '|' do not exist in SimpleEventQuery, so a
    split never cuts a legitimate value; empty items are malformed.
    """
    parts = value.split("|")
    if any(not p.strip() for p in parts):
        raise bad(name, f"值 {value!r} 含空项", f"value {value!r} has an empty item")
    return [p.strip() for p in parts]


def from_json(query: Any) -> dict[str, list[str]]:
    """A query body per query-schema.json (values: arrays, strings, numbers, booleans) → the
    name → list of strings form that :func:`parse` reads. Raises QueryParameterError."""
    if not isinstance(query, dict):
        raise QueryParameterError("query 必须是 JSON 对象", "query must be a JSON object")
    out: dict[str, list[str]] = {}
    for name, value in query.items():
        if name == "@context":
            continue
        items = value if isinstance(value, list) else [value]
        texts: list[str] = []
        for item in items:
            if isinstance(item, bool):
                texts.append("true" if item else "false")
            elif isinstance(item, int | float | str):
                texts.append(str(item))
            else:
                raise bad(
                    name,
                    "值必须是字符串、数值、布尔值或其数组",
                    "values must be strings, numbers, booleans or arrays",
                )
        if not texts:
            raise bad(name, "缺少参数值", "no value given")
        out[name] = texts
    return out


def json_namespaces(query: Any) -> dict[str, str]:
    """Prefix → IRI from a query body's ``@context`` (string entries are standard contexts)."""
    context = query.get("@context") if isinstance(query, dict) else None
    items = context if isinstance(context, list) else [context]
    out: dict[str, str] = {}
    for item in items:
        if isinstance(item, dict):
            out.update({k: v for k, v in item.items() if isinstance(v, str)})
    return out


def header_namespaces(value: str | None) -> dict[str, str]:
    """The ``GS1-Extensions`` header (``prefix=IRI, prefix2=IRI2``, REST bindings) → prefix → IRI."""
    out: dict[str, str] = {}
    for item in (value or "").split(","):
        prefix, eq, iri = item.strip().partition("=")
        if eq and prefix.strip() and iri.strip():
            out[prefix.strip()] = iri.strip()
    return out


__all__ = [
    "EventQuery",
    "FieldRef",
    "FieldTest",
    "IdMatch",
    "Op",
    "OrderKey",
    "QuantityTest",
    "SensorKind",
    "SensorTest",
    "TimeRange",
    "TypedValues",
    "from_json",
    "parse",
]
