"""Language choice and the message catalogs of the web pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from zhuisu.web import filing, names
from zhuisu.web.consumer_view import CERTIFICATES
from zhuisu.web.i18n import LOCALES, catalog, from_accept_language, negotiate

TEMPLATES = Path(__file__).parents[2] / "src" / "zhuisu" / "web" / "templates"
CALL = re.compile(r"""_\(\s*(['"])(.+?)\1""")


def used_msgids() -> set[str]:
    ids = {m.group(2) for p in TEMPLATES.rglob("*.html") for m in CALL.finditer(p.read_text("utf-8"))}
    for table in (
        names.SUBJECT_TYPES,
        names.NODE_TYPES,
        names.FILING_STATUS,
        names.CODE_STATUS,
        names.CODE_SCHEMES,
        names.NODE_KINDS,
        names.LINK_KINDS,
    ):
        ids.update(table.values())
    ids.update(label for _, label, _, _ in filing.FIELDS)
    ids.update(label for _, label in CERTIFICATES)
    ids.update(("向上追溯(来源)", "向下追踪(去向)", "双向"))  # chain.html's direction tabs
    return ids


@pytest.mark.parametrize(
    ("query", "cookie", "header", "expected"),
    [
        (None, None, None, "zh_CN"),
        ("en", None, "zh-CN", "en"),
        ("zh-CN", "en", "en", "zh_CN"),
        (None, "en", "zh-CN,zh;q=0.9", "en"),
        (None, None, "en-US,en;q=0.9,zh;q=0.5", "en"),
        (None, None, "fr-FR, zh;q=0.4, en;q=0.6", "en"),
        (None, None, "fr-FR, de", "zh_CN"),
        ("xx", "yy", "en;q=0", "zh_CN"),
    ],
)
def test_language_is_query_then_cookie_then_accept_language(
    query: str | None, cookie: str | None, header: str | None, expected: str
) -> None:
    assert negotiate(query, cookie, header) == expected


def test_accept_language_with_broken_quality_is_ignored_not_fatal() -> None:
    assert from_accept_language("en;q=abc, zh") == "zh_CN"


def test_every_text_of_the_pages_has_an_english_translation() -> None:
    english = catalog("en").messages
    missing = sorted(i for i in used_msgids() if not english.get(i))
    assert missing == []
    # and nothing is "translated" into Chinese: every English text is English
    assert [i for i in used_msgids() if re.search(r"[\u4e00-\u9fff]", english[i])] == []


def test_the_chinese_catalog_holds_the_same_messages() -> None:
    assert set(catalog("zh_CN").messages) == set(catalog("en").messages)
    assert used_msgids() <= set(catalog("zh_CN").messages)


def test_gettext_formats_values_and_falls_back_to_the_msgid() -> None:
    en = catalog("en")
    assert en.gettext("已保存 {n} 个事件", n=3) == "3 events stored"
    assert en.gettext("没有的消息") == "没有的消息"
    assert catalog("zh_CN").gettext("已保存 {n} 个事件", n=3) == "已保存 3 个事件"
    assert set(LOCALES) == {"zh_CN", "en"}
