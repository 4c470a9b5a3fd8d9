"""Capture jobs (EPCIS 2.0 REST bindings: POST /capture → 202, GET /capture/{captureID}).

A job's events are written in one transaction together with the job's final status, so a job is
either wholly stored and marked finished, or not stored at all; a process killed mid-job leaves
its job ``running`` with no events, and ``recover_interrupted`` marks it failed on the next start.
The job runner owns its transactions: it is a worker, started by an adapter, not a service
called inside a request's transaction.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Callable
from typing import Any

import orjson
from sqlalchemy import Connection, Engine

from zhuisu.capture.document import ParsedDocument
from zhuisu.capture.formats.detect import parse_bytes
from zhuisu.capture.service import (
    CaptureResult,
    ErrorBehaviour,
    Preparer,
    capture,
    format_us,
    now_us,
)
from zhuisu.domain.problem import Problem
from zhuisu.errors import PayloadTooLarge, ValidationFailed
from zhuisu.store import access as access_store
from zhuisu.store import jobs as job_store
from zhuisu.store.access import Capturer
from zhuisu.store.engine import is_sqlite, write_transaction

#: warnings kept per capture job (errors are all kept: each is an event that was not stored)
MAX_STORED_WARNINGS = 1000

# SQLite has one writer: jobs of this process queue here rather than time out on the file lock.
_SQLITE_WRITER = threading.Lock()


class _RolledBack(Exception):
    """Raised inside the job transaction to undo a rejected rollback-mode job."""

    def __init__(self, result: CaptureResult) -> None:
        super().__init__("capture rolled back")
        self.result = result


def owner_tag() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def accept(data: bytes, content_type: str | None, *, capture_limit: int, size_limit: int) -> ParsedDocument:
    """Check a capture body synchronously: size, syntax, event count (REST: 400 / 413 before 202)."""
    if len(data) > size_limit:
        raise PayloadTooLarge(
            f"请求体 {len(data)} 字节,超过上限 {size_limit} 字节(GS1-EPCIS-Capture-File-Size-Limit)",
            f"the body has {len(data)} bytes, over the limit of {size_limit} "
            "(GS1-EPCIS-Capture-File-Size-Limit)",
        )
    doc = parse_bytes(data, content_type)
    if doc.problems:
        raise ValidationFailed("文档无法解析", "the document could not be parsed", problems=doc.problems)
    if len(doc.events) > capture_limit:
        raise PayloadTooLarge(
            f"文档含 {len(doc.events)} 个事件,超过上限 {capture_limit}(GS1-EPCIS-Capture-Limit)",
            f"the document has {len(doc.events)} events, over the limit of {capture_limit} "
            "(GS1-EPCIS-Capture-Limit)",
        )
    return doc


def create_job(
    conn: Connection, *, error_behaviour: ErrorBehaviour, doc: ParsedDocument, principal: str | None = None
) -> job_store.JobRow:
    job = job_store.JobRow(
        id=str(uuid.uuid4()),
        created_us=now_us(),
        finished_us=None,
        running=True,
        success=True,
        error_behaviour=error_behaviour.value,
        format=doc.format.value,
        event_count=len(doc.events),
        inserted=0,
        duplicates=0,
        errors=None,
        owner=owner_tag(),
        principal=principal,
    )
    job_store.insert_job(conn, job)
    return job


def _finish(job: job_store.JobRow, result: CaptureResult) -> None:
    job.running = False
    job.success = result.success
    job.finished_us = now_us()
    job.inserted = result.inserted
    job.duplicates = result.duplicates
    # errors and warnings share the job's problem column; job_document tells them apart. Warnings
    # are capped so a million events with one finding each cannot bloat the job row.
    found = [*result.problems, *result.warnings[:MAX_STORED_WARNINGS]]
    job.errors = orjson.dumps([problem_json(p) for p in found]).decode() if found else None


def run_job(
    engine: Engine,
    job: job_store.JobRow,
    doc: ParsedDocument,
    *,
    batch_size: int,
    progress: Callable[[int], None] | None = None,
    preparer: Preparer | None = None,
    capturer: Capturer | None = None,
) -> CaptureResult:
    """Run a created job to its end; returns the capture result (the job row is updated).

    ``preparer`` (see capture.pipeline) prepares chunks in worker processes; inline by default.
    ``capturer`` (access control, checked before the job was started) is recorded on its events.
    """
    if is_sqlite(engine):
        with _SQLITE_WRITER:
            return _run(
                engine,
                job,
                doc,
                batch_size=batch_size,
                progress=progress,
                preparer=preparer,
                capturer=capturer,
            )
    return _run(
        engine, job, doc, batch_size=batch_size, progress=progress, preparer=preparer, capturer=capturer
    )


def _run(
    engine: Engine,
    job: job_store.JobRow,
    doc: ParsedDocument,
    *,
    batch_size: int,
    progress: Callable[[int], None] | None,
    preparer: Preparer | None,
    capturer: Capturer | None = None,
) -> CaptureResult:
    behaviour = ErrorBehaviour(job.error_behaviour)
    try:
        with write_transaction(engine) as conn:
            result = capture(
                conn,
                doc,
                error_behaviour=behaviour,
                job_id=job.id,
                batch_size=batch_size,
                progress=progress,
                preparer=preparer,
            )
            if behaviour is ErrorBehaviour.ROLLBACK and not result.success:
                raise _RolledBack(result)
            if capturer is not None:
                access_store.mark_captured(conn, capturer, job_id=job.id)
            _finish(job, result)
            job_store.update_job(conn, job)
            return result
    except _RolledBack as rolled:
        result = rolled.result
    except Exception:
        result = CaptureResult(
            events=len(doc.events),
            problems=[
                Problem(
                    None,
                    "$",
                    "capture.internal_error",
                    "保存时发生内部错误,未保存任何事件",
                    "an internal error stopped the capture; nothing was stored",
                )
            ],
        )
        _finish(job, result)
        with write_transaction(engine) as conn:
            job_store.update_job(conn, job)
        raise
    _finish(job, result)
    with write_transaction(engine) as conn:
        job_store.update_job(conn, job)
    return result


def recover_interrupted(conn: Connection) -> int:
    """Mark jobs of dead processes on this host as failed (their transaction never committed)."""
    host = socket.gethostname()
    count = 0
    for job in job_store.running_jobs(conn):
        owner_host, _, pid = (job.owner or "").rpartition(":")
        if owner_host != host or not pid.isdigit() or _alive(int(pid)):
            continue
        job.running = False
        job.success = False
        job.finished_us = now_us()
        job.errors = orjson.dumps(
            [
                problem_json(
                    Problem(
                        None,
                        "$",
                        "capture.interrupted",
                        "采集进程在完成前中断,未保存任何事件,请重新提交",
                        "the capturing process stopped before finishing; nothing was stored, please resubmit",
                    )
                )
            ]
        ).decode()
        job_store.update_job(conn, job)
        count += 1
    return count


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def problem_json(problem: Problem, *, status: int = 400) -> dict[str, Any]:
    """An RFC 7807 problem object, as the EPCIS 2.0 REST bindings report capture errors."""
    return {
        "type": "epcisException:ValidationException",
        "title": problem.message_en,
        "status": status,
        "detail": problem.message,
        "instance": problem.path,
        "code": problem.code,
        "severity": problem.severity,
        "index": problem.index,
        "path": problem.path,
        "message_zh": problem.message_zh,
        "message_en": problem.message_en,
    }


def job_document(job: job_store.JobRow) -> dict[str, Any]:
    """The CaptureJob resource of the REST bindings, plus zhuisu's counts."""
    found: list[dict[str, Any]] = orjson.loads(job.errors) if job.errors else []
    doc: dict[str, Any] = {
        "captureID": job.id,
        "createdAt": format_us(job.created_us),
        "finishedAt": format_us(job.finished_us) if job.finished_us else None,
        "running": job.running,
        "success": job.success,
        "captureErrorBehaviour": job.error_behaviour,
        "format": job.format,
        "events": job.event_count,
        "inserted": job.inserted,
        "duplicates": job.duplicates,
        "errors": [p for p in found if p.get("severity", "error") == "error"],
        "warnings": [p for p in found if p.get("severity") == "warning"],
    }
    return doc


def get_job(conn: Connection, job_id: str) -> job_store.JobRow | None:
    return job_store.get_job(conn, job_id)


def list_jobs(conn: Connection, *, limit: int = 100, principal: str | None = None) -> list[job_store.JobRow]:
    """The newest jobs (of ``principal`` only, when given)."""
    return job_store.list_jobs(conn, limit=limit, principal=principal)


def start(
    engine: Engine, *, error_behaviour: ErrorBehaviour, doc: ParsedDocument, principal: str | None = None
) -> job_store.JobRow:
    """Create and commit a running job, so its status is visible while it runs."""
    with write_transaction(engine) as conn:
        return create_job(conn, error_behaviour=error_behaviour, doc=doc, principal=principal)
