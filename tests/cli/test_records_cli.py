"""zhuisu import FILE: progress, --json report, bad rows, --keep-good-rows, idempotent re-import."""

from __future__ import annotations

from pathlib import Path

import orjson
from typer.testing import CliRunner

from zhuisu.cli.main import app
from zhuisu.domain.templates import STEPS

runner = CliRunner()
STEP = "veg.wholesale.entry"


def write_csv(path: Path, *, bad: bool = False) -> Path:
    step = STEPS[STEP]
    lines = [",".join(sf.field.zh for sf in step.fields)]
    for i in range(3):
        values = {sf.field.key: sf.field.example for sf in step.fields}
        values["trace_code"] = f"370600004000{i:08d}"
        if bad and i == 1:
            values["weight_kg"] = "abc"
        lines.append(",".join(values[sf.field.key] for sf in step.fields))
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8-sig"))
    return path


def test_import_and_reimport(tmp_path: Path, db_url: str) -> None:
    path = write_csv(tmp_path / "veg.csv")
    first = runner.invoke(app, ["import", str(path), "--step", STEP, "--json", "--db", db_url])
    assert first.exit_code == 0, first.output
    report = orjson.loads(first.stdout)
    assert (report["inserted"], report["encoding"]) == (3, "utf-8-sig")
    second = runner.invoke(app, ["import", str(path), "--step", STEP, "--db", db_url])
    assert second.exit_code == 0 and "重复 duplicates 3" in second.stdout


def test_bad_rows(tmp_path: Path, db_url: str) -> None:
    path = write_csv(tmp_path / "bad.csv", bad=True)
    result = runner.invoke(app, ["import", str(path), "--step", STEP, "--json", "--db", db_url])
    assert result.exit_code == 1
    report = orjson.loads(result.stdout)
    assert report["inserted"] == 0
    assert [(p["index"], p["path"], p["code"]) for p in report["problems"]] == [
        (3, "重量", "record.invalid_number")
    ]
    kept = runner.invoke(
        app, ["import", str(path), "--step", STEP, "--keep-good-rows", "--json", "--db", db_url]
    )
    assert kept.exit_code == 1 and orjson.loads(kept.stdout)["inserted"] == 2
