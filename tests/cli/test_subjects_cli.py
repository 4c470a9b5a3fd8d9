"""zhuisu codes check and zhuisu subjects …, as an enterprise and a reviewer run them."""

from __future__ import annotations

from pathlib import Path

import orjson
from typer.testing import CliRunner

from zhuisu.cli.main import app

runner = CliRunner()
USCC = "91350100M000100Y43"


def test_codes_check_names_schemes_parts_and_reasons() -> None:
    result = runner.invoke(app, ["codes", "check", "--json", "6901234567892", "91350100M000100Y44"])
    assert result.exit_code == 1
    good, bad = orjson.loads(result.stdout)
    assert good["valid"] and good["scheme"] == "gs1.gtin" and good["parts"]["company_prefix"] == "6901234"
    assert not bad["valid"] and "'3'" in bad["error"]["message"]
    ok = runner.invoke(app, ["codes", "check", "37060000400010000003", "11010519491231002X"])
    assert ok.exit_code == 0, ok.output
    assert "cn.meat_veg" in ok.output and "nmpa.drug" in ok.output and "cn.ric" in ok.output
    plain_bad = runner.invoke(app, ["codes", "check", "123"])
    assert plain_bad.exit_code == 1 and "[code.length]" in plain_bad.output


def test_codes_check_with_a_scheme() -> None:
    result = runner.invoke(app, ["codes", "check", "--json", "--scheme", "nmpa.drug", "37060000400010000003"])
    assert result.exit_code == 0
    assert orjson.loads(result.stdout)[0]["scheme"] == "nmpa.drug"


def test_subjects_file_approve_change_show(db_url: str, tmp_path: Path) -> None:
    filing = tmp_path / "filing.json"
    filing.write_bytes(
        orjson.dumps(
            {
                "uscc": USCC,
                "name": "示范超市",
                "subject_type": "enterprise",
                "region": "350100",
                "node_types": ["supermarket"],
            }
        )
    )
    first = runner.invoke(app, ["subjects", "file", str(filing), "--db", db_url, "--json"])
    assert first.exit_code == 0, first.output
    assert orjson.loads(first.stdout)["created"] is True
    second = runner.invoke(app, ["subjects", "file", str(filing), "--db", db_url])
    assert "already filed" in second.output
    assert (
        runner.invoke(app, ["subjects", "approve", USCC, "--db", db_url, "--actor", "审核员"]).exit_code == 0
    )
    change = tmp_path / "change.json"
    change.write_bytes(orjson.dumps({"contact_phone": "0591-1", "changed_on": "2020-01-01"}))
    changed = runner.invoke(app, ["subjects", "change", USCC, str(change), "--db", db_url])
    assert changed.exit_code == 0 and "late" in changed.output
    rejected = runner.invoke(app, ["subjects", "reject", USCC, "--reason", "无证明", "--db", db_url])
    assert "approved" in rejected.output
    node = tmp_path / "node.json"
    node.write_bytes(orjson.dumps({"name": "一号门店", "kind": "store", "node_type": "supermarket"}))
    added = runner.invoke(app, ["subjects", "add-node", USCC, str(node), "--db", db_url])
    assert added.output.startswith("350100001")
    listed = runner.invoke(app, ["subjects", "list", "--db", db_url, "--json", "--status", "approved"])
    assert [s["key"] for s in orjson.loads(listed.stdout)] == [USCC]
    shown = orjson.loads(runner.invoke(app, ["subjects", "show", USCC, "--db", db_url]).stdout)
    assert shown["audit"][1]["actor"] == "审核员"
    missing = runner.invoke(app, ["subjects", "show", "91110000600037341L", "--db", db_url])
    assert missing.exit_code == 2


def test_invalid_filing_is_reported(db_url: str, tmp_path: Path) -> None:
    filing = tmp_path / "bad.json"
    filing.write_bytes(
        orjson.dumps(
            {
                "uscc": "91350100M000100Y44",
                "name": "x",
                "subject_type": "enterprise",
                "region": "350100",
                "node_types": ["supermarket"],
            }
        )
    )
    result = runner.invoke(app, ["subjects", "file", str(filing), "--db", db_url])
    assert result.exit_code == 2
    assert "校验码" in result.output
