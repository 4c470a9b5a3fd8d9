"""Location and party master data: capture (validated, identifiers canonicalised) and query.

EPCIS 2.0 §6.5 leaves master data to the repository; its one use in SimpleEventQuery is the
location hierarchy behind WD_readPoint / WD_bizLocation ("direct or indirect descendant …
specified by master data"). zhuisu keeps per location: names (Chinese, English), address, the
GB/T 2260 administrative division code of where it is (for regional supervision) and its parent
location; per party (a PGLN or other identifier): names, address, region code. Further CBV
master-data attributes (CBV 2.0 §10, ``cbvmda:…``) go in ``attributes`` unchanged.

The record format (JSON, camelCase) is zhuisu's own, documented in docs/api.md:
``{"id", "nameZh", "nameEn", "address", "regionCode", "parentID" (locations), "attributes"}``.
"""

from __future__ import annotations

import re
import time
from typing import Any

import orjson
from sqlalchemy import Connection

from zhuisu.domain import epc
from zhuisu.domain.problem import Problem
from zhuisu.errors import NotFound, ValidationFailed
from zhuisu.store import queries as store

KINDS = ("location", "party")
_REGION = re.compile(r"\d{6}")
_TEXT_FIELDS = {"nameZh": "name_zh", "nameEn": "name_en", "address": "address"}
_MAX_RECORDS = 10_000


def _problem(index: int, path: str, code: str, zh: str, en: str) -> Problem:
    return Problem(index, f"$[{index}].{path}" if path else f"$[{index}]", code, zh, en)


def _identifier(value: Any, index: int, path: str, problems: list[Problem]) -> str | None:
    if not isinstance(value, str) or not value.strip() or ":" not in value:
        problems.append(
            _problem(
                index,
                path,
                "masterdata.id",
                "应为 URI(SGLN、PGLN、GS1 数字链接等)",
                "must be a URI (SGLN, PGLN, GS1 Digital Link …)",
            )
        )
        return None
    try:
        return epc.canonical(value.strip())
    except ValueError as exc:
        problems.append(
            _problem(
                index,
                path,
                "identifier.invalid",
                f"标识符 {value!r} 无效:{exc}",
                f"invalid identifier {value!r}: {exc}",
            )
        )
        return None


def _record(kind: str, raw: Any, index: int, problems: list[Problem], now_us: int) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        problems.append(
            _problem(
                index,
                "",
                "masterdata.not_object",
                "每条主数据必须是 JSON 对象",
                "each record must be a JSON object",
            )
        )
        return None
    allowed = {"id", "attributes", "regionCode", *_TEXT_FIELDS} | (
        {"parentID"} if kind == "location" else set()
    )
    for key in raw:
        if key not in allowed:
            problems.append(
                _problem(index, key, "masterdata.unknown_field", f"未知字段 {key}", f"unknown field {key}")
            )
    before = len(problems)
    row: dict[str, Any] = {"id": _identifier(raw.get("id"), index, "id", problems), "updated_us": now_us}
    for key, column in _TEXT_FIELDS.items():
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            problems.append(_problem(index, key, "masterdata.type", "应为字符串", "must be a string"))
        row[column] = value
    region = raw.get("regionCode")
    if region is not None and not (isinstance(region, str) and _REGION.fullmatch(region)):
        problems.append(
            _problem(
                index,
                "regionCode",
                "masterdata.region_code",
                "应为 6 位 GB/T 2260 行政区划代码",
                "must be a 6-digit GB/T 2260 administrative division code",
            )
        )
    row["region_code"] = region
    attributes = raw.get("attributes")
    if attributes is not None and not isinstance(attributes, dict):
        problems.append(
            _problem(index, "attributes", "masterdata.type", "应为 JSON 对象", "must be a JSON object")
        )
    row["attributes"] = orjson.dumps(attributes).decode() if isinstance(attributes, dict) else None
    if kind == "location":
        parent = raw.get("parentID")
        row["parent_id"] = None if parent is None else _identifier(parent, index, "parentID", problems)
        if row["parent_id"] is not None and row["parent_id"] == row["id"]:
            problems.append(
                _problem(
                    index,
                    "parentID",
                    "masterdata.cycle",
                    "地点不能是自己的上级",
                    "a location cannot be its own parent",
                )
            )
    return row if len(problems) == before else None


def capture_master_data(conn: Connection, kind: str, records: Any) -> int:
    """Validate and store location or party records (one object or a list); all or nothing."""
    items = records if isinstance(records, list) else [records]
    if len(items) > _MAX_RECORDS:
        raise ValidationFailed(
            f"一次最多提交 {_MAX_RECORDS} 条主数据", f"at most {_MAX_RECORDS} master data records per request"
        )
    problems: list[Problem] = []
    now_us = int(time.time() * 1_000_000)
    rows = [_record(kind, raw, i, problems, now_us) for i, raw in enumerate(items)]
    if problems:
        raise ValidationFailed(
            "主数据未通过校验,未保存", "the master data is invalid and was not stored", problems=problems
        )
    store.upsert_master(conn, kind, [r for r in rows if r is not None])
    return len(rows)


def _public(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"id": row["id"]}
    for key, column in _TEXT_FIELDS.items():
        if row.get(column) is not None:
            out[key] = row[column]
    if row.get("region_code") is not None:
        out["regionCode"] = row["region_code"]
    if kind == "location" and row.get("parent_id") is not None:
        out["parentID"] = row["parent_id"]
    if row.get("attributes"):
        out["attributes"] = orjson.loads(row["attributes"])
    return out


def get_master_data(
    conn: Connection, kind: str, ident: str, *, visibility: store.MasterVisibility | None = None
) -> dict[str, Any]:
    """One record; NotFound when missing or hidden from the reader by ``visibility``."""
    try:
        key = epc.canonical(ident)
    except ValueError:
        key = ident
    row = store.master_record(conn, kind, key, visibility)
    if row is None:
        raise NotFound(f"没有标识为 {ident} 的主数据", f"no {kind} master data with id {ident}")
    return _public(kind, row)


def list_master_data(
    conn: Connection,
    kind: str,
    *,
    after: str | None,
    limit: int,
    visibility: store.MasterVisibility | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of records in id order and the id to continue after (None at the end); only those
    ``visibility`` lets through (access control), filtered in the query."""
    rows = store.master_records(conn, kind, after=after, limit=limit + 1, visibility=visibility)
    more = len(rows) > limit
    rows = rows[:limit]
    return [_public(kind, r) for r in rows], (rows[-1]["id"] if more and rows else None)
