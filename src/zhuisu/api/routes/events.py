"""POST /events (one event, synchronous), GET /events (SimpleEventQuery), GET /events/{eventID}."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request, Response

from zhuisu.access.capture_rights import authorize_capture, require_capture_role
from zhuisu.access.visibility import visibility
from zhuisu.api.deps import PrincipalDep, ReadConn, Reader, SettingsDep, WriteConn, read_body
from zhuisu.api.responses import OrjsonResponse
from zhuisu.api.routes.query import render_page, run_events
from zhuisu.capture.formats.detect import parse_bytes
from zhuisu.capture.jobs import problem_json
from zhuisu.capture.service import capture_one
from zhuisu.query import service
from zhuisu.store.access import mark_captured

router = APIRouter(tags=["events 事件"])


@router.post(
    "/events",
    status_code=201,
    summary="Capture one event 同步采集单个事件",
    responses={
        201: {"description": "Created; Location names the event; body: its eventID and any warnings"},
        400: {"description": "Invalid event"},
        401: {"description": "No (valid) API key"},
        403: {"description": "A regulator's key, or an event naming other subjects (which field)"},
        409: {"description": "Duplicate"},
        413: {"description": "Too large"},
        415: {"description": "Unsupported media type"},
    },
)
async def post_event(
    request: Request, conn: WriteConn, settings: SettingsDep, principal: PrincipalDep
) -> Response:
    require_capture_role(principal)
    data = await read_body(request, settings.capture_file_size_limit)
    doc = parse_bytes(data, request.headers.get("content-type"))
    capturer = authorize_capture(conn, principal, doc.events, doc.event_paths)
    result = capture_one(conn, doc)
    mark_captured(conn, capturer, event_ids=result.event_ids)
    event_id = result.event_ids[0]
    return OrjsonResponse(
        {"eventID": event_id, "warnings": [problem_json(p) for p in result.warnings]},
        status_code=201,
        headers={"Location": f"/events/{quote(event_id, safe='')}"},
    )


@router.get(
    "/events",
    summary="Query events (SimpleEventQuery) 查询事件",
    description=(
        "EPCIS 2.0 SimpleEventQuery parameters in the query string (list values pipe-separated), "
        "paged with perPage and nextPageToken; JSON-LD, or EPCIS 2.0 XML for Accept: application/xml. "
        "See docs/api.md."
    ),
    responses={
        200: {"description": "EPCISQueryDocument"},
        400: {"description": "QueryParameterException"},
        401: {"description": "No credentials"},
        429: {"description": "Too many requests (Retry-After)"},
        413: {"description": "QueryTooLargeException"},
    },
)
def get_events(request: Request, conn: ReadConn, settings: SettingsDep, principal: Reader) -> Response:
    return run_events(request, conn, settings, principal, scope="events")


@router.get("/events/{event_id:path}", summary="One event by eventID 按 eventID 取事件")
def get_event(event_id: str, request: Request, conn: ReadConn, principal: Reader) -> Response:
    # an event the principal may not see is a 404 like a missing one, so existence does not leak
    found = service.get_event(conn, event_id, visibility=visibility(principal))
    return render_page(request, found)
