"""The filing workflow, its audit trail, late changes, nodes and operators, licences, master data."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from zhuisu.errors import Conflict, NotFound, ValidationFailed
from zhuisu.store.engine import read_connection, write_transaction
from zhuisu.subjects import master_data, service
from zhuisu.subjects.schemas import (
    ChangeInput,
    FilingInput,
    NodeInput,
    OperatorInput,
    QualificationInput,
    parse,
)

USCC = "91350100M000100Y43"
NOW = datetime(2026, 5, 4, 2, 0, tzinfo=UTC)  # 2026-05-04 10:00 CST


def filing(**overrides: Any) -> FilingInput:
    data: dict[str, Any] = {
        "uscc": USCC,
        "name": "福州示范肉联厂",
        "subject_type": "enterprise",
        "legal_rep": "张三",
        "address": "福州市示范路 1 号",
        "region": "350100",
        "contact_phone": "0591-00000000",
        "node_types": ["slaughterhouse"],
        "qualifications": [
            {"kind": "food_production", "number": "SC10435010000011", "valid_until": "2026-06-01"},
        ],
    }
    data.update(overrides)
    return parse(FilingInput, data)


def actions(engine: Engine, key: str = USCC) -> list[str]:
    with read_connection(engine) as conn:
        return [a["action"] for a in service.get_subject(conn, key)["audit"]]


def test_file_approve_and_audit(engine: Engine) -> None:
    with write_transaction(engine) as conn:
        result = service.file_subject(conn, filing(), now=NOW, actor="enterprise")
        assert result.created and result.subject["status"] == "submitted"
        assert result.subject["region_name"] == "福建省 福州市"
        again = service.file_subject(conn, filing(name="别名"), now=NOW)
        assert not again.created and again.subject["name"] == "福州示范肉联厂"
        approved = service.approve(conn, USCC, now=NOW, actor="reviewer")
        assert approved["status"] == "approved"
    assert actions(engine) == ["filing.submitted", "qualification.added", "filing.approved"]
    with read_connection(engine) as conn:
        doc = service.get_subject(conn, USCC)
    assert doc["filings"][0]["status"] == "approved"
    assert doc["audit"][2]["actor"] == "reviewer"


def test_reject_needs_a_reason_and_refiling_is_allowed(engine: Engine) -> None:
    with write_transaction(engine) as conn:
        service.file_subject(conn, filing(), now=NOW)
        with pytest.raises(ValidationFailed):
            service.reject(conn, USCC, "  ", now=NOW)
        rejected = service.reject(conn, USCC, "营业执照照片不清晰", now=NOW)
        assert rejected["status"] == "rejected"
        with pytest.raises(Conflict):
            service.approve(conn, USCC, now=NOW)
        again = service.file_subject(conn, filing(), now=NOW)
        assert again.created and again.subject["status"] == "submitted"
    assert actions(engine)[-2:] == ["filing.rejected", "filing.resubmitted"]


def test_change_is_reviewed_and_late_changes_are_flagged(engine: Engine) -> None:
    with write_transaction(engine) as conn:
        service.file_subject(conn, filing(), now=NOW)
        service.approve(conn, USCC, now=NOW)
        on_time = service.change(
            conn, USCC, ChangeInput(address="福州市新址 2 号", changed_on=date(2026, 5, 2)), now=NOW
        )
        assert not on_time.late and on_time.subject["status"] == "changed"
        assert on_time.subject["address"] == "福州市示范路 1 号"  # in force until approved
        late = service.change(conn, USCC, ChangeInput(legal_rep="李四", changed_on=date(2026, 5, 1)), now=NOW)
        assert late.late
        after = service.approve(conn, USCC, now=NOW)
        assert (after["address"], after["legal_rep"]) == ("福州市新址 2 号", "李四")
        assert [f["subject"] for f in service.late_changes(conn)] == [USCC]
        with pytest.raises(ValidationFailed):
            service.change(conn, USCC, ChangeInput(name="x", changed_on=date(2026, 5, 9)), now=NOW)
    trail = actions(engine)
    assert trail[-4:] == ["filing.changed", "filing.changed", "filing.change_late", "filing.change_approved"]
    with read_connection(engine) as conn:
        statuses = [f["status"] for f in service.get_subject(conn, USCC)["filings"]]
    assert statuses == ["approved", "superseded", "approved"]


def test_rejected_change_keeps_the_filed_data(engine: Engine) -> None:
    with write_transaction(engine) as conn:
        service.file_subject(conn, filing(), now=NOW)
        service.approve(conn, USCC, now=NOW)
        service.change(conn, USCC, ChangeInput(name="新名称"), now=NOW)
        kept = service.reject(conn, USCC, "名称与执照不符", now=NOW)
        assert (kept["status"], kept["name"]) == ("approved", "福州示范肉联厂")
        revoked = service.revoke(conn, USCC, "企业注销", now=NOW)
        assert revoked["status"] == "revoked"
        with pytest.raises(Conflict):
            service.change(conn, USCC, ChangeInput(name="x"), now=NOW)
    assert actions(engine)[-2:] == ["filing.change_rejected", "filing.revoked"]


def test_unknown_subject(engine: Engine) -> None:
    with read_connection(engine) as conn, pytest.raises(NotFound):
        service.get_subject(conn, "91110000600037341L")


def test_individual_is_stored_protected(engine: Engine) -> None:
    person = parse(
        FilingInput,
        {
            "id_card": "11010519491231002x",
            "name": "王五",
            "subject_type": "natural_person",
            "region": "110105",
            "node_types": ["wet_market"],
        },
    )
    with write_transaction(engine) as conn:
        result = service.file_subject(conn, person, now=NOW)
        key = result.subject["key"]
        assert key.startswith("P") and len(key) == 18
        assert result.subject["id_card"] == "110***********002X"
        assert not service.file_subject(conn, person, now=NOW).created
        conn_text = str(service.get_subject(conn, key))
    assert "11010519491231002X" not in conn_text
    with engine.connect() as raw:
        dumped = str([tuple(r) for r in raw.exec_driver_sql("SELECT * FROM subjects")])
    assert "19491231" not in dumped


@pytest.mark.parametrize(
    "overrides",
    [
        {"uscc": "91350100M000100Y44"},  # bad check character
        {"region": "999999"},
        {"node_types": []},
        {"subject_type": "natural_person"},  # needs an ID card instead of a USCC
        {"qualifications": [{"kind": "food_production", "number": "SC1043501000001"}]},
        {"pgln": "6901234000017"},
    ],
)
def test_invalid_filings(overrides: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as info:
        filing(**overrides)
    assert info.value.problems and "/" in info.value.problems[0].message


def test_nodes_and_operators_get_codes_without_collision(engine: Engine) -> None:
    with write_transaction(engine) as conn:
        service.file_subject(conn, filing(), now=NOW)
        service.approve(conn, USCC, now=NOW)
        codes = [
            service.add_node(
                conn, USCC, NodeInput(name=f"车间 {i}", kind="plant", node_type="slaughterhouse")
            )["node_code"]
            for i in range(3)
        ]
        assert codes == ["350100001", "350100002", "350100003"]
        other = service.add_node(
            conn,
            USCC,
            NodeInput(
                name="仓库",
                kind="warehouse",
                node_type="distributor",
                region="350102",
                gln="urn:epc:id:sgln:6901234.00001.0",
            ),
        )
        assert other["node_code"] == "350102001" and other["gln"] == "https://id.gs1.org/414/6901234000016"
        own = service.add_operator(conn, USCC, "350100001", OperatorInput(name="自营", own=True))
        first = service.add_operator(conn, USCC, "350100001", OperatorInput(name="摊主甲", stall_no="A-01"))
        assert (own["operator_code"], first["operator_code"]) == ("3501000010000", "3501000010001")
        with pytest.raises(Conflict):
            service.add_operator(conn, USCC, "350100001", OperatorInput(name="again", own=True))
        with pytest.raises(NotFound):
            service.add_operator(conn, USCC, "350100099", OperatorInput(name="x"))
        doc = service.get_subject(conn, USCC)
    assert [o["operator_code"] for o in doc["nodes"][0]["operators"]] == ["3501000010000", "3501000010001"]
    with pytest.raises(ValidationFailed):
        parse(NodeInput, {"name": "摊位", "kind": "stall", "node_type": "wet_market"})


def test_expiring_qualifications(engine: Engine) -> None:
    with write_transaction(engine) as conn:
        service.file_subject(conn, filing(), now=NOW)
        service.approve(conn, USCC, now=NOW)
        service.add_qualification(
            conn,
            USCC,
            QualificationInput(kind="business_licence", number="L-1", valid_until=date(2030, 1, 1)),
        )
        with pytest.raises(Conflict):
            service.add_qualification(conn, USCC, QualificationInput(kind="business_licence", number="L-1"))
        soon = service.expiring_qualifications(conn, 30, today=date(2026, 5, 4))
        late = service.expiring_qualifications(conn, 0, today=date(2026, 6, 2))
    assert [(q["number"], q["days_left"], q["expired"]) for q in soon] == [("SC10435010000011", 28, False)]
    assert [q["expired"] for q in late] == [True]


def test_master_data_of_approved_subjects_only(engine: Engine) -> None:
    with write_transaction(engine) as conn:
        created = service.file_subject(conn, filing(pgln="urn:epc:id:pgln:6901234.00001"), now=NOW)
        assert created.subject["pgln"] == "6901234000016"
        from zhuisu.store import subjects as store

        row = store.subject_by_key(conn, USCC)
        assert row is not None
        assert master_data.master_data_of(conn, row.id) == []
        service.approve(conn, USCC, now=NOW)
        service.add_node(conn, USCC, NodeInput(name="屠宰车间", kind="plant", node_type="slaughterhouse"))
        vocabularies = master_data.master_data_of(conn, row.id)
    party, locations = vocabularies
    assert party["vocabularyElementList"][0]["id"] == "https://id.gs1.org/417/6901234000016"
    location = locations["vocabularyElementList"][0]
    assert location["id"] == "https://zhuisu.cn/id/node/350100001"
    attributes = {a["id"]: a["attribute"] for a in location["attributes"]}
    assert attributes["urn:epcglobal:cbv:mda#name"] == "屠宰车间"
    assert attributes["https://zhuisu.cn/epcis/owningParty"] == "https://id.gs1.org/417/6901234000016"


def test_list_subjects_by_status_and_region(engine: Engine) -> None:
    with write_transaction(engine) as conn:
        service.file_subject(conn, filing(), now=NOW)
        service.file_subject(
            conn, filing(uscc="91110000600037341L", region="110105", qualifications=[]), now=NOW
        )
        service.approve(conn, USCC, now=NOW)
        assert [s["key"] for s in service.list_subjects(conn, region="35")] == [USCC]
        assert [s["key"] for s in service.list_subjects(conn, status=service.Status.SUBMITTED)] == [
            "91110000600037341L"
        ]


def test_concurrent_node_allocation_never_collides(engine: Engine) -> None:
    import threading

    with write_transaction(engine) as conn:
        service.file_subject(conn, filing(), now=NOW)
        service.approve(conn, USCC, now=NOW)
    barrier = threading.Barrier(2)
    codes: list[str] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            for i in range(5):
                with write_transaction(engine) as conn:
                    node = NodeInput(name=f"n{i}", kind="warehouse", node_type="distributor")
                    codes.append(service.add_node(conn, USCC, node)["node_code"])
        except BaseException as exc:  # reported below, on the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(codes) == [f"350100{n:03d}" for n in range(1, 11)]
