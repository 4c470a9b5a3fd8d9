"""zhuisu codes issue|approve|reject|status|void|label, as an operator runs them."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import zxingcpp
from PIL import Image
from typer.testing import CliRunner

from zhuisu.cli.main import app

runner = CliRunner()
USCC = "91350100M000100Y43"


def filed(db_url: str, tmp_path: Path) -> None:
    filing = tmp_path / "filing.json"
    body = {
        "uscc": USCC,
        "name": "示范超市",
        "subject_type": "enterprise",
        "region": "350100",
        "node_types": ["supermarket"],
    }
    filing.write_bytes(orjson.dumps(body))
    assert runner.invoke(app, ["subjects", "file", str(filing), "--db", db_url]).exit_code == 0
    assert runner.invoke(app, ["subjects", "approve", USCC, "--db", db_url]).exit_code == 0


def test_issue_status_label_void(db_url: str, tmp_path: Path) -> None:
    filed(db_url, tmp_path)
    args = ["codes", "issue", "--subject", USCC, "--count", "3", "--product", "有机青菜", "--db", db_url]
    result = runner.invoke(app, [*args, "--json", "--actor", "操作员"])
    assert result.exit_code == 0, result.output
    doc = orjson.loads(result.stdout)
    assert doc["status"] == "issued" and doc["actor"] == "操作员"
    code = doc["first_code"]
    status = runner.invoke(app, ["codes", "status", code, "--db", db_url])
    assert orjson.loads(status.stdout)["status"] == "issued"
    png = tmp_path / "label.png"
    made = runner.invoke(app, ["codes", "label", code, "--format", "png", "-o", str(png), "--db", db_url])
    assert made.exit_code == 0, made.output
    assert zxingcpp.read_barcodes(Image.open(io.BytesIO(png.read_bytes())))[0].text.endswith(f"/t/{code}")
    pdf = tmp_path / "label.pdf"
    assert (
        runner.invoke(
            app, ["codes", "label", code, "--format", "pdf", "-o", str(pdf), "--db", db_url]
        ).exit_code
        == 0
    )
    assert pdf.read_bytes().startswith(b"%PDF-")
    svg = tmp_path / "label.svg"
    assert (
        runner.invoke(
            app, ["codes", "label", code, "-o", str(svg), "--symbol", "code128", "--db", db_url]
        ).exit_code
        == 0
    )
    assert "<svg" in svg.read_text()
    voided = runner.invoke(app, ["codes", "void", code, "--reason", "破损", "--db", db_url])
    assert voided.exit_code == 0 and "voided" in voided.output
    assert runner.invoke(app, ["codes", "void", code, "--reason", "x", "--db", db_url]).exit_code == 2


def test_pending_then_approve_or_reject(db_url: str, tmp_path: Path) -> None:
    filed(db_url, tmp_path)
    args = [
        "codes",
        "issue",
        "--subject",
        USCC,
        "--count",
        "2",
        "--product",
        "猪肉",
        "--pending",
        "--db",
        db_url,
    ]
    first = orjson.loads(runner.invoke(app, [*args, "--json"]).stdout)
    assert first["status"] == "requested"
    approved = runner.invoke(app, ["codes", "approve", str(first["id"]), "--db", db_url])
    assert approved.exit_code == 0 and "issued" in approved.output
    second = orjson.loads(runner.invoke(app, [*args, "--json"]).stdout)
    rejected = runner.invoke(
        app, ["codes", "reject", str(second["id"]), "--reason", "重复申请", "--db", db_url]
    )
    assert rejected.exit_code == 0 and "rejected" in rejected.output
    bad = runner.invoke(
        app,
        [
            "codes",
            "issue",
            "--subject",
            USCC,
            "--count",
            "1",
            "--product",
            "x",
            "--scheme",
            "gs1.sgtin",
            "--db",
            db_url,
        ],
    )
    assert bad.exit_code == 2
    missing = runner.invoke(
        app, ["codes", "label", "3501000000100000000017", "-o", str(tmp_path / "x"), "--db", db_url]
    )
    assert missing.exit_code == 2
