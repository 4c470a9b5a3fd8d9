"""What a principal may see, as a WHERE clause on ``events`` (issue 3: "reads are filtered in the
store query, not after it"). The rules themselves live next to the SQL, in ``store.access``
(``visible_to``), so that the subscription runner of ``query`` — which may not import this
package — applies the very same rules to the principal named by a subscription
(``store.access.visible_to_name``, resolved from its key or account at every delivery).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement

from zhuisu.access.principals import Principal
from zhuisu.store import access as store


# Kept per principal: a visibility is made from the principal's grant alone (role, name, subjects,
# regions), never from a database read; which identifiers stand for those subjects or regions is
# resolved by the SQL at every read. A revoked or changed grant cannot be served from here: the
# principal is resolved from its key or session on every request, and a changed grant is another
# principal (another cache key); a revoked key is refused (401) before any visibility is asked for.
@lru_cache(maxsize=4096)
def visibility(principal: Principal) -> store.Visibility | None:
    """What ``principal`` may see, as the shape and values of its clause (None for an admin: no
    filter at all). The event scans compile its SQL once per shape (``store.queries``)."""
    return store.visible_to(principal.role.value, principal.name, principal.subject_keys, principal.regions)


def visibility_clause(principal: Principal) -> ColumnElement[bool] | None:
    """The same as one SQLAlchemy clause (None for an admin), for the reads that build their
    statement per call: the chain walk and the integrity findings."""
    return store.restriction(visibility(principal))


def master_visibility(principal: Principal) -> Callable[[ColumnElement[Any]], ColumnElement[bool] | None]:
    """What master data (parties, locations) ``principal`` may read, as a clause on an id column."""

    def clause(column: ColumnElement[Any]) -> ColumnElement[bool] | None:
        return store.master_visibility_for(
            column, principal.role.value, principal.name, principal.subject_keys, principal.regions
        )

    return clause


def viewer_scope(principal: Principal) -> str:
    """What page tokens are bound to, so a token cannot be replayed by another principal."""
    return f"{principal.role.value}:{principal.name}"
