"""zhuisu codes check|issue|approve|reject|status|void|label / zhuisu subjects file|list|show|approve|…."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.markup import escape

from zhuisu.cli.common import DbOption, console, engine_for, fail, settings_for
from zhuisu.domain.codes import CodeError, identify
from zhuisu.errors import ZhuisuError
from zhuisu.store import migrate
from zhuisu.store.engine import read_connection, write_transaction
from zhuisu.subjects import issuance, labels, service
from zhuisu.subjects.rules import Status
from zhuisu.subjects.schemas import ChangeInput, CodeRequestInput, CodeScheme, FilingInput, NodeInput, parse

JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
Key = Annotated[str, typer.Argument(help="USCC of the subject (or the P… key of an individual).")]
ActorOption = Annotated[
    str | None, typer.Option("--actor", help="Who does this (written to the audit trail).")
]
JsonFile = Annotated[
    Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="A JSON document.")
]

codes_app = typer.Typer(help="Trace codes and identifiers 编码", no_args_is_help=True)
subjects_app = typer.Typer(help="Subjects and filing 主体备案", no_args_is_help=True)


def _echo(data: Any) -> None:
    typer.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())


@codes_app.command("check")
def check_codes(
    codes: Annotated[list[str], typer.Argument(help="Codes to identify.")],
    scheme: Annotated[str | None, typer.Option("--scheme", help="Read every code in this scheme.")] = None,
    json: JsonFlag = False,
) -> None:
    """Name the scheme and parts of each code, or why it is invalid; exit 0 only if all are valid. 校验。"""
    reports: list[dict[str, Any]] = []
    for code in codes:
        try:
            reports.append({"code": code, "valid": True, **identify(code, scheme=scheme).as_dict()})
        except CodeError as exc:
            reports.append({"code": code, "valid": False, "error": exc.as_dict()})
    if json:
        _echo(reports)
    else:
        for r in reports:
            if r["valid"]:
                also = f"  (也符合 also: {', '.join(r['also'])})" if r["also"] else ""
                head = f"{r['code']}  {r['scheme']}  校验 check: {r['check']}{also}"
                console.print(f"[green]✓ 有效 valid[/green] {escape(head)}")
                for name, value in r["parts"].items():
                    console.print(f"    {name}: {escape(value)}")
                console.print(f"    canonical: {escape(r['canonical'])}")
            else:
                error = r["error"]
                line = f"{r['code']}  [{error['reason']}] {error['message']}"
                console.print(f"[red]✗ 无效 invalid[/red] {escape(line)}")
    if not all(r["valid"] for r in reports):
        raise typer.Exit(code=1)


@codes_app.command("issue")
def issue_codes(
    subject: Annotated[str, typer.Option("--subject", help="USCC of the filed subject.")],
    count: Annotated[int, typer.Option("--count", min=1, help="How many codes.")],
    product: Annotated[str, typer.Option("--product", help="Product name (printed on labels).")],
    scheme: Annotated[CodeScheme, typer.Option("--scheme")] = CodeScheme.PLATFORM,
    category: Annotated[str | None, typer.Option("--category")] = None,
    gtin: Annotated[str | None, typer.Option("--gtin", help="gs1.sgtin: the GTIN.")] = None,
    operator_code: Annotated[str | None, typer.Option("--operator-code", help="cn.meat_veg.")] = None,
    pending: Annotated[bool, typer.Option("--pending", help="Only file the request for review.")] = False,
    db: DbOption = None,
    actor: ActorOption = None,
    json: JsonFlag = False,
) -> None:
    """Request a block of trace codes and issue it (--pending: leave it for review). 赋码。"""
    settings = settings_for(db)
    data = {"subject": subject, "scheme": scheme, "count": count, "product_name": product}
    data |= {"category": category, "gtin": gtin, "operator_code": operator_code}
    try:
        body = parse(CodeRequestInput, data)
        with engine_for(db) as engine, write_transaction(engine) as conn:
            doc = issuance.request_codes(
                conn,
                body,
                auto_approve=settings.codes_auto_approve or not pending,
                max_count=settings.codes_max_per_request,
                actor=actor,
            )
    except ZhuisuError as exc:
        raise fail(exc) from None
    _print_request(doc, json)


def _print_request(doc: dict[str, Any], json: bool) -> None:
    if json:
        _echo(doc)
        return
    head = f"#{doc['id']} {doc['subject']} {doc['scheme']} ×{doc['count']}"
    console.print(f"{head} → {doc['status_zh']} {doc['status']}")
    if doc["first_code"]:
        console.print(f"    {escape(doc['first_code'])} … {escape(doc['last_code'])}")


RequestId = Annotated[int, typer.Argument(help="Id of the code request.")]


@codes_app.command("approve")
def approve_codes(request_id: RequestId, db: DbOption = None, actor: ActorOption = None) -> None:
    """Approve a code request and issue its codes. 赋码审核通过。"""
    try:
        with engine_for(db) as engine, write_transaction(engine) as conn:
            doc = issuance.approve_request(conn, request_id, actor=actor)
    except ZhuisuError as exc:
        raise fail(exc) from None
    _print_request(doc, False)


@codes_app.command("reject")
def reject_codes(
    request_id: RequestId,
    reason: Annotated[str, typer.Option("--reason", help="Why (required).")],
    db: DbOption = None,
    actor: ActorOption = None,
) -> None:
    """Reject a code request, with a reason. 赋码驳回。"""
    try:
        with engine_for(db) as engine, write_transaction(engine) as conn:
            doc = issuance.reject_request(conn, request_id, reason, actor=actor)
    except ZhuisuError as exc:
        raise fail(exc) from None
    _print_request(doc, False)


@codes_app.command("status")
def code_status(code: Annotated[str, typer.Argument()], db: DbOption = None) -> None:
    """The state of an issued code (JSON). 追溯码状态。"""
    try:
        with engine_for(db) as engine, read_connection(engine) as conn:
            doc = issuance.code_status(conn, code)
    except ZhuisuError as exc:
        raise fail(exc) from None
    _echo(doc)


@codes_app.command("void")
def void_code(
    code: Annotated[str, typer.Argument()],
    reason: Annotated[str, typer.Option("--reason", help="Why (required).")],
    db: DbOption = None,
    actor: ActorOption = None,
) -> None:
    """Void an issued code, with a reason. 作废追溯码。"""
    try:
        with engine_for(db) as engine, write_transaction(engine) as conn:
            doc = issuance.void_code(conn, code, reason, actor=actor)
    except ZhuisuError as exc:
        raise fail(exc) from None
    console.print(f"{escape(doc['code'])} → {doc['status_zh']} {doc['status']}")


class LabelFormat(StrEnum):
    SVG = "svg"
    PNG = "png"
    PDF = "pdf"


@codes_app.command("label")
def label(
    code: Annotated[str, typer.Argument()],
    output: Annotated[Path, typer.Option("-o", "--output", dir_okay=False, help="File to write.")],
    fmt: Annotated[LabelFormat, typer.Option("--format")] = LabelFormat.SVG,
    symbol: Annotated[labels.Symbol, typer.Option("--symbol")] = labels.Symbol.QR,
    db: DbOption = None,
) -> None:
    """Write the label of an issued code as SVG, PNG or a printable PDF. 打印标签。"""
    settings = settings_for(db)
    base_url, dl_host = settings.base_url, settings.labels_digital_link_host
    try:
        with engine_for(db) as engine, read_connection(engine) as conn:
            if fmt is LabelFormat.PDF:
                rendered = labels.code_sheet(conn, code, symbol=symbol, base_url=base_url, dl_host=dl_host)
            else:
                rendered = labels.code_label(
                    conn, code, symbol=symbol, fmt=labels.Format(fmt), base_url=base_url, dl_host=dl_host
                )
    except ZhuisuError as exc:
        raise fail(exc) from None
    output.write_bytes(rendered.content)
    console.print(f"{escape(str(output))} ({rendered.media_type}, {len(rendered.content)} bytes)")


def _load(path: Path) -> Any:
    try:
        return orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise fail(ZhuisuError(f"{path} 不是有效的 JSON:{exc}", f"{path} is not valid JSON: {exc}")) from None


@subjects_app.command("file")
def file_subject(
    path: JsonFile, db: DbOption = None, actor: ActorOption = None, json: JsonFlag = False
) -> None:
    """File a subject from a JSON filing document (idempotent by USCC). 主体备案。"""
    try:
        filing = parse(FilingInput, _load(path))
        with engine_for(db) as engine:
            migrate.upgrade(engine)
            with write_transaction(engine) as conn:
                result = service.file_subject(conn, filing, actor=actor)
    except ZhuisuError as exc:
        raise fail(exc) from None
    if json:
        _echo({**result.subject, "created": result.created})
    else:
        verb = "已提交 submitted" if result.created else "已存在 already filed"
        console.print(
            f"{verb}: {result.subject['key']} {result.subject['name']} ({result.subject['status_zh']})"
        )


@subjects_app.command("list")
def list_subjects(
    db: DbOption = None,
    status: Annotated[Status | None, typer.Option("--status")] = None,
    region: Annotated[str | None, typer.Option("--region", help="GB/T 2260 code prefix.")] = None,
    json: JsonFlag = False,
) -> None:
    """List subjects. 主体列表。"""
    with engine_for(db) as engine, read_connection(engine) as conn:
        rows = service.list_subjects(conn, status=status, region=region, limit=10_000)
    if json:
        _echo(rows)
    else:
        for r in rows:
            console.print(f"{r['key']}  {r['status_zh']} {r['status']}  {r['region']}  {r['name']}")


@subjects_app.command("show")
def show_subject(key: Key, db: DbOption = None) -> None:
    """Show a subject with its nodes, licences, filings and audit trail (JSON). 主体详情。"""
    try:
        with engine_for(db) as engine, read_connection(engine) as conn:
            doc = service.get_subject(conn, key)
    except ZhuisuError as exc:
        raise fail(exc) from None
    _echo(doc)


def _decide(action: str, key: str, db: str | None, actor: str | None, reason: str | None) -> None:
    try:
        with engine_for(db) as engine, write_transaction(engine) as conn:
            if action == "approve":
                doc = service.approve(conn, key, actor=actor)
            elif action == "reject":
                doc = service.reject(conn, key, reason or "", actor=actor)
            else:
                doc = service.revoke(conn, key, reason or "", actor=actor)
    except ZhuisuError as exc:
        raise fail(exc) from None
    console.print(f"{doc['key']} → {doc['status_zh']} {doc['status']}")


ReasonOption = Annotated[str, typer.Option("--reason", help="Why (required).")]


@subjects_app.command("approve")
def approve(key: Key, db: DbOption = None, actor: ActorOption = None) -> None:
    """Approve the pending filing or change. 审核通过。"""
    _decide("approve", key, db, actor, None)


@subjects_app.command("reject")
def reject(key: Key, reason: ReasonOption, db: DbOption = None, actor: ActorOption = None) -> None:
    """Reject the pending filing or change, with a reason. 驳回。"""
    _decide("reject", key, db, actor, reason)


@subjects_app.command("revoke")
def revoke(key: Key, reason: ReasonOption, db: DbOption = None, actor: ActorOption = None) -> None:
    """Revoke a filed subject, with a reason. 注销。"""
    _decide("revoke", key, db, actor, reason)


@subjects_app.command("change")
def change(key: Key, path: JsonFile, db: DbOption = None, actor: ActorOption = None) -> None:
    """File a change (JSON of the changed fields, optional changed_on) for re-review. 变更备案。"""
    try:
        changes = parse(ChangeInput, _load(path))
        with engine_for(db) as engine, write_transaction(engine) as conn:
            result = service.change(conn, key, changes, actor=actor)
    except ZhuisuError as exc:
        raise fail(exc) from None
    late = " [yellow]逾期 late (上海办法 Art.12: 2 日内)[/yellow]" if result.late else ""
    console.print(f"{result.subject['key']} → {result.subject['status_zh']} {result.subject['status']}{late}")


@subjects_app.command("add-node")
def add_node(key: Key, path: JsonFile, db: DbOption = None, actor: ActorOption = None) -> None:
    """Add a node from a JSON document; prints the allocated node code. 新增节点。"""
    try:
        node = parse(NodeInput, _load(path))
        with engine_for(db) as engine, write_transaction(engine) as conn:
            doc = service.add_node(conn, key, node, actor=actor)
    except ZhuisuError as exc:
        raise fail(exc) from None
    console.print(f"{doc['node_code']}  {doc['name']}")


def register(app: typer.Typer) -> None:
    """Add this group's commands to the ``zhuisu`` app."""
    app.add_typer(codes_app, name="codes")
    app.add_typer(subjects_app, name="subjects")
