"""zhuisu query: run a SimpleEventQuery (EPCIS 2.0 §8.2.7.1) against the database, as GET /events does."""

from __future__ import annotations

from typing import Annotated

import orjson
import typer

from zhuisu.cli.common import DbOption, console, engine_for, fail
from zhuisu.errors import ZhuisuError
from zhuisu.query import documents, params, service
from zhuisu.store import migrate
from zhuisu.store.engine import read_connection

ParamOption = Annotated[
    list[str] | None,
    typer.Option(
        "--param",
        "-p",
        help="A query parameter NAME=VALUE (e.g. EQ_bizStep=shipping|receiving); repeat for more.",
    ),
]


def _parse_pairs(pairs: list[str]) -> dict[str, list[str]]:
    raw: dict[str, list[str]] = {}
    for pair in pairs:
        name, eq, value = pair.partition("=")
        if not eq or not name:
            raise params.bad(pair, "应写作 NAME=VALUE", "must be written NAME=VALUE")
        raw.setdefault(name.strip(), []).append(value)
    return raw


def query_events(
    param: ParamOption = None,
    json: Annotated[bool, typer.Option("--json", help="Print the EPCISQueryDocument (JSON-LD).")] = False,
    db: DbOption = None,
) -> None:
    """Query events with SimpleEventQuery parameters; prints every match. 查询事件。"""
    try:
        query = params.parse(_parse_pairs(param or []))
        with engine_for(db) as engine:
            migrate.upgrade(engine)
            with read_connection(engine) as conn:
                rows = list(service.all_events(conn, query))
    except ZhuisuError as exc:
        raise fail(exc) from exc
    if json:
        typer.echo(documents.query_document(rows, epc_format=documents.EpcFormat.NEVER).decode())
        return
    for row in rows:
        event = orjson.loads(row.doc)
        what = event.get("epcList") or event.get("childEPCs") or event.get("inputEPCList") or []
        console.print(
            f"{event['eventTime']}\t{event['type']}\t{event.get('bizStep', '-')}\t"
            f"{(event.get('bizLocation') or {}).get('id', '-')}\t{' '.join(what)}\t{event['eventID']}",
            highlight=False,
            soft_wrap=True,
        )
    console.print(f"{len(rows)} 个事件 events", style="dim")


def register(app: typer.Typer) -> None:
    """Add this group's commands to the ``zhuisu`` app."""
    app.command("query")(query_events)
