"""POST /capture, GET /capture, GET /capture/{captureID} (EPCIS 2.0 REST bindings, capture interface)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Header, Request, Response
from fastapi.responses import JSONResponse

from zhuisu.access.capture_rights import authorize_capture, require_capture_role
from zhuisu.access.principals import Role
from zhuisu.api.deps import EngineDep, PrincipalDep, ReadConn, SettingsDep, SignedIn, WriteConn, read_body
from zhuisu.capture import jobs
from zhuisu.capture.service import ErrorBehaviour
from zhuisu.errors import NotFound, ValidationFailed
from zhuisu.settings import Settings
from zhuisu.store.engine import read_connection

router = APIRouter(tags=["capture 采集"])


def limit_headers(settings: Settings) -> dict[str, str]:
    return {
        "GS1-EPCIS-Capture-Limit": str(settings.capture_limit),
        "GS1-EPCIS-Capture-File-Size-Limit": str(settings.capture_file_size_limit),
    }


def error_behaviour(value: str | None) -> ErrorBehaviour:
    try:
        return ErrorBehaviour((value or "rollback").lower())
    except ValueError:
        raise ValidationFailed(
            f"GS1-Capture-Error-Behaviour 的值 {value!r} 无效,应为 rollback 或 proceed",
            f"invalid GS1-Capture-Error-Behaviour {value!r}: use rollback or proceed",
        ) from None


@router.post(
    "/capture",
    status_code=202,
    summary="Capture an EPCIS document 异步采集 EPCIS 文档",
    responses={
        202: {"description": "Accepted; follow Location for the capture job"},
        400: {"description": "Not parseable"},
        401: {"description": "No (valid) API key"},
        403: {"description": "A regulator's key, or events naming other subjects (which event, which field)"},
        413: {"description": "Over the capture limits"},
        415: {"description": "Unsupported media type"},
    },
)
async def post_capture(
    request: Request,
    background: BackgroundTasks,
    settings: SettingsDep,
    engine: EngineDep,
    principal: PrincipalDep,
    gs1_capture_error_behaviour: Annotated[str | None, Header()] = None,
) -> Response:
    require_capture_role(principal)
    behaviour = error_behaviour(gs1_capture_error_behaviour)
    data = await read_body(request, settings.capture_file_size_limit)
    doc = jobs.accept(
        data,
        request.headers.get("content-type"),
        capture_limit=settings.capture_limit,
        size_limit=settings.capture_file_size_limit,
    )
    with read_connection(engine) as conn:  # checked before anything is stored (issue 3)
        capturer = authorize_capture(conn, principal, doc.events, doc.event_paths)
    job = jobs.start(engine, error_behaviour=behaviour, doc=doc, principal=principal.name)
    background.add_task(
        jobs.run_job, engine, job, doc, batch_size=settings.capture_batch_size, capturer=capturer
    )
    headers = {"Location": f"/capture/{job.id}", **limit_headers(settings)}
    return Response(status_code=202, headers=headers)


@router.options("/capture", status_code=204, summary="Capture limits 采集上限")
def options_capture(settings: SettingsDep) -> Response:
    return Response(status_code=204, headers={"Allow": "GET, POST, OPTIONS", **limit_headers(settings)})


@router.get("/capture", summary="List capture jobs 采集任务列表")
def list_capture_jobs(conn: ReadConn, settings: SettingsDep, principal: SignedIn) -> JSONResponse:
    # an admin sees every job; anyone else the jobs it started
    mine = None if principal.role is Role.ADMIN else principal.name
    docs = [jobs.job_document(job) for job in jobs.list_jobs(conn, principal=mine)]
    return JSONResponse(docs, headers=limit_headers(settings))


@router.get("/capture/{capture_id}", summary="One capture job 采集任务状态")
def get_capture_job(capture_id: str, conn: ReadConn, principal: SignedIn) -> dict[str, Any]:
    job = jobs.get_job(conn, capture_id)
    if job is None or (principal.role is not Role.ADMIN and job.principal != principal.name):
        raise NotFound(f"没有编号为 {capture_id} 的采集任务", f"no capture job {capture_id}")
    return jobs.job_document(job)


@router.options("/capture/{capture_id}", status_code=204, summary="Capture job options")
def options_capture_job(capture_id: str) -> Response:
    return Response(status_code=204, headers={"Allow": "GET, OPTIONS"})


__all__ = ["WriteConn", "router"]
