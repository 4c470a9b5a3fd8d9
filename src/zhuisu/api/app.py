"""The composition root of the HTTP API: builds the engine from Settings and mounts every route."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI, Request, Response
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from zhuisu import __version__
from zhuisu.api import problems
from zhuisu.api.routes import (
    capture,
    codes,
    discovery,
    events,
    query,
    recall,
    records,
    subjects,
    subscriptions,
    trace,
)
from zhuisu.capture.jobs import recover_interrupted
from zhuisu.query.delivery import delivery_loop
from zhuisu.runtime import tune_gc
from zhuisu.settings import Settings
from zhuisu.store.engine import make_engine, write_transaction
from zhuisu.web import routes as web_routes

GS1_HEADERS = {
    "GS1-EPCIS-Version": "2.0.0",
    "GS1-EPCIS-Min": "2.0.0",
    "GS1-EPCIS-Max": "2.0.0",
    "GS1-CBV-Version": "2.0.0",
    "GS1-CBV-Min": "2.0.0",
    "GS1-CBV-Max": "2.0.0",
    "GS1-Vendor-Version": f"zhuisu-{__version__}",
}


class Gs1Headers(BaseHTTPMiddleware):
    """Every response carries the GS1 version headers (EPCIS 2.0 REST bindings, §"Versioning")."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        for name, value in GS1_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    engine = make_engine(settings.resolved_database_url())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        with write_transaction(engine) as conn:
            recover_interrupted(conn)
        tune_gc(settings)  # last: what startup made stays out of every collection
        # subscription webhooks (EPCIS 2.0 §8.2.5): a background loop, off with a setting
        deliveries: asyncio.Task[None] | None = None
        client = httpx.Client(timeout=settings.subscription_delivery_timeout)
        if settings.subscription_delivery_enabled:
            loop = delivery_loop(engine, client, settings.subscription_delivery_interval)
            deliveries = asyncio.create_task(loop)
        yield
        if deliveries is not None:
            deliveries.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await deliveries
        client.close()
        engine.dispose()

    app = FastAPI(
        title="zhuisu 追溯 — important-products traceability platform",
        version=__version__,
        description=(
            "重要产品追溯平台 API。EPCIS 2.0 capture and query (GS1 REST bindings), "
            "plus zhuisu's own endpoints. Errors are RFC 7807 problem documents in Chinese and English."
        ),
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.add_middleware(Gs1Headers)
    problems.install(app)
    app.include_router(discovery.router)
    app.include_router(capture.router)
    app.include_router(events.router)
    app.include_router(query.router)
    app.include_router(trace.router)
    app.include_router(codes.router)  # before subjects: its /codes/{code:path} would take /codes/…/status
    app.include_router(subjects.router)
    app.include_router(records.router)
    app.include_router(recall.router)
    app.include_router(subscriptions.router)
    app.include_router(web_routes.router)
    return app
