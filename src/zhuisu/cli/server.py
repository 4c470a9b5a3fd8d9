"""zhuisu init / serve."""

from __future__ import annotations

from typing import Annotated

import typer

from zhuisu.cli.common import DbOption, console, engine_for, settings_for
from zhuisu.store import migrate


def init(db: DbOption = None) -> None:
    """Create or upgrade the database (alembic upgrade head). Safe to run again. 初始化或升级数据库。"""
    with engine_for(db) as engine:
        revision = migrate.upgrade(engine)
        url = engine.url.render_as_string(hide_password=True)
    console.print(f"数据库已就绪 database ready: {url} (schema {revision})")


def serve(
    db: DbOption = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on (default ZHUISU_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default ZHUISU_PORT).")] = None,
) -> None:
    """Serve the API and web pages (upgrades the database first). 启动服务。"""
    import uvicorn

    from zhuisu.api.app import create_app

    settings = settings_for(db)
    with engine_for(db) as engine:
        migrate.upgrade(engine)
    host = host or settings.host
    port = port or settings.port
    console.print(f"zhuisu 追溯 serving on http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(serve)
