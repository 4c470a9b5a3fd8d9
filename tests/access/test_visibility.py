"""The visibility rules in the store: region prefixes, and a subscription's principal resolved as
its credential stands at delivery time."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from tests.access.world import A, file_subjects
from tests.factories import make_event
from tests.query.conftest import store as capture_events
from zhuisu.access import accounts, keys
from zhuisu.access.principals import Role
from zhuisu.store import access
from zhuisu.store.access_tables import accounts as account_table
from zhuisu.store.tables import events


@pytest.mark.parametrize(
    ("code", "prefix"), [("310000", "31"), ("310100", "3101"), ("310115", "310115"), ("000000", "")]
)
def test_region_prefixes_follow_gb_t_2260_levels(code: str, prefix: str) -> None:
    assert access.region_prefix(code) == prefix


def _count(engine: Engine, name: str | None) -> int:
    with engine.connect() as conn:
        clause = access.restriction(access.visible_to_name(conn, name))
        stmt = select(func.count()).select_from(events)
        return int(conn.execute(stmt if clause is None else stmt.where(clause)).scalar_one())


def test_a_subscribers_view_follows_its_credential(engine: Engine) -> None:
    file_subjects(engine)
    capture_events(
        engine,
        [
            make_event(event_id="urn:t:1", biz_location="urn:epc:id:sgln:6901234.00011.0"),  # A's node
            make_event(event_id="urn:t:2", biz_location="urn:epc:id:sgln:6901234.00022.0"),  # B's node
        ],
    )
    with engine.begin() as conn:
        key = keys.create_key(conn, role=Role.ENTERPRISE, subject_keys=(A,))
        accounts.create_account(
            conn, username="reg", password="long-enough", role=Role.REGULATOR, regions=("320000",)
        )
    assert _count(engine, None) == 2  # set up by the platform itself: everything
    assert _count(engine, key.principal.name) == 1
    assert _count(engine, "reg") == 1
    assert _count(engine, "nobody") == 0
    with engine.begin() as conn:
        keys.revoke_key(conn, key.id)
        conn.execute(account_table.update().values(active=False))
    assert _count(engine, key.principal.name) == 0
    assert _count(engine, "reg") == 0
