"""Server-rendered pages (Jinja2 + htmx), mounted by the API's composition root.

One module per page group — ``public`` (home, trace-code lookup, the consumer page ``/t/{code}``),
``login``, ``chain_page`` (``/chain/{identifier}``), and the enterprise area under ``/my``:
``filing``, ``recording``, ``importing``, ``labels``. Static files (the one CSS file, and htmx
copied from npm by ``make webdeps``) are served from ``/static/``. None of these paths is an API path.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, Response

from zhuisu.web import chain_page, filing, importing, labels, login, public, recording

STATIC = (Path(__file__).parent / "static").resolve()
MEDIA_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}

router = APIRouter(include_in_schema=False)
for module in (public, login, chain_page, filing, recording, importing, labels):
    router.include_router(module.router)


@router.get("/static/{name:path}", response_model=None)
def static(name: str) -> Response:
    """A file of web/static (nothing outside it: the resolved path must stay under the folder)."""
    path = (STATIC / name).resolve()
    if not path.is_relative_to(STATIC) or not path.is_file() or path.suffix not in MEDIA_TYPES:
        return Response("not found", status_code=404, media_type="text/plain")
    return FileResponse(path, media_type=MEDIA_TYPES[path.suffix], headers={"Cache-Control": "max-age=3600"})
