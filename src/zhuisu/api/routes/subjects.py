"""Subjects (追溯主体) and their filing (备案), nodes, operators, qualifications; code identification.

Each route parses, calls one service function of ``zhuisu.subjects`` and renders; the request owns
the transaction. Until authentication arrives, audit entries written through the API carry no actor.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from zhuisu.api.deps import ReadConn, WriteConn, signed_in, supervisor
from zhuisu.subjects import service
from zhuisu.subjects.codes import check_code
from zhuisu.subjects.rules import Status
from zhuisu.subjects.schemas import ChangeInput, FilingInput, NodeInput, OperatorInput, QualificationInput

# who may call (issue 3): any credential, or only an admin or regulator for reviews and approvals
_SIGNED_IN = [Depends(signed_in)]
_SUPERVISOR = [Depends(supervisor)]

router = APIRouter(tags=["subjects 主体备案"])


class ReasonInput(BaseModel):
    reason: str = Field(min_length=1, max_length=1000)


@router.post("/subjects", summary="File a subject 主体备案", status_code=201, dependencies=_SIGNED_IN)
def file_subject(body: FilingInput, conn: WriteConn, response: Response) -> dict[str, Any]:
    result = service.file_subject(conn, body)
    response.status_code = 201 if result.created else 200
    response.headers["Location"] = f"/subjects/{result.subject['key']}"
    return result.subject


@router.get("/subjects", summary="List subjects 主体列表", dependencies=_SIGNED_IN)
def list_subjects(
    conn: ReadConn,
    status: Status | None = None,
    region: Annotated[str | None, Query(pattern=r"^\d{2,6}$", description="GB/T 2260 code prefix")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[dict[str, Any]]:
    return service.list_subjects(conn, status=status, region=region, limit=limit, offset=offset)


@router.get(
    "/subjects/{key}",
    summary="One subject with nodes, licences, filings, audit 主体详情",
    dependencies=_SIGNED_IN,
)
def get_subject(key: str, conn: ReadConn) -> dict[str, Any]:
    return service.get_subject(conn, key)


@router.post(
    "/subjects/{key}/approve", summary="Approve the pending filing 审核通过", dependencies=_SUPERVISOR
)
def approve(key: str, conn: WriteConn) -> dict[str, Any]:
    return service.approve(conn, key)


@router.post("/subjects/{key}/reject", summary="Reject the pending filing 驳回", dependencies=_SUPERVISOR)
def reject(key: str, body: ReasonInput, conn: WriteConn) -> dict[str, Any]:
    return service.reject(conn, key, body.reason)


@router.post("/subjects/{key}/revoke", summary="Revoke a filed subject 注销", dependencies=_SUPERVISOR)
def revoke(key: str, body: ReasonInput, conn: WriteConn) -> dict[str, Any]:
    return service.revoke(conn, key, body.reason)


@router.patch("/subjects/{key}", summary="File a change for re-review 变更备案", dependencies=_SIGNED_IN)
def change(key: str, body: ChangeInput, conn: WriteConn) -> dict[str, Any]:
    result = service.change(conn, key, body)
    return {**result.subject, "late": result.late}


@router.post(
    "/subjects/{key}/nodes",
    summary="Add a node (code allocated) 新增节点",
    status_code=201,
    dependencies=_SIGNED_IN,
)
def add_node(key: str, body: NodeInput, conn: WriteConn) -> dict[str, Any]:
    return service.add_node(conn, key, body)


@router.post(
    "/subjects/{key}/nodes/{node_code}/operators",
    summary="Add an operator to a node 新增经营者",
    status_code=201,
    dependencies=_SIGNED_IN,
)
def add_operator(key: str, node_code: str, body: OperatorInput, conn: WriteConn) -> dict[str, Any]:
    return service.add_operator(conn, key, node_code, body)


@router.post(
    "/subjects/{key}/qualifications",
    summary="Add a licence 登记资质",
    status_code=201,
    dependencies=_SIGNED_IN,
)
def add_qualification(key: str, body: QualificationInput, conn: WriteConn) -> dict[str, Any]:
    return service.add_qualification(conn, key, body)


@router.get("/qualifications/expiring", summary="Licences expiring soon 资质到期", dependencies=_SIGNED_IN)
def expiring(conn: ReadConn, within_days: Annotated[int, Query(ge=0, le=3650)] = 30) -> list[dict[str, Any]]:
    return service.expiring_qualifications(conn, within_days)


@router.get(
    "/filings/late", summary="Changes filed after the 2-day deadline 逾期变更", dependencies=_SIGNED_IN
)
def late_changes(conn: ReadConn) -> list[dict[str, Any]]:
    return service.late_changes(conn)


@router.get("/codes/{code:path}", summary="Identify a code 识别编码")
def identify_code(code: str, scheme: str | None = None) -> dict[str, Any]:
    return check_code(code, scheme=scheme).as_dict()
