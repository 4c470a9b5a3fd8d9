"""Server-rendered pages (Jinja2 + htmx), mounted by the API's composition root.

(Stub: the web work fills this in.)
"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
