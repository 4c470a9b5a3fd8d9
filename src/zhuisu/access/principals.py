"""The principals of the platform: who is asking (issue 3, "Who may see what").

A principal is resolved once per request (from an API key, a web session, or nobody) and handed
to the services, which turn it into a WHERE clause on the store (``access.visibility``) — reads
are filtered in the query, never after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    """The five kinds of principal the traceability-platform policy names."""

    ADMIN = "admin"  # platform administrator: sees and does everything
    REGULATOR = "regulator"  # a department with a jurisdiction (GB/T 2260 region and its children)
    ENTERPRISE = "enterprise"  # a user bound to one filed subject
    SYSTEM = "system"  # a third-party platform or enterprise system, bound to the subjects it reports for
    PUBLIC = "public"  # anonymous: sees only what is published


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is asking. ``subject_keys`` are subject keys (USCC, or the platform key of an
    individual); ``regions`` are GB/T 2260 codes of a regulator's jurisdiction."""

    role: Role
    name: str
    subject_keys: tuple[str, ...] = field(default=())
    regions: tuple[str, ...] = field(default=())

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


PUBLIC = Principal(Role.PUBLIC, "public")
