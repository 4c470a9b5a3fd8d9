"""The language of a page: zh_CN (the default) or en, and the message catalogs of both.

Message ids are the Chinese texts (Chinese first); ``translations/<locale>/LC_MESSAGES/messages.po``
are read at startup with Babel's PO reader, so there is no compile step. The language comes from
``?lang=`` (which also sets a cookie), then the cookie, then the browser's Accept-Language
(RFC 9110 §12.5.4), else zh_CN.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

LOCALES = ("zh_CN", "en")
DEFAULT_LOCALE = "zh_CN"
COOKIE_NAME = "zhuisu_lang"
TRANSLATIONS = Path(__file__).parent / "translations"


@dataclass(frozen=True, slots=True)
class Catalog:
    locale: str
    messages: Mapping[str, str]

    @property
    def is_zh(self) -> bool:
        return self.locale == "zh_CN"

    @property
    def html_lang(self) -> str:
        return "zh-CN" if self.is_zh else "en"

    def gettext(self, msgid: str, **values: object) -> str:
        """The translation of ``msgid`` (the msgid itself when untranslated), formatted with ``values``."""
        text = self.messages.get(msgid) or msgid
        return text.format(**values) if values else text

    def pick(self, zh: str | None, en: str | None) -> str:
        """Of a bilingual pair (zh / en error messages, template names), the one of this language."""
        return (zh or en or "") if self.is_zh else (en or zh or "")


@lru_cache(maxsize=len(LOCALES))
def catalog(locale: str) -> Catalog:
    """The catalog of a supported locale, read once from its .po file."""
    if locale not in LOCALES:
        raise ValueError(f"unsupported locale {locale!r}")
    path = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        po = read_po(handle, locale=locale)
    messages = {m.id: m.string for m in po if isinstance(m.id, str) and m.id and isinstance(m.string, str)}
    return Catalog(locale, messages)


def supported(value: str | None) -> str | None:
    """A supported locale named by ``value`` (``en``, ``en-US``, ``zh``, ``zh-CN``, ``zh_CN`` …), or None."""
    if not value:
        return None
    tag = value.strip().replace("-", "_").lower()
    if tag == "zh" or tag.startswith("zh_"):
        return "zh_CN"
    if tag == "en" or tag.startswith("en_"):
        return "en"
    return None


def from_accept_language(header: str | None) -> str | None:
    """The supported locale the browser prefers most (RFC 9110 §12.5.4 quality values)."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        found = supported(tag)
        if found and quality > 0:
            ranked.append((-quality, position, found))
    return min(ranked)[2] if ranked else None


def negotiate(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """``?lang=`` first, then the cookie, then Accept-Language, else zh_CN."""
    return supported(query) or supported(cookie) or from_accept_language(accept_language) or DEFAULT_LOCALE
