"""Login and logout of web users (accounts and signed session cookies of zhuisu.access).

The session cookie is HttpOnly and SameSite=Lax, so a form on another site cannot post with it
(the CSRF defence of these pages); ``next`` only ever leads back to a path of this site.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from zhuisu.access import accounts, sessions
from zhuisu.errors import Unauthorized
from zhuisu.web.deps import SESSION_TTL_S, PageDep, over_limit, session_secret, settings_of, writing

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """A local path to go to after login (never another site: no scheme, no ``//host``)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/my"
    return target


@router.get("/login", response_class=HTMLResponse)
def login_form(page: PageDep, next: str | None = None) -> HTMLResponse:
    return page.render("login.html", next=safe_next(next))


@router.post("/login", response_model=None)
def login(
    page: PageDep,
    username: Annotated[str, Form(max_length=128)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str | None, Form()] = None,
) -> Response:
    if refused := over_limit(page):
        return refused
    try:
        with writing(page.request) as conn:
            accounts.authenticate(conn, username.strip(), password)
    except Unauthorized as exc:
        return page.render("login.html", status=401, next=safe_next(next), username=username, error=exc)
    token = sessions.issue_session(username.strip(), secret=session_secret(page.request), ttl_s=SESSION_TTL_S)
    response = RedirectResponse(safe_next(next), status_code=303)
    secure = settings_of(page.request).base_url.startswith("https://")
    response.set_cookie(
        sessions.COOKIE_NAME, token, max_age=SESSION_TTL_S, httponly=True, samesite="lax", secure=secure
    )
    return response


@router.api_route("/logout", methods=["GET", "POST"], response_model=None)
def logout() -> RedirectResponse:
    response = RedirectResponse("/home", status_code=303)
    response.delete_cookie(sessions.COOKIE_NAME)
    return response
