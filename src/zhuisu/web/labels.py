"""Trace codes and labels for the user's subject: apply for codes (赋码申请), print a label sheet.

A request goes through ``subjects.issuance.request_codes`` (issued at once when the deployment
auto-approves, else after a regulator's review); an issued request's labels come as a printable
PDF sheet (subjects.labels: QR codes carrying this platform's /t/{code} address, CJK font).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from zhuisu.errors import NotFound, ZhuisuError
from zhuisu.subjects import issuance
from zhuisu.subjects import labels as label_service
from zhuisu.subjects.schemas import CodeRequestInput, parse
from zhuisu.web.deps import MemberPage, enterprise_key, reading, settings_of, writing
from zhuisu.web.filing import not_enterprise
from zhuisu.web.forms import place_problems, text_fields
from zhuisu.web.names import CODE_SCHEMES, CODE_STATUS
from zhuisu.web.rendering import Page

router = APIRouter(include_in_schema=False)

FIELDS = ("scheme", "count", "product_name", "category", "gtin", "operator_code")
ALIASES = {name: name for name in FIELDS}


def _render(page: Page, key: str, status: int = 200, **extra: Any) -> HTMLResponse:
    with reading(page.request) as conn:
        requests = issuance.list_requests(conn, subject=key, limit=50)
    return page.render(
        "my/labels.html",
        status=status,
        key=key,
        requests=requests,
        schemes=CODE_SCHEMES,
        code_status=CODE_STATUS,
        **extra,
    )


@router.get("/my/labels", response_class=HTMLResponse)
def labels_page(page: MemberPage) -> HTMLResponse:
    key = enterprise_key(page)
    if key is None:
        return not_enterprise(page)
    return _render(page, key, values={"scheme": "zhuisu.platform", "count": "10"})


@router.post("/my/labels", response_class=HTMLResponse)
async def request_codes(page: MemberPage) -> HTMLResponse:
    key = enterprise_key(page)
    if key is None:
        return not_enterprise(page)
    values = text_fields(await page.request.form())
    settings = settings_of(page.request)
    try:
        body = parse(CodeRequestInput, {k: v for k, v in values.items() if k in ALIASES} | {"subject": key})
        with writing(page.request) as conn:
            made = issuance.request_codes(
                conn,
                body,
                auto_approve=settings.codes_auto_approve,
                max_count=settings.codes_max_per_request,
                actor=page.viewer.name,
            )
    except ZhuisuError as exc:
        placed = place_problems(exc.problems, ALIASES)
        return _render(page, key, status=exc.status, values=values, error=exc, placed=placed)
    return _render(page, key, values={"scheme": values.get("scheme"), "count": "10"}, made=made)


@router.get("/my/labels/{request_id}.pdf", response_model=None)
def label_sheet(request_id: int, page: MemberPage) -> Response:
    key = enterprise_key(page)
    if key is None:
        return not_enterprise(page)
    settings = settings_of(page.request)
    try:
        with reading(page.request) as conn:
            if issuance.get_request(conn, request_id)["subject"] != key:
                raise NotFound(f"没有赋码申请 {request_id}", f"no code request {request_id}")
            sheet = label_service.request_sheet(
                conn,
                request_id,
                symbol=label_service.Symbol.QR,
                base_url=settings.base_url,
                dl_host=settings.labels_digital_link_host,
            )
    except ZhuisuError as exc:
        return _render(page, key, status=exc.status, values={"scheme": "zhuisu.platform"}, error=exc)
    headers = {"Content-Disposition": f'inline; filename="labels-{request_id}.pdf"'}
    return Response(sheet.content, media_type=sheet.media_type, headers=headers)
