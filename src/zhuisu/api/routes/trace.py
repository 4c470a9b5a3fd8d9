"""GET /trace/{identifier}: trace back (来源可查) and forward (去向可追)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from zhuisu.access.visibility import visibility_clause
from zhuisu.api.deps import ReadConn, Reader
from zhuisu.chain.service import Direction, trace

router = APIRouter(tags=["trace 追溯"])


@router.get(
    "/trace/{identifier:path}",
    summary="Trace an identifier back and/or forward 追溯查询",
    responses={
        404: {"description": "No record names the identifier"},
        400: {"description": "Invalid"},
        401: {"description": "No credentials"},
    },
)
def get_trace(
    identifier: str,
    conn: ReadConn,
    principal: Reader,
    direction: Direction = Direction.BOTH,
    depth: Annotated[int | None, Query(ge=0, le=10_000)] = None,
) -> dict[str, Any]:
    """Events in time order, and the graph of lots, codes, places and holders reached.

    ``identifier``: an EPC URN, a class+lot URN, a GS1 Digital Link (URL-encoded) or a trace code.
    Steps the caller may not see are opaque hops: the holder's kind and region, no eventID.
    """
    found = trace(conn, identifier, direction=direction, depth=depth, visibility=visibility_clause(principal))
    return found.to_json()
