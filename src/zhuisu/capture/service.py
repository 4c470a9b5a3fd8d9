"""Capture: validated, hashed, de-duplicated events into the store (EPCIS 2.0 §8.2.1, REST /capture).

The flow per document is parse → validate (and normalise) → hash → link rows → store, in batches,
inside the caller's transaction:

* ``rollback`` (the default GS1-Capture-Error-Behaviour) is all-or-nothing: as soon as one event
  has a problem nothing more is written, the rest is still checked so every problem is reported,
  and the caller rolls the transaction back;
* ``proceed`` stores every valid event and reports the others.

An event whose hash (or, for error declarations, whose hash and declaration flag) is already
stored, or that occurs twice in the document, is a duplicate: counted, not stored again. An
eventID that is already stored for a different event is an error (EPCIS 2.0 REST binding:
409 for POST /events).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

import orjson
from sqlalchemy import Connection

from zhuisu.capture.document import Event, ParsedDocument
from zhuisu.capture.formats.epcis_json import STANDARD_PREFIXES
from zhuisu.capture.validation import check_event
from zhuisu.domain import epc
from zhuisu.domain.event_hash import hasher_for
from zhuisu.domain.holders import amounts_of, subject_by_keys
from zhuisu.domain.links import TemplateRow, field_keys, keys_for, walk_template
from zhuisu.domain.links import derive as derive_links
from zhuisu.domain.parties import party_set
from zhuisu.domain.problem import Problem
from zhuisu.domain.roles import EVENT_TYPE_CODES, LIST_ROLES, QUANTITY_ROLES, IdRole
from zhuisu.store import access as access_store
from zhuisu.store import chain as chain_store
from zhuisu.store import events as event_store
from zhuisu.store.engine import lock_capture

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_US = timedelta(microseconds=1)


class ErrorBehaviour(StrEnum):
    ROLLBACK = "rollback"
    PROCEED = "proceed"


#: (role, canonical identifier, amount, unit) of an ``event_ids`` row
IdentifierRow = tuple[int, str, float | None, str | None]


@dataclass(slots=True)
class PreparedEvent:
    """One valid event, ready to store (read-only by convention: not ``frozen``, whose
    ``__init__`` goes through ``object.__setattr__`` per field and cost ~5 µs per event)."""

    index: int
    event_id: str
    event_hash: str
    error_declared: bool
    row: event_store.EventRow
    ids: tuple[IdentifierRow, ...]
    # the walk rows of the trace-chain links this event states (domain.links.walk_template),
    # worked out here so that a worker process does it; written with the event
    links: Sequence[TemplateRow] = ()
    # the parties and locations it names (domain.parties), for access control
    parties: tuple[str, ...] = ()


@dataclass(slots=True)
class CaptureResult:
    events: int = 0
    inserted: int = 0
    duplicates: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list)
    #: the eventID of every valid event by its index in the document, stored or duplicate, so a
    #: caller need not hash the events a second time (capture.records)
    ids_by_index: dict[int, str] = field(default_factory=dict)

    @property
    def success(self) -> bool:
        return not self.problems


def to_us(value: str) -> int:
    """An ISO 8601 time with offset → integer microseconds since the epoch, UTC."""
    return (datetime.fromisoformat(value) - EPOCH) // ONE_US


def format_us(value: int) -> str:
    """Integer microseconds → ISO 8601 UTC with milliseconds, as recordTime is written."""
    dt = EPOCH + timedelta(microseconds=value)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def now_us() -> int:
    return (datetime.now(UTC) - EPOCH) // ONE_US


# (event key, stored role code) of the keys that hold identifiers, in the order rows are checked
_LIST_ROLE_CODES = tuple((name, int(role)) for name, role in LIST_ROLES.items())
_QUANTITY_ROLE_CODES = tuple((name, int(role)) for name, role in QUANTITY_ROLES.items())
_PARENT_ROLE = int(IdRole.PARENT)


def _invalid_identifier(raw: str, where: str, exc: ValueError, index: int, path: str, xml: bool) -> Problem:
    return Problem(
        None,
        where,
        "identifier.invalid",
        f"标识符 {raw!r} 无效: {exc}",
        f"invalid identifier {raw!r}: {exc}",
    ).at(path, index=index, xml=xml)


def _identifier_rows(
    event: Event, index: int, path: str, xml: bool, problems: list[Problem]
) -> list[IdentifierRow]:
    """Every identifier the event names, canonicalised, with its role (see store.tables.event_ids)
    and, for the lots of its quantity lists, the amount and unit stated (domain.holders)."""
    # Flat, without a helper call per identifier: capture runs this for every event.
    seen: set[tuple[int, str]] = set()
    canonical = epc.canonical
    for name, role in _LIST_ROLE_CODES:
        values = event.get(name)
        if values:
            for i, value in enumerate(values):
                try:
                    seen.add((role, canonical(value)))
                except ValueError as exc:
                    problems.append(_invalid_identifier(value, f"{name}[{i}]", exc, index, path, xml))
    parent = event.get("parentID")
    if parent:
        try:
            seen.add((_PARENT_ROLE, canonical(parent)))
        except ValueError as exc:
            problems.append(_invalid_identifier(parent, "parentID", exc, index, path, xml))
    rows: list[IdentifierRow] = [(role, ident, None, None) for role, ident in seen]
    for name, role in _QUANTITY_ROLE_CODES:
        elements = event.get(name)
        if elements:
            for i, element in enumerate(elements):
                value = element["epcClass"]
                try:
                    canonical(value)
                except ValueError as exc:
                    where = f"{name}[{i}].epcClass"
                    problems.append(_invalid_identifier(value, where, exc, index, path, xml))
            rows.extend(
                (role, ident, amount, uom) for ident, (amount, uom) in amounts_of(elements, canonical).items()
            )
    return sorted(rows, key=_row_key)


def _row_key(row: IdentifierRow) -> tuple[int, str]:
    return row[0], row[1]


@dataclass(frozen=True, slots=True)
class Chunk:
    """A slice of a document's events with what preparing them needs; picklable for a worker."""

    events: Sequence[Event]
    first_index: int
    paths: Sequence[str]
    namespaces: Mapping[str, str]
    xml: bool
    record_us: int
    job_id: str | None


def chunk_of(doc: ParsedDocument, indices: range, *, record_us: int, job_id: str | None) -> Chunk:
    return Chunk(
        doc.events[indices.start : indices.stop],
        indices.start,
        doc.event_paths[indices.start : indices.stop],
        doc.namespaces,
        doc.is_xml,
        record_us,
        job_id,
    )


def prepare(chunk: Chunk) -> tuple[list[PreparedEvent], list[Problem]]:
    """Validate, normalise, hash and map a chunk of events to rows (no database access)."""
    namespaces = chunk.namespaces
    own = {p: iri for p, iri in namespaces.items() if STANDARD_PREFIXES.get(p) != iri}
    ns_text = orjson.dumps(own).decode() if own else None
    link_keys = keys_for(namespaces)
    subject_keys = field_keys(namespaces, "subject")
    hasher = hasher_for(namespaces)
    record_time = format_us(chunk.record_us)
    xml = chunk.xml
    prepared: list[PreparedEvent] = []
    problems: list[Problem] = []
    for offset, raw in enumerate(chunk.events):
        index = chunk.first_index + offset
        path = chunk.paths[offset]
        if not isinstance(raw, dict) or "__invalid__" in raw:
            problems.append(
                Problem(
                    index, path, "event.not_object", "事件必须是 JSON 对象", "an event must be a JSON object"
                )
            )
            continue
        event, found = check_event(raw, namespaces)
        if found:
            # warnings travel with the chunk's problems; only errors reject the event
            problems.extend(p.at(path, index=index, xml=xml) for p in found)
            if any(p.is_error for p in found):
                continue
        id_problems: list[Problem] = []
        ids = _identifier_rows(event, index, path, xml, id_problems)
        if id_problems:
            problems.extend(id_problems)
            continue
        digest = hasher.event_hash(event)
        event_id = event.get("eventID") or digest
        event["eventID"] = event_id
        event["recordTime"] = record_time
        declaration = event.get("errorDeclaration")
        row: event_store.EventRow = (
            event_id,
            digest,
            EVENT_TYPE_CODES[event["type"]],
            event.get("action"),
            event.get("bizStep"),
            event.get("disposition"),
            (event.get("readPoint") or {}).get("id"),
            (event.get("bizLocation") or {}).get("id"),
            to_us(event["eventTime"]),
            event["eventTimeZoneOffset"],
            chunk.record_us,
            event.get("transformationID"),
            declaration is not None,
            to_us(declaration["declarationTime"]) if declaration else None,
            declaration.get("reason") if declaration else None,
            chunk.job_id,
            orjson.dumps(event).decode(),
            ns_text,
            subject_by_keys(event, subject_keys),
        )
        prepared.append(
            PreparedEvent(
                index,
                event_id,
                digest,
                declaration is not None,
                row,
                tuple(ids),
                walk_template(derive_links(event, link_keys)),
                party_set(event),
            )
        )
    return prepared, problems


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a capture runs.

    Capture allocates millions of short-lived containers (parsed events, rows, link tuples) that
    reference counting frees; the cyclic collector finds nothing in them but, triggered every 700
    allocations, scanned them again and again: a third of the writer's time in the 1,000-event
    benchmark (docs/performance.md). The collector is switched back on afterwards if it was on;
    concurrent captures at worst leave it on early, never off.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _batches(count: int, size: int) -> Iterator[range]:
    for start in range(0, count, size):
        yield range(start, min(count, start + size))


def _conflict(item: PreparedEvent, path: str, xml: bool) -> Problem:
    return Problem(
        None,
        "eventID",
        "capture.event_id_conflict",
        f"eventID {item.event_id} 已被另一个内容不同的事件使用",
        f"eventID {item.event_id} is already used by a different event",
    ).at(path, index=item.index, xml=xml)


def _select_new(
    conn: Connection,
    doc: ParsedDocument,
    batch: list[PreparedEvent],
    seen_hashes: set[tuple[str, bool]],
    seen_ids: dict[tuple[str, bool], str],
    result: CaptureResult,
) -> list[PreparedEvent]:
    """Drop duplicates (in the document and in the store); report eventID conflicts."""
    stored_hashes = event_store.existing_hashes(conn, ((p.event_hash, p.error_declared) for p in batch))
    stored_ids = event_store.existing_ids(conn, ((p.event_id, p.error_declared) for p in batch))
    fresh: list[PreparedEvent] = []
    for item in batch:
        key = (item.event_hash, item.error_declared)
        id_key = (item.event_id, item.error_declared)
        if key in stored_hashes or key in seen_hashes:
            result.duplicates += 1
            continue
        owner = stored_ids.get(id_key) or seen_ids.get(id_key)
        if owner is not None and owner != item.event_hash:
            result.problems.append(_conflict(item, doc.event_paths[item.index], doc.is_xml))
            continue
        seen_hashes.add(key)
        seen_ids[id_key] = item.event_hash
        fresh.append(item)
    return fresh


def capture(
    conn: Connection,
    doc: ParsedDocument,
    *,
    error_behaviour: ErrorBehaviour,
    job_id: str | None = None,
    batch_size: int = 1000,
    record_us: int | None = None,
    progress: Callable[[int], None] | None = None,
    preparer: Preparer | None = None,
) -> CaptureResult:
    """Store the events of a parsed document in the caller's transaction.

    The caller must roll the transaction back when ``error_behaviour`` is rollback and the result
    is not a success (nothing of a rejected document may be stored); the capture job runner and
    the API do. ``preparer`` decides where chunks are prepared (inline by default; see pipeline).
    """
    result = CaptureResult(events=len(doc.events), problems=list(doc.problems))
    if doc.problems:
        return result
    with collector_paused():
        _capture(conn, doc, result, error_behaviour, job_id, batch_size, record_us, progress, preparer)
    return result


def _capture(
    conn: Connection,
    doc: ParsedDocument,
    result: CaptureResult,
    error_behaviour: ErrorBehaviour,
    job_id: str | None,
    batch_size: int,
    record_us: int | None,
    progress: Callable[[int], None] | None,
    preparer: Preparer | None,
) -> None:
    lock_capture(conn)
    record_us = now_us() if record_us is None else record_us
    seen_hashes: set[tuple[str, bool]] = set()
    seen_ids: dict[tuple[str, bool], str] = {}
    writing = True
    chunks = (
        chunk_of(doc, indices, record_us=record_us, job_id=job_id)
        for indices in _batches(len(doc.events), batch_size)
    )
    for prepared, problems in (preparer or _INLINE).map(chunks):
        result.ids_by_index.update((item.index, item.event_id) for item in prepared)
        for problem in problems:
            (result.problems if problem.is_error else result.warnings).append(problem)
        if error_behaviour is ErrorBehaviour.ROLLBACK and result.problems:
            writing = False
        if writing:
            fresh = _select_new(conn, doc, prepared, seen_hashes, seen_ids, result)
            if error_behaviour is ErrorBehaviour.ROLLBACK and result.problems:
                writing = False
            else:
                offset = {item.index: n for n, item in enumerate(fresh)}
                pks = event_store.insert_batch(
                    conn,
                    [item.row for item in fresh],
                    [(offset[item.index], *ident) for item in fresh for ident in item.ids],
                )
                chain_store.write_links(
                    conn,
                    [
                        (pk, item.row[8], item.links, item.error_declared)
                        for pk, item in zip(pks, fresh, strict=True)
                        if item.links or item.error_declared
                    ],
                )
                access_store.write_event_parties(
                    conn, [(pk, item.parties) for pk, item in zip(pks, fresh, strict=True) if item.parties]
                )
                result.inserted += len(fresh)
                result.event_ids.extend(item.event_id for item in fresh)
        if progress is not None:
            progress(len(prepared) + len({p.index for p in problems if p.is_error}))
    result.problems.sort(key=lambda p: (-1 if p.index is None else p.index, p.path))
    result.warnings.sort(key=lambda p: (-1 if p.index is None else p.index, p.path))
    if error_behaviour is ErrorBehaviour.ROLLBACK and result.problems:
        result.inserted = 0
        result.duplicates = 0
        result.event_ids = []


class Preparer(Protocol):
    """Where chunks are prepared; see capture.pipeline for the worker-process one."""

    def map(self, chunks: Iterable[Chunk]) -> Iterator[tuple[list[PreparedEvent], list[Problem]]]: ...


class _Inline:
    def map(self, chunks: Iterable[Chunk]) -> Iterator[tuple[list[PreparedEvent], list[Problem]]]:
        for chunk in chunks:
            yield prepare(chunk)


_INLINE = _Inline()


def hash_events(doc: ParsedDocument) -> list[tuple[int, str | None, str | None, list[Problem]]]:
    """(index, eventID as given, hash, problems) per event: what ``zhuisu hash`` prints."""
    out: list[tuple[int, str | None, str | None, list[Problem]]] = []
    hasher = hasher_for(doc.namespaces)
    for index, raw in enumerate(doc.events):
        event, found = check_event(raw, doc.namespaces)
        problems = [p.at(doc.event_paths[index], index=index, xml=doc.is_xml) for p in found]
        digest = None if any(p.is_error for p in found) else hasher.event_hash(event)
        given = raw.get("eventID") if isinstance(raw.get("eventID"), str) else None
        out.append((index, given, digest, problems))
    return out


def validate(doc: ParsedDocument) -> list[Problem]:
    """Every problem of a document, without storing anything (``zhuisu validate``)."""
    problems = list(doc.problems)
    if not problems:
        whole = range(len(doc.events))
        problems.extend(prepare(chunk_of(doc, whole, record_us=now_us(), job_id=None))[1])
    return problems


def decode_doc(doc: str) -> dict[str, Any]:
    value = orjson.loads(doc)
    assert isinstance(value, dict)
    return value


def namespaces_of(ns_text: str | None) -> Mapping[str, str]:
    return decode_doc(ns_text) if ns_text else {}


def capture_one(conn: Connection, doc: ParsedDocument) -> CaptureResult:
    """Synchronous capture of one bare event (POST /events → 201); duplicates are a conflict."""
    from zhuisu.errors import DuplicateEvent, ValidationFailed

    if len(doc.events) != 1 and not doc.problems:
        raise ValidationFailed(
            f"POST /events 只接受单个事件,收到 {len(doc.events)} 个;批量请用 POST /capture",
            f"POST /events takes exactly one event, got {len(doc.events)}; use POST /capture for documents",
        )
    result = capture(conn, doc, error_behaviour=ErrorBehaviour.ROLLBACK)
    conflicts = [p for p in result.problems if p.code == "capture.event_id_conflict"]
    if conflicts:
        raise DuplicateEvent(conflicts[0].message_zh, conflicts[0].message_en, problems=conflicts)
    if result.problems:
        raise ValidationFailed(
            "事件未通过校验,未保存", "the event is invalid and was not stored", problems=result.problems
        )
    if result.duplicates:
        raise DuplicateEvent("该事件已存在(事件哈希相同)", "this event already exists (same event hash)")
    return result
