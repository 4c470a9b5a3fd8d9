"""zhuisu demo: build the simulated city (once) and serve it."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from zhuisu.cli.common import DbOption, console, engine_for, fail, settings_for
from zhuisu.demo.builder import BuildOptions, ensure, manifest_path, remove_sqlite
from zhuisu.demo.scale import scale_for
from zhuisu.errors import ValidationFailed, ZhuisuError
from zhuisu.settings import Settings
from zhuisu.store import migrate


class ScaleName(StrEnum):
    SMALL = "small"
    CITY = "city"
    PROVINCE = "province"


def demo(
    scale: Annotated[
        ScaleName, typer.Option(help="City size: small (seconds), city, province.")
    ] = ScaleName.SMALL,
    days: Annotated[
        int | None, typer.Option(min=1, help="Days simulated (default: the scale's own).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed: one seed, one city, the same event hashes.")] = 2026,
    db: DbOption = None,
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve the platform afterwards.")] = True,
    force: Annotated[bool, typer.Option(help="Rebuild: delete the SQLite database first.")] = False,
    count: Annotated[
        list[str] | None, typer.Option(help="An explicit count, e.g. --count farms=100 (repeatable).")
    ] = None,
) -> None:
    """Build the demo city if the database has none yet, print what to open, serve it. 演示城市。"""
    settings = settings_for(db)
    url = settings.resolved_database_url()
    try:
        if force:
            remove_sqlite(url)
        chosen = scale_for(scale, days=days, **_counts(count or []))
        options = BuildOptions(chosen, str(scale), seed, manifest_path(url, settings.data_dir))
        with engine_for(db) as engine, _bar() as bar:
            migrate.upgrade(engine)
            task = bar.add_task("演示城市 demo city", total=None)
            manifest, built = ensure(
                engine,
                options,
                progress=lambda s, d, t: bar.update(task, description=s, completed=d, total=t),
            )
    except ZhuisuError as exc:
        raise fail(exc) from None
    _print_welcome(settings, manifest, built)
    if serve:
        _serve(settings)


def _counts(items: list[str]) -> dict[str, int]:
    out = {}
    for item in items:
        name, _, value = item.partition("=")
        if not value.strip().isdigit():
            raise ValidationFailed(
                f"--count 应为 名称=正整数,而不是 {item!r}",
                f"--count takes name=positive integer, not {item!r}",
            )
        out[name.strip()] = int(value)
    return out


def _bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


#: (path, what it shows) of the pages worth opening, in the order printed; ``{code}`` is a real code
_PAGES = (
    ("/docs", "API 文档 / API docs"),
    ("/home", "首页 / home page"),
    ("/t/{code}", "消费者扫码页 / what a consumer sees for a real code"),
    ("/chain/{code}", "追溯链条页 / the chain of a real code"),
    ("/trace/{code}", "追溯接口 / the trace of a real code (API)"),
    ("/findings", "完整性检查发现的问题 / integrity findings (the injected faults)"),
    ("/my", "企业工作台与表单 / the enterprise forms (sign in as demo-enterprise)"),
    ("/login", "登录 / sign in (logins below)"),
)


def demo_paths(settings: Settings, manifest: dict[str, Any]) -> list[tuple[str, str]]:
    """(path, what it shows) for the pages worth opening; only paths a GET route of the app serves."""
    from starlette.routing import Match

    from zhuisu.api.app import create_app

    routes = create_app(settings).routes
    examples = manifest.get("trace_examples", {})
    code = examples.get("pork.retail") or next(iter(examples.values()), "")
    out = []
    for template, what in _PAGES:
        path = template.format(code=code)
        scope = {"type": "http", "path": path, "method": "GET", "root_path": ""}
        if any(route.matches(scope)[0] is Match.FULL for route in routes):
            out.append((path, what))
    return out


def _print_welcome(settings: Settings, manifest: dict[str, Any], built: bool) -> None:
    verb = "已建成 built" if built else "已存在 already there"
    subjects = sum(v for k, v in manifest.get("subjects", {}).items() if k != "stall")
    console.print(
        f"演示城市{verb}: {manifest['scale']}, seed {manifest['seed']}, {subjects} 个主体 subjects, "
        f"{manifest['events']} 个事件 events"
    )
    base = f"http://{settings.host}:{settings.port}"
    for path, what in demo_paths(settings, manifest):
        console.print(f"  {base}{path}    {what}", soft_wrap=True, highlight=False)
    logins = manifest.get("logins", {})
    if not logins.get("available"):
        console.print(f"演示登录不可用 demo logins unavailable: {logins.get('reason', '')}")
    for a in logins.get("accounts", []):
        console.print(f"  登录 login ({a['role']}): {a['username']} / {a['password']}", highlight=False)


def _serve(settings: Settings) -> None:
    import uvicorn

    from zhuisu.api.app import create_app

    console.print(f"zhuisu 追溯 serving on http://{settings.host}:{settings.port}")
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")


def register(app: typer.Typer) -> None:
    app.command()(demo)
