"""Named queries: the EPCIS 2.0 REST ``/queries`` resource (create, list, get, delete, run).

A named query is a SimpleEventQuery given a name (REST bindings, ``POST /queries`` with
``{"name", "query"}``; the query validates against query-schema.json). It is validated when it
is created — a query that could never run is refused with QueryParameterException then, not
later — and stored as given, so ``GET /queries/{name}`` returns what the client sent.
"""

from __future__ import annotations

import re
import time
from typing import Any

import orjson
from sqlalchemy import Connection

from zhuisu.errors import Conflict, NotFound, QueryParameterError
from zhuisu.query import params
from zhuisu.query.params import EventQuery
from zhuisu.store import queries as store

_NAME = re.compile(r"[^\s/?#%]{1,200}")


def parse_definition(query: Any) -> EventQuery:
    """A JSON query body (query-schema.json) → a validated EventQuery."""
    return params.parse(params.from_json(query), params.json_namespaces(query), pipe_delimited=False)


def create_query(conn: Connection, body: Any) -> str:
    """Validate and store a named query; returns its name. Conflict when the name is taken."""
    if not isinstance(body, dict):
        raise QueryParameterError(
            "请求体必须是 JSON 对象 {name, query}", "the body must be a JSON object {name, query}"
        )
    name = body.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise QueryParameterError(
            "name 应为 1-200 个字符,不含空白和 / ? # %",
            "name must be 1-200 characters without whitespace or / ? # %",
        )
    unknown = set(body) - {"name", "query"}
    if unknown:
        raise QueryParameterError(
            f"未知字段:{', '.join(sorted(unknown))}", f"unknown fields: {', '.join(sorted(unknown))}"
        )
    query = body.get("query", {})
    parse_definition(query)
    if not store.insert_named_query(conn, name, orjson.dumps(query).decode(), int(time.time() * 1_000_000)):
        raise Conflict(f"已存在名为 {name} 的查询", f"a query named {name} already exists")
    return name


def get_query(conn: Connection, name: str) -> dict[str, Any]:
    definition = store.named_query(conn, name)
    if definition is None:
        raise NotFound(f"没有名为 {name} 的查询", f"no query named {name}")
    return {"name": name, "query": orjson.loads(definition)}


def query_of(conn: Connection, name: str) -> EventQuery:
    """The stored query, ready to run (``/queries/{name}/events``)."""
    return parse_definition(get_query(conn, name)["query"])


def list_queries(
    conn: Connection, *, after: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    rows = store.named_queries_after(conn, after=after, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return [{"name": n, "query": orjson.loads(d)} for n, d in rows], (rows[-1][0] if more and rows else None)


def delete_query(conn: Connection, name: str) -> None:
    """Remove a named query; its subscriptions go with it (REST bindings; a cascading foreign key)."""
    if not store.delete_named_query(conn, name):
        raise NotFound(f"没有名为 {name} 的查询", f"no query named {name}")
