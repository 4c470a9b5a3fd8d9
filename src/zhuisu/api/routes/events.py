"""POST /events (one event, synchronous), GET /events, GET /events/{eventID}."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response

from zhuisu.api.deps import ReadConn, SettingsDep, WriteConn, read_body
from zhuisu.api.responses import JsonLdResponse, OrjsonResponse
from zhuisu.capture.formats.detect import parse_bytes
from zhuisu.capture.jobs import problem_json
from zhuisu.capture.service import capture_one
from zhuisu.query import documents, service

router = APIRouter(tags=["events 事件"])


@router.post(
    "/events",
    status_code=201,
    summary="Capture one event 同步采集单个事件",
    responses={
        201: {
            "description": "Created; Location names the event; body: its eventID and any warnings"
        },
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


@router.get("/events", summary="Events in capture order 事件列表", response_class=JsonLdResponse)
def get_events(
    conn: ReadConn,
    per_page: Annotated[int, Query(alias="perPage", ge=1, le=10_000)] = 30,
    after: Annotated[int, Query(ge=0, description="cursor from the previous page's Link header")] = 0,
) -> Response:
    page, cursor = service.list_events(conn, per_page=per_page, after=after)
    headers = {"Link": f'</events?perPage={per_page}&after={cursor}>; rel="next"'} if cursor else {}
    return Response(documents.query_document(page), media_type="application/ld+json", headers=headers)


@router.get("/events/{event_id:path}", summary="One event by eventID 按 eventID 取事件")
def get_event(event_id: str, conn: ReadConn) -> Response:
    found = service.get_event(conn, event_id)
    return Response(documents.query_document(found), media_type="application/ld+json")
