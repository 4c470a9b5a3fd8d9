"""The subject audit trail: every filing step is written here, through :func:`record` only."""

from __future__ import annotations

from collections.abc import Mapping

import orjson
from sqlalchemy import Connection

from zhuisu.store import subjects as store
from zhuisu.subjects.rules import AuditAction


def record(
    conn: Connection,
    action: AuditAction,
    subject_id: int,
    *,
    at_us: int,
    actor: str | None,
    detail: Mapping[str, object] | None = None,
) -> None:
    store.insert_audit(
        conn,
        {
            "subject_id": subject_id,
            "action": str(action),
            "at_us": at_us,
            "actor": actor,
            "detail": orjson.dumps(dict(detail)).decode() if detail else None,
        },
    )
