"""zhuisu init / validate / hash / capture, as an enterprise runs them before and during upload."""

from __future__ import annotations

from pathlib import Path

import orjson
from sqlalchemy import Engine
from typer.testing import CliRunner

from tests.factories import document_bytes, make_event, sgtin
from zhuisu.cli.main import app
from zhuisu.store import events as event_store
from zhuisu.store.engine import read_connection

runner = CliRunner()


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_init_is_safe_twice(db_url: str) -> None:
    for _ in range(2):
        result = runner.invoke(app, ["init", "--db", db_url])
        assert result.exit_code == 0, result.output


def test_validate_passes_a_file_with_only_warnings(tmp_path: Path) -> None:
    odd = {"sensorElementList": [{"sensorReport": [{"type": "gs1:Warmth", "value": 1, "uom": "CEL"}]}]}
    path = _write(tmp_path, "odd.json", document_bytes([make_event(extra=odd)]))
    result = runner.invoke(app, ["validate", "--json", str(path)])
    assert result.exit_code == 0, result.output
    (report,) = orjson.loads(result.stdout)
    assert report["ok"] is True
    assert [(p["code"], p["severity"]) for p in report["problems"]] == [("sensor.unlisted_type", "warning")]
    human = runner.invoke(app, ["validate", str(path)])
    assert human.exit_code == 0 and "警告 warning" in human.stdout


def test_validate_json_reports_per_file(tmp_path: Path) -> None:
    good = _write(tmp_path, "good.json", document_bytes([make_event(epcs=[sgtin(1)])]))
    bad = _write(tmp_path, "bad.json", document_bytes([make_event(), make_event(action="SHIP")]))
    result = runner.invoke(app, ["validate", "--json", str(good), str(bad)])
    assert result.exit_code == 1
    reports = orjson.loads(result.stdout)
    assert [r["ok"] for r in reports] == [True, False]
    assert reports[1]["events"] == 2
    (problem,) = reports[1]["problems"]
    assert problem["index"] == 1 and problem["path"] == "$.epcisBody.eventList[1].action"
    assert problem["code"] and "/" in problem["message"]
    assert runner.invoke(app, ["validate", str(good)]).exit_code == 0


def test_validate_malformed(tmp_path: Path) -> None:
    bad = _write(tmp_path, "broken.json", b"{nope")
    result = runner.invoke(app, ["validate", "--json", str(bad)])
    assert result.exit_code == 1
    assert orjson.loads(result.stdout)[0]["problems"][0]["code"] == "json.malformed"


def test_hash_json_lists_every_event_in_order(tmp_path: Path) -> None:
    events = [make_event(epcs=[sgtin(i)]) for i in range(3)]
    events[1]["eventID"] = "urn:uuid:6c1e0f3a-1111-4000-8000-000000000001"
    path = _write(tmp_path, "e.json", document_bytes(events))
    result = runner.invoke(app, ["hash", "--json", str(path)])
    assert result.exit_code == 0, result.output
    rows = orjson.loads(result.stdout)
    assert [r["index"] for r in rows] == [0, 1, 2]
    assert rows[1]["eventID"] == "urn:uuid:6c1e0f3a-1111-4000-8000-000000000001"
    assert rows[0]["eventID"] is None
    assert all(r["hash"].startswith("ni:///sha-256;") for r in rows)
    assert len({r["hash"] for r in rows}) == 3


def test_capture_files_then_again_reports_duplicates(tmp_path: Path, db_url: str, engine: Engine) -> None:
    path = _write(tmp_path, "e.json", document_bytes([make_event(epcs=[sgtin(i)]) for i in range(20)]))
    first = runner.invoke(app, ["capture", "--json", "--db", db_url, str(path)])
    assert first.exit_code == 0, first.output
    assert orjson.loads(first.stdout)[0]["inserted"] == 20
    second = runner.invoke(app, ["capture", "--json", "--db", db_url, str(path)])
    assert orjson.loads(second.stdout)[0]["duplicates"] == 20
    with read_connection(engine) as conn:
        assert event_store.count_events(conn) == 20


def test_capture_rejected_file_exits_non_zero(tmp_path: Path, db_url: str) -> None:
    path = _write(tmp_path, "e.json", document_bytes([make_event(biz_step="slaughtering")]))
    result = runner.invoke(app, ["capture", "--db", db_url, str(path)])
    assert result.exit_code == 1
