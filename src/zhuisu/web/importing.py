"""Importing a CSV / Excel file of records (导入记录文件) and showing its report.

The file goes through ``capture.records.import_file`` (UTF-8, UTF-8 with BOM, GBK / GB18030, .xlsx;
rows numbered as a spreadsheet shows them); the report lists every bad row with its row number,
column and reason. Nothing of a file with errors is stored unless the user ticks "keep the good
rows"; re-importing a file adds nothing (records are de-duplicated by their event hash). Rows
naming another filed subject are refused as the API refuses them (access.capture_rights).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from starlette.datastructures import UploadFile

from zhuisu.access.capture_rights import authorize_stored
from zhuisu.capture import records
from zhuisu.domain.problem import Problem
from zhuisu.errors import PayloadTooLarge, ValidationFailed, ZhuisuError
from zhuisu.web.deps import MemberPage, enterprise_key, settings_of, writing
from zhuisu.web.filing import not_enterprise
from zhuisu.web.recording import choices, created
from zhuisu.web.rendering import Page

router = APIRouter(include_in_schema=False)


def _render(page: Page, key: str, step: str | None, status: int = 200, **extra: Any) -> HTMLResponse:
    return page.render("my/import.html", status=status, key=key, **choices(None, step), **extra)


def rows_of(problems: list[Problem]) -> list[Problem]:
    """Problems in row order (row-less ones, about the whole file, first)."""
    return sorted(problems, key=lambda p: (-1 if p.index is None else p.index, p.path))


async def _upload(page: Page) -> tuple[bytes, str | None, str | None, bool]:
    limit = settings_of(page.request).capture_file_size_limit
    async with page.request.form(max_part_size=limit) as form:  # closes the spooled upload after it
        upload, step = form.get("file"), str(form.get("step") or "").strip() or None
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise ValidationFailed("请选择要导入的文件", "choose a file to import")
        data = await upload.read(limit + 1)
        if len(data) > limit:
            raise PayloadTooLarge(
                f"文件超过上限 {limit} 字节", f"the file is over the limit of {limit} bytes"
            )
        return data, upload.filename, step, form.get("keep_good") == "on"


@router.get("/my/import", response_class=HTMLResponse)
def import_form(page: MemberPage, step: str | None = None) -> HTMLResponse:
    key = enterprise_key(page)
    if key is None:
        return not_enterprise(page)
    return _render(page, key, step)


@router.post("/my/import", response_class=HTMLResponse)
async def import_file(page: MemberPage) -> HTMLResponse:
    key = enterprise_key(page)
    if key is None:
        return not_enterprise(page)
    step: str | None = None
    try:
        data, filename, step, keep_good = await _upload(page)
        with writing(page.request) as conn:
            result = records.import_file(conn, data, filename=filename, step=step, keep_good=keep_good)
            authorize_stored(conn, page.viewer, created(result))  # own subject only, as in the API
    except ZhuisuError as exc:
        return _render(page, key, step, status=exc.status, error=exc, problems=rows_of(exc.problems))
    return _render(page, key, step, result=result, problems=rows_of(result.problems))
