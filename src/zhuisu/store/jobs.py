"""SQL for capture jobs (EPCIS 2.0 REST bindings, /capture/{captureID})."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from zhuisu.store.tables import capture_jobs


@dataclass(slots=True)
class JobRow:
    id: str
    created_us: int
    finished_us: int | None
    running: bool
    success: bool
    error_behaviour: str
    format: str | None
    event_count: int
    inserted: int
    duplicates: int
    errors: str | None
    owner: str | None
    principal: str | None


def insert_job(conn: Connection, job: JobRow) -> None:
    conn.execute(capture_jobs.insert().values(**{k: getattr(job, k) for k in JobRow.__slots__}))


def update_job(conn: Connection, job: JobRow) -> None:
    values = {k: getattr(job, k) for k in JobRow.__slots__ if k != "id"}
    conn.execute(update(capture_jobs).where(capture_jobs.c.id == job.id).values(**values))


def _row(r: object) -> JobRow:
    return JobRow(**{k: getattr(r, k) for k in JobRow.__slots__})


def get_job(conn: Connection, job_id: str) -> JobRow | None:
    row = conn.execute(select(capture_jobs).where(capture_jobs.c.id == job_id)).first()
    return _row(row) if row is not None else None


def list_jobs(
    conn: Connection, *, limit: int, before_us: int | None = None, principal: str | None = None
) -> list[JobRow]:
    """The newest jobs; only those ``principal`` started when it is given (access control)."""
    stmt = select(capture_jobs).order_by(capture_jobs.c.created_us.desc(), capture_jobs.c.id).limit(limit)
    if principal is not None:
        stmt = stmt.where(capture_jobs.c.principal == principal)
    if before_us is not None:
        stmt = stmt.where(capture_jobs.c.created_us < before_us)
    return [_row(r) for r in conn.execute(stmt)]


def running_jobs(conn: Connection) -> list[JobRow]:
    return [_row(r) for r in conn.execute(select(capture_jobs).where(capture_jobs.c.running.is_(True)))]
