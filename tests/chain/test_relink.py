"""zhuisu trace relink: the links of stored events derived again with the current rules."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from tests.chain import scenarios as sc
from tests.chain.test_linking import _shipment
from zhuisu.chain import relink as relink_module
from zhuisu.chain.relink import relink
from zhuisu.chain.service import Direction, trace
from zhuisu.cli.main import app
from zhuisu.store.engine import read_connection, write_transaction

DECLARED = {"declarationTime": "2026-05-09T09:00:00.000+08:00", "reason": "incorrect_data"}


def _rows(engine: Engine) -> list[tuple[Any, ...]]:
    with read_connection(engine) as conn:
        return sorted(tuple(r) for r in conn.execute(text("SELECT * FROM chain_links")))


def _chain(engine: Engine) -> list[tuple[Any, ...]]:
    """The pork chain, a shipment stored through a hub, and an event declared erroneous."""
    wrong = sc.obj(
        "urn:uuid:bad",
        "05T08:00",
        sc.MARKET_A,
        [sc.qty(sc.LOT_A, 1, "KGM")],
        fields={"zs:traceCode": "WRONG"},
    )
    sc.store(engine, [*sc.pork_chain(), _shipment(), wrong])
    sc.store(engine, [wrong | {"errorDeclaration": DECLARED}])
    return _rows(engine)


def test_relinking_an_unchanged_chain_writes_the_same_rows(engine: Engine) -> None:
    captured = _chain(engine)
    with write_transaction(engine) as conn:
        result = relink(conn, batch=4)  # several batches
    assert _rows(engine) == captured
    assert result.rows_before == result.rows_after == len(captured)
    assert result.events == len(sc.pork_chain()) + 1  # the declared event and its declaration: none


def test_relinking_replaces_rows_left_by_older_rules(engine: Engine) -> None:
    captured = _chain(engine)
    with read_connection(engine) as conn:
        expected = trace(conn, sc.RETAIL_SM, direction=Direction.BACK).to_json()
    with write_transaction(engine) as conn:  # as if an older release had linked differently
        conn.execute(text("DELETE FROM chain_links WHERE reason LIKE 'voucher%'"))
        conn.execute(
            text(
                "INSERT INTO chain_links (node, step, other, t_us, event_pk, kind, confidence, reason)"
                " SELECT 'STALE', 1, 'OLD', 0, MIN(pk), 5, 1000, 'old.rule' FROM events"
            )
        )
    with read_connection(engine) as conn:
        assert trace(conn, sc.RETAIL_SM, direction=Direction.BACK).to_json() != expected
    with write_transaction(engine) as conn:
        relink(conn)
    assert _rows(engine) == captured
    with read_connection(engine) as conn:
        assert trace(conn, sc.RETAIL_SM, direction=Direction.BACK).to_json() == expected


def test_a_failed_relink_leaves_the_old_chain(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    captured = _chain(engine)
    calls = 0

    def failing(event: Any, keys: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls > 5:
            raise RuntimeError("disk full")
        return relink_module.derive(event, keys)

    monkeypatch.setattr(relink_module, "derive", failing)
    with pytest.raises(RuntimeError), write_transaction(engine) as conn:
        relink(conn, batch=2)
    assert _rows(engine) == captured


def test_the_command_reports_what_it_did(engine: Engine, db_url: str) -> None:
    captured = _chain(engine)
    result = CliRunner().invoke(app, ["trace", "relink", "--json", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert orjson.loads(result.stdout) == {
        "events": len(sc.pork_chain()) + 1,
        "rows_before": len(captured),
        "rows_after": len(captured),
    }
    text_run = CliRunner().invoke(app, ["trace", "relink", "--db", db_url])
    assert text_run.exit_code == 0, text_run.output
    assert "relinked" in text_run.stdout and "重建" in text_run.stdout
