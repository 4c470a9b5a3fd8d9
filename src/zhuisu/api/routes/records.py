"""Chinese trace records: templates, the record API and file import.

``GET /templates``, ``GET /templates/{step}``, ``GET /templates/{step}.xlsx`` describe the lifecycle
templates; ``POST /records`` takes one record or a list, ``POST /records/import`` a CSV / Excel
file; ``POST /catalogs/{kind}`` and ``GET /catalogs/{kind}/{region}`` keep the trace catalogs.
Each route parses, calls one service function of ``zhuisu.capture.records`` and renders.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile
from pydantic import BaseModel, Field

from zhuisu.access.capture_rights import authorize_stored, require_capture_role
from zhuisu.api.deps import PrincipalDep, ReadConn, SettingsDep, Supervisor, WriteConn, read_body
from zhuisu.capture import records as service
from zhuisu.capture.imports import XLSX_MEDIA_TYPE
from zhuisu.errors import PayloadTooLarge, ValidationFailed

router = APIRouter(tags=["records 追溯记录"])

KeepGood = Annotated[bool, Query(description="Store the valid records even if others are bad 保留有效记录")]


@router.get("/templates", summary="Categories and lifecycle templates 品类与生命周期模板")
def list_templates() -> dict[str, Any]:
    return service.templates_document()


@router.get("/templates/{step_id}.xlsx", summary="Import workbook of a step 导入模板下载")
def step_workbook(step_id: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{step_id}.xlsx"'}
    return Response(service.step_workbook(step_id), media_type=XLSX_MEDIA_TYPE, headers=headers)


@router.get("/templates/{step_id}", summary="One template step and its fields 模板环节")
def get_step(step_id: str) -> dict[str, Any]:
    return service.step_document(step_id)


@router.post("/records", summary="Submit trace records 上报追溯记录", status_code=201)
async def post_records(
    request: Request,
    settings: SettingsDep,
    conn: WriteConn,
    response: Response,
    principal: PrincipalDep,
    keep_good_rows: KeepGood = False,
) -> dict[str, Any]:
    require_capture_role(principal)
    payload = _json(await read_body(request, settings.capture_file_size_limit))
    result = service.submit(conn, payload, keep_good=keep_good_rows)
    authorize_stored(conn, principal, _created(result))
    response.status_code = 201 if result.inserted else 200
    return result.as_dict()


@router.post("/records/import", summary="Import a CSV / Excel file of records 导入记录文件")
async def import_records(
    settings: SettingsDep,
    conn: WriteConn,
    response: Response,
    principal: PrincipalDep,
    file: Annotated[UploadFile, File(description="CSV (UTF-8 / GBK) or .xlsx")],
    step: Annotated[str | None, Form(description="Template step, e.g. pork.wholesale.entry")] = None,
    keep_good_rows: KeepGood = False,
) -> dict[str, Any]:
    require_capture_role(principal)
    data = await file.read(settings.capture_file_size_limit + 1)
    if len(data) > settings.capture_file_size_limit:
        raise PayloadTooLarge(
            f"文件超过上限 {settings.capture_file_size_limit} 字节",
            f"the file is over the limit of {settings.capture_file_size_limit} bytes",
        )
    result = service.import_file(conn, data, filename=file.filename, step=step, keep_good=keep_good_rows)
    authorize_stored(conn, principal, _created(result))
    response.status_code = 201 if result.inserted else 200
    return result.as_dict()


def _created(result: service.RecordsResult) -> list[tuple[int, str]]:
    """(record index, eventID) of the events this request stored (checked by access control)."""
    return [(r.index, r.event_id) for r in result.records if r.status == "created" and r.event_id]


class CatalogItem(BaseModel):
    category: str = Field(max_length=32)
    subclass: str = Field(max_length=100)
    variety: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, max_length=1000)


class CatalogBody(BaseModel):
    region: str = Field(pattern=r"^\d{6}$", description="GB/T 2260 region code")
    title: str = Field(min_length=1, max_length=200)
    items: list[CatalogItem]
    published_by: str | None = Field(default=None, max_length=128)


@router.post("/catalogs/{kind}", summary="Publish a trace catalog version 发布追溯产品目录", status_code=201)
def publish_catalog(kind: str, body: CatalogBody, conn: WriteConn, principal: Supervisor) -> dict[str, Any]:
    del principal  # catalogs are published by the authorities (admin or regulator)
    data = service.CatalogInput(
        kind, body.region, body.title, [i.model_dump() for i in body.items], body.published_by
    )
    return _catalog(service.publish_catalog(conn, data))


@router.get("/catalogs/{kind}/{region}", summary="A trace catalog 追溯产品目录")
def get_catalog(
    kind: str, region: str, conn: ReadConn, version: Annotated[int | None, Query(ge=1)] = None
) -> dict[str, Any]:
    return _catalog(service.get_catalog(conn, kind, region, version))


def _catalog(row: Any) -> dict[str, Any]:
    return {
        "kind": row.kind,
        "region": row.region,
        "version": row.version,
        "title": row.title,
        "publishedBy": row.published_by,
        "items": [
            {"category": i.category, "subclass": i.subclass, "variety": i.variety, "note": i.note}
            for i in row.items
        ],
    }


def _json(data: bytes) -> Any:
    import orjson

    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise ValidationFailed("请求体不是有效的 JSON", f"the body is not valid JSON: {exc}") from None
