"""The chain page: trace back and forward for logged-in users, uncertain links shown as uncertain."""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.chain.scenarios import obj, qty, store
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
from zhuisu.access.principals import Role

STALL = "urn:epc:id:sgln:6902000.00005.0"
MILK_1 = "urn:epc:class:lgtin:6905000.100001.RAW1"
MILK_2 = "urn:epc:class:lgtin:6905000.100001.RAW2"


def test_chain_page_needs_a_login(client: TestClient) -> None:
    response = client.get("/chain/LS-MIX-1", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=%2Fchain%2FLS-MIX-1"


def pork_journey(engine: Engine) -> tuple[str, list[str]]:
    """A code issued to USCC, shipped by USCC and received by BUYER: (code, eventIDs)."""
    file_subject(engine)
    file_subject(engine, BUYER, "北京新发地批发商")
    code = issue_codes(engine)["first_code"]
    ids = record(
        engine,
        example("pork.slaughter.exit", trace_code=code, subject=USCC, event_time="2026-05-01 08:30"),
        example("pork.wholesale.entry", trace_code=code, subject=BUYER, event_time="2026-05-02 06:00"),
    )
    return code, ids


def test_an_admin_sees_every_step_with_places_and_subjects(client: TestClient, engine: Engine) -> None:
    code, ids = pork_journey(engine)
    make_account(engine, "root", role=Role.ADMIN)
    log_in(client, "root")
    page = client.get(f"/chain/{code}")
    assert page.status_code == 200
    text = page.text
    assert all(i in text for i in ids) and text.index(ids[0]) < text.index(ids[1])
    assert "屠宰出厂" in text and NAME in text and "北京新发地批发商" in text
    assert "https://zhuisu.cn/id/node/370600004" in text and "追溯凭证" in text
    assert 'aria-current="page">双向' in text
    back = client.get(f"/chain/{code}?direction=back").text
    assert 'aria-current="page">向上追溯(来源)' in back
    assert client.get("/chain", params={"identifier": code}, follow_redirects=False).headers["location"] == (
        f"/chain/{code}"
    )


def test_an_enterprise_sees_other_subjects_steps_as_opaque_hops(member: TestClient, engine: Engine) -> None:
    file_subject(engine)
    file_subject(engine, BUYER, "北京新发地批发商")
    code = issue_codes(engine)["first_code"]
    # its own shipment goes through the record form (stored with the account's capture mark) …
    shipped = member.post("/my/record", data=example("pork.slaughter.exit", trace_code=code))
    own = re.findall(r"<code>(ni:///[^<]+)</code>", shipped.text)
    # … the buyer's receipt comes from the buyer's own system
    (theirs,) = record(engine, example("pork.wholesale.entry", trace_code=code, subject=BUYER))
    text = member.get(f"/chain/{code}").text
    assert own and own[0] in text and NAME in text  # its own shipment, in full
    assert theirs not in text and "北京新发地批发商" not in text  # the buyer's receipt: a hop
    assert "无权查看的环节" in text and "收货" in text  # only the kind of step, no place or party
    assert "a step you may not see" in member.get(f"/chain/{code}?lang=en").text


def test_commingled_lots_are_shown_as_uncertain(member: TestClient, engine: Engine) -> None:
    store(
        engine,
        [
            obj("urn:uuid:c01", "02T06:00", STALL, [qty(MILK_1, 10, "KGM")], step="receiving", action="ADD"),
            obj("urn:uuid:c02", "02T06:30", STALL, [qty(MILK_2, 10, "KGM")], step="receiving", action="ADD"),
            obj(
                "urn:uuid:c03",
                "02T09:00",
                STALL,
                [qty(MILK_1), qty(MILK_2)],
                step="retail_selling",
                fields={"zs:traceCode": "LS-MIX-1"},
            ),
        ],
    )
    text = member.get("/chain/LS-MIX-1?direction=back").text
    assert "2 条不确定链接" in text
    assert (
        text.count('<tr class="uncertain">') == 2 and "不确定 50%" in text and "trace_code.commingled" in text
    )
    assert "2 uncertain links" in member.get("/chain/LS-MIX-1?direction=back&lang=en").text


def test_unknown_and_invalid_identifiers_are_explained(member: TestClient) -> None:
    unknown = member.get("/chain/" + quote("urn:epc:id:sgtin:0614141.107346.2018", safe=""))
    assert (
        unknown.status_code == 404
        and "没有记录提到标识符" in unknown.text
        and "no record names" in unknown.text
    )
