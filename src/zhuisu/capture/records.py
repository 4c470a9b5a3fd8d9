"""Records: Chinese trace records checked against their template step and captured as EPCIS events.

``submit`` takes what ``POST /records`` receives (one record or a list), ``import_file`` a CSV or
Excel file; both check every record first (``domain.templates.check_record``), convert the good
ones (``formats.records.to_event``) and store them through the one capture service, so records and
EPCIS documents share validation, the event hash and de-duplication. A record whose event is
already stored is a duplicate, not an error: re-sending a record or re-importing a file adds
nothing. Unless ``keep_good`` is set, one bad record rejects the whole submission (nothing stored).

The trace catalogs (重点 / 鼓励追溯产品目录) are published and read here as well.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from zhuisu.capture import imports
from zhuisu.capture.document import Format, ParsedDocument
from zhuisu.capture.formats.records import NAMESPACES, to_event
from zhuisu.capture.service import ErrorBehaviour, capture, now_us
from zhuisu.domain.problem import Problem
from zhuisu.domain.templates import CATALOG_KINDS, CATEGORY_BY_ID, STEPS, check_record
from zhuisu.errors import NotFound, ValidationFailed
from zhuisu.store import templates as template_store

STEP_KEYS = ("step", "环节", "模板环节")


@dataclass(slots=True)
class RecordOutcome:
    """What happened to one record: created, duplicate (already stored) or rejected."""

    index: int
    step: str | None
    status: str
    event_id: str | None = None
    quality: int | None = None
    missing: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "step": self.step,
            "status": self.status,
            "eventID": self.event_id,
            "dataQuality": self.quality,
            "missingFields": self.missing,
        }


@dataclass(slots=True)
class RecordsResult:
    records: list[RecordOutcome] = field(default_factory=list)
    inserted: int = 0
    duplicates: int = 0
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    source: dict[str, Any] = field(default_factory=dict)

    @property
    def event_ids(self) -> list[str]:
        return [r.event_id for r in self.records if r.status == "created" and r.event_id]

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.source,
            "records": len(self.records),
            "inserted": self.inserted,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "eventIDs": self.event_ids,
            "results": [r.as_dict() for r in self.records],
            "problems": [p.as_dict() for p in self.problems],
        }


def submit(conn: Connection, payload: Any, *, keep_good: bool = False) -> RecordsResult:
    """``POST /records``: one record (an object) or a batch (a list of objects)."""
    items = payload if isinstance(payload, list) else [payload]
    return submit_records(conn, list(enumerate(items)), keep_good=keep_good)


def import_file(
    conn: Connection,
    data: bytes,
    *,
    filename: str | None = None,
    step: str | None = None,
    keep_good: bool = False,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> RecordsResult:
    """Import a CSV (UTF-8, UTF-8 with BOM, GBK / GB18030) or .xlsx file of records of one step
    (``step``, else a 环节 / step column, else the workbook's sheet name); rows are numbered as a
    spreadsheet shows them (the header is row 1) and problems name the column."""
    table = imports.read_table(data, filename)
    if on_total is not None:
        on_total(len(table.rows))
    default = step or (table.sheet if table.sheet in STEPS else None)
    items: list[tuple[int, Any]] = [(number, row) for number, row in table.rows]
    result = submit_records(conn, items, default_step=default, keep_good=keep_good, progress=progress)
    result.source = {"format": table.format, "encoding": table.encoding, "rows": len(table.rows)}
    return result


def submit_records(
    conn: Connection,
    items: Sequence[tuple[int, Any]],
    *,
    default_step: str | None = None,
    keep_good: bool = False,
    progress: Callable[[int], None] | None = None,
) -> RecordsResult:
    """Check, convert and capture records; ``items`` pairs each record with its index or row number."""
    result = RecordsResult()
    events: list[dict[str, Any]] = []
    owners: list[RecordOutcome] = []
    for index, raw in items:
        outcome = RecordOutcome(index, None, "rejected")
        result.records.append(outcome)
        if not isinstance(raw, Mapping):
            result.problems.append(
                Problem(
                    index, "", "record.not_object", "记录必须是 JSON 对象", "a record must be a JSON object"
                )
            )
            continue
        values = {k: v for k, v in raw.items() if str(k).strip() not in STEP_KEYS}
        step_id = next((str(raw[k]).strip() for k in STEP_KEYS if raw.get(k)), default_step)
        step = STEPS.get(step_id) if step_id else None
        outcome.step = step_id
        if step is None:
            result.problems.append(_unknown_step(index, step_id))
            continue
        checked = check_record(step, values, index=index)
        outcome.quality = checked.quality
        outcome.missing = [f.key for f in checked.missing_expected]
        if not checked.ok:
            result.problems.extend(checked.problems)
            continue
        events.append(to_event(checked))
        owners.append(outcome)
    result.rejected = sum(1 for r in result.records if r.status == "rejected") - len(owners)
    if result.problems and not keep_good:
        raise ValidationFailed(
            f"{result.rejected} 条记录未通过校验,未保存任何记录",
            f"{result.rejected} record(s) are invalid; nothing was stored",
            problems=result.problems,
        )
    if events:
        _capture(conn, events, owners, result, progress)
    return result


def _capture(
    conn: Connection,
    events: list[dict[str, Any]],
    owners: list[RecordOutcome],
    result: RecordsResult,
    progress: Callable[[int], None] | None,
) -> None:
    doc = ParsedDocument(
        Format.JSON,
        events=events,
        namespaces=dict(NAMESPACES),
        event_paths=[f"$[{o.index}]" for o in owners],
    )
    captured = capture(conn, doc, error_behaviour=ErrorBehaviour.ROLLBACK, progress=progress)
    if captured.problems:  # a template that yields an invalid event: a bug, said plainly
        raise ValidationFailed(
            "记录转换成的事件未通过 EPCIS 校验",
            "the events made from the records are invalid EPCIS",
            problems=[_reindex(p, owners) for p in captured.problems],
        )
    # the ids capture worked out (the event hash, records carry no eventID): hashed once, not twice
    ids = [captured.ids_by_index[n] for n in range(len(owners))]
    fresh = set(captured.event_ids)
    for outcome, event_id in zip(owners, ids, strict=True):
        outcome.event_id = event_id
        outcome.status = "created" if event_id in fresh else "duplicate"
        fresh.discard(event_id or "")
    result.inserted = captured.inserted
    result.duplicates = captured.duplicates


def _reindex(problem: Problem, owners: list[RecordOutcome]) -> Problem:
    index = owners[problem.index].index if problem.index is not None else None
    return Problem(index, problem.path, problem.code, problem.message_zh, problem.message_en)


def _unknown_step(index: int, step_id: str | None) -> Problem:
    if not step_id:
        return Problem(
            index,
            "step",
            "record.missing_step",
            "缺少「环节」(step):请指明记录所属的模板环节,如 pork.wholesale.entry",
            "missing step: name the template step of the record, e.g. pork.wholesale.entry",
        )
    return Problem(
        index,
        "step",
        "record.unknown_step",
        f"没有模板环节「{step_id}」(见 GET /templates)",
        f"no template step {step_id!r} (see GET /templates)",
    )


# ---- the trace catalogs (重点 / 鼓励追溯产品目录) ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class CatalogInput:
    kind: str
    region: str
    title: str
    items: Sequence[Mapping[str, str | None]]
    published_by: str | None = None


def publish_catalog(conn: Connection, data: CatalogInput) -> template_store.CatalogRow:
    """Publish a new version of a region's key or encouraged trace catalog."""
    if data.kind not in CATALOG_KINDS:
        raise ValidationFailed(
            f"目录类型「{data.kind}」无效,应为 key(重点)或 encouraged(鼓励)",
            f"unknown catalog kind {data.kind!r}: use key or encouraged",
        )
    if not (len(data.region) == 6 and data.region.isdigit()):
        raise ValidationFailed(
            f"行政区划代码「{data.region}」应为 6 位数字(GB/T 2260)",
            f"region {data.region!r} must be a 6-digit GB/T 2260 code",
        )
    problems: list[Problem] = []
    rows: list[template_store.CatalogItemRow] = []
    for i, item in enumerate(data.items):
        category = CATEGORY_BY_ID.get(str(item.get("category") or ""))
        subclass = str(item.get("subclass") or "")
        if category is None or subclass not in category.subclasses:
            problems.append(
                Problem(
                    i,
                    f"items[{i}]",
                    "catalog.unknown_class",
                    f"未知的品类/子类「{item.get('category')}/{subclass}」",
                    f"unknown category / sub-class {item.get('category')}/{subclass}",
                )
            )
            continue
        rows.append(
            template_store.CatalogItemRow(category.id, subclass, item.get("variety"), item.get("note"))
        )
    if problems:
        raise ValidationFailed(
            "目录条目有误,未发布", "the catalog has invalid items; not published", problems=problems
        )
    version = template_store.next_version(conn, data.kind, data.region)
    template_store.insert_catalog(
        conn,
        kind=data.kind,
        region=data.region,
        version=version,
        title=data.title,
        published_us=now_us(),
        published_by=data.published_by,
        items=rows,
    )
    found = template_store.get_catalog(conn, data.kind, data.region, version)
    assert found is not None
    return found


def get_catalog(
    conn: Connection, kind: str, region: str, version: int | None = None
) -> template_store.CatalogRow:
    found = template_store.get_catalog(conn, kind, region, version)
    if found is None:
        raise NotFound(
            f"没有 {region} 的{CATALOG_KINDS.get(kind, kind)}" + (f"第 {version} 版" if version else ""),
            f"no {kind} catalog for {region}" + (f" version {version}" if version else ""),
        )
    return found


# ---- describing the templates (GET /templates) -----------------------------------------------------


def templates_document() -> dict[str, Any]:
    """The categories, their templates and steps, and what is not templated yet."""
    from zhuisu.domain.templates import CATEGORIES, NOT_TEMPLATED, TEMPLATES

    return {
        "categories": [
            {
                "id": c.id,
                "zh": c.zh,
                "en": c.en,
                "subclasses": list(c.subclasses),
                "templates": list(c.templates),
                "notTemplated": [s for cid, s in NOT_TEMPLATED if cid == c.id],
                "source": c.source,
            }
            for c in CATEGORIES
        ],
        "templates": [
            {
                "id": t.id,
                "zh": t.zh,
                "en": t.en,
                "category": t.category,
                "subclass": t.subclass,
                "steps": [{"id": s.id, "zh": s.zh, "en": s.en} for s in t.steps],
                "source": t.source,
            }
            for t in TEMPLATES.values()
        ],
        "catalogKinds": CATALOG_KINDS,
    }


def _step(step_id: str) -> Any:
    step = STEPS.get(step_id)
    if step is None:
        raise NotFound(f"没有模板环节「{step_id}」", f"no template step {step_id!r}")
    return step


def step_document(step_id: str) -> dict[str, Any]:
    """One step: the EPCIS event it becomes and every field, with where it goes and its evidence."""
    step = _step(step_id)
    return {
        "id": step.id,
        "zh": step.zh,
        "en": step.en,
        "template": step.template,
        "event": {
            "type": step.event_type,
            "action": step.action,
            "bizStep": step.biz_step,
            "disposition": step.disposition,
            "dispositionBy": (
                {"field": step.disposition_by[0], "values": dict(step.disposition_by[1])}
                if step.disposition_by
                else None
            ),
            "codeRole": str(step.code_role),
            "constants": {f"zs:{k}": v for k, v in step.constants},
        },
        "fields": [
            {
                "key": sf.field.key,
                "zh": sf.field.zh,
                "en": sf.field.en,
                "required": sf.required,
                "kind": str(sf.field.kind),
                "target": str(sf.field.target),
                "extension": f"zs:{sf.field.extension}" if sf.field.extension else None,
                "schemes": list(sf.field.schemes),
                "choices": list(sf.field.choices),
                "aliases": list(sf.field.aliases),
                "multiple": sf.field.multiple,
                "example": sf.field.example,
                "evidence": str(sf.evidence),
                "source": sf.source or step.source,
            }
            for sf in step.fields
        ],
        "evidence": str(step.evidence),
        "source": step.source,
    }


def step_workbook(step_id: str) -> bytes:
    """The import workbook (.xlsx) of a step."""
    return imports.workbook_for(_step(step_id))
