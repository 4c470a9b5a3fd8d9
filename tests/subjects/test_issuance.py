"""Trace-code issuance: requests and review, allocation without collision, each code's life, audit."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, insert
from sqlalchemy.exc import IntegrityError

from tests.factories import document_bytes, make_event
from zhuisu.capture.formats.detect import parse_bytes
from zhuisu.capture.service import ErrorBehaviour, capture
from zhuisu.domain import epc
from zhuisu.domain.codes import identify
from zhuisu.errors import Conflict, NotFound, ValidationFailed
from zhuisu.store.code_tables import trace_codes
from zhuisu.store.engine import read_connection, write_transaction
from zhuisu.subjects import issuance, service
from zhuisu.subjects.schemas import CodeRequestInput, FilingInput, NodeInput, OperatorInput, parse

USCC = "91350100M000100Y43"
OTHER = "91110000600037341L"
NOW = datetime(2026, 5, 4, 2, 0, tzinfo=UTC)
GTIN = "6901234567892"


def file_approved(engine: Engine, uscc: str = USCC, region: str = "350100") -> None:
    filing = parse(
        FilingInput,
        {
            "uscc": uscc,
            "name": "福州示范肉联厂",
            "subject_type": "enterprise",
            "region": region,
            "node_types": ["slaughterhouse"],
        },
    )
    with write_transaction(engine) as conn:
        service.file_subject(conn, filing, now=NOW)
        service.approve(conn, uscc, now=NOW)


def code_request(**overrides: Any) -> CodeRequestInput:
    data: dict[str, Any] = {
        "subject": USCC,
        "scheme": "zhuisu.platform",
        "count": 5,
        "product_name": "冷鲜猪肉",
    }
    return parse(CodeRequestInput, {**data, **overrides})


def audit_actions(engine: Engine, key: str = USCC) -> list[str]:
    with read_connection(engine) as conn:
        return [
            a["action"] for a in service.get_subject(conn, key)["audit"] if a["action"].startswith("codes.")
        ]


def test_request_review_and_issue_platform_codes(engine: Engine) -> None:
    file_approved(engine)
    with write_transaction(engine) as conn:
        req = issuance.request_codes(conn, code_request(), now=NOW, actor="企业")
        assert req["status"] == "requested" and req["first_code"] is None and req["codes"] == {}
        assert req["prefix"] == "35010000001"  # region + the subject's first platform number
        issued = issuance.approve_request(conn, req["id"], now=NOW, actor="审核员")
    assert issued["status"] == "issued" and issued["codes"] == {"issued": 5}
    first = identify(issued["first_code"])
    assert first.scheme == "zhuisu.platform" and first.parts["subject_no"] == "00001"
    assert first.parts["sequence"] == "0000000001"
    assert identify(issued["last_code"]).parts["sequence"] == "0000000005"
    with write_transaction(engine) as conn, pytest.raises(Conflict):
        issuance.approve_request(conn, req["id"])
    assert audit_actions(engine) == ["codes.requested", "codes.issued"]


def test_reject_needs_a_reason_and_is_final(engine: Engine) -> None:
    file_approved(engine)
    with write_transaction(engine) as conn:
        req = issuance.request_codes(conn, code_request())
        with pytest.raises(ValidationFailed):
            issuance.reject_request(conn, req["id"], "  ")
        rejected = issuance.reject_request(conn, req["id"], "品名不符", actor="审核员")
        assert rejected["status"] == "rejected" and rejected["reason"] == "品名不符"
        with pytest.raises(Conflict):
            issuance.approve_request(conn, req["id"])
        with pytest.raises(NotFound):
            issuance.get_request(conn, 999_999)
    assert audit_actions(engine) == ["codes.requested", "codes.rejected"]


def test_only_filed_subjects_may_request(engine: Engine) -> None:
    with write_transaction(engine) as conn, pytest.raises(NotFound):
        issuance.request_codes(conn, code_request())
    filing = parse(
        FilingInput,
        {"uscc": USCC, "name": "x", "subject_type": "enterprise", "region": "350100", "node_types": ["farm"]},
    )
    with write_transaction(engine) as conn:
        service.file_subject(conn, filing)
    with write_transaction(engine) as conn, pytest.raises(Conflict):
        issuance.request_codes(conn, code_request())


def test_limits_and_inputs(engine: Engine) -> None:
    file_approved(engine)
    with write_transaction(engine) as conn, pytest.raises(ValidationFailed):
        issuance.request_codes(conn, code_request(count=11), max_count=10)
    for bad in (
        {"scheme": "gs1.sgtin"},
        {"scheme": "gs1.sgtin", "gtin": "6901234567893"},
        {"scheme": "cn.meat_veg"},
        {"gtin": GTIN},
        {"count": 0},
    ):
        with pytest.raises(ValidationFailed):
            code_request(**bad)


def test_auto_approve_issues_at_once(engine: Engine) -> None:
    file_approved(engine)
    with write_transaction(engine) as conn:
        doc = issuance.request_codes(conn, code_request(count=2), auto_approve=True)
    assert doc["status"] == "issued" and doc["actor"] == "auto"


def test_sgtin_serials_under_a_gtin_of_one_subject(engine: Engine) -> None:
    file_approved(engine)
    file_approved(engine, OTHER, "110105")
    with write_transaction(engine) as conn:
        doc = issuance.request_codes(
            conn, code_request(scheme="gs1.sgtin", gtin=GTIN, count=3), auto_approve=True
        )
    assert doc["first_code"] == "https://id.gs1.org/01/06901234567892/21/1"
    found = identify(doc["last_code"])
    assert (
        found.scheme == "gs1.sgtin" and found.canonical == doc["last_code"] and found.parts["serial"] == "3"
    )
    with pytest.raises(Conflict, match="another subject"), write_transaction(engine) as conn:
        issuance.request_codes(
            conn, code_request(subject=OTHER, scheme="gs1.sgtin", gtin=GTIN), auto_approve=True
        )
    # the refused block was rolled back: the owner continues at 4
    with write_transaction(engine) as conn:
        doc = issuance.request_codes(
            conn, code_request(scheme="gs1.sgtin", gtin=GTIN, count=1), auto_approve=True
        )
    assert doc["first_code"].endswith("/21/4")


def test_meat_veg_codes_under_the_subjects_operator_code(engine: Engine) -> None:
    file_approved(engine)
    file_approved(engine, OTHER, "110105")
    with write_transaction(engine) as conn:
        node = service.add_node(
            conn, USCC, NodeInput(name="一号摊位", kind="stall", node_type="wet_market", stall_no="A1")
        )
        op = service.add_operator(conn, USCC, node["node_code"], OperatorInput(name="李四"))
    operator = op["operator_code"]
    with write_transaction(engine) as conn:
        doc = issuance.request_codes(
            conn, code_request(scheme="cn.meat_veg", operator_code=operator, count=2), auto_approve=True
        )
    assert doc["first_code"] == f"{operator}0000001"
    assert identify(doc["first_code"]).scheme == "cn.meat_veg"
    with write_transaction(engine) as conn, pytest.raises(ValidationFailed):
        issuance.request_codes(
            conn, code_request(subject=OTHER, scheme="cn.meat_veg", operator_code=operator)
        )


def test_code_life_issued_used_voided(engine: Engine) -> None:
    file_approved(engine)
    with write_transaction(engine) as conn:
        doc = issuance.request_codes(conn, code_request(count=3), auto_approve=True)
        gs1 = issuance.request_codes(
            conn, code_request(scheme="gs1.sgtin", gtin=GTIN, count=1), auto_approve=True
        )
    first, last = doc["first_code"], doc["last_code"]
    with read_connection(engine) as conn:
        status = issuance.code_status(conn, first)
        assert (
            status["status"] == "issued"
            and status["product_name"] == "冷鲜猪肉"
            and status["subject"] == USCC
        )
        # any spelling of a GS1 key finds the code
        assert issuance.code_status(conn, "(01)06901234567892(21)1")["code"] == gs1["first_code"]
        with pytest.raises(NotFound):
            issuance.code_status(conn, "6901234567892")
        with pytest.raises(ValidationFailed):
            issuance.code_status(conn, first[:-1] + ("0" if first[-1] != "0" else "1"))
    with write_transaction(engine) as conn:
        issuance.void_code(conn, last, "标签破损", actor="企业")
        result = issuance.mark_used(conn, [first, last, "https://id.gs1.org/01/06901234567892", "not-a-code"])
    assert result.marked == (first,) and result.voided == (last,) and result.already_used == ()
    with write_transaction(engine) as conn:
        again = issuance.mark_used(conn, [first])
        assert again.marked == () and again.already_used == (first,)
        used = issuance.code_status(conn, first)
        assert used["status"] == "used" and used["used_at"] is not None
        voided = issuance.void_code(conn, first, "召回销毁")
        assert voided["status"] == "voided" and voided["void_reason"] == "召回销毁"
        with pytest.raises(Conflict):
            issuance.void_code(conn, first, "again")
        with pytest.raises(ValidationFailed):
            issuance.void_code(conn, doc["first_code"], " ")
    assert audit_actions(engine).count("codes.used") == 1
    assert audit_actions(engine)[-1] == "codes.voided"


def test_a_code_is_never_stored_twice(engine: Engine) -> None:
    file_approved(engine)
    with write_transaction(engine) as conn:
        doc = issuance.request_codes(conn, code_request(count=1), auto_approve=True)
    with read_connection(engine) as conn:
        row = dict(conn.execute(trace_codes.select()).one()._mapping)
    row.pop("id")
    with pytest.raises(IntegrityError), write_transaction(engine) as conn:
        conn.execute(insert(trace_codes).values(**row))
    assert doc["codes"] == {"issued": 1}


def test_concurrent_issuance_has_no_duplicates(engine: Engine) -> None:
    """Threads request and approve blocks under one prefix at once (first use of the subject number too)."""
    file_approved(engine)
    file_approved(engine, OTHER, "350100")
    threads, per_block = 6, 40
    issued: list[dict[str, Any]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def work(i: int) -> None:
        subject = USCC if i % 2 == 0 else OTHER
        try:
            start.wait()
            with write_transaction(engine) as conn:
                body = code_request(subject=subject, count=per_block)
                issued.append(issuance.request_codes(conn, body, auto_approve=True))
            with write_transaction(engine) as conn:
                body = code_request(subject=subject, scheme="gs1.sgtin", gtin=GTIN, count=per_block)
                if subject == USCC:
                    issued.append(issuance.request_codes(conn, body, auto_approve=True))
        except BaseException as exc:  # reported below
            errors.append(exc)

    pool = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert errors == []
    with read_connection(engine) as conn:
        codes = [r.code for r in conn.execute(trace_codes.select())]
    assert len(codes) == len(set(codes)) == len(issued) * per_block
    prefixes = {d["prefix"] for d in issued if d["scheme"] == "zhuisu.platform"}
    assert prefixes == {"35010000001", "35010000002"}  # one platform number per subject
    for prefix in prefixes:
        blocks = sorted(
            (identify(d["first_code"]).parts["sequence"], identify(d["last_code"]).parts["sequence"])
            for d in issued
            if d["prefix"] == prefix
        )
        assert [(int(a), int(b)) for a, b in blocks] == [
            (k * per_block + 1, (k + 1) * per_block) for k in range(len(blocks))
        ]


def test_a_code_named_by_a_stored_event_is_used_without_anyone_marking_it(engine: Engine) -> None:
    file_approved(engine)
    with write_transaction(engine) as conn:
        doc = issuance.request_codes(conn, code_request(count=2), auto_approve=True)
        gs1 = issuance.request_codes(
            conn, code_request(scheme="gs1.sgtin", gtin=GTIN, count=1), auto_approve=True
        )
    first = doc["first_code"]
    events = [
        make_event(epcs=[f"https://zhuisu.cn/id/code/{first}"], event_id="urn:uuid:u1"),
        make_event(epcs=["urn:epc:id:sgtin:6901234.056789.1"], event_id="urn:uuid:u2"),
    ]
    assert gs1["first_code"] == epc.canonical("urn:epc:id:sgtin:6901234.056789.1")
    parsed = parse_bytes(document_bytes(events), "application/json")
    with write_transaction(engine) as conn:
        assert capture(conn, parsed, error_behaviour=ErrorBehaviour.ROLLBACK).success
    with read_connection(engine) as conn:
        used = issuance.code_status(conn, first)
        assert used["status"] == "used" and used["used_at"] is not None
        assert issuance.code_status(conn, gs1["first_code"])["status"] == "used"
        assert issuance.code_status(conn, doc["last_code"])["status"] == "issued"
        _, sheet = issuance.codes_of_request(conn, doc["id"])
        assert [c.status for c in sheet] == ["used", "issued"]
        assert issuance.get_request(conn, doc["id"])["codes"] == {"used": 1, "issued": 1}
    with write_transaction(engine) as conn:  # voiding wins over use
        issuance.void_code(conn, first, "召回销毁")
        assert issuance.code_status(conn, first)["status"] == "voided"
