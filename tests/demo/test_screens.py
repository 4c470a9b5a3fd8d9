"""The demo city as a person sees it, in Chromium: the pages `make demo` prints, screenshotted.

With ZHUISU_SCREENSHOTS_DIR=docs/screenshots the pictures of the README are made here, from the
running demo (SQLite: the embedded default `make demo` uses).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import ARGS, CHROMIUM, NEEDS_BROWSER, WAIT_MS, patient, screenshots, serve
from tests.demo.conftest import Demo
from zhuisu.settings import Settings

pytestmark = NEEDS_BROWSER


def _login(demo: Demo, role: str) -> dict[str, str]:
    return next(a for a in demo.manifest["logins"]["accounts"] if a["role"] == role)


def test_what_make_demo_shows(demo: Demo, tmp_path: Path) -> None:
    if demo.engine.dialect.name != "sqlite":
        pytest.skip("the screenshots are of the embedded default (SQLite) that make demo serves")
    from playwright.sync_api import expect, sync_playwright

    code = demo.manifest["trace_examples"]["pork.retail"]
    settings = Settings(
        database_url=demo.engine.url.render_as_string(hide_password=False),
        subscription_delivery_enabled=False,
        session_secret="demo-screens",
    )
    with screenshots(tmp_path / "shots") as shots, serve(settings) as url, sync_playwright() as pw:
        patient()
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
            phone.set_default_timeout(WAIT_MS)
            page = phone.new_page()
            page.goto(f"{url}/t/{code}")
            steps = page.locator(".timeline li")
            expect(steps.first).to_be_visible()
            assert steps.count() >= 3, "a retail code of the demo has its farm, slaughter and market steps"
            page.screenshot(path=shots / "demo-consumer.png", full_page=True)

            desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            desk.set_default_timeout(WAIT_MS)
            page = desk.new_page()
            page.goto(f"{url}/home")
            page.screenshot(path=shots / "demo-home.png", full_page=True)
            regulator = _login(demo, "regulator")
            page.goto(f"{url}/login?next=/chain/{code}")
            page.fill("#username", regulator["username"])
            page.fill("#password", regulator["password"])
            page.click("button[type=submit].btn-primary")
            expect(page).to_have_url(f"{url}/chain/{code}")
            expect(page.locator("text=时间线")).to_be_visible()
            page.screenshot(path=shots / "demo-chain.png")  # the first screen: the page is long
        finally:
            browser.close()
