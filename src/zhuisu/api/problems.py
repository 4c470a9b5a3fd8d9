"""The one error handler: every ZhuisuError becomes an RFC 7807 problem document (application/problem+json).

The ``type`` carries the EPCIS exception name (EPCIS 2.0 REST bindings: ``epcisException:…``)
so that EPCIS clients can react to it; ``errors`` lists each Problem (index, path, code, messages).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError

from zhuisu.api.responses import ProblemResponse
from zhuisu.capture.jobs import problem_json
from zhuisu.errors import ZhuisuError


def problem_body(
    status: int,
    epcis_type: str,
    code: str,
    zh: str,
    en: str,
    instance: str,
    errors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "type": f"epcisException:{epcis_type}",
        "title": en,
        "status": status,
        "detail": f"{zh} / {en}",
        "instance": instance,
        "code": code,
        "message_zh": zh,
        "message_en": en,
        "errors": errors or [],
    }


def install(app: FastAPI) -> None:
    @app.exception_handler(ZhuisuError)
    async def _zhuisu(request: Request, exc: ZhuisuError) -> ProblemResponse:
        body = problem_body(
            exc.status,
            exc.epcis_type,
            exc.code,
            exc.message_zh,
            exc.message_en,
            request.url.path,
            [problem_json(p, status=exc.status) for p in exc.problems],
        )
        return ProblemResponse(body, status_code=exc.status, headers=exc.headers or None)

    @app.exception_handler(RequestValidationError)
    async def _request(request: Request, exc: RequestValidationError) -> ProblemResponse:
        errors = [
            {
                "path": ".".join(str(p) for p in err.get("loc", ())),
                "code": "request.invalid",
                "message_en": str(err.get("msg", "")),
                "message_zh": "请求参数无效",
            }
            for err in exc.errors()
        ]
        body = problem_body(
            400,
            "ValidationException",
            "request.invalid",
            "请求参数无效",
            "the request parameters are invalid",
            request.url.path,
            errors,
        )
        return ProblemResponse(body, status_code=400)
