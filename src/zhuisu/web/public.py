"""Public pages: the home page, the trace-code lookup and the consumer page ``/t/{code}``.

``/t/{code}`` is the address the platform's QR labels carry (subjects.labels: base URL + /t/ +
code), so a phone that scans a label lands here. A malformed or unknown code gets a friendly
bilingual explanation with status 404; a voided code is shown with a warning.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, RedirectResponse

from zhuisu.errors import NotFound, ValidationFailed
from zhuisu.web.consumer_view import consumer_trace
from zhuisu.web.deps import PageDep, over_limit, reading

router = APIRouter(include_in_schema=False)


@router.get("/home", response_class=HTMLResponse)
def home(page: PageDep) -> HTMLResponse:
    return page.render("home.html")


@router.get("/t", response_model=None)
def lookup(
    page: PageDep, code: Annotated[str, Query(max_length=200)] = ""
) -> HTMLResponse | RedirectResponse:
    """The search box of the home page: ``/t?code=…`` → ``/t/{code}``."""
    if not code.strip():
        return page.render("home.html", status=400, lookup_empty=True)
    return RedirectResponse(f"/t/{quote(code.strip(), safe='')}", status_code=303)


@router.get("/t/{code:path}", response_class=HTMLResponse)
def consumer(code: str, page: PageDep) -> HTMLResponse:
    if refused := over_limit(page):
        return refused
    try:
        with reading(page.request) as conn:
            view = consumer_trace(conn, code)
    except (NotFound, ValidationFailed) as exc:
        malformed = isinstance(exc, ValidationFailed)
        return page.render("code_unknown.html", status=404, code=code, error=exc, malformed=malformed)
    return page.render("consumer.html", view=view)
