"""Integrity findings (GET /findings, POST /checks/run) and recall scope (POST /recall/scope)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from zhuisu.access.visibility import visibility, visibility_clause
from zhuisu.api.deps import ReadConn, Reader, SettingsDep, Supervisor, WriteConn
from zhuisu.chain.checks import list_findings, now_us, parse_time, run_checks
from zhuisu.chain.findings import check_options
from zhuisu.chain.recall import MAX_IDENTIFIERS, failed_test_scope, recall_scope
from zhuisu.chain.recall_report import ReportInfo, scope_pdf, scope_workbook
from zhuisu.query.documents import query_document
from zhuisu.query.service import events_by_ids

router = APIRouter(tags=["integrity 完整性 / recall 召回"])


@router.get("/findings", summary="Integrity findings of the trace chain 链条完整性问题")
def get_findings(
    conn: ReadConn,
    principal: Reader,
    kind: Annotated[str | None, Query(description="A kind or a family: chain_break, quantity …")] = None,
    identifier: Annotated[str | None, Query(description="A lot, trace code, voucher or eventID")] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> dict[str, Any]:
    # a finding is shown only when the reader may see every event it names (issue 3)
    findings = list_findings(
        conn, kind=kind, identifier=identifier, limit=limit, visibility=visibility_clause(principal)
    )
    return {"findings": [f.to_json() for f in findings]}


@router.post("/checks/run", summary="Run the integrity checks over a time window 运行完整性检查")
def post_checks_run(
    conn: WriteConn,
    principal: Supervisor,
    settings: SettingsDep,
    since: Annotated[str, Query(description="ISO 8601 start of the window (eventTime)")],
    until: Annotated[str | None, Query(description="ISO 8601 end of the window (default: now)")] = None,
) -> dict[str, Any]:
    options = check_options(settings)
    del principal
    now = now_us()
    end = parse_time(until) if until else now
    return run_checks(conn, since_us=parse_time(since), until_us=end, now_us=now, options=options).to_json()


class RecallRequest(BaseModel):
    identifiers: list[str] = Field(min_length=1, max_length=MAX_IDENTIFIERS)
    since: str | None = None
    until: str | None = None


@router.post("/recall/scope", summary="Recall scope: affected lots and holders 召回范围")
def post_recall_scope(body: RecallRequest, conn: ReadConn, principal: Supervisor) -> dict[str, Any]:
    """Every downstream lot / item and every holder with what it received, sold on and still holds.
    Admins and regulators only: a recall crosses enterprises by nature."""
    del principal
    since = parse_time(body.since) if body.since else None
    until = parse_time(body.until) if body.until else None
    return recall_scope(conn, body.identifiers, since_us=since, until_us=until).to_json()


class StopTradingRequest(BaseModel):
    # the EPCIS spelling on the wire, as in every other body of the API
    event_id: str = Field(
        alias="eventID", min_length=1, max_length=2000, description="The failed inspection (non_conformant)"
    )
    since: str | None = None
    until: str | None = None


@router.post("/recall/stop-trading", summary="Stop-trading list of a failed test 不合格检测的停止交易名单")
def post_stop_trading(body: StopTradingRequest, conn: ReadConn, principal: Supervisor) -> dict[str, Any]:
    """The recall scope of what a failed inspection tested: every downstream holder the
    stop-trading instruction goes to (检测不合格 → 向下游各环节发送中止交易的指令), with what it
    received, sold on and still holds. Admins and regulators only."""
    del principal
    since = parse_time(body.since) if body.since else None
    until = parse_time(body.until) if body.until else None
    test, scope = failed_test_scope(conn, body.event_id, since_us=since, until_us=until)
    return {"failedTest": test.to_json(), **scope.to_json()}


class ReportFormat(StrEnum):
    XLSX = "xlsx"
    PDF = "pdf"
    EPCIS = "epcis"


_REPORT_MEDIA = {
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportFormat.PDF: "application/pdf",
    ReportFormat.EPCIS: "application/ld+json",
}


@router.post(
    "/recall/report",
    summary="Recall scope as a file: Excel, PDF report, or EPCIS document 召回范围报告",
    response_class=Response,
    responses={200: {"content": {media: {} for media in _REPORT_MEDIA.values()}}},
)
def post_recall_report(
    body: RecallRequest,
    conn: ReadConn,
    principal: Supervisor,
    format: Annotated[ReportFormat, Query(description="xlsx | pdf | epcis")] = ReportFormat.PDF,
) -> Response:
    """The scope for people (a workbook, a PDF with the chain drawn, for the stop-trading
    instruction) or for other platforms (an EPCISQueryDocument of the affected events the reader
    may see, in time order)."""
    since = parse_time(body.since) if body.since else None
    until = parse_time(body.until) if body.until else None
    scope = recall_scope(conn, body.identifiers, since_us=since, until_us=until)
    if format is ReportFormat.XLSX:
        content = scope_workbook(scope)
    elif format is ReportFormat.PDF:
        content = scope_pdf(scope, ReportInfo(made_us=now_us()))
    else:
        rows = events_by_ids(conn, scope.events, visibility=visibility(principal))
        content = query_document(rows, query_name="RecallScope")
    disposition = (
        f'attachment; filename="recall-scope.{"jsonld" if format is ReportFormat.EPCIS else format}"'
    )
    return Response(content, media_type=_REPORT_MEDIA[format], headers={"Content-Disposition": disposition})
