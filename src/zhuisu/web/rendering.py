"""Rendering pages: one Jinja2 environment (autoescaped) and the ``Page`` a request renders with.

A ``Page`` knows the request, its language (``i18n``) and who is looking (a principal, PUBLIC when
nobody is logged in), and puts them in every template's context, so the header can show the
language switch and the login state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from zhuisu.access.principals import Principal, Role
from zhuisu.web.i18n import COOKIE_NAME, Catalog

#: China Standard Time: the pages show times as people in China read them (GB/T 7408 local time).
CST = timezone(timedelta(hours=8))
LANG_COOKIE_AGE = 365 * 24 * 3600


def local_time(value: str | None) -> str:
    """An ISO 8601 timestamp as ``YYYY-MM-DD HH:MM`` China Standard Time ("" for none)."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(CST)
    return moment.strftime("%Y-%m-%d %H:%M")


def first_upper(value: str) -> str:
    """``slaughterhouse exit sale`` → ``Slaughterhouse exit sale`` (template step names are lower case)."""
    return value[:1].upper() + value[1:]


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("zhuisu.web", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["local_time"] = local_time
    env.filters["first_upper"] = first_upper
    return env


ENVIRONMENT = _environment()


@dataclass(frozen=True, slots=True)
class Page:
    request: Request
    catalog: Catalog
    viewer: Principal
    lang_from_query: bool = False

    @property
    def logged_in(self) -> bool:
        return self.viewer.role is not Role.PUBLIC

    def lang_url(self, locale: str) -> str:
        """This page's URL in another language."""
        query = {k: v for k, v in self.request.query_params.items() if k != "lang"}
        query["lang"] = locale
        return f"{self.request.url.path}?{urlencode(query)}"

    def render(self, name: str, *, status: int = 200, **context: Any) -> HTMLResponse:
        template = ENVIRONMENT.get_template(name)
        html = template.render(
            _=self.catalog.gettext,
            pick=self.catalog.pick,
            lang=self.catalog,
            page=self,
            viewer=self.viewer,
            path=self.request.url.path,
            **context,
        )
        response = HTMLResponse(html, status_code=status)
        response.headers["Content-Language"] = self.catalog.html_lang
        response.headers["Vary"] = "Accept-Language, Cookie"
        if self.lang_from_query:
            response.set_cookie(
                COOKIE_NAME, self.catalog.locale, max_age=LANG_COOKIE_AGE, httponly=True, samesite="lax"
            )
        return response
