"""zhuisu keys create | revoke | list and zhuisu accounts create | list (issue 3, "Credentials")."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Annotated, Any

import orjson
import typer

from zhuisu.access import accounts, keys
from zhuisu.access.principals import Role
from zhuisu.cli.common import DbOption, console, engine_for, fail
from zhuisu.errors import ValidationFailed, ZhuisuError
from zhuisu.store.access import AccountRow, KeyRow
from zhuisu.store.engine import read_connection, write_transaction

JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
RoleOption = Annotated[Role, typer.Option("--role", help="admin, regulator, enterprise or system.")]
SubjectOption = Annotated[
    list[str] | None, typer.Option("--subject", help="Subject key (USCC) it acts for; repeatable.")
]
RegionOption = Annotated[
    list[str] | None,
    typer.Option("--region", help="GB/T 2260 code of a regulator's jurisdiction; repeatable."),
]

keys_app = typer.Typer(help="API keys. API 密钥。", no_args_is_help=True)
accounts_app = typer.Typer(help="Web user accounts. 用户账号。", no_args_is_help=True)


def _dump(doc: object) -> None:
    typer.echo(orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode())


def _iso(us: int | None) -> str | None:
    return None if us is None else datetime.fromtimestamp(us / 1_000_000, UTC).isoformat(timespec="seconds")


def parse_expiry(value: str | None) -> int | None:
    """An ISO 8601 date or time (UTC when no offset is given) → microseconds since the epoch."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(
            f"--expires 的值 {value!r} 不是 ISO 8601 日期或时间",
            f"--expires {value!r} is not an ISO 8601 date or time",
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1_000_000)


def key_json(row: KeyRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "prefix": row.prefix,
        "name": row.name,
        "role": row.role,
        "subjects": orjson.loads(row.subject_keys),
        "regions": orjson.loads(row.regions),
        "created": _iso(row.created_us),
        "expires": _iso(row.expires_us),
        "revoked": _iso(row.revoked_us),
        "last_used": _iso(row.last_used_us),
    }


def account_json(row: AccountRow) -> dict[str, Any]:
    return {
        "username": row.username,
        "display_name": row.display_name,
        "role": row.role,
        "subjects": orjson.loads(row.subject_keys),
        "regions": orjson.loads(row.regions),
        "active": row.active,
        "created": _iso(row.created_us),
    }


@keys_app.command("create")
def create(
    role: RoleOption,
    subject: SubjectOption = None,
    region: RegionOption = None,
    name: Annotated[str | None, typer.Option("--name", help="What the key is for.")] = None,
    expires: Annotated[str | None, typer.Option("--expires", help="ISO 8601 expiry (UTC).")] = None,
    db: DbOption = None,
    json: JsonFlag = False,
) -> None:
    """Make an API key; it is printed this once. 创建 API 密钥(仅显示一次)。"""
    try:
        expires_us = parse_expiry(expires)
        with engine_for(db) as engine, write_transaction(engine) as conn:
            made = keys.create_key(
                conn,
                role=role,
                name=name,
                subject_keys=tuple(subject or ()),
                regions=tuple(region or ()),
                expires_us=expires_us,
            )
    except ZhuisuError as exc:
        raise fail(exc) from None
    if json:
        _dump({**key_json(made.row), "key": made.key})
        return
    console.print(f"密钥 key {made.id} ({made.row.role}) — 只显示这一次 shown this once:")
    typer.echo(made.key)


@keys_app.command("revoke")
def revoke(key_id: Annotated[str, typer.Argument(help="The key's id.")], db: DbOption = None) -> None:
    """Revoke a key at once. 吊销密钥。"""
    try:
        with engine_for(db) as engine, write_transaction(engine) as conn:
            keys.revoke_key(conn, key_id)
    except ZhuisuError as exc:
        raise fail(exc) from None
    console.print(f"已吊销 revoked {key_id}")


@keys_app.command("list")
def list_keys(db: DbOption = None, json: JsonFlag = False) -> None:
    """Every key (never the key itself: only its prefix). 密钥列表。"""
    with engine_for(db) as engine, read_connection(engine) as conn:
        rows = keys.list_keys(conn)
    if json:
        _dump({"keys": [key_json(r) for r in rows]})
        return
    for r in rows:
        state = "revoked" if r.revoked_us else ("expires " + str(_iso(r.expires_us)) if r.expires_us else "")
        grants = ",".join(orjson.loads(r.subject_keys) + orjson.loads(r.regions))
        console.print(f"{r.id}  {r.prefix}…  {r.role:<10} {grants}  {r.name}  {state}")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("密码 password", hide_input=True, confirmation_prompt=True))


@accounts_app.command("create")
def create_account(
    username: Annotated[str, typer.Argument(help="Login name.")],
    role: RoleOption,
    subject: SubjectOption = None,
    region: RegionOption = None,
    display_name: Annotated[str | None, typer.Option("--display-name", help="Name shown on pages.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin.")
    ] = False,
    db: DbOption = None,
    json: JsonFlag = False,
) -> None:
    """Make a web account (argon2 password hash). 创建用户账号。"""
    password = _read_password(password_stdin)
    try:
        with engine_for(db) as engine, write_transaction(engine) as conn:
            accounts.create_account(
                conn,
                username=username,
                password=password,
                role=role,
                subject_keys=tuple(subject or ()),
                regions=tuple(region or ()),
                display_name=display_name,
            )
            row = next(a for a in accounts.list_accounts(conn) if a.username == username)
    except ZhuisuError as exc:
        raise fail(exc) from None
    if json:
        _dump(account_json(row))
        return
    console.print(f"已创建账号 created account {username} ({row.role})")


@accounts_app.command("list")
def list_accounts(db: DbOption = None, json: JsonFlag = False) -> None:
    """Every account (never a password hash). 账号列表。"""
    with engine_for(db) as engine, read_connection(engine) as conn:
        rows = accounts.list_accounts(conn)
    if json:
        _dump({"accounts": [account_json(r) for r in rows]})
        return
    for r in rows:
        grants = ",".join(orjson.loads(r.subject_keys) + orjson.loads(r.regions))
        console.print(f"{r.username:<20} {r.role:<10} {grants}  {'' if r.active else 'inactive'}")


def register(app: typer.Typer) -> None:
    """Add the access-control commands (keys create / revoke / list, accounts …) to ``app``."""
    app.add_typer(keys_app, name="keys")
    app.add_typer(accounts_app, name="accounts")
