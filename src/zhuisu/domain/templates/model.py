"""The shape of catalog and lifecycle-template data: categories, fields, steps, templates.

A lifecycle template (生命周期模板) lists, for one product category, the critical tracking steps
(CTEs) a trace unit passes through and the data each step must carry (KDEs). Each step says which
EPCIS 2.0 event it becomes (event type, action, CBV 2.0 bizStep and disposition) and, for each of
its fields, where the value goes in that event (``Target``). The data in the sibling modules is
reviewed like code; ``rules.validate_catalog`` checks it for internal consistency.

Evidence labels follow shared/reference/cn-standards.md: ``S`` found in a source, ``R`` recalled
(not verified), ``I`` inferred / zhuisu's own choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Evidence(StrEnum):
    """Where a template fact comes from (cn-standards.md evidence labels)."""

    SOURCE = "S"  # found in a standard, MOFCOM rule or public system
    RECALLED = "R"  # recalled, not verified in a source
    OURS = "I"  # inferred, or zhuisu's own design choice


class ValueKind(StrEnum):
    """What a record field holds, and how it is checked."""

    TEXT = "text"
    CODE = "code"  # an identifier checked with domain.codes.identify()
    DECIMAL = "decimal"
    INTEGER = "integer"
    DATE_TIME = "date_time"  # ISO 8601, or "YYYY-MM-DD HH:MM[:SS]" read as China Standard Time
    CHOICE = "choice"  # one word of a fixed vocabulary (a drop-down list in the import workbook)
    PARTY = "party"  # a USCC (checked) or, where the standard allows, a name


class Target(StrEnum):
    """Where a field's value goes in the EPCIS event (our mapping, docs/standards.md)."""

    WHAT = "what"  # epcList (instance codes) or quantityList (GS1 lot / class codes)
    EVENT_TIME = "eventTime"
    EXTENSION = "extension"  # a ``zs:`` key in https://zhuisu.cn/epcis/
    BIZ_TRANSACTION = "bizTransactionList"
    SOURCE = "sourceList"  # owning_party source (also kept as a zs: key)
    DESTINATION = "destinationList"  # owning_party destination (also kept as a zs: key)
    BIZ_LOCATION = "bizLocation"  # node code or GLN (also kept as a zs: key)
    QUANTITY = "quantity"  # the quantity of a quantityList element (and a zs: key)


class CodeRole(StrEnum):
    """What the step's trace code means for the chain (全国肉类蔬菜流通追溯体系建设规范 "卡单同行")."""

    CARRIED = "carried"  # the code the goods carry; no new code, no voucher
    ISSUED = "issued"  # a new 追溯码 issued by this outgoing record → ``zs:traceCode``
    VOUCHER = "voucher"  # the upstream code received with the goods → ``zs:traceVoucher``


@dataclass(frozen=True, slots=True)
class FieldDef:
    """A record field: its English key, Chinese name, kind, and where it goes in the event.

    extension: the local name in the zs: namespace (``weightKg`` → ``zs:weightKg``); most are in
        ``event_model.TRACE_FIELDS``, the rest are listed in ``EXTRA_EXTENSIONS``.
    schemes: for CODE fields, the code schemes accepted (``domain.codes`` ids; a prefix such as
        ``gs1.`` accepts every scheme that starts with it); empty accepts any identified code.
    choices: for CHOICE fields, the allowed words (Chinese, as people write them).
    aliases: other names accepted in records and file headers (besides ``key`` and ``zh``).
    multiple: a list of values (a drug bill lists many trace codes, comma-separated in files).
    """

    key: str
    zh: str
    en: str
    kind: ValueKind
    target: Target
    extension: str | None = None
    schemes: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    multiple: bool = False
    example: str = ""
    note: str = ""

    @property
    def label(self) -> str:
        return f"{self.zh} ({self.key})"


@dataclass(frozen=True, slots=True)
class StepField:
    """A field as a step uses it: required, or expected (optional; missing lowers data quality)."""

    field: FieldDef
    required: bool
    evidence: Evidence
    source: str = ""


@dataclass(frozen=True, slots=True)
class Step:
    """One critical tracking step of a lifecycle template and the EPCIS event it becomes.

    id: ``<template>.<stage>.<step>``, e.g. ``pork.wholesale.entry``.
    biz_step / disposition: CBV 2.0 bare words, or zhuisu URIs where CBV has no word (our choice).
    disposition_by: a CHOICE field whose value picks the disposition (检测结果 合格 → conformant).
    """

    id: str
    zh: str
    en: str
    event_type: str
    action: str | None
    biz_step: str
    disposition: str | None
    code_role: CodeRole
    fields: tuple[StepField, ...]
    evidence: Evidence
    source: str
    disposition_by: tuple[str, tuple[tuple[str, str], ...]] | None = None
    #: extension values every record of the step carries (e.g. ``billType`` 101)
    constants: tuple[tuple[str, str], ...] = ()

    @property
    def template(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def required(self) -> tuple[FieldDef, ...]:
        return tuple(f.field for f in self.fields if f.required)

    @property
    def expected(self) -> tuple[FieldDef, ...]:
        return tuple(f.field for f in self.fields if not f.required)

    def field(self, key: str) -> FieldDef | None:
        for f in self.fields:
            if f.field.key == key:
                return f.field
        return None


@dataclass(frozen=True, slots=True)
class Template:
    """The lifecycle template of a product (sub-)category: its steps in order."""

    id: str
    zh: str
    en: str
    category: str  # the Category id it belongs to
    subclass: str  # the sub-class name (Chinese), e.g. 肉类
    steps: tuple[Step, ...]
    source: str


@dataclass(frozen=True, slots=True)
class Category:
    """One of the eight product categories of GB/T 38158-2019 / 商秩发〔2017〕53号 and its sub-classes."""

    id: str
    zh: str
    en: str
    subclasses: tuple[str, ...]
    source: str
    templates: tuple[str, ...] = field(default=())
