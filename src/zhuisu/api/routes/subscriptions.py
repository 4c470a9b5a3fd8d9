"""Query subscriptions (webhooks) per the EPCIS 2.0 REST bindings:
``/queries/{queryName}/subscriptions`` (create, list), ``…/{subscriptionID}`` (get, delete) and
zhuisu's delivery log ``…/{subscriptionID}/deliveries``. Delivery runs in the background
(``query.delivery.deliver_due``, started by the app's lifespan) or from the CLI.
"""

from __future__ import annotations

import base64
import re
import time
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response

from zhuisu.access.principals import Principal, Role
from zhuisu.api.deps import ReadConn, Reader, SettingsDep, WriteConn
from zhuisu.api.responses import OrjsonResponse
from zhuisu.api.routes.query import _cursor, _json_body, _next_link, per_page
from zhuisu.query import documents, params, subscriptions

router = APIRouter(tags=["subscriptions 订阅"])


def _object(required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties}


_STR = {"type": "string"}
_OPT_STR = {"type": ["string", "null"]}
_SCHEDULE = {
    "type": "object",
    "properties": {
        k: {"type": ["string", "integer"]}
        for k in ("second", "minute", "hour", "dayOfMonth", "month", "dayOfWeek")
    },
}
#: a subscription as the API shows it (REST bindings AbstractQuerySubscriptionResponse)
_SUBSCRIPTION = _object(
    ["subscriptionID", "queryName", "dest", "createdAt", "reportIfEmpty", "epcFormat"],
    {
        "subscriptionID": _STR,
        "queryName": _STR,
        "dest": _STR,
        "createdAt": _STR,
        "reportIfEmpty": {"type": "boolean"},
        "epcFormat": _STR,
        "stream": {"type": "boolean"},
        "schedule": _SCHEDULE,
        "initialRecordTime": _STR,
        "lastNotifiedAt": _STR,
        "minRecordTime": _STR,
    },
)
#: one attempt to deliver a result to the subscriber's dest
_DELIVERY = _object(
    ["attempt", "at", "statusCode", "error", "eventCount", "delivered"],
    {
        "attempt": {"type": "integer"},
        "at": _STR,
        "statusCode": {"type": ["integer", "null"]},
        "error": _OPT_STR,
        "eventCount": {"type": "integer"},
        "delivered": {"type": "boolean"},
    },
)


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_CREATE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["dest"],
                    "properties": {
                        "dest": {"type": "string", "format": "uri"},
                        "signatureToken": {"type": "string"},
                        "reportIfEmpty": {"type": "boolean"},
                        "stream": {"type": "boolean", "enum": [True]},
                        "initialRecordTime": {"type": "string", "format": "date-time"},
                        "schedule": _SCHEDULE,
                    },
                }
            }
        },
    }
}


def _owner(principal: Principal) -> str | None:
    """Whose subscriptions a principal may see and manage: its own; an admin's: all (None)."""
    return None if principal.role is Role.ADMIN else principal.name


def _b64(value: str) -> str:
    return base64.urlsafe_b64encode(value.encode()).decode()


@router.post(
    "/queries/{name}/subscriptions",
    status_code=201,
    summary="Subscribe to a named query 订阅命名查询",
    openapi_extra=_CREATE_BODY,
    responses={201: _json(_SUBSCRIPTION, "Subscribed 已订阅")},
)
async def create_subscription(name: str, request: Request, conn: WriteConn, principal: Reader) -> Response:
    fmt = documents.epc_format(request.headers.get("GS1-EPC-Format"))
    body = await _json_body(request)
    created = subscriptions.create_subscription(
        conn, name, body, epc_format=fmt, now_us=time.time_ns() // 1000, principal=principal.name
    )
    location = f"/queries/{quote(name, safe='')}/subscriptions/{created['subscriptionID']}"
    return OrjsonResponse(created, status_code=201, headers={"Location": location})


@router.get(
    "/queries/{name}/subscriptions",
    summary="Subscriptions of a named query 命名查询的订阅",
    responses={200: _json({"type": "array", "items": _SUBSCRIPTION}, "Subscriptions 订阅")},
)
def list_subscriptions(
    name: str, request: Request, conn: ReadConn, settings: SettingsDep, principal: Reader
) -> Response:
    found, after = subscriptions.list_subscriptions(
        conn, name, after=_cursor(request), limit=per_page(request, settings), owner=_owner(principal)
    )
    headers = {} if after is None else {"Link": _next_link(request, _b64(after))}
    return OrjsonResponse(found, headers=headers)


@router.get(
    "/queries/{name}/subscriptions/{sub_id}",
    summary="A subscription 订阅",
    responses={200: _json(_SUBSCRIPTION, "The subscription 订阅")},
)
def get_subscription(name: str, sub_id: str, conn: ReadConn, principal: Reader) -> Response:
    return OrjsonResponse(subscriptions.get_subscription(conn, name, sub_id, owner=_owner(principal)))


@router.delete("/queries/{name}/subscriptions/{sub_id}", status_code=204, summary="Unsubscribe 取消订阅")
def delete_subscription(name: str, sub_id: str, conn: WriteConn, principal: Reader) -> Response:
    subscriptions.delete_subscription(conn, name, sub_id, owner=_owner(principal))
    return Response(status_code=204)


@router.get(
    "/queries/{name}/subscriptions/{sub_id}/deliveries",
    summary="Delivery log of a subscription 订阅推送记录",
    responses={200: _json({"type": "array", "items": _DELIVERY}, "Attempts, newest first 推送记录")},
)
def list_deliveries(
    name: str, sub_id: str, request: Request, conn: ReadConn, settings: SettingsDep, principal: Reader
) -> Response:
    cursor = _cursor(request)
    found, before = subscriptions.list_deliveries(
        conn,
        name,
        sub_id,
        before=_log_cursor(cursor),
        limit=per_page(request, settings),
        owner=_owner(principal),
    )
    headers = {} if before is None else {"Link": _next_link(request, _b64(str(before)))}
    return OrjsonResponse(found, headers=headers)


def _log_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    if not re.fullmatch(r"[0-9]{1,18}", cursor):
        raise params.bad("nextPageToken", "格式错误", "malformed")
    return int(cursor)


def _options(allow: str) -> Any:
    def endpoint() -> Response:
        return Response(status_code=204, headers={"Allow": allow})

    return endpoint


# OPTIONS (REST bindings, subscription endpoint discovery): Allow plus the GS1 version headers.
for _path, _allow in {
    "/queries/{name}/subscriptions": "GET, POST, OPTIONS",
    "/queries/{name}/subscriptions/{sub_id}": "GET, DELETE, OPTIONS",
}.items():
    router.add_api_route(
        _path, _options(_allow), methods=["OPTIONS"], status_code=204, include_in_schema=False
    )
