"""What a page needs from the app: the engine, the settings, transactions, who is looking, the language.

The web layer sits below the API (the dependency rule), so it reads ``request.app.state`` itself
instead of importing ``zhuisu.api.deps``. Transactions are owned by the request, as in the API:
a page opens ``reading`` or ``writing`` around the one service call it makes.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import Connection, Engine

from zhuisu.access import sessions
from zhuisu.access.principals import PUBLIC, Principal, Role
from zhuisu.access.ratelimit import limiter_for
from zhuisu.errors import RateLimited
from zhuisu.settings import Settings
from zhuisu.store.engine import read_connection, write_transaction
from zhuisu.web.i18n import COOKIE_NAME, catalog, negotiate, supported
from zhuisu.web.rendering import Page

#: How long a web login lasts (seconds): a working day.
SESSION_TTL_S = 8 * 3600


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


@contextmanager
def reading(request: Request) -> Iterator[Connection]:
    with read_connection(engine_of(request)) as conn:
        yield conn


@contextmanager
def writing(request: Request) -> Iterator[Connection]:
    with write_transaction(engine_of(request)) as conn:
        yield conn


def session_secret(request: Request) -> str:
    """The secret that signs session cookies: the setting, else one random secret per app."""
    configured = settings_of(request).session_secret
    if configured:
        return configured
    state = request.app.state
    if not getattr(state, "web_session_secret", None):
        state.web_session_secret = secrets.token_urlsafe(32)
    secret: str = state.web_session_secret
    return secret


def viewer_of(request: Request) -> Principal:
    """The principal of the session cookie, or PUBLIC (no cookie, or an invalid or expired one)."""
    token = request.cookies.get(sessions.COOKIE_NAME)
    if not token:
        return PUBLIC
    with reading(request) as conn:
        found = sessions.session_principal(conn, token, secret=session_secret(request))
    return found or PUBLIC


def page(request: Request) -> Page:
    query = request.query_params.get("lang")
    locale = negotiate(query, request.cookies.get(COOKIE_NAME), request.headers.get("accept-language"))
    return Page(request, catalog(locale), viewer_of(request), lang_from_query=supported(query) is not None)


def member_page(current: Annotated[Page, Depends(page)]) -> Page:
    """A page for logged-in users: anybody else is sent to the login form (303), and back after it."""
    if not current.logged_in:
        target = current.request.url.path
        if current.request.url.query:
            target += "?" + current.request.url.query
        raise HTTPException(status_code=303, headers={"Location": f"/login?next={quote(target, safe='')}"})
    return current


PageDep = Annotated[Page, Depends(page)]
MemberPage = Annotated[Page, Depends(member_page)]


def enterprise_key(current: Page) -> str | None:
    """The subject an enterprise user acts for (its account is bound to one), else None."""
    if current.viewer.role is Role.ENTERPRISE and current.viewer.subject_keys:
        return current.viewer.subject_keys[0]
    return None


def over_limit(current: Page) -> HTMLResponse | None:
    """Count a request to a public page or the login form (issue 3 rate limits; the login limit
    also slows password guessing); a 429 page with Retry-After when over, else None."""
    address = current.request.client.host if current.request.client else "unknown"
    try:
        limiter_for(current.request.app.state, settings_of(current.request)).hit(current.viewer, address)
    except RateLimited as exc:
        response = current.render("error.html", status=exc.status, error=exc)
        response.headers.update(exc.headers)
        return response
    return None
