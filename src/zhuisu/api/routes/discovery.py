"""GET / and OPTIONS / : what this EPCIS repository offers (EPCIS 2.0 REST bindings, discovery)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from zhuisu.api.deps import SettingsDep

router = APIRouter(tags=["discovery 发现"])


@router.get("/", summary="Top-level resources 顶层资源", response_model=dict[str, Any])
def root(settings: SettingsDep, request: Request) -> Any:
    # a browser asking for a page (Accept: text/html) gets the web home page; programs get JSON
    if "text/html" in request.headers.get("accept", ""):
        return RedirectResponse("/home", status_code=303)
    return {
        "name": "zhuisu 追溯",
        "role": settings.platform_role.value,
        "jurisdiction": settings.jurisdiction,
        "resources": ["capture", "events"],
        "documentation": "/docs",
    }


@router.options("/", summary="Supported versions 支持的版本", status_code=204)
def root_options() -> Response:
    return Response(status_code=204, headers={"Allow": "GET, OPTIONS"})
