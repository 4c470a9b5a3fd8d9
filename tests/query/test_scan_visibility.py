"""A principal's scan is compiled once per (filter shape, visibility shape) and run as driver SQL
with the principal's values bound: it must read exactly what the SQLAlchemy statement holding the
same visibility reads, on SQLite and PostgreSQL, for enterprise, system, regulator and public
principals, every parameter of the data set, each sort and keyset position; and so must the
counts and listings that take a visibility."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, Engine, insert

from tests.query.conftest import L1, L1A, L2, PARTY, e
from tests.query.test_scan import SORTS
from tests.query.test_service import CASES
from zhuisu.access.principals import PUBLIC, Principal, Role
from zhuisu.access.visibility import visibility, visibility_clause
from zhuisu.domain import epc
from zhuisu.domain.parties import principal_uri
from zhuisu.domain.roles import IdRole
from zhuisu.query import params, service
from zhuisu.store import access
from zhuisu.store import queries as store
from zhuisu.store.engine import read_connection, write_transaction
from zhuisu.store.queries import EventFilter, QueryRow, SortColumn
from zhuisu.store.subject_tables import subject_nodes, subjects

A, B = "91310101AAAAAAAA1A", "91320102BBBBBBBB2B"
PRINCIPALS = {
    # A's node is L1: e1, e6 and e1's error declaration name it
    "enterprise A": Principal(Role.ENTERPRISE, "entA", subject_keys=(A,)),
    # B's PGLN is the owning party of e2
    "enterprise B": Principal(Role.ENTERPRISE, "entB", subject_keys=(B,)),
    "system A+B": Principal(Role.SYSTEM, "sysAB", subject_keys=(A, B)),
    # 310000 holds A and the master-data location L1A (e2's destination, e3's bizLocation)
    "regulator 31": Principal(Role.REGULATOR, "reg31", regions=("310000",)),
    # 320000 holds B; 330100 the master-data location L2 (e2, e4; e5 names it only as a readPoint,
    # which is no party of the event)
    "regulator 32+33": Principal(Role.REGULATOR, "reg3233", regions=("320000", "330100")),
    "regulator of the country": Principal(Role.REGULATOR, "national", regions=("000000",)),
    # a subject nobody filed: sees only e5, which carries its capture mark (and names nothing else)
    "capturer": Principal(Role.ENTERPRISE, "marker", subject_keys=("91000000ZZZZZZZZ9Z",)),
    "public": PUBLIC,
}
EXPECTED = {
    "enterprise A": {e(1), e(6)},
    "enterprise B": {e(2)},
    "system A+B": {e(1), e(2), e(6)},
    "regulator 31": {e(1), e(2), e(3), e(6)},
    "regulator 32+33": {e(2), e(4)},
    "regulator of the country": {e(1), e(2), e(3), e(4), e(6)},
    "capturer": {e(5)},
    "public": set(),
}


def _pgln(party: str) -> str:
    return epc.canonical(party).rsplit("/", 1)[1]


@pytest.fixture
def world(dataset: Engine) -> Engine:
    """The query data set with two filed subjects, regional master data and one capture mark."""
    with write_transaction(dataset) as conn:
        for n, (key, region, pgln, node_gln) in enumerate(
            [(A, "310101", None, epc.canonical(L1)), (B, "320102", _pgln(PARTY), None)], start=1
        ):
            conn.execute(
                insert(subjects).values(
                    id=n,
                    key=key,
                    kind="organisation",
                    uscc=key,
                    name=f"主体{n}",
                    subject_type="wholesaler",
                    region=region,
                    node_types="[]",
                    pgln=pgln,
                    status="approved",
                    filed_us=0,
                    updated_us=0,
                )
            )
            conn.execute(
                insert(subject_nodes).values(
                    subject_id=n,
                    node_code=f"{region}001",
                    region=region,
                    seq=1,
                    name=f"节点{n}",
                    kind="fixed",
                    node_type="warehouse",
                    gln=node_gln,
                    created_us=0,
                )
            )
        store.upsert_master(
            conn,
            "location",
            [
                {"id": epc.canonical(L1A), "name_zh": "上海", "region_code": "310101", "updated_us": 0},
                {"id": epc.canonical(L2), "name_zh": "杭州", "region_code": "330102", "updated_us": 0},
            ],
        )
        access.mark_captured(conn, access.Capturer(marks=(principal_uri("marker"),)), event_ids=[e(5)])
    return dataset


def _statement_rows(
    conn: Connection,
    flt: EventFilter,
    sort: SortColumn,
    descending: bool,
    after: tuple[int, int] | None,
    vis: store.EventVisibility,
) -> list[QueryRow]:
    stmt = store.scan_statement(flt, sort=sort, descending=descending, after=after, limit=100, visibility=vis)
    return [QueryRow._make(row) for row in conn.execute(stmt)]


def _compare(conn: Connection, flt: EventFilter, principal: Principal) -> set[str]:
    """Compiled and SQLAlchemy scans agree for every sort and keyset position; the events seen."""
    vis, clause = visibility(principal), visibility_clause(principal)
    seen: set[str] = set()
    for sort, descending in SORTS:
        first = store.scan(conn, flt, sort=sort, descending=descending, after=None, limit=100, visibility=vis)
        seen |= {row.event_id for row in first}
        for after in [None, *((row.key(sort), row.pk) for row in first[:2])]:
            fast = store.scan(
                conn, flt, sort=sort, descending=descending, after=after, limit=100, visibility=vis
            )
            # the statement holding the visibility's values, and the clause form the chain walk uses
            assert fast == _statement_rows(conn, flt, sort, descending, after, vis)
            assert fast == _statement_rows(conn, flt, sort, descending, after, clause)
            assert all(isinstance(row.doc, bytes) for row in fast)
    return seen


@pytest.mark.parametrize("who", PRINCIPALS)
def test_compiled_principal_scan_reads_what_the_statement_reads(world: Engine, who: str) -> None:
    principal = PRINCIPALS[who]
    with read_connection(world) as conn:
        for query, _expected in CASES:
            raw = {k: v if isinstance(v, list) else [v] for k, v in query.items()}
            flt = service.to_filter(conn, params.parse(raw))
            seen = _compare(conn, flt, principal)
            assert seen <= EXPECTED[who]
        assert _compare(conn, EventFilter(), principal) == EXPECTED[who]


@pytest.mark.parametrize("who", PRINCIPALS)
def test_counts_and_listings_take_a_principals_visibility(world: Engine, who: str) -> None:
    vis, clause = visibility(PRINCIPALS[who]), visibility_clause(PRINCIPALS[who])
    with read_connection(world) as conn:
        counts = {store.count_up_to(conn, EventFilter(), 100, v) for v in (vis, clause)}
        steps = [
            store.distinct_values(conn, "biz_step", after=None, limit=100, visibility=v)
            for v in (vis, clause)
        ]
        ids = [
            store.identifiers_after(conn, roles=[int(r) for r in IdRole], after=None, limit=100, visibility=v)
            for v in (vis, clause)
        ]
        pks = [
            row.pk
            for row in store.scan(
                conn, EventFilter(), sort=SortColumn.PK, descending=False, after=None, limit=100
            )
        ]
        shown = [access.visible_pks(conn, pks, v) for v in (vis, clause)]
    # e1 and its error declaration are two rows of one eventID
    assert counts == {len(EXPECTED[who]) + (e(1) in EXPECTED[who])}
    assert steps[0] == steps[1]
    assert ids[0] == ids[1]
    assert shown[0] == shown[1]
    assert (len(steps[0]) > 0) == bool(EXPECTED[who])


def test_principals_of_one_shape_share_the_compiled_sql(world: Engine) -> None:
    """Two enterprises bind their own values to one compiled SELECT; a second region is another shape."""
    flt = EventFilter(biz_steps=("shipping",))

    def sql(principal: Principal) -> tuple[str, object]:
        with read_connection(world) as conn:
            return store.scan_sql(
                conn.dialect,
                flt,
                sort=SortColumn.PK,
                descending=False,
                after=None,
                limit=10,
                visibility=visibility(principal),
            )

    ent_a, ent_b = sql(PRINCIPALS["enterprise A"]), sql(PRINCIPALS["enterprise B"])
    assert ent_a[0] == ent_b[0]
    assert ent_a[1] != ent_b[1]
    assert sql(PRINCIPALS["regulator 31"])[0] != sql(PRINCIPALS["regulator 32+33"])[0]
    assert visibility(PRINCIPALS["enterprise A"]) is visibility(PRINCIPALS["enterprise A"])
    assert visibility(Principal(Role.ADMIN, "root")) is None


def test_a_subscribers_visibility_is_resolved_afresh(world: Engine) -> None:
    """By name (the subscription runner): an unknown or revoked credential sees nothing."""
    with read_connection(world) as conn:
        assert access.visible_to_name(conn, None) is None
        assert access.visible_to_name(conn, "nobody") == access.NOTHING
        rows = store.scan(
            conn,
            EventFilter(),
            sort=SortColumn.PK,
            descending=False,
            after=None,
            limit=100,
            visibility=access.NOTHING,
        )
    assert rows == []
