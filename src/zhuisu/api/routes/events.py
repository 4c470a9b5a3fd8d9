"""POST /events (one event, synchronous), GET /events (SimpleEventQuery), GET /events/{eventID}."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request, Response

from zhuisu.api.deps import ReadConn, SettingsDep, WriteConn, read_body
from zhuisu.api.responses import OrjsonResponse
from zhuisu.api.routes.query import render_page, run_events
from zhuisu.capture.formats.detect import parse_bytes
from zhuisu.capture.jobs import problem_json
from zhuisu.capture.service import capture_one
from zhuisu.query import service

router = APIRouter(tags=["events 事件"])


@router.post(
    "/events",
    status_code=201,
    summary="Capture one event 同步采集单个事件",
    responses={
        201: {"description": "Created; Location names the event; body: its eventID and any warnings"},
        400: {"description": "Invalid event"},
        409: {"description": "Duplicate"},
        413: {"description": "Too large"},
        415: {"description": "Unsupported media type"},
    },
)
async def post_event(request: Request, conn: WriteConn, settings: SettingsDep) -> Response:
    data = await read_body(request, settings.capture_file_size_limit)
    result = capture_one(conn, parse_bytes(data, request.headers.get("content-type")))
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
        413: {"description": "QueryTooLargeException"},
    },
)
def get_events(request: Request, conn: ReadConn, settings: SettingsDep) -> Response:
    return run_events(request, conn, settings, scope="events")


@router.get("/events/{event_id:path}", summary="One event by eventID 按 eventID 取事件")
def get_event(event_id: str, request: Request, conn: ReadConn) -> Response:
    found = service.get_event(conn, event_id)
    return render_page(request, found)
