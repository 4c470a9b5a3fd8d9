"""The small demo city: its structure, codes, flows, faults and logins (one build per backend)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import orjson
from sqlalchemy import func, select

from tests.demo.conftest import SEED, Demo
from zhuisu.access.accounts import authenticate
from zhuisu.chain.checks import list_findings
from zhuisu.demo.city import ROLES, role_counts
from zhuisu.demo.logins import password
from zhuisu.demo.scale import SCALES
from zhuisu.domain import epc
from zhuisu.domain.codes import identify
from zhuisu.domain.templates import STEPS
from zhuisu.store.engine import read_connection
from zhuisu.store.tables import events
from zhuisu.subjects.identity import region_name
from zhuisu.subjects.service import get_subject, list_subjects


def test_the_manifest_is_written_next_to_the_database(demo: Demo) -> None:
    assert orjson.loads(demo.manifest_path.read_bytes()) == demo.manifest
    assert demo.manifest["seed"] == SEED and demo.manifest["scale"] == "small"


def test_every_kind_of_enterprise_is_filed_with_valid_codes(demo: Demo) -> None:
    expected = role_counts(SCALES["small"])
    assert {k: v for k, v in demo.manifest["subjects"].items() if k != "stall"} == expected
    assert (
        demo.manifest["subjects"]["stall"] == SCALES["small"].wet_markets * SCALES["small"].stalls_per_market
    )
    with read_connection(demo.engine) as conn:
        subjects = list_subjects(conn, limit=10_000)
        assert len(subjects) == sum(expected.values())
        assert {s["status"] for s in subjects} == {"approved"}
        node_types = Counter(t for s in subjects for t in s["node_types"])
        assert set(node_types) == {str(r.node_type) for r in ROLES.values()}
        for s in subjects:
            assert identify(s["uscc"], scheme="cn.uscc").canonical == s["uscc"]  # GB 32100 check
            assert region_name(s["region"]) is not None  # GB/T 2260
            doc = get_subject(conn, s["key"])
            (node,) = doc["nodes"]
            assert node["node_code"].startswith(s["region"]) and len(node["node_code"]) == 9  # SB/T 10680
            assert identify(node["gln"]).scheme == "gs1.gln"  # GS1 mod-10 check digit
            for op in node["operators"]:
                assert op["operator_code"].startswith(node["node_code"]) and len(op["operator_code"]) == 13
    shanghai = [s for s in subjects if s["region"].startswith("31")]
    assert len(shanghai) == len(subjects) - 1  # all but the rare-earth mine in 包头


def test_every_flow_is_present(demo: Demo) -> None:
    by_step = demo.manifest["records_by_step"]
    used_templates = {s for s in by_step if not s.startswith("epcis:")}
    for prefix in ("pork.", "veg.", "cylinder.", "elevator.", "hazchem.", "rare_earth."):
        assert any(s.startswith(prefix) for s in used_templates), prefix
    assert used_templates <= set(STEPS)
    for step in (
        "pork.farm.departure",
        "pork.slaughter.inspection",
        "pork.wholesale.test",
        "pork.retail.sale",
        "veg.wholesale.entry",
        "cylinder.filling",
        "elevator.maintenance",
        "elevator.inspection",
        "hazchem.storage_out",
        "rare_earth.separation",
        "rare_earth.export",
    ):
        assert by_step.get(step, 0) > 0, step
    for step in (
        "repackaging",
        "commissioning",
        "shipping",
        "receiving",
        "retail_selling",
        "dispensing",
        "departing",
        "inspecting",
    ):
        assert by_step.get(f"epcis:{step}", 0) > 0, step
    with read_connection(demo.engine) as conn:
        stored = conn.execute(select(func.count()).select_from(events)).scalar_one()
        types = {r[0] for r in conn.execute(select(events.c.event_type).distinct())}
    assert stored == demo.manifest["events"] == len(demo.event_ids)
    assert len(types) >= 2  # ObjectEvents and the dairy / packing TransformationEvents


def test_trace_examples_are_real_codes(demo: Demo) -> None:
    examples = demo.manifest["trace_examples"]
    assert {
        "pork.retail",
        "veg.wholesale",
        "dairy",
        "drug",
        "cylinder",
        "elevator",
        "hazchem",
        "rare_earth",
    } <= set(examples)
    assert identify(examples["pork.retail"]).scheme == "cn.meat_veg"  # 20 digits, issued
    assert identify(examples["rare_earth"]).scheme == "zhuisu.platform"
    assert identify(examples["cylinder"], scheme="cn.special_equipment").parts["cylinder"] == "true"
    assert identify(examples["dairy"]).scheme == "gs1.lgtin"


def _explains(fault: dict[str, Any], finding: dict[str, Any]) -> bool:
    """The finding is one the fault is meant to cause: its kind, and a shared event or identifier."""
    ids = set(fault["event_ids"])
    idents = {epc.canonical(i) for i in fault["identifiers"]}
    idents |= {f"https://zhuisu.cn/id/code/{i}" for i in fault["identifiers"]}
    shared = ids & set(finding["event_ids"]) or idents & set(finding["identifiers"])
    return finding["kind"] in fault["checks"] and bool(shared)


def test_the_checks_find_the_injected_faults_and_nothing_else(demo: Demo) -> None:
    faults = demo.manifest["faults"]
    with read_connection(demo.engine) as conn:
        stored = [
            {"kind": str(f.kind), "event_ids": list(f.event_ids), "identifiers": list(f.identifiers)}
            for f in list_findings(conn, limit=100_000)
        ]
    assert sorted(map(orjson.dumps, stored)) == sorted(map(orjson.dumps, demo.manifest["findings"]))
    unexplained = [f for f in stored if not any(_explains(fault, f) for fault in faults)]
    assert unexplained == []
    for fault in faults:
        for kind in fault["checks"]:
            assert any(_explains(fault, f) for f in stored if f["kind"] == kind), (fault["id"], kind)
    with_checks = {f["id"] for f in faults if f["checks"]}
    assert {"weight_mismatch", "broken_chain", "unfiled_supplier", "failed_residue_test"} <= with_checks
    assert all(f["check_status"] == "check still to come" for f in faults if not f["checks"])


def test_the_failed_batch_has_a_recall_scope_with_holders(demo: Demo) -> None:
    (fault,) = [f for f in demo.manifest["faults"] if f["id"] == "failed_residue_test"]
    assert fault["event_ids"]
    recall = demo.manifest["recall"]
    assert recall["seeds"] == fault["identifiers"][:1]
    assert recall["holders"], "the market, the stall and the supermarket still hold some of the batch"


def test_the_sales_after_the_failed_test_are_found(demo: Demo) -> None:
    (fault,) = [f for f in demo.manifest["faults"] if f["id"] == "failed_residue_test"]
    with read_connection(demo.engine) as conn:
        found = list_findings(conn, kind="recall.traded_after_failed_test", limit=100_000)
    assert found, "the stall that bought part of the failed batch sold it after the test"
    assert {f.event_ids[0] for f in found} <= set(fault["event_ids"])  # the market's failed test
    assert {f.event_ids[1] for f in found} <= set(fault["event_ids"])  # the sales injected with it
    assert all("sold" in f.message_en for f in found)
    # the stall's retail sales, downstream of the failed batch; not the supermarket's packs of the
    # same slaughter batch, which never passed through the tested market batch
    assert all(any(fault["detail"]["stall_market"] in i for i in f.identifiers) for f in found)


def test_one_login_per_role(demo: Demo) -> None:
    logins = demo.manifest["logins"]
    if not logins["available"]:
        assert "not implemented" in logins["reason"]
        return
    roles = {a["role"] for a in logins["accounts"]}
    assert roles == {"admin", "regulator", "enterprise", "system"}
    with read_connection(demo.engine) as conn:
        for account in logins["accounts"]:
            assert account["password"] == password(SEED, account["username"])
            principal = authenticate(conn, account["username"], account["password"])
            assert str(principal.role) == account["role"]
