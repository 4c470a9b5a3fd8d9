"""Recording a step (上报追溯记录) through a form generated from the step's template.

The user picks a lifecycle template (by category) and one of its steps; the form then lists the
step's fields (domain.templates: Chinese label, required mark, a drop-down for choices, an
example as placeholder). Submitting goes through ``capture.records.submit`` — the same checks,
conversion to EPCIS events and de-duplication as ``POST /records`` — and shows the eventIDs.
Without JavaScript the pickers are plain GET forms; htmx swaps only the form area. The stored
events pass the same capture-rights check as the API's (access.capture_rights.authorize_stored).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from zhuisu.access.capture_rights import authorize_stored
from zhuisu.capture import records
from zhuisu.domain.templates import CATEGORIES, STEPS, TEMPLATES, Step, ValueKind
from zhuisu.errors import ZhuisuError
from zhuisu.web.deps import MemberPage, enterprise_key, writing
from zhuisu.web.filing import not_enterprise
from zhuisu.web.forms import place_problems, text_fields
from zhuisu.web.rendering import Page

router = APIRouter(include_in_schema=False)


def choices(template_id: str | None, step_id: str | None) -> dict[str, Any]:
    """The pickers' state: the templates by category, the chosen template's steps, the chosen step."""
    step = STEPS.get(step_id or "")
    template = TEMPLATES.get(template_id or "") or (TEMPLATES.get(step.template) if step else None)
    if step is not None and template is not None and step.template != template.id:
        step = None
    groups = [(c, [TEMPLATES[t] for t in c.templates]) for c in CATEGORIES if c.templates]
    return {"groups": groups, "template": template, "step": step}


def aliases(step: Step) -> dict[str, str]:
    """Every name a problem may use for a field of ``step`` (key, Chinese name) → the field key."""
    out: dict[str, str] = {}
    for sf in step.fields:
        out[sf.field.key] = out[sf.field.zh] = sf.field.key
    return out


def record_of(step: Step, values: dict[str, str], key: str) -> dict[str, Any]:
    """The record ``POST /records`` would take: the step and the filled fields of the form; the
    responsible subject is the user's own (an account records for the subject it is bound to)."""
    record: dict[str, Any] = {"step": step.id}
    for sf in step.fields:
        value = values.get(sf.field.key)
        if value:
            # <input type="datetime-local"> sends 2026-05-01T08:30: a naive time, read as CST
            record[sf.field.key] = value.replace("T", " ") if sf.field.kind is ValueKind.DATE_TIME else value
    if step.field("subject") is not None:
        record["subject"] = key
    return record


def created(result: records.RecordsResult) -> list[tuple[int, str]]:
    """(record index, eventID) of the events a submission stored, for the capture-rights check."""
    return [(r.index, r.event_id) for r in result.records if r.status == "created" and r.event_id]


def _render(page: Page, key: str, picked: dict[str, Any], status: int = 200, **extra: Any) -> HTMLResponse:
    return page.render("my/record.html", status=status, key=key, kinds=ValueKind, **picked, **extra)


@router.get("/my/record", response_class=HTMLResponse)
def record_form(page: MemberPage, template: str | None = None, step: str | None = None) -> HTMLResponse:
    key = enterprise_key(page)
    if key is None:
        return not_enterprise(page)
    return _render(page, key, choices(template, step), values={"subject": key})


@router.post("/my/record", response_class=HTMLResponse)
async def record_step(page: MemberPage) -> HTMLResponse:
    key = enterprise_key(page)
    if key is None:
        return not_enterprise(page)
    values = text_fields(await page.request.form())
    picked = choices(None, values.get("step"))
    step: Step | None = picked["step"]
    if step is None:
        return _render(page, key, picked, status=400, values={"subject": key}, no_step=True)
    try:
        with writing(page.request) as conn:
            result = records.submit(conn, record_of(step, values, key))
            # the API's rule (issue 3): an account stores only events of its own subject; a 403
            # rolls the transaction back, and the events are marked as captured by the account
            authorize_stored(conn, page.viewer, created(result))
    except ZhuisuError as exc:
        placed = place_problems(exc.problems, aliases(step))
        return _render(page, key, picked, status=exc.status, values=values, error=exc, placed=placed)
    return _render(page, key, picked, values={"subject": key}, result=result)
