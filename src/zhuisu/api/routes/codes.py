"""Trace-code issuance (赋码) and labels: requests and their review, code status, voiding, labels.

Each route parses, calls one service function of ``zhuisu.subjects`` and renders; the request owns
the transaction. Codes in paths may be in any spelling (a GS1 Digital Link contains slashes, so
the ``{code:path}`` routes here are mounted before the catch-all identify route of ``subjects``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from zhuisu.api.deps import ReadConn, SettingsDep, WriteConn, signed_in, supervisor
from zhuisu.subjects import issuance, labels
from zhuisu.subjects.issuance import RequestStatus
from zhuisu.subjects.labels import Format, Symbol
from zhuisu.subjects.schemas import CodeRequestInput

# who may call (issue 3): any credential, or only an admin or regulator for reviews and approvals
_SIGNED_IN = [Depends(signed_in)]
_SUPERVISOR = [Depends(supervisor)]

router = APIRouter(tags=["codes 赋码与标签"])


class ReasonInput(BaseModel):
    reason: str = Field(min_length=1, max_length=1000)


@router.post(
    "/code-requests",
    summary="Request a block of trace codes 赋码申请",
    status_code=201,
    dependencies=_SIGNED_IN,
)
def request_codes(
    body: CodeRequestInput, conn: WriteConn, settings: SettingsDep, response: Response
) -> dict[str, Any]:
    doc = issuance.request_codes(
        conn, body, auto_approve=settings.codes_auto_approve, max_count=settings.codes_max_per_request
    )
    response.headers["Location"] = f"/code-requests/{doc['id']}"
    return doc


@router.get("/code-requests", summary="List code requests 赋码申请列表", dependencies=_SIGNED_IN)
def list_requests(
    conn: ReadConn,
    subject: Annotated[str | None, Query(max_length=18, description="USCC of the subject")] = None,
    status: RequestStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[dict[str, Any]]:
    return issuance.list_requests(conn, subject=subject, status=status, limit=limit, offset=offset)


@router.get("/code-requests/{request_id}", summary="One code request 赋码申请详情", dependencies=_SIGNED_IN)
def get_request(request_id: int, conn: ReadConn) -> dict[str, Any]:
    return issuance.get_request(conn, request_id)


@router.post(
    "/code-requests/{request_id}/approve",
    summary="Approve and issue the codes 审核通过并发放",
    dependencies=_SUPERVISOR,
)
def approve(request_id: int, conn: WriteConn) -> dict[str, Any]:
    return issuance.approve_request(conn, request_id)


@router.post(
    "/code-requests/{request_id}/reject", summary="Reject a code request 驳回", dependencies=_SUPERVISOR
)
def reject(request_id: int, body: ReasonInput, conn: WriteConn) -> dict[str, Any]:
    return issuance.reject_request(conn, request_id, body.reason)


class SheetKind(StrEnum):
    PDF = "pdf"
    HTML = "html"


SymbolQuery = Annotated[Symbol, Query(description="qr | datamatrix | gs1-128 | code128")]


@router.get(
    "/code-requests/{request_id}/labels.{kind}",
    summary="A printable sheet of a request's labels (PDF or HTML) 标签打印页",
    response_class=Response,
    dependencies=_SIGNED_IN,
)
def labels_sheet(
    request_id: int,
    kind: SheetKind,
    conn: ReadConn,
    settings: SettingsDep,
    symbol: SymbolQuery = Symbol.QR,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    sheet = labels.request_sheet(
        conn,
        request_id,
        symbol=symbol,
        base_url=settings.base_url,
        dl_host=settings.labels_digital_link_host,
        limit=limit,
        offset=offset,
        pdf=kind is SheetKind.PDF,
    )
    return Response(sheet.content, media_type=sheet.media_type)


@router.get(
    "/codes/{code:path}/status", summary="State of an issued code 追溯码状态", dependencies=_SIGNED_IN
)
def code_status(code: str, conn: ReadConn) -> dict[str, Any]:
    return issuance.code_status(conn, code)


@router.post("/codes/{code:path}/void", summary="Void an issued code 作废追溯码", dependencies=_SIGNED_IN)
def void_code(code: str, body: ReasonInput, conn: WriteConn) -> dict[str, Any]:
    return issuance.void_code(conn, code, body.reason)


@router.get(
    "/codes/{code:path}/label.{fmt}",
    summary="The label symbol of an issued code (SVG or PNG) 追溯码标签",
    response_class=Response,
    dependencies=_SIGNED_IN,
)
def code_label(
    code: str, fmt: Format, conn: ReadConn, settings: SettingsDep, symbol: SymbolQuery = Symbol.QR
) -> Response:
    rendered = labels.code_label(
        conn,
        code,
        symbol=symbol,
        fmt=fmt,
        base_url=settings.base_url,
        dl_host=settings.labels_digital_link_host,
    )
    return Response(rendered.content, media_type=rendered.media_type)
