"""zhuisu query: run a SimpleEventQuery (EPCIS 2.0 §8.2.7.1) against the database, as GET /events does."""

from __future__ import annotations

import time
from typing import Annotated

import httpx
import orjson
import typer

from zhuisu.cli.common import DbOption, console, engine_for, fail, settings_for
from zhuisu.errors import ZhuisuError
from zhuisu.query import delivery, documents, params, service
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


subscriptions_app = typer.Typer(
    help="Query subscriptions (webhooks, EPCIS 2.0 §8.2.5). 查询订阅。", no_args_is_help=True
)


@subscriptions_app.command("deliver")
def deliver(
    once: Annotated[bool, typer.Option("--once", help="One delivery run, then exit.")] = False,
    db: DbOption = None,
) -> None:
    """Deliver due subscription results to their webhooks (every ZHUISU_SUBSCRIPTION_DELIVERY_INTERVAL
    seconds until stopped, or once). 推送到期的订阅结果。"""
    settings = settings_for(db)
    with (
        engine_for(db) as engine,
        httpx.Client(timeout=settings.subscription_delivery_timeout) as client,
    ):
        migrate.upgrade(engine)
        while True:
            report = delivery.run_once(engine, client)
            if report.callbacks or once:
                console.print(
                    f"{report.subscriptions} 个订阅 subscriptions, {report.callbacks} 次推送 callbacks, "
                    f"{report.failures} 次失败 failed, {report.events} 个事件 events",
                    highlight=False,
                )
            if once:
                return
            time.sleep(settings.subscription_delivery_interval)


def register(app: typer.Typer) -> None:
    """Add this group's commands to the ``zhuisu`` app."""
    app.command("query")(query_events)
    app.add_typer(subscriptions_app, name="subscriptions")
