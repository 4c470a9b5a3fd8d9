"""The chain page ``/chain/{identifier}`` for logged-in users: trace back and forward (issue 5).

Any identifier the trace API takes (EPC URN, class+lot, GS1 Digital Link, trace code). The JSON
of the same trace is ``GET /trace/{identifier}``; this page draws it for people, under the same
visibility rules (access.visibility): steps the user may not see are opaque hops.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, RedirectResponse

from zhuisu.access.visibility import visibility_clause
from zhuisu.chain.service import Direction
from zhuisu.errors import NotFound, ValidationFailed
from zhuisu.web.chain_view import chain_view
from zhuisu.web.deps import MemberPage, reading
from zhuisu.web.names import LINK_KINDS, NODE_KINDS

router = APIRouter(include_in_schema=False)


@router.get("/chain", response_model=None)
def chain_search(
    page: MemberPage, identifier: Annotated[str, Query(max_length=500)] = ""
) -> HTMLResponse | RedirectResponse:
    if identifier.strip():
        return RedirectResponse(f"/chain/{quote(identifier.strip(), safe='')}", status_code=303)
    return page.render("chain.html", view=None, identifier="")


@router.get("/chain/{identifier:path}", response_class=HTMLResponse)
def chain(identifier: str, page: MemberPage, direction: Direction = Direction.BOTH) -> HTMLResponse:
    try:
        with reading(page.request) as conn:
            view = chain_view(conn, identifier, direction, visibility_clause(page.viewer))
    except (NotFound, ValidationFailed) as exc:
        return page.render("chain.html", status=exc.status, view=None, identifier=identifier, error=exc)
    return page.render(
        "chain.html", view=view, identifier=identifier, node_kinds=NODE_KINDS, links=LINK_KINDS
    )
