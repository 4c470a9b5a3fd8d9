"""The registry checks: unfiled and revoked subjects, expired licences, voided / decommissioned /
never-issued codes, impossible travel. Each fires on a crafted fault and stays silent beside it.

Expectations written before the first run, from the rule tables of subject_checks, code_checks and
travel_checks.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine

from tests.chain.scenarios import store
from tests.factories import make_event, sgtin
from zhuisu.capture.service import to_us
from zhuisu.chain.checks import CheckRun, FindingKind, run_checks
from zhuisu.domain import epc
from zhuisu.domain.geography import capital_distance_km
from zhuisu.store.engine import write_transaction
from zhuisu.subjects import issuance, service
from zhuisu.subjects.schemas import (
    CodeRequestInput,
    CodeScheme,
    FilingInput,
    NodeInput,
    QualificationInput,
    parse,
)

SHANGHAI = "91310000MA1FL0001R"  # filed, approved, with a licence that expired on 2026-04-30
BEIJING = "91110000MA0000002P"  # filed, approved
GUANGZHOU = "91440100MA5000003F"  # filed, never approved
HANGZHOU = "91330100MA20000045"  # filed, approved, revoked on 2026-05-10
UNKNOWN = "91320100MA00000000"  # never filed (any string after the prefix: the registry never saw it)
FILED_AT = datetime(2026, 3, 1, tzinfo=UTC)
SINCE, UNTIL = to_us("2026-05-01T00:00:00Z"), to_us("2026-06-01T00:00:00Z")
SUBJECT = "https://zhuisu.cn/id/subject/"
NODE = "https://zhuisu.cn/id/node/"


def _file(engine: Engine, uscc: str, region: str, *, approve: bool = True) -> str:
    """File a subject with one node; the node's identifier."""
    filing = parse(
        FilingInput,
        {
            "uscc": uscc,
            "name": f"示范企业{region}",
            "subject_type": "enterprise",
            "region": region,
            "node_types": ["wholesale_market"],
        },
    )
    with write_transaction(engine) as conn:
        service.file_subject(conn, filing, now=FILED_AT)
        if not approve:
            return ""
        service.approve(conn, uscc, now=FILED_AT)
        node = service.add_node(
            conn,
            uscc,
            parse(NodeInput, {"name": "交易区", "kind": "market", "node_type": "wholesale_market"}),
            now=FILED_AT,
        )
    return f"{NODE}{node['node_code']}"


def _at(where: str | None, time: str, event_id: str, **extra: Any) -> dict[str, Any]:
    """An inspecting event at ``where`` on a day of May 2026 (``time``: "DDTHH:MM", China time)."""
    epcs = extra.pop("epcs", [sgtin(1000 + sum(map(ord, event_id)))])
    return make_event(
        event_id=event_id,
        event_time=f"2026-05-{time}:00.000+08:00",
        biz_location=where,
        read_point=None,
        epcs=epcs,
        biz_step="inspecting",
        extra=extra or None,
    )


def _run(engine: Engine) -> CheckRun:
    with write_transaction(engine) as conn:
        return run_checks(conn, since_us=SINCE, until_us=UNTIL, now_us=UNTIL)


def _found(run: CheckRun, kind: FindingKind) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    return sorted((f.event_ids, f.identifiers) for f in run.findings if f.kind is kind)


def test_subjects_unfiled_revoked_and_expired_licences(engine: Engine) -> None:
    shanghai = _file(engine, SHANGHAI, "310101")
    beijing = _file(engine, BEIJING, "110101")
    _file(engine, GUANGZHOU, "440103", approve=False)
    hangzhou = _file(engine, HANGZHOU, "330102")
    with write_transaction(engine) as conn:
        licence = {"kind": "food_business", "number": "JY13101010000001", "valid_until": "2026-04-30"}
        service.add_qualification(conn, SHANGHAI, parse(QualificationInput, licence), now=FILED_AT)
        service.revoke(conn, HANGZHOU, "停业", now=datetime(2026, 5, 10, tzinfo=UTC))
    to = [{"type": "owning_party", "destination": f"{SUBJECT}{UNKNOWN}"}]
    from_pending = [{"type": "owning_party", "source": f"{SUBJECT}{GUANGZHOU}"}]
    store(
        engine,
        [
            _at(shanghai, "02T08:00", "urn:uuid:s1"),  # licence expired two days before
            _at(beijing, "02T08:00", "urn:uuid:b1", destinationList=to),  # an unfiled buyer
            _at(beijing, "02T09:00", "urn:uuid:b2", sourceList=from_pending),  # a seller never approved
            _at(hangzhou, "09T08:00", "urn:uuid:h1"),  # the day before revocation: fine
            _at(hangzhou, "11T08:00", "urn:uuid:h2"),  # after it
            _at(beijing, "03T08:00", "urn:uuid:b3"),  # all in order
        ],
    )
    run = _run(engine)
    assert _found(run, FindingKind.UNFILED_SUBJECT) == [
        (("urn:uuid:b1",), (f"{SUBJECT}{UNKNOWN}",)),
        (("urn:uuid:b2",), (f"{SUBJECT}{GUANGZHOU}",)),
    ]
    assert _found(run, FindingKind.REVOKED_SUBJECT) == [(("urn:uuid:h2",), (hangzhou,))]
    (expired,) = [f for f in run.findings if f.kind is FindingKind.QUALIFICATION_EXPIRED]
    assert expired.event_ids == ("urn:uuid:s1",) and expired.identifiers == (
        "food_business:JY13101010000001",
    )
    assert "2026-04-30" in expired.message_zh and expired.severity == "critical"
    assert len(run.findings) == 4
    # a renewed licence of the same kind, valid on the day, clears it (on the next run's new events)
    with write_transaction(engine) as conn:
        renewed = {
            "kind": "food_business",
            "number": "JY13101010000002",
            "valid_until": str(date(2031, 4, 30)),
        }
        service.add_qualification(conn, SHANGHAI, parse(QualificationInput, renewed), now=FILED_AT)
    assert not [f for f in _run(engine).findings if f.kind is FindingKind.QUALIFICATION_EXPIRED]


def test_codes_voided_never_issued_and_decommissioned(engine: Engine) -> None:
    _file(engine, SHANGHAI, "310101")
    request = parse(
        CodeRequestInput,
        {"subject": SHANGHAI, "scheme": "zhuisu.platform", "count": 3, "product_name": "猪肉"},
    )
    with write_transaction(engine) as conn:
        doc = issuance.request_codes(conn, request, auto_approve=True)
        issuance.void_code(conn, doc["last_code"], "标签破损", now=datetime(2026, 5, 1, tzinfo=UTC))
    codes = [issuance.compose(CodeScheme.PLATFORM, doc["prefix"], n) for n in (1, 2, 3)]
    assert codes[0] == doc["first_code"] and codes[2] == doc["last_code"]
    made_up = issuance.compose(CodeScheme.PLATFORM, doc["prefix"], 999)
    code = "https://zhuisu.cn/id/code/"
    gone = sgtin(77)
    store(
        engine,
        [
            _at(None, "02T08:00", "urn:uuid:c1", epcs=[f"{code}{codes[0]}"]),  # issued, in use: fine
            _at(None, "02T09:00", "urn:uuid:c2", epcs=[f"{code}{codes[2]}"]),  # voided the day before
            _at(None, "02T10:00", "urn:uuid:c3", epcs=[f"{code}{made_up}"]),  # never issued
            make_event(
                event_id="urn:uuid:d1",
                epcs=[gone],
                action="DELETE",
                biz_step="decommissioning",
                disposition=None,
                event_time="2026-05-03T08:00:00.000+08:00",
            ),
            _at(None, "04T08:00", "urn:uuid:d2", epcs=[gone]),  # seen again after it left
        ],
    )
    run = _run(engine)
    assert _found(run, FindingKind.VOIDED_CODE_USED) == [(("urn:uuid:c2",), (f"{code}{codes[2]}",))]
    assert _found(run, FindingKind.NOT_ISSUED) == [(("urn:uuid:c3",), (f"{code}{made_up}",))]
    (again,) = [f for f in run.findings if f.kind is FindingKind.DECOMMISSIONED_USED]
    assert again.event_ids == ("urn:uuid:d1", "urn:uuid:d2")
    assert len(run.findings) == 3


def test_impossible_travel_between_provinces(engine: Engine) -> None:
    shanghai = _file(engine, SHANGHAI, "310101")
    beijing = _file(engine, BEIJING, "110101")
    fast, slow = sgtin(5), sgtin(6)
    store(
        engine,
        [
            _at(shanghai, "05T08:00", "urn:uuid:t1", epcs=[fast]),
            _at(beijing, "05T08:40", "urn:uuid:t2", epcs=[fast]),  # ~1,070 km in 40 minutes
            _at(shanghai, "05T08:00", "urn:uuid:t3", epcs=[slow]),
            _at(beijing, "05T13:00", "urn:uuid:t4", epcs=[slow]),  # five hours: a flight will do
        ],
    )
    assert _found(_run(engine), FindingKind.IMPOSSIBLE_TRAVEL) == [
        (("urn:uuid:t1", "urn:uuid:t2"), (epc.canonical(fast),))
    ]


def test_capital_distances_are_plausible() -> None:
    shanghai_beijing = capital_distance_km("310000", "110000")
    assert shanghai_beijing is not None and 1000 < shanghai_beijing < 1150
    assert capital_distance_km("310101", "310115") == 0.0
    assert capital_distance_km("990000", "110000") is None
