"""The web pages in a real browser: Debian's Chromium driven by Playwright (never a browser download).

The app runs under uvicorn on 127.0.0.1 (a free port) in a background thread, on a temporary SQLite
database. One journey: log in, file the subject, apply for codes, record a step for one of them
(the category → step pickers work through htmx), import a file with one bad row and read its
report, then open the consumer page of the code on a phone-sized screen. Screenshots go to a
temporary directory, and also to ZHUISU_SCREENSHOTS_DIR when it is set.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import ARGS, CHROMIUM, NEEDS_BROWSER, WAIT_MS, patient, screenshots, serve
from tests.web.conftest import NAME, PASSWORD, USCC, example, web_settings
from zhuisu.access.accounts import create_account
from zhuisu.access.principals import Role
from zhuisu.store import migrate
from zhuisu.store.engine import make_engine, write_transaction
from zhuisu.subjects import service

pytestmark = NEEDS_BROWSER


class Server:
    def __init__(self, url: str, database_url: str) -> None:
        self.url = url
        self.database_url = database_url


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    database_url = f"sqlite:///{tmp_path / 'zhuisu.sqlite3'}"
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    with write_transaction(engine) as conn:
        create_account(conn, username="farmer", password=PASSWORD, role=Role.ENTERPRISE, subject_keys=(USCC,))
    engine.dispose()
    with serve(web_settings(database_url)) as url:
        yield Server(url, database_url)


@pytest.fixture
def shots(tmp_path: Path) -> Iterator[Path]:
    with screenshots(tmp_path / "screenshots") as folder:
        yield folder


def approve(database_url: str) -> None:
    """The regulator's part, done directly: approve the filing the browser submitted."""
    engine = make_engine(database_url)
    with write_transaction(engine) as conn:
        service.approve(conn, USCC)
    engine.dispose()


def csv_with_one_bad_row() -> bytes:
    good = {k: str(v) for k, v in example("pork.wholesale.entry").items() if k != "step"}
    rows = [good, good | {"batch_no": "P2", "weight_kg": "-5"}, good | {"batch_no": "P3"}]
    header = list(good)
    lines = [",".join(header)] + [",".join(r[h] for h in header) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def test_enterprise_journey_and_consumer_page_in_chromium(
    server: Server, shots: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        patient()
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            desk.set_default_timeout(WAIT_MS)
            page = desk.new_page()
            page.goto(server.url + "/home")
            page.screenshot(path=shots / "home.png", full_page=True)

            # log in: the enterprise desk sends us to the login form and back
            page.goto(server.url + "/my")
            expect(page).to_have_url(re.compile(r"/login\?next="))
            page.fill("#username", "farmer")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit].btn-primary")
            expect(page).to_have_url(server.url + "/my")
            expect(page.locator(".user")).to_have_text("farmer")

            # file the subject: a wrong region first, its error next to the field, then right
            page.goto(server.url + "/my/filing")
            page.fill("#f-name", NAME)
            page.fill("#f-region", "999999")
            page.check("input[name=node_types][value=slaughterhouse]")
            page.click("text=提交备案")
            expect(page.locator(".field.has-error .field-error")).to_contain_text("行政区划代码")
            page.screenshot(path=shots / "filing-error.png", full_page=True)
            page.fill("#f-region", "350100")
            page.click("text=提交备案")
            expect(page.locator(".alert-ok")).to_contain_text("备案已提交")
            approve(server.database_url)

            # apply for codes: issued at once on this deployment
            page.goto(server.url + "/my/labels")
            page.fill("#c-count", "5")
            page.fill("#c-product_name", "冷鲜猪肉")
            page.click("text=提交申请")
            expect(page.locator(".alert-ok")).to_contain_text("已发放 5 个追溯码")
            code = page.locator(".alert-ok code").first.inner_text()
            page.screenshot(path=shots / "labels.png", full_page=True)

            # record a step: template → step through htmx (no page load), then the generated form
            page.goto(server.url + "/my/record")
            page.evaluate("window.zhuisuMarker = 1")
            # htmx swaps the picker form itself: the next change only counts once the new form is
            # processed (after its settle), which on a loaded machine is not at once
            page.evaluate(
                "window.settled = 0;"
                "document.body.addEventListener('htmx:afterSettle', () => { window.settled += 1; })"
            )
            page.select_option("#template", "pork")
            page.wait_for_function("window.settled >= 1")
            page.select_option("#step", "pork.slaughter.exit")
            page.wait_for_function("window.settled >= 2")
            expect(page.locator("#r-weight_kg")).to_be_visible()
            assert page.evaluate("window.zhuisuMarker") == 1  # swapped in place by htmx
            expect(page).to_have_url(re.compile(r"step=pork\.slaughter\.exit"))
            values = example("pork.slaughter.exit", trace_code=code)
            for key, value in values.items():
                if key in ("step", "subject", "event_time"):
                    continue
                field = page.locator(f"#r-{key}")
                if field.evaluate("e => e.tagName") == "SELECT":
                    field.select_option(str(value))
                else:
                    field.fill(str(value))
            page.fill("#r-event_time", "2026-05-01T08:30")
            page.click("text=提交记录")
            expect(page.locator("#record-result")).to_contain_text("已保存 1 个事件")
            event_id = page.locator("#record-result code").first.inner_text()
            assert re.fullmatch(r"ni:///sha-256;[0-9a-f]{64}\?ver=CBV2\.0", event_id)
            page.screenshot(path=shots / "record.png", full_page=True)

            # the chain page shows the event just recorded
            page.goto(server.url + f"/chain/{code}")
            expect(page.locator(".event-id code").first).to_have_text(event_id)
            page.screenshot(path=shots / "chain.png", full_page=True)

            # import a file with one bad row: the report names row 3, column weight_kg
            upload = tmp_path / "entries.csv"
            upload.write_bytes(csv_with_one_bad_row())
            page.goto(server.url + "/my/import")
            page.select_option("#step", "pork.wholesale.entry")
            page.set_input_files("#file", str(upload))
            page.click("button:has-text('导入')")
            row = page.locator("#import-report table.report tbody tr")
            expect(row).to_have_count(1)
            expect(row.first.locator("td").nth(0)).to_have_text("3")
            expect(row.first.locator("td").nth(1)).to_have_text("weight_kg")
            expect(row.first.locator("td").nth(2)).to_contain_text("非负数")
            page.screenshot(path=shots / "import-report.png", full_page=True)
            desk.close()

            # the consumer scans the label with a phone
            phone = browser.new_context(
                viewport={"width": 390, "height": 844},
                device_scale_factor=2,
                is_mobile=True,
                has_touch=True,
                locale="zh-CN",
            )
            phone.set_default_timeout(WAIT_MS)
            mobile = phone.new_page()
            mobile.goto(server.url + f"/t/{code}")
            expect(mobile.locator("h1.code")).to_have_text(code)
            expect(mobile.locator(".timeline .tl-item")).to_have_count(1)
            expect(mobile.locator(".timeline")).to_contain_text("屠宰出厂")
            expect(mobile.locator(".timeline")).to_contain_text(NAME)
            # nothing wider than the phone's screen
            assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
            mobile.screenshot(path=shots / "consumer-phone.png", full_page=True)
            mobile.goto(server.url + f"/t/{code}?lang=en")
            expect(mobile.locator("h2").first).to_have_text("Journey")
            mobile.screenshot(path=shots / "consumer-phone-en.png", full_page=True)
            mobile.goto(server.url + "/t/12345")
            expect(mobile.locator("h1")).to_have_text("The trace code is not well formed")
            phone.close()
        finally:
            browser.close()
