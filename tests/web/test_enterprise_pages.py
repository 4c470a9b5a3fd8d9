"""The enterprise area: filing, recording a step, importing a file, codes and label sheets."""

from __future__ import annotations

import re

import orjson
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from tests.web.conftest import BUYER, NAME, USCC, example, file_subject
from zhuisu.store.engine import read_connection
from zhuisu.store.tables import events
from zhuisu.subjects import service

FILING = {
    "uscc": USCC,
    "name": NAME,
    "subject_type": "enterprise",
    "region": "350100",
    "address": "福州市仓山区",
    "node_types": ["slaughterhouse", "distributor"],
}


def stored_docs(engine: Engine) -> list[dict[str, object]]:
    with read_connection(engine) as conn:
        return [orjson.loads(d) for d in conn.execute(select(events.c.doc).order_by(events.c.pk)).scalars()]


def field_block(html: str, name: str) -> str:
    """The HTML of one form field's block (its label, input and errors)."""
    start = html.index(f'id="f-{name}"') if f'id="f-{name}"' in html else html.index(f'id="r-{name}"')
    begin = html.rindex('<div class="field', 0, start)
    return html[begin : html.index("</div>", start)]


def test_anonymous_users_are_sent_to_login(client: TestClient) -> None:
    for path in ("/my", "/my/filing", "/my/record?template=pork", "/my/import", "/my/labels", "/chain"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login?next=%2F")


def test_dashboard_shows_the_subject_and_its_filing_status(member: TestClient, engine: Engine) -> None:
    assert "未备案" in member.get("/my").text
    file_subject(engine, approve=False)
    page = member.get("/my").text
    assert NAME in page and "待审核" in page


def test_filing_errors_are_shown_next_to_their_fields_in_both_languages(
    member: TestClient, engine: Engine
) -> None:
    page = member.post("/my/filing", data={**FILING, "name": "", "region": "999999", "node_types": []})
    assert page.status_code == 400
    region = field_block(page.text, "region")
    assert (
        "has-error" in region
        and "未知的 GB/T 2260 行政区划代码" in region
        and "unknown GB/T 2260 region" in region
    )
    assert "has-error" in field_block(page.text, "name")
    assert "has-error" not in field_block(page.text, "address")
    assert "福州市仓山区" in page.text  # what was typed is kept
    with read_connection(engine) as conn:
        assert service.list_subjects(conn) == []


def test_filing_is_stored_and_only_for_the_users_own_subject(member: TestClient, engine: Engine) -> None:
    other = member.post("/my/filing", data={**FILING, "uscc": BUYER})
    assert other.status_code == 400 and f"本账号只能为主体 {USCC} 备案" in other.text
    page = member.post("/my/filing", data=FILING)
    assert page.status_code == 200 and "备案已提交" in page.text
    with read_connection(engine) as conn:
        subject = service.get_subject(conn, USCC)
    assert subject["status"] == "submitted" and subject["node_types"] == ["slaughterhouse", "distributor"]
    assert subject["audit"][0]["actor"] == "farmer"
    again = member.post("/my/filing", data=FILING)
    assert "无须重复备案" in again.text


def test_record_pickers_lead_from_template_to_the_steps_fields(member: TestClient) -> None:
    page = member.get("/my/record").text
    assert "猪肉" in page and 'name="step"' not in page
    steps = member.get("/my/record?template=pork").text
    assert 'value="pork.wholesale.entry"' in steps
    form = member.get("/my/record?template=pork&step=pork.wholesale.entry").text
    weight = field_block(form, "weight_kg")
    assert "重量" in weight and 'class="req"' in weight
    assert 'class="req"' not in field_block(form, "stall_no")
    assert f'value="{USCC}" readonly' in form
    assert "/templates/pork.wholesale.entry.xlsx" in form
    # a step of another template than the one picked is not shown
    assert 'name="weight_kg"' not in member.get("/my/record?template=veg&step=pork.wholesale.entry").text


def test_recording_a_step_creates_events_and_shows_their_ids(member: TestClient, engine: Engine) -> None:
    values = {k: v for k, v in example("pork.wholesale.entry").items()}
    values["event_time"] = "2026-05-02T06:15"  # as <input type="datetime-local"> sends it
    values["subject"] = BUYER  # ignored: the account records for its own subject
    page = member.post("/my/record", data=values)
    assert page.status_code == 200, page.text
    ids = re.findall(r"<code>(ni:///sha-256;[0-9a-f]{64}\?ver=CBV2\.0)</code>", page.text)
    docs = stored_docs(engine)
    assert len(ids) == 1 and [d["eventID"] for d in docs] == ids
    assert docs[0]["zs:subject"] == USCC and docs[0]["eventTime"] == "2026-05-02T06:15:00.000+08:00"
    again = member.post("/my/record", data=values)
    assert "此记录已保存过" in again.text and len(stored_docs(engine)) == 1


def test_a_bad_record_names_the_field_and_stores_nothing(member: TestClient, engine: Engine) -> None:
    values = example("pork.wholesale.entry", weight_kg="很多")
    del values["quarantine_cert_no"]
    page = member.post("/my/record", data=values)
    assert page.status_code == 400
    assert "应为非负数" in field_block(page.text, "weight_kg")
    assert "缺少必填字段「动物产品检疫合格证号」" in field_block(page.text, "quarantine_cert_no")
    assert 'value="很多"' in page.text and stored_docs(engine) == []
    assert member.post("/my/record", data={"step": "no.such.step"}).status_code == 400


def csv_of(rows: list[dict[str, str]]) -> bytes:
    header = list(rows[0])
    lines = [",".join(header)] + [",".join(r.get(h, "") for h in header) for r in rows]
    return ("\n".join(lines) + "\n").encode("gbk")


def test_import_reports_each_bad_row_and_keeps_nothing(member: TestClient, engine: Engine) -> None:
    good = {k: str(v) for k, v in example("pork.wholesale.entry").items() if k != "step"}
    bad = good | {"weight_kg": "-3", "trace_code": "123"}
    data = csv_of([good, bad, good | {"batch_no": "P2"}])
    page = member.post(
        "/my/import", data={"step": "pork.wholesale.entry"}, files={"file": ("entries.csv", data, "text/csv")}
    )
    assert page.status_code == 400
    report = page.text[page.text.index('id="import-report"') :]
    assert "<td>3</td><td>weight_kg</td>" in report and "<td>3</td><td>trace_code</td>" in report
    assert "应为非负数" in report and "non-negative" in report
    assert stored_docs(engine) == []
    kept = member.post(
        "/my/import",
        data={"step": "pork.wholesale.entry", "keep_good": "on"},
        files={"file": ("entries.csv", data, "text/csv")},
    )
    assert kept.status_code == 200 and len(stored_docs(engine)) == 2
    assert "<dt>已保存</dt><dd>2</dd>" in kept.text and "<dt>错误</dt><dd>1</dd>" in kept.text


def test_import_without_a_file_says_so(member: TestClient) -> None:
    page = member.post("/my/import", data={"step": "pork.wholesale.entry"})
    assert page.status_code == 400 and "请选择要导入的文件" in page.text


def test_codes_are_requested_listed_and_printed(member: TestClient, engine: Engine) -> None:
    file_subject(engine)
    bad = member.post("/my/labels", data={"scheme": "zhuisu.platform", "count": "0", "product_name": ""})
    assert bad.status_code == 400 and "has-error" in bad.text
    page = member.post(
        "/my/labels", data={"scheme": "zhuisu.platform", "count": "4", "product_name": "冷鲜猪肉"}
    )
    assert page.status_code == 200 and "已发放 4 个追溯码" in page.text
    request_id = re.search(r'href="/my/labels/(\d+)\.pdf"', page.text)
    assert request_id is not None
    pdf = member.get(f"/my/labels/{request_id.group(1)}.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_label_sheets_of_other_subjects_are_not_shown(member: TestClient, engine: Engine) -> None:
    file_subject(engine, BUYER, "另一家企业")
    from zhuisu.store.engine import write_transaction
    from zhuisu.subjects import issuance
    from zhuisu.subjects.schemas import CodeRequestInput, parse

    body = parse(
        CodeRequestInput, {"subject": BUYER, "scheme": "zhuisu.platform", "count": 1, "product_name": "菜"}
    )
    with write_transaction(engine) as conn:
        other = issuance.request_codes(conn, body, auto_approve=True)
    page = member.get(f"/my/labels/{other['id']}.pdf")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert member.get("/my/labels/999.pdf").status_code == 404
