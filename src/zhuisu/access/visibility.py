"""What a principal may see, as a WHERE clause on ``events`` (issue 3: "reads are filtered in the
store query, not after it"). The rules themselves live next to the SQL, in ``store.access``
(``visibility_for``), so that the subscription runner of ``query`` — which may not import this
package — applies the very same rules to the principal named by a subscription
(``store.access.visibility_of``, resolved from its key or account at every delivery).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement

from zhuisu.access.principals import Principal
from zhuisu.store import access as store


def visibility(principal: Principal) -> ColumnElement[bool] | None:
    """The clause for ``principal`` (None for an admin: no filter at all)."""
    return store.visibility_for(
        principal.role.value, principal.name, principal.subject_keys, principal.regions
    )


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
