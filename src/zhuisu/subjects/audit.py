"""The subject audit trail: every filing step is written here, through :func:`record` only.

Trace-code issuance (赋码) writes its steps to the same trail under :class:`CodeAction`.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

import orjson
from sqlalchemy import Connection

from zhuisu.store import subjects as store
from zhuisu.subjects.rules import AuditAction


class CodeAction(StrEnum):
    """What happened to a subject's trace codes, in the past tense (never reworded)."""

    REQUESTED = "codes.requested"
    ISSUED = "codes.issued"
    REJECTED = "codes.rejected"
    USED = "codes.used"
    VOIDED = "codes.voided"


def record(
    conn: Connection,
    action: AuditAction | CodeAction,
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
