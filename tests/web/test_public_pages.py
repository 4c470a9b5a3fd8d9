"""Public pages: home, language switching, the consumer page of a trace code, login and logout."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.web.conftest import (
    BUYER,
    NAME,
    USCC,
    example,
    file_subject,
    issue_codes,
    log_in,
    make_account,
    record,
)
from zhuisu.store.engine import write_transaction
from zhuisu.subjects import issuance


def test_home_is_chinese_by_default_and_english_on_request(client: TestClient) -> None:
    zh = client.get("/home")
    assert zh.status_code == 200 and zh.headers["content-language"] == "zh-CN"
    assert (
        '<html lang="zh-CN">' in zh.text and "重要产品追溯平台" in zh.text and "输入或扫描追溯码" in zh.text
    )
    en = client.get("/home?lang=en")
    assert en.headers["content-language"] == "en" and "Enter or scan a trace code" in en.text
    assert "输入或扫描追溯码" not in en.text
    # ?lang= is remembered in a cookie: the next page is English without asking again
    assert client.cookies.get("zhuisu_lang") == "en"
    assert "Enter or scan a trace code" in client.get("/home").text


def test_accept_language_picks_english(client: TestClient) -> None:
    page = client.get("/home", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert page.headers["content-language"] == "en" and "Log in" in page.text


def test_the_root_stays_the_epcis_discovery_document_for_programs(client: TestClient) -> None:
    assert client.get("/", headers={"Accept": "application/json"}).json()["name"].startswith("zhuisu")


def test_static_files_are_served_and_nothing_outside_them(client: TestClient) -> None:
    css = client.get("/static/zhuisu.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "WenQuanYi Micro Hei" in css.text
    assert client.get("/static/../i18n.py").status_code == 404
    assert client.get("/static/%2e%2e/i18n.py").status_code == 404
    assert client.get("/static/nothing.css").status_code == 404


def test_lookup_box_leads_to_the_code_page(client: TestClient) -> None:
    response = client.get("/t", params={"code": " 350100000010000000001J "}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/t/350100000010000000001J"
    assert client.get("/t", params={"code": ""}).status_code == 400


def test_consumer_page_shows_product_origin_and_the_steps(client: TestClient, engine: Engine) -> None:
    file_subject(engine)
    file_subject(engine, BUYER, "北京新发地批发商")
    code = issue_codes(engine)["first_code"]
    record(
        engine,
        example("pork.slaughter.exit", trace_code=code, subject=USCC, event_time="2026-05-01 08:30"),
        example("pork.wholesale.entry", trace_code=code, subject=BUYER, event_time="2026-05-02 06:00"),
    )
    page = client.get(f"/t/{code}")
    assert page.status_code == 200
    text = page.text
    assert code in text and "冷鲜猪肉" in text and "山东省 莱阳市" in text  # origin 370682 of the example
    assert text.index("屠宰出厂") < text.index("批发进场")  # the template's step names, in time order
    assert NAME in text and "北京新发地批发商" in text
    assert "2026-05-01 08:30" in text and "370600004" in text and "3700123456" in text
    assert "ni:///" not in text  # no eventIDs, prices or weights on the public page
    english = client.get(f"/t/{code}?lang=en").text
    assert "Journey" in english and "Slaughterhouse exit sale" in english


def test_issued_code_without_records_says_so(client: TestClient, engine: Engine) -> None:
    file_subject(engine)
    code = issue_codes(engine)["first_code"]
    page = client.get(f"/t/{code}")
    assert page.status_code == 200 and "尚无流通记录" in page.text and NAME in page.text


def test_voided_code_is_shown_with_a_warning(client: TestClient, engine: Engine) -> None:
    file_subject(engine)
    code = issue_codes(engine)["first_code"]
    with write_transaction(engine) as conn:
        issuance.void_code(conn, code, "标签损坏")
    page = client.get(f"/t/{code}")
    assert page.status_code == 200 and "此追溯码已作废" in page.text and "标签损坏" in page.text
    assert "This trace code has been voided" in client.get(f"/t/{code}?lang=en").text


def test_malformed_code_gets_a_bilingual_explanation_and_404(client: TestClient) -> None:
    page = client.get("/t/12345")
    assert page.status_code == 404
    assert "追溯码格式不正确" in page.text and "长度" in page.text and "length" in page.text
    assert "The trace code is not well formed" in client.get("/t/12345?lang=en").text


def test_well_formed_unknown_code_is_404_with_an_explanation(client: TestClient) -> None:
    page = client.get("/t/350100000010000000001J")
    assert page.status_code == 404 and "未找到此追溯码" in page.text and "no record" in page.text


def test_login_logout_and_wrong_password(client: TestClient, engine: Engine) -> None:
    make_account(engine)
    bad = client.post("/login", data={"username": "farmer", "password": "wrong-password"})
    assert (
        bad.status_code == 401 and "用户名或密码错误" in bad.text and "wrong username or password" in bad.text
    )
    assert client.get("/my", follow_redirects=False).headers["location"] == "/login?next=%2Fmy"
    ok = client.post(
        "/login",
        data={"username": "farmer", "password": "pork-and-greens-2026", "next": "/my/labels"},
        follow_redirects=False,
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/my/labels"
    cookie = ok.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "farmer" in client.get("/home").text and USCC in client.get("/my").text
    out = client.post("/logout", follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/my", follow_redirects=False).status_code == 303


def test_login_never_redirects_to_another_site(client: TestClient, engine: Engine) -> None:
    make_account(engine)
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = client.post(
            "/login",
            data={"username": "farmer", "password": "pork-and-greens-2026", "next": target},
            follow_redirects=False,
        )
        assert response.headers["location"] == "/my"


def test_account_without_a_subject_cannot_use_the_enterprise_desk(client: TestClient, engine: Engine) -> None:
    from zhuisu.access.principals import Role

    make_account(engine, "inspector", role=Role.REGULATOR, regions=("350100",))
    log_in(client, "inspector")
    page = client.get("/my/record")
    assert page.status_code == 403 and "没有绑定追溯主体" in page.text


def test_a_browser_at_the_root_gets_the_home_page(client: TestClient) -> None:
    browser = client.get(
        "/", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}, follow_redirects=False
    )
    assert browser.status_code == 303 and browser.headers["location"] == "/home"
    assert "重要产品追溯平台" in client.get("/", headers={"Accept": "text/html"}).text


def test_public_pages_and_login_are_rate_limited_per_address(db_url: str, engine: Engine) -> None:
    from tests.web.conftest import web_settings
    from zhuisu.api.app import create_app

    settings = web_settings(db_url).model_copy(update={"rate_limit_per_address": "3/minute"})
    with TestClient(create_app(settings)) as client:
        assert [client.get("/t/12345").status_code for _ in range(3)] == [404, 404, 404]
        page = client.get("/t/12345")
        assert page.status_code == 429 and int(page.headers["retry-after"]) >= 1
        assert "请求过多" in page.text and "too many requests" in page.text
        assert client.post("/login", data={"username": "x", "password": "y"}).status_code == 429
        assert client.get("/home").status_code == 200  # the home page is static: not counted
