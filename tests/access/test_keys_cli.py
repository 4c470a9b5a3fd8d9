"""zhuisu keys create | list | revoke and zhuisu accounts create | list."""

from __future__ import annotations

import orjson
from sqlalchemy import Engine
from typer.testing import CliRunner

from zhuisu.access import accounts, keys
from zhuisu.cli.main import app
from zhuisu.errors import Unauthorized
from zhuisu.store.engine import read_connection

runner = CliRunner()


def test_keys_create_list_revoke(engine: Engine, db_url: str) -> None:
    made = runner.invoke(
        app,
        [
            "keys",
            "create",
            "--role",
            "regulator",
            "--region",
            "310000",
            "--name",
            "上海市监局",
            "--json",
            "--db",
            db_url,
        ],
    )
    assert made.exit_code == 0, made.output
    doc = orjson.loads(made.output)
    assert doc["regions"] == ["310000"] and doc["key"].startswith(doc["prefix"])
    with read_connection(engine) as conn:
        assert keys.key_row(conn, doc["key"]).id == doc["id"]
    listed = orjson.loads(runner.invoke(app, ["keys", "list", "--json", "--db", db_url]).output)
    assert [k["id"] for k in listed["keys"]] == [doc["id"]]
    assert doc["key"] not in str(listed)  # the key itself is shown only once
    assert runner.invoke(app, ["keys", "revoke", doc["id"], "--db", db_url]).exit_code == 0
    with read_connection(engine) as conn:
        try:
            keys.key_row(conn, doc["key"])
            raise AssertionError("a revoked key was accepted")
        except Unauthorized:
            pass
    again = runner.invoke(app, ["keys", "revoke", doc["id"], "--db", db_url])
    assert again.exit_code == 2


def test_keys_create_refuses_a_grant_that_does_not_fit(engine: Engine, db_url: str) -> None:
    bad = runner.invoke(app, ["keys", "create", "--role", "enterprise", "--db", db_url])
    assert bad.exit_code == 2
    assert "exactly one subject" in bad.output


def test_accounts_create_from_stdin_and_list(engine: Engine, db_url: str) -> None:
    made = runner.invoke(
        app,
        [
            "accounts",
            "create",
            "wang",
            "--role",
            "enterprise",
            "--subject",
            "91310101AAAAAAAA1A",
            "--password-stdin",
            "--db",
            db_url,
        ],
        input="correct horse battery\n",
    )
    assert made.exit_code == 0, made.output
    with read_connection(engine) as conn:
        assert accounts.authenticate(conn, "wang", "correct horse battery").subject_keys == (
            "91310101AAAAAAAA1A",
        )
    listed = orjson.loads(runner.invoke(app, ["accounts", "list", "--json", "--db", db_url]).output)
    assert listed["accounts"][0]["username"] == "wang" and "password" not in str(listed)
