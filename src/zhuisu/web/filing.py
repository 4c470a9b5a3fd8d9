"""The enterprise area's start page and the filing form (备案) of the user's own subject.

The form carries the fields of ``subjects.schemas.FilingInput`` (上海办法 Art.12 e-file; the IPT
节点备案 form); validation is the service's own, and each problem is shown next to its field.
An enterprise account is bound to one subject (access.principals), so it files only that one.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from zhuisu.domain.problem import Problem
from zhuisu.errors import NotFound, ValidationFailed, ZhuisuError
from zhuisu.subjects import service
from zhuisu.subjects.schemas import FilingInput, parse
from zhuisu.web.deps import MemberPage, enterprise_key, reading, writing
from zhuisu.web.forms import place_problems, text_fields
from zhuisu.web.names import FILING_STATUS, NODE_TYPES, SUBJECT_TYPES
from zhuisu.web.rendering import Page

router = APIRouter(include_in_schema=False)

#: (field, Chinese label, required, input type) in the order of the paper filing form
FIELDS: tuple[tuple[str, str, bool, str], ...] = (
    ("uscc", "统一社会信用代码", True, "text"),
    ("name", "主体名称", True, "text"),
    ("legal_rep", "法定代表人", False, "text"),
    ("region", "行政区划代码", True, "text"),
    ("address", "地址", False, "text"),
    ("contact_name", "联系人", False, "text"),
    ("contact_phone", "联系电话", False, "tel"),
    ("business_scope", "经营范围", False, "textarea"),
)
ALIASES = {name: name for name, *_ in FIELDS} | {"subject_type": "subject_type", "node_types": "node_types"}


def not_enterprise(page: Page) -> HTMLResponse:
    return page.render("my/not_enterprise.html", status=403)


def current_subject(page: Page, key: str) -> dict[str, Any] | None:
    with reading(page.request) as conn:
        try:
            return service.get_subject(conn, key)
        except NotFound:
            return None


@router.get("/my", response_class=HTMLResponse)
def dashboard(page: MemberPage) -> HTMLResponse:
    key = enterprise_key(page)
    if key is None:
        return not_enterprise(page)
    return page.render("my/index.html", key=key, subject=current_subject(page, key), statuses=FILING_STATUS)


def _render(page: Page, key: str, values: dict[str, Any], status: int = 200, **extra: Any) -> HTMLResponse:
    return page.render(
        "my/filing.html",
        status=status,
        key=key,
        fields=FIELDS,
        values=values,
        subject_types=SUBJECT_TYPES,
        node_types=NODE_TYPES,
        statuses=FILING_STATUS,
        subject=current_subject(page, key),
        **extra,
    )


@router.get("/my/filing", response_class=HTMLResponse)
def filing_form(page: MemberPage) -> HTMLResponse:
    key = enterprise_key(page)
    if key is None:
        return not_enterprise(page)
    subject = current_subject(page, key)
    values: dict[str, Any] = dict(subject or {}) | {"uscc": key}
    return _render(page, key, values)


def _filing_data(form_values: dict[str, str], node_types: list[str], key: str) -> FilingInput:
    data: dict[str, Any] = {k: v for k, v in form_values.items() if k in ALIASES}
    data["node_types"] = node_types
    if data.get("uscc", "").upper() != key.upper():
        raise ValidationFailed(
            "备案数据无效",
            "the filing data is invalid",
            problems=[
                Problem(
                    None,
                    "$.uscc",
                    "web.other_subject",
                    f"本账号只能为主体 {key} 备案",
                    f"this account files for subject {key} only",
                )
            ],
        )
    return parse(FilingInput, data)


@router.post("/my/filing", response_class=HTMLResponse)
async def file_subject(page: MemberPage) -> HTMLResponse:
    key = enterprise_key(page)
    if key is None:
        return not_enterprise(page)
    form = await page.request.form()
    values, node_types = text_fields(form), [str(v) for v in form.getlist("node_types")]
    try:
        with writing(page.request) as conn:
            result = service.file_subject(conn, _filing_data(values, node_types, key), actor=page.viewer.name)
    except ZhuisuError as exc:
        placed = place_problems(exc.problems, ALIASES)
        shown = values | {"node_types": node_types}
        return _render(page, key, shown, status=exc.status, error=exc, placed=placed)
    return _render(page, key, result.subject, filed=result)
