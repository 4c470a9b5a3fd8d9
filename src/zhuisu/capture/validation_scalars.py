"""Lexical rules, caches and the scalar checkers of event validation (capture hot path).

A checker takes (value, base path, key, ctx), reports problems on ``ctx`` and returns the value
normalised; see ``capture.validation`` for how they are dispatched.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from zhuisu.capture.validation_codes import MESSAGES, WARNINGS, Code
from zhuisu.domain import cbv
from zhuisu.domain.cbv import Vocabulary
from zhuisu.domain.event_model import (
    STANDARD_CONTEXT_PREFIXES,
)
from zhuisu.domain.problem import Problem

# ---- lexical rules (precompiled) and caches -----------------------------------------------------

# RFC 3986 absolute URI: scheme ":" then URI characters only (percent-escapes are checked apart:
# they are rare); at most one "#". Non-ASCII IRIs are refused, as the JSON Schema "uri" format is.
_URI = (
    r"[A-Za-z][A-Za-z0-9+.\-]*:[A-Za-z0-9\-._~!$&'()*+,;=:@/?\[\]%]+"
    r"(?:#[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*)?"
)
_URI_RE = re.compile(_URI)
_BAD_PERCENT_RE = re.compile(r"%(?![0-9A-Fa-f]{2})")
# XSD 2.0 epcis:DateTimeStamp: YYYY-MM-DDThh:mm:ss[.s+](Z|±hh:mm), offset within ±14:00 (§7.3.5)
_TZ_OFFSET = r"[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00)"
_OFFSET = rf"(?:Z|{_TZ_OFFSET})"
_DATE_TIME = (
    r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
    rf"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?{_OFFSET}"
)
# the shape only, with the offset optional, to tell "no offset" from other faults (slow pass)
_DATE_TIME_SHAPE_RE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?"
)
# EPCIS 2.0 §7.4.1 eventTimeZoneOffset: ±hh:mm from -14:00 to +14:00
_TZ_OFFSET_RE = re.compile(_TZ_OFFSET)
_UOM_RE = re.compile(r"[A-Z0-9]{2,3}")
_HEX_RE = re.compile(r"(?:[0-9A-Fa-f]{2})+")
# a term of the GS1 Web Vocabulary, as a CURIE or Web URI (https://gs1.org/voc/ after _gs1_voc)
_GS1_TERM_RE = re.compile(r"(?:gs1:|https://gs1\.org/voc/)[A-Za-z][A-Za-z0-9_]*")
_DATE_TIME_RE = re.compile(_DATE_TIME)
# The URIs of one event are joined by newlines and checked in one regex call: on the capture hot
# path a regex call costs more than the characters it reads. A newline is not a URI character, so
# the batch splits exactly where the list does.
_URI_BATCH_RE = re.compile(f"{_URI}(?:\n{_URI})*")

#: URIs found valid before (locations, parties, classes and devices recur from event to event);
#: bounded: cleared when full. Valid offsets and units are few, so their sets stay small.
_KNOWN_URIS: set[str] = set()
_KNOWN_URIS_MAX = 100_000
_KNOWN_OFFSETS: set[str] = set()
_KNOWN_UOMS: set[str] = set()

# GS1 namespaces that are closed but are not among the spellings the normalisers accept
_CBV_OLD_NAMESPACES = ("https://ns.gs1.org/cbv/", "http://ns.gs1.org/cbv/")
_GS1_VOC_VARIANTS = ("http://gs1.org/voc/", "https://www.gs1.org/voc/", "http://www.gs1.org/voc/")
_MISSING: Any = object()


def is_uri(value: str) -> bool:
    """An absolute URI (RFC 3986), as EPCIS 2.0 §7.3.1 requires of every identifier."""
    if _URI_RE.fullmatch(value) is None:
        return False
    return "%" not in value or _BAD_PERCENT_RE.search(value) is None


def _parse_iso(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _show(value: Any) -> str:
    try:
        text = repr(value)
    except ValueError:  # an integer too long to print
        return "<number>"
    return text if len(text) <= 80 else f"{text[:77]}..."


def _join(base: str, key: str) -> str:
    return f"{base}.{key}" if base else key


class _Ctx:
    """What one pass over an event carries: problems, namespaces, and values checked at the end.

    In the fast pass URIs not known to be valid are queued in ``uris`` and checked in one batch at
    the end, and date-times are checked without building their path (``redo`` is set if one is
    wrong); then, if anything failed, the event is walked again with ``slow`` set, every value
    checked where it stands so that its problem carries its path. The slow pass is the reference;
    the fast pass takes shortcuts only for common, valid shapes.
    """

    __slots__ = ("event_time", "namespaces", "problems", "redo", "sensors", "slow", "uris")

    def __init__(self, namespaces: Mapping[str, str], slow: bool) -> None:
        self.problems: list[Problem] = []
        self.namespaces = namespaces
        self.slow = slow
        self.uris: list[str] = []
        self.redo = False
        self.event_time: str | None = None
        # per sensor element: (index, metadata times, [(report index, report times)])
        self.sensors: list[tuple[int, dict[str, str], list[tuple[int, dict[str, str]]]]] = []

    def add(self, code: Code, path: str, zh: str = "", en: str = "") -> None:
        what_zh, what_en = MESSAGES[code]
        self.problems.append(
            Problem(
                None,
                path,
                code.value,
                f"{path or '事件'}：{what_zh}" + (f"（{zh}）" if zh else ""),
                f"{path or 'event'}: {what_en}" + (f" ({en})" if en else ""),
                "warning" if code in WARNINGS else "error",
            )
        )

    def bad_type(self, path: str, zh: str, en: str, value: Any) -> None:
        shown = _show(value)
        self.add(Code.BAD_TYPE, path, f"应为{zh}，实际为 {shown}", f"expected {en}, got {shown}")

    def bad_value(self, code: Code, path: str, value: Any) -> None:
        shown = _show(value)
        self.add(code, path, shown, shown)

    def time(self, value: Any, base: str, key: str) -> bool:
        """Check (slow pass) or queue (fast pass) a date-time; False if it is known to be wrong."""
        if type(value) is str and not self.slow:
            if _DATE_TIME_RE.fullmatch(value) is not None and (
                (value[8:10] <= "28" and value[:4] != "0000") or _parse_iso(value) is not None
            ):
                return True  # the pattern allows 31 days in every month and the year 0
            self.redo = True
            return False
        path = _join(base, key)
        if type(value) is not str:
            self.bad_type(path, "日期时间字符串", "a date-time string", value)
            return False
        shape = _DATE_TIME_SHAPE_RE.fullmatch(value)
        if shape is None:
            self.bad_value(Code.TIME_BAD_FORMAT, path, value)
        elif shape.group(1) is None:
            self.bad_value(Code.TIME_NO_OFFSET, path, value)
        elif shape.group(1) != "Z" and _TZ_OFFSET_RE.fullmatch(shape.group(1)) is None:
            self.add(
                Code.TIME_BAD_FORMAT,
                path,
                f"偏移 {shape.group(1)} 须在 ±14:00 以内",
                f"offset {shape.group(1)} must be within ±14:00",
            )
        elif _parse_iso(value) is None:
            self.add(
                Code.TIME_BAD_FORMAT,
                path,
                f"不存在的日期或时间 {_show(value)}",
                f"no such date or time {_show(value)}",
            )
        else:
            return True
        return False


Checker = Callable[[Any, str, str, _Ctx], Any]


# ---- scalar checkers: (value, base path, key, ctx) -> normalised value --------------------------


def _check_uri(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    # EPCIS 2.0 §7.3.1: every identifier is a URI (EPC URN, GS1 Digital Link or any other)
    if type(value) is not str:
        ctx.bad_type(_join(base, key), "URI 字符串", "a URI string", value)
    elif value not in _KNOWN_URIS:
        if not ctx.slow:
            ctx.uris.append(value)
        elif not is_uri(value):
            ctx.bad_value(Code.NOT_URI, _join(base, key), value)
    return value


def _check_uri_list(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    # EPC lists are unordered sets of identifiers (§7.3.3.1; JSON Schema uniqueItems)
    if type(value) is not list:
        ctx.bad_type(_join(base, key), "URI 列表", "a list of URIs", value)
        return value
    clean = True
    known = _KNOWN_URIS
    queue = None if ctx.slow else ctx.uris
    for i, item in enumerate(value):
        if type(item) is not str:
            ctx.bad_type(f"{_join(base, key)}[{i}]", "URI 字符串", "a URI string", item)
            clean = False
        elif item not in known:
            if queue is not None:
                queue.append(item)
            elif not is_uri(item):
                ctx.bad_value(Code.NOT_URI, f"{_join(base, key)}[{i}]", item)
    if clean and len(set(value)) != len(value):
        seen: set[str] = set()
        for i, item in enumerate(value):
            if item in seen:
                ctx.bad_value(Code.DUPLICATE, f"{_join(base, key)}[{i}]", item)
            seen.add(item)
    return list(value)


def _check_uri_or_list(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    # certificationInfo: one URI, or a list of them (§7.4.1; JSON binding)
    if type(value) is list:
        return _check_uri_list(value, base, key, ctx)
    return _check_uri(value, base, key, ctx)


def _check_time(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    ctx.time(value, base, key)
    return value


def _check_event_time(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    if ctx.time(value, base, key):
        ctx.event_time = value
    return value


def _check_tz_offset(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    # EPCIS 2.0 §7.4.1: ±HH:MM, within ±14:00
    if type(value) is not str:
        ctx.bad_type(_join(base, key), "字符串 ±HH:MM", "a string ±HH:MM", value)
    elif value not in _KNOWN_OFFSETS:
        if _TZ_OFFSET_RE.fullmatch(value) is None:
            ctx.bad_value(Code.TIME_BAD_OFFSET, _join(base, key), value)
        else:
            _KNOWN_OFFSETS.add(value)
    return value


def _check_action(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    # EPCIS 2.0 §7.3.2
    if type(value) is not str:
        ctx.bad_type(_join(base, key), "字符串", "a string", value)
    elif value not in ("ADD", "OBSERVE", "DELETE"):
        ctx.bad_value(Code.BAD_ACTION, _join(base, key), value)
    return value


def _is_number(value: Any) -> bool:
    kind = type(value)  # bool is not a number here, though Python says it is an int
    return kind is int or (kind is float and math.isfinite(value))


def _check_number(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    if not _is_number(value):
        ctx.bad_type(_join(base, key), "有限数字", "a finite number", value)
    return value


def _check_string(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    if type(value) is not str:
        ctx.bad_type(_join(base, key), "字符串", "a string", value)
    return value


def _check_boolean(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    if type(value) is not bool:
        ctx.bad_type(_join(base, key), "布尔值", "a boolean", value)
    return value


def _check_hex(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    # xsd:hexBinary (EPCIS 2.0 §7.3.8.2 hexBinaryValue): an even number of hex digits
    if type(value) is not str:
        ctx.bad_type(_join(base, key), "十六进制字符串", "a hex string", value)
    elif _HEX_RE.fullmatch(value) is None:
        ctx.bad_value(Code.SENSOR_BAD_HEX, _join(base, key), value)
    return value


def _check_uom(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    # UN/CEFACT Recommendation 20 common codes (EPCIS 2.0 §7.3.3.3, §7.3.8.2)
    if type(value) is not str:
        ctx.bad_type(_join(base, key), "字符串", "a string", value)
    elif value not in _KNOWN_UOMS:
        if _UOM_RE.fullmatch(value) is None:
            ctx.bad_value(Code.BAD_UOM, _join(base, key), value)
        else:
            _KNOWN_UOMS.add(value)
    return value


def _vocabulary_checker(vocabulary: Vocabulary) -> Checker:
    words = cbv.WORDS[vocabulary]

    def check(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
        # CBV 2.0 §8.2: a standard word in any of its three spellings, or a user URI outside the CBV
        if type(value) is not str:
            ctx.bad_type(_join(base, key), "字符串", "a string", value)
            return value
        if value in words:
            return value
        spelled = value
        if value.startswith("http://ref.gs1.org/cbv/"):
            spelled = "https" + value[4:]
        elif value.startswith("cbv:"):  # the CURIE of the standard context (§12.2) for the Web URI
            spelled = cbv.WEB_URI_BASE + value[4:]
        found = None if value.startswith(_CBV_OLD_NAMESPACES) else cbv.normalise(vocabulary, spelled)
        if found is None and spelled.startswith(cbv.WEB_URI_BASE) and is_uri(value):
            shown = f"{vocabulary.value} {_show(value)}"
            ctx.add(Code.CBV_UNLISTED, _join(base, key), shown, shown)
            return value
        if found is None or (not found.standard and not is_uri(value)):
            ctx.add(
                Code.CBV_UNKNOWN,
                _join(base, key),
                f"{vocabulary.value} {_show(value)}",
                f"{vocabulary.value} {_show(value)}",
            )
            return value
        return found.value

    return check


def _gs1_voc(value: str) -> str:
    """Other spellings of the GS1 Web Vocabulary namespace, brought to https://gs1.org/voc/."""
    if value.startswith(_GS1_VOC_VARIANTS):
        return cbv.GS1_VOC_BASE + value.split("/voc/", 1)[1]
    return value


def _check_measurement_type(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    # EPCIS 2.0 §7.3.8.2 type: a gs1:MeasurementType (bare word, gs1: or Web URI) or a user URI
    if type(value) is not str:
        ctx.bad_type(_join(base, key), "字符串", "a string", value)
        return value
    if value in cbv.MEASUREMENT_TYPES:
        return value
    value = _gs1_voc(value)
    found = cbv.normalise_measurement_type(value)
    if found is None and _GS1_TERM_RE.fullmatch(value) is not None:
        ctx.bad_value(Code.SENSOR_UNLISTED_TYPE, _join(base, key), value)
        return value
    if found is None or (not found.standard and not is_uri(value)):
        ctx.bad_value(Code.SENSOR_UNKNOWN_TYPE, _join(base, key), value)
        return value
    return found.value


def _check_alert_type(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    # EPCIS 2.0 §7.3.8.2 exception: gs1:SensorAlertType, ALARM_CONDITION or ERROR_CONDITION
    if type(value) is not str:
        ctx.bad_type(_join(base, key), "字符串", "a string", value)
        return value
    found = cbv.normalise_alert_type(_gs1_voc(value))
    if found is None:
        ctx.bad_value(Code.SENSOR_BAD_EXCEPTION, _join(base, key), value)
        return value
    return found.value


def _check_context(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    # a bare event's own JSON-LD @context (§12.2): a URI, an object, or a list of them
    items = value if type(value) is list else [value]
    for i, item in enumerate(items):
        path = f"{key}[{i}]" if type(value) is list else key
        if type(item) is str:
            if not is_uri(item):
                ctx.bad_value(Code.NOT_URI, path, item)
        elif type(item) is not dict:
            ctx.bad_type(path, "URI 或对象", "a URI or an object", item)
    return value


def _check_passthrough(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    return value


# ---- extension keys (EPCIS 2.0 §6.3, §9.4, §12.2) ---------------------------------------------


def _check_extension_key(key: Any, base: str, ctx: _Ctx) -> None:
    """A key that is not a standard field must be ``prefix:local`` with a declared prefix (or a
    full IRI); ``@prefix:local`` is an XML attribute in that namespace (canonical form)."""
    if type(key) is not str:
        ctx.bad_value(Code.EXT_UNNAMESPACED, _join(base, str(key)), key)
        return
    colon = key.find(":")
    if colon <= 0:
        ctx.bad_value(Code.EXT_UNNAMESPACED, _join(base, key), key)
        return
    prefix = key[1:colon] if key[0] == "@" else key[:colon]
    if prefix in ctx.namespaces or prefix in STANDARD_CONTEXT_PREFIXES:
        return
    if (key.startswith("//", colon + 1) or prefix == "urn") and is_uri(key):
        return  # a full IRI key ("http://…", "urn:…") needs no declared prefix
    ctx.add(Code.EXT_UNDECLARED, _join(base, key), f"前缀 {prefix!r}", f"prefix {prefix!r}")


def _check_ilmd(value: Any, base: str, key: str, ctx: _Ctx) -> Any:
    # §7.3.7: ILMD holds extension fields only, each namespaced
    if type(value) is not dict:
        ctx.bad_type(_join(base, key), "对象", "an object", value)
        return value
    path = _join(base, key)
    for name in value:
        _check_extension_key(name, path, ctx)
    return value
