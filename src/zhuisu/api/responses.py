"""Response classes: JSON rendered with orjson (fast, UTF-8, Chinese text unescaped)."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response


class OrjsonResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


class JsonLdResponse(OrjsonResponse):
    media_type = "application/ld+json"


class ProblemResponse(OrjsonResponse):
    media_type = "application/problem+json"
