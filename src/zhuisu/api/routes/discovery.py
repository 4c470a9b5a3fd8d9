"""GET / and OPTIONS / : what this EPCIS repository offers (EPCIS 2.0 REST bindings, discovery)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from zhuisu.api.deps import SettingsDep

router = APIRouter(tags=["discovery 发现"])


@router.get("/", summary="Top-level resources 顶层资源")
def root(settings: SettingsDep) -> dict[str, Any]:
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
