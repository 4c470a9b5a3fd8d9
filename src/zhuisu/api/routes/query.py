"""EPCIS 2.0 query interface (REST bindings): resources, named queries, master data.

``GET /events`` itself lives in ``routes/events.py`` beside ``POST /events``; it and every
``…/events`` resource here go through :func:`run_events`: parse the SimpleEventQuery parameters
(query string, ``GS1-Extensions`` header for extension prefixes), call
``query.service.run_query``, render the page as JSON-LD or, for ``Accept: application/xml``, as
EPCIS 2.0 XML, with the ``Link`` (rel="next") and ``GS1-Next-Page-Token-Expires`` headers.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

import orjson
from fastapi import APIRouter, Request, Response

from zhuisu.access.principals import Principal
from zhuisu.access.visibility import master_visibility, viewer_scope, visibility
from zhuisu.api.deps import Admin, ReadConn, Reader, SettingsDep, WriteConn
from zhuisu.api.responses import JsonLdResponse, OrjsonResponse
from zhuisu.capture.formats.epcis_xml_render import render_xml
from zhuisu.domain import epc
from zhuisu.domain.roles import EVENT_TYPE_CODES, IdRole
from zhuisu.errors import NotFound, QueryParameterError
from zhuisu.query import documents, masterdata, named, params, service
from zhuisu.query.params import EventQuery
from zhuisu.settings import Settings
from zhuisu.store import queries as query_store

router = APIRouter(tags=["query 查询"])

_PROCESS_SECRET = secrets.token_bytes(32)  # used when no shared secret is configured
_PAGING = ("perPage", "nextPageToken")
_CBV_XML_FORMATS = {"No_Preference", "Always_Web_URI", "Always_URN", "Never_Translates"}
_CONTEXT = documents.EPCIS_CONTEXT


# ------------------------------------------------------------------------------ helpers


def token_secret(settings: Settings) -> bytes:
    return settings.query_page_token_secret.encode() or _PROCESS_SECRET


def per_page(request: Request, settings: Settings) -> int:
    """``perPage`` (REST bindings, default 30), at most ``query_max_per_page``."""
    raw = request.query_params.getlist("perPage")
    if not raw:
        return 30
    if len(raw) > 1:
        raise params.bad("perPage", "只能有一个值", "takes exactly one value")
    value = params.parse_int("perPage", raw[0], minimum=1)
    if value > settings.query_max_per_page:
        raise params.bad(
            "perPage",
            f"不能超过 {settings.query_max_per_page}",
            f"must not exceed {settings.query_max_per_page}",
        )
    return value


def query_from_request(request: Request, fixed: dict[str, list[str]] | None = None) -> EventQuery:
    """The SimpleEventQuery in the query string (paging parameters aside), plus a resource's own."""
    raw: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        if name not in _PAGING:
            raw.setdefault(name, []).append(value)
    for name, values in (fixed or {}).items():
        if name in raw:
            raise params.bad(name, "已由资源路径确定,不能再作为参数给出", "is set by the resource path")
        raw[name] = list(values)
    return params.parse(raw, params.header_namespaces(request.headers.get("GS1-Extensions")))


def _wants_xml(request: Request) -> bool:
    accept = request.headers.get("accept", "").lower()
    return "xml" in accept and "json" not in accept


def _next_link(request: Request, token: str) -> str:
    items = [(k, v) for k, v in request.query_params.multi_items() if k != "nextPageToken"]
    items.append(("nextPageToken", token))
    return f'<{request.url.path}?{urlencode(items, quote_via=quote)}>; rel="next"'


def render_page(
    request: Request,
    events: Sequence[documents.StoredDoc],
    *,
    next_token: str | None = None,
    expires: datetime | None = None,
    query_name: str = "SimpleEventQuery",
) -> Response:
    """Events as an EPCISQueryDocument in the negotiated binding, with the paging headers."""
    fmt = documents.epc_format(request.headers.get("GS1-EPC-Format"))
    headers: dict[str, str] = {}
    if next_token is not None and expires is not None:
        headers["Link"] = _next_link(request, next_token)
        headers["GS1-Next-Page-Token-Expires"] = expires.strftime("%Y-%m-%dT%H:%M:%SZ")
    if _wants_xml(request):
        cbv_format = request.headers.get("GS1-CBV-XML-Format", "No_Preference")
        if cbv_format not in _CBV_XML_FORMATS:
            raise QueryParameterError(
                f"请求头 GS1-CBV-XML-Format 的值 {cbv_format!r} 无效",
                f"invalid GS1-CBV-XML-Format header {cbv_format!r}",
            )
        cbv_format = "No_Preference" if cbv_format == "Never_Translates" else cbv_format
        parsed, namespaces = documents.parsed_events(events, epc_format=fmt)
        body = render_xml(parsed, namespaces, query=True, cbv_format=cbv_format, query_name=query_name)
        return Response(body, media_type="application/xml", headers=headers)
    body = documents.query_document(events, query_name=query_name, epc_format=fmt)
    return Response(body, media_type="application/ld+json", headers=headers)


def run_events(
    request: Request,
    conn: Any,
    settings: Settings,
    principal: Principal,
    *,
    scope: str,
    fixed: dict[str, list[str]] | None = None,
    query: EventQuery | None = None,
    query_name: str = "SimpleEventQuery",
) -> Response:
    """Parse, run one page, render: the body of every ``…/events`` endpoint. Only what
    ``principal`` may see is read (issue 3), and its page tokens are bound to it."""
    size = per_page(request, settings)
    query = query if query is not None else query_from_request(request, fixed)
    page_request = service.PageRequest(
        size,
        request.query_params.get("nextPageToken"),
        token_secret(settings),
        settings.query_page_token_ttl,
        f"{scope}|{viewer_scope(principal)}",
    )
    page = service.run_query(conn, query, page_request, visibility=visibility(principal))
    return render_page(
        request, page.events, next_token=page.next_token, expires=page.expires, query_name=query_name
    )


def _options(allow: str) -> Response:
    return Response(status_code=204, headers={"Allow": allow})


def _collection(members: list[str], request: Request, next_after: str | None) -> Response:
    """A JSON-LD ``Collection`` (REST bindings, EventTypeCollection / BizStepCollection …)."""
    headers = {}
    if next_after is not None:
        cursor = base64.urlsafe_b64encode(next_after.encode()).decode()
        headers["Link"] = _next_link(request, cursor)
    return JsonLdResponse({"@context": [_CONTEXT], "type": "Collection", "member": members}, headers=headers)


def _cursor(request: Request) -> str | None:
    token = request.query_params.get("nextPageToken")
    if token is None:
        return None
    try:
        return base64.urlsafe_b64decode(token.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        raise params.bad("nextPageToken", "格式错误", "malformed") from None


# ------------------------------------------------------------------------------ resources

_DIMENSIONS = {
    "bizSteps": ("biz_step", "EQ_bizStep"),
    "bizLocations": ("biz_location", "EQ_bizLocation"),
    "readPoints": ("read_point", "EQ_readPoint"),
    "dispositions": ("disposition", "EQ_disposition"),
}


@router.get("/eventTypes", summary="Event types 事件类型")
def event_types() -> Response:
    return JsonLdResponse({"@context": [_CONTEXT], "type": "Collection", "member": sorted(EVENT_TYPE_CODES)})


@router.get("/eventTypes/{event_type}/events", summary="Events of one type 某类型的事件")
def events_of_type(
    event_type: str, request: Request, conn: ReadConn, settings: SettingsDep, principal: Reader
) -> Response:
    if event_type not in EVENT_TYPE_CODES:
        raise NotFound(f"没有事件类型 {event_type}", f"no event type {event_type}")
    return run_events(
        request,
        conn,
        settings,
        principal,
        scope=f"eventTypes/{event_type}",
        fixed={"eventType": [event_type]},
    )


@router.get("/epcs", summary="Identifiers 标识符")
def epcs(request: Request, conn: ReadConn, settings: SettingsDep, principal: Reader) -> Response:
    size = per_page(request, settings)
    found = query_store.identifiers_after(
        conn,
        roles=[int(r) for r in IdRole],
        after=_cursor(request),
        limit=size + 1,
        visibility=visibility(principal),
    )
    return _collection(found[:size], request, found[size - 1] if len(found) > size else None)


@router.get("/epcs/{identifier:path}/events", summary="Events naming an identifier 某标识符的事件")
def events_of_epc(
    identifier: str, request: Request, conn: ReadConn, settings: SettingsDep, principal: Reader
) -> Response:
    # an instance identifier (SGTIN, SSCC …) or a class (GTIN, LGTIN, pattern): every role
    try:
        is_class = epc.is_gs1_key(identifier) and epc.epc_class(identifier) == epc.canonical(identifier)
    except ValueError as exc:
        raise params.bad("epc", str(exc), str(exc)) from exc
    name = "MATCH_anyEPCClass" if is_class or identifier.startswith("urn:epc:idpat:") else "MATCH_anyEPC"
    return run_events(
        request, conn, settings, principal, scope=f"epcs/{identifier}", fixed={name: [identifier]}
    )


def _dimension_list(
    dimension: str, request: Request, conn: Any, settings: Settings, principal: Principal
) -> Response:
    size = per_page(request, settings)
    found = query_store.distinct_values(
        conn, dimension, after=_cursor(request), limit=size + 1, visibility=visibility(principal)
    )
    return _collection(found[:size], request, found[size - 1] if len(found) > size else None)


@router.get("/bizSteps", summary="Business steps in use 已用的业务步骤")
def biz_steps(request: Request, conn: ReadConn, settings: SettingsDep, principal: Reader) -> Response:
    return _dimension_list("biz_step", request, conn, settings, principal)


@router.get("/bizLocations", summary="Business locations in use 已用的业务地点")
def biz_locations(request: Request, conn: ReadConn, settings: SettingsDep, principal: Reader) -> Response:
    return _dimension_list("biz_location", request, conn, settings, principal)


@router.get("/readPoints", summary="Read points in use 已用的读取点")
def read_points(request: Request, conn: ReadConn, settings: SettingsDep, principal: Reader) -> Response:
    return _dimension_list("read_point", request, conn, settings, principal)


@router.get("/dispositions", summary="Dispositions in use 已用的处置状态")
def dispositions(request: Request, conn: ReadConn, settings: SettingsDep, principal: Reader) -> Response:
    return _dimension_list("disposition", request, conn, settings, principal)


@router.get("/bizSteps/{value:path}/events", summary="Events of a business step 某业务步骤的事件")
def events_of_biz_step(
    value: str, request: Request, conn: ReadConn, settings: SettingsDep, principal: Reader
) -> Response:
    return run_events(
        request, conn, settings, principal, scope=f"bizSteps/{value}", fixed={"EQ_bizStep": [value]}
    )


@router.get("/bizLocations/{value:path}/events", summary="Events at a business location 某业务地点的事件")
def events_of_biz_location(
    value: str, request: Request, conn: ReadConn, settings: SettingsDep, principal: Reader
) -> Response:
    return run_events(
        request, conn, settings, principal, scope=f"bizLocations/{value}", fixed={"EQ_bizLocation": [value]}
    )


@router.get("/readPoints/{value:path}/events", summary="Events at a read point 某读取点的事件")
def events_of_read_point(
    value: str, request: Request, conn: ReadConn, settings: SettingsDep, principal: Reader
) -> Response:
    return run_events(
        request, conn, settings, principal, scope=f"readPoints/{value}", fixed={"EQ_readPoint": [value]}
    )


@router.get("/dispositions/{value:path}/events", summary="Events with a disposition 某处置状态的事件")
def events_of_disposition(
    value: str, request: Request, conn: ReadConn, settings: SettingsDep, principal: Reader
) -> Response:
    return run_events(
        request, conn, settings, principal, scope=f"dispositions/{value}", fixed={"EQ_disposition": [value]}
    )


# OPTIONS on every query resource (REST bindings, discovery): Allow, plus the GS1 version headers
# the Gs1Headers middleware adds to every response.
_OPTIONS_PATHS = {
    "/events": "GET, POST, OPTIONS",
    "/events/{event_id:path}": "GET, OPTIONS",
    "/eventTypes": "GET, OPTIONS",
    "/eventTypes/{event_type}/events": "GET, OPTIONS",
    "/epcs": "GET, OPTIONS",
    "/epcs/{identifier:path}/events": "GET, OPTIONS",
    "/queries": "GET, POST, OPTIONS",
    "/queries/{name}": "GET, DELETE, OPTIONS",
    "/queries/{name}/events": "GET, OPTIONS",
    **{f"/{d}": "GET, OPTIONS" for d in _DIMENSIONS},
    **{f"/{d}/{{value:path}}/events": "GET, OPTIONS" for d in _DIMENSIONS},
}


def _options_endpoint(allow: str) -> Any:
    def endpoint() -> Response:
        return _options(allow)

    return endpoint


for _path, _allow in _OPTIONS_PATHS.items():
    router.add_api_route(
        _path,
        _options_endpoint(_allow),
        methods=["OPTIONS"],
        status_code=204,
        summary="Supported methods and versions 支持的方法与版本",
        include_in_schema=False,
    )


@router.delete("/nextPageToken/{token}", status_code=204, summary="Release a page token 释放分页令牌")
def release_token(token: str) -> Response:
    # Tokens are stateless (signed, self-expiring): nothing is held on the server to release.
    del token
    return Response(status_code=204)


# ------------------------------------------------------------------------------ named queries


@router.post("/queries", status_code=201, summary="Create a named query 创建命名查询")
async def create_query(request: Request, conn: WriteConn, principal: Reader) -> Response:
    del principal  # any principal with credentials may name a query; running it applies its own view
    name = named.create_query(conn, await _json_body(request))
    return Response(status_code=201, headers={"Location": f"/queries/{quote(name, safe='')}"})


@router.get("/queries", summary="Named queries 命名查询列表")
def list_queries(request: Request, conn: ReadConn, settings: SettingsDep, principal: Reader) -> Response:
    del principal
    found, after = named.list_queries(conn, after=_cursor(request), limit=per_page(request, settings))
    headers = {}
    if after is not None:
        headers["Link"] = _next_link(request, base64.urlsafe_b64encode(after.encode()).decode())
    return OrjsonResponse(found, headers=headers)


@router.get("/queries/{name}", summary="A named query 命名查询定义")
def get_query(name: str, conn: ReadConn, principal: Reader) -> Response:
    del principal
    return OrjsonResponse(named.get_query(conn, name))


@router.delete("/queries/{name}", status_code=204, summary="Delete a named query 删除命名查询")
def delete_query(name: str, conn: WriteConn, principal: Admin) -> Response:
    del principal  # a named query is shared (and its subscriptions with it): only an admin deletes
    named.delete_query(conn, name)
    return Response(status_code=204)


@router.get("/queries/{name}/events", summary="Run a named query 执行命名查询")
def run_named(
    name: str, request: Request, conn: ReadConn, settings: SettingsDep, principal: Reader
) -> Response:
    extra = [k for k in request.query_params if k not in _PAGING]
    if extra:
        raise params.bad(
            extra[0],
            "命名查询的条件已固定,只接受 perPage 与 nextPageToken",
            "a named query takes only perPage and nextPageToken",
        )
    query = named.query_of(conn, name)
    return run_events(
        request, conn, settings, principal, scope=f"queries/{name}", query=query, query_name=name
    )


async def _json_body(request: Request) -> Any:
    try:
        return orjson.loads(await request.body())
    except orjson.JSONDecodeError as exc:
        raise QueryParameterError(
            f"请求体不是有效的 JSON:{exc}", f"the body is not valid JSON: {exc}"
        ) from exc


# ------------------------------------------------------------------------------ master data

_MASTER_KINDS = {"locations": "location", "parties": "party"}


@router.post("/masterdata/{kind}", summary="Capture location or party master data 采集地点/主体主数据")
async def capture_master(kind: str, request: Request, conn: WriteConn, principal: Admin) -> Response:
    del principal  # master data describes every subject's places: kept by the platform admin
    stored = masterdata.capture_master_data(conn, _master_kind(kind), await _json_body(request))
    return OrjsonResponse({"stored": stored})


@router.get("/masterdata/{kind}", summary="Location or party master data 地点/主体主数据列表")
def list_master(
    kind: str, request: Request, conn: ReadConn, settings: SettingsDep, principal: Reader
) -> Response:
    found, after = masterdata.list_master_data(
        conn,
        _master_kind(kind),
        after=_cursor(request),
        limit=per_page(request, settings),
        visibility=master_visibility(principal),
    )
    headers = {}
    if after is not None:
        headers["Link"] = _next_link(request, base64.urlsafe_b64encode(after.encode()).decode())
    return OrjsonResponse(found, headers=headers)


@router.get("/masterdata/{kind}/{ident:path}", summary="One master data record 单条主数据")
def get_master(kind: str, ident: str, conn: ReadConn, principal: Reader) -> Response:
    found = masterdata.get_master_data(
        conn, _master_kind(kind), ident, visibility=master_visibility(principal)
    )
    return OrjsonResponse(found)


def _master_kind(kind: str) -> str:
    if kind not in _MASTER_KINDS:
        raise NotFound(
            f"没有主数据类别 {kind}(可用 locations、parties)",
            f"no master data kind {kind} (locations, parties)",
        )
    return _MASTER_KINDS[kind]
