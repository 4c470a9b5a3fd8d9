"""``zhuisu demo --no-serve`` in a subprocess, then the app on the same database: the printed URLs work."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import orjson
from fastapi import FastAPI
from fastapi.testclient import TestClient

from zhuisu.api.app import create_app
from zhuisu.settings import Settings


def _demo(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "zhuisu.cli.main", "demo", "--no-serve", "--db", db, "--days", "3", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def _signed_in_get(app: FastAPI, account: dict[str, str], path: str) -> int:
    with TestClient(app) as client:
        client.post("/login", data={"username": account["username"], "password": account["password"]})
        return client.get(path, follow_redirects=False).status_code


def test_zhuisu_demo_builds_once_and_its_urls_answer(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'zhuisu.sqlite3'}"
    run = _demo(db)
    assert run.returncode == 0, run.stderr
    assert "已建成 built" in run.stdout
    manifest = orjson.loads((tmp_path / "zhuisu.demo.json").read_bytes())
    urls = re.findall(r"http://127\.0\.0\.1:8000(/\S*)", run.stdout)
    assert "/docs" in urls and any(u.startswith("/trace/") for u in urls)
    logins = manifest["logins"]
    app = create_app(Settings(database_url=db))
    with TestClient(app) as anonymous:
        closed = [p for p in urls if anonymous.get(p, follow_redirects=False).status_code != 200]
    for path in closed:  # a page behind a login answers to one of the printed demo logins
        assert logins["available"], path
        assert any(_signed_in_get(app, a, path) == 200 for a in logins["accounts"]), path
    for account in logins["accounts"]:
        assert f"{account['username']} / {account['password']}" in run.stdout
    if not logins["available"]:
        assert "demo logins unavailable" in run.stdout

    again = _demo(db)  # the database has its demo: nothing is built twice
    assert again.returncode == 0, again.stderr
    assert "已存在 already there" in again.stdout
    assert orjson.loads((tmp_path / "zhuisu.demo.json").read_bytes()) == manifest


def test_a_database_with_other_data_is_left_alone_unless_forced(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'zhuisu.sqlite3'}"
    assert _demo(db).returncode == 0
    (tmp_path / "zhuisu.demo.json").unlink()
    refused = _demo(db)
    assert refused.returncode == 2 and "not the demo city" in refused.stderr
    forced = _demo(db, "--force", "--seed", "9")
    assert forced.returncode == 0, forced.stderr
    assert orjson.loads((tmp_path / "zhuisu.demo.json").read_bytes())["seed"] == 9
