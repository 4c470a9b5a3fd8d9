"""Checking a record against its template step, and the templates against themselves.

A record is a flat mapping of field names to values: Chinese names as in the template (``重量``),
English keys (``weight_kg``) or the listed aliases (``weightKg``), as the API, a CSV header or an
Excel header writes them. ``check_record`` reads every value by the field's kind, validates codes
with ``domain.codes.identify`` and returns the values, the problems (a missing required field names
the field in Chinese and English) and the data-quality score: the share of the step's expected
(optional) fields that are present, 0-100 (our formula [I], in the spirit of the 数据上报准确率 of
cn-standards.md §5).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from zhuisu.domain.codes import CodeError, Identified, Reason, identify
from zhuisu.domain.problem import Problem
from zhuisu.domain.templates.model import FieldDef, Step, Target, ValueKind

#: China Standard Time: a time written without an offset is read in it (our choice [I])
CST = timezone(timedelta(hours=8))
MAX_TEXT = 500
_SPLIT = re.compile(r"[,，;；\s]+")
_DT_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d")

Value = str | int | float | list[str]
#: distinct spellings remembered: a file repeats its headers on every row, an API its keys
_NAME_CACHE = 4096
#: codes remembered: a file repeats its operator, node and party codes on every row
_CODE_CACHE = 8192


@lru_cache(maxsize=_NAME_CACHE)
def normalise_name(name: str) -> str:
    """A header or key as people write it → the form names are matched in.

    ``*重量（千克）`` → ``重量(千克)``: the required mark, spaces and full-width brackets do not count.
    """
    text = name.strip().lstrip("*＊").strip()
    text = text.replace("（", "(").replace("）", ")").replace(" ", "").replace("\u3000", "")
    return text.lower()


def names_of(spec: FieldDef) -> tuple[str, ...]:
    extra = (spec.extension,) if spec.extension else ()
    return tuple(
        dict.fromkeys(normalise_name(n) for n in (spec.key, spec.zh, spec.en, *spec.aliases, *extra))
    )


def name_map(step: Step) -> Mapping[str, FieldDef]:
    """Every accepted spelling of the step's field names → the field (built once per step)."""
    cached = _NAME_MAPS.get(step.id)
    if cached is not None and cached[0] is step:
        return cached[1]
    out: dict[str, FieldDef] = {}
    for spec in (sf.field for sf in step.fields):
        for name in names_of(spec):
            out.setdefault(name, spec)
    frozen = MappingProxyType(out)
    # keyed by id and checked by identity: hashing a Step hashes all its fields, on every record
    _NAME_MAPS[step.id] = (step, frozen)
    return frozen


_NAME_MAPS: dict[str, tuple[Step, Mapping[str, FieldDef]]] = {}


@dataclass(slots=True)
class CheckedRecord:
    """A record read against its step: values by field key, codes identified, problems, quality."""

    step: Step
    values: dict[str, Value] = field(default_factory=dict)
    codes: dict[str, list[Identified]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    missing_expected: list[FieldDef] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def quality(self) -> int:
        expected = self.step.expected
        if not expected:
            return 100
        return round(100 * (len(expected) - len(self.missing_expected)) / len(expected))


def _problem(index: int | None, spec_path: str, code: str, zh: str, en: str) -> Problem:
    return Problem(index, spec_path, code, zh, en)


def check_record(step: Step, raw: Mapping[str, Any], *, index: int | None = None) -> CheckedRecord:
    """Read a record's fields against ``step`` (``raw`` holds field values only, not ``step``)."""
    result = CheckedRecord(step)
    names = name_map(step)
    given: dict[str, tuple[str, Any]] = {}
    for name, value in raw.items():
        spec = names.get(normalise_name(str(name)))
        if spec is None:
            known = "、".join(sf.field.zh for sf in step.fields)
            keys = ", ".join(sf.field.key for sf in step.fields)
            result.problems.append(
                _problem(
                    index,
                    str(name),
                    "record.unknown_field",
                    f"环节「{step.zh}」没有字段「{name}」(可用字段:{known})",
                    f"step {step.id} has no field {name!r} (fields: {keys})",
                )
            )
            continue
        if _blank(value):
            continue
        if spec.key in given:
            result.problems.append(
                _problem(
                    index,
                    str(name),
                    "record.duplicate_field",
                    f"字段「{spec.zh}」出现了两次",
                    f"field {spec.key} is given twice",
                )
            )
            continue
        given[spec.key] = (str(name), value)
    for sf in step.fields:
        spec = sf.field
        if spec.key not in given:
            if sf.required:
                result.problems.append(
                    _problem(
                        index,
                        spec.zh,
                        "record.missing_field",
                        f"缺少必填字段「{spec.zh}」({spec.key})",
                        f"required field {spec.key} ({spec.zh}) is missing",
                    )
                )
            else:
                result.missing_expected.append(spec)
            continue
        name, value = given[spec.key]
        _read(result, spec, name, value, index)
    return result


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _read(result: CheckedRecord, spec: FieldDef, name: str, value: Any, index: int | None) -> None:
    def bad(code: str, zh: str, en: str) -> None:
        result.problems.append(
            _problem(index, name, code, f"字段「{spec.zh}」{zh}", f"field {spec.key} ({spec.zh}): {en}")
        )

    kind = spec.kind
    if kind is ValueKind.CODE or (kind is ValueKind.PARTY and spec.schemes):
        items = _split(value) if spec.multiple else [_text(value)]
        found: list[Identified] = []
        for item in items:
            try:
                found.append(identify_as(item, spec.schemes))
            except CodeError as exc:
                bad(
                    "record.invalid_code",
                    f"的编码 {item} 无效:{exc.message_zh}",
                    f"invalid code {item}: {exc.message_en}",
                )
        if len(found) == len(items):
            result.codes[spec.key] = found
            result.values[spec.key] = [i.canonical for i in found] if spec.multiple else found[0].canonical
        return
    if kind in (ValueKind.TEXT, ValueKind.PARTY):
        text = _text(value)
        if len(text) > MAX_TEXT:
            bad("record.too_long", f"超过 {MAX_TEXT} 个字符", f"longer than {MAX_TEXT} characters")
        else:
            result.values[spec.key] = text
        return
    if kind is ValueKind.CHOICE:
        text = _text(value)
        if text not in spec.choices:
            bad(
                "record.invalid_choice",
                f"的值「{text}」不在可选值 {'、'.join(spec.choices)} 中",
                f"{text!r} is not one of {', '.join(spec.choices)}",
            )
        else:
            result.values[spec.key] = text
        return
    if kind in (ValueKind.DECIMAL, ValueKind.INTEGER):
        number = _number(value, integer=kind is ValueKind.INTEGER)
        if number is None:
            what = "非负整数" if kind is ValueKind.INTEGER else "非负数"
            bad(
                "record.invalid_number",
                f"应为{what},收到「{value}」",
                f"expected a non-negative {'integer' if what == '非负整数' else 'number'}, got {value!r}",
            )
        else:
            result.values[spec.key] = number
        return
    stamp = parse_time(value)
    if stamp is None:
        bad(
            "record.invalid_time",
            f"无法识别时间「{value}」(应为 2026-05-01 08:30:00 或 ISO 8601)",
            f"cannot read the time {value!r} (use 2026-05-01 08:30:00 or ISO 8601)",
        )
    else:
        result.values[spec.key] = stamp


@lru_cache(maxsize=_CODE_CACHE)
def identify_as(code: str, schemes: tuple[str, ...]) -> Identified:
    """Identify ``code`` in one of ``schemes`` (any scheme when empty); the first accepting wins.

    Cached: identification is a pure function of its arguments and ``Identified`` is immutable; a
    CodeError is not cached, so an invalid code is read (and reported) afresh every time.
    """
    if not schemes:
        return identify(code)
    errors: list[CodeError] = []
    found: Identified | None = None
    try:
        found = identify(code)
    except CodeError as exc:
        errors.append(exc)
    if found is not None and _accepted(found.scheme, schemes):
        return found
    for scheme in schemes:
        if scheme.endswith("."):
            continue  # a family prefix: only the form-based reading above can match it
        try:
            return identify(code, scheme=scheme)
        except CodeError as exc:
            errors.append(exc)
    wanted = ", ".join(schemes)
    if found is not None:
        zh, en = f"是 {found.scheme} 编码,此处应为 {wanted}", f"is a {found.scheme} code; expected {wanted}"
    else:
        zh, en = errors[0].message_zh, errors[0].message_en
    reason = errors[0].reason if errors and found is None else Reason.UNKNOWN_SCHEME
    raise CodeError(reason, zh, en, candidates=tuple(errors))


def _accepted(scheme: str, schemes: tuple[str, ...]) -> bool:
    return any(scheme == s or (s.endswith(".") and scheme.startswith(s)) for s in schemes)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a spreadsheet number cell holding a code or a certificate number
    return str(value).strip()


def _split(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [_text(v) for v in value if not _blank(v)]
    return [v for v in _SPLIT.split(_text(value)) if v]


def _number(value: Any, *, integer: bool) -> int | float | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0:
        return None
    if integer:
        return int(number) if number == number.to_integral_value() else None
    return int(number) if number == number.to_integral_value() else float(number)


def parse_time(value: Any) -> str | None:
    """A record time → ISO 8601 with offset (milliseconds); naive times are China Standard Time."""
    stamp: datetime | None = None
    if isinstance(value, datetime):
        stamp = value
    elif isinstance(value, date):
        stamp = datetime.combine(value, time())
    elif isinstance(value, str):
        text = value.strip()
        try:
            stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            for fmt in _DT_FORMATS:
                try:
                    stamp = datetime.strptime(text, fmt)
                    break
                except ValueError:
                    continue
    if stamp is None:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=CST)
    return stamp.isoformat(timespec="milliseconds")


def check_step(step: Step) -> list[str]:
    """What is wrong with a step's declaration (empty when it is consistent)."""
    errors: list[str] = []
    keys = [sf.field.key for sf in step.fields]
    if len(keys) != len(set(keys)):
        errors.append(f"{step.id}: a field key is used twice")
    whats = [sf for sf in step.fields if sf.field.target is Target.WHAT]
    if len(whats) != 1 or not whats[0].required:
        errors.append(f"{step.id}: needs exactly one required WHAT field")
    if not any(sf.field.target is Target.EVENT_TIME and sf.required for sf in step.fields):
        errors.append(f"{step.id}: needs a required time field")
    spellings: dict[str, str] = {}
    for sf in step.fields:
        for name in names_of(sf.field):
            if spellings.setdefault(name, sf.field.key) != sf.field.key:
                errors.append(f"{step.id}: the name {name!r} means two fields")
    if step.disposition_by is not None:
        spec = step.field(step.disposition_by[0])
        if spec is None or spec.kind is not ValueKind.CHOICE:
            errors.append(f"{step.id}: disposition_by names no choice field")
        elif {w for w, _ in step.disposition_by[1]} != set(spec.choices):
            errors.append(f"{step.id}: disposition_by does not cover every choice")
    return errors
