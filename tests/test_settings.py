"""Every setting has a default and a description, and docs/operations.md documents each one."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhuisu.settings import Settings

DOCS = Path(__file__).resolve().parents[1] / "docs" / "operations.md"


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_setting_is_described_and_documented(name: str) -> None:
    field = Settings.model_fields[name]
    assert field.description, f"{name} has no description"
    assert not field.is_required(), f"{name} has no default"
    assert f"ZHUISU_{name.upper()}" in DOCS.read_text(encoding="utf-8"), f"ZHUISU_{name.upper()} not in docs"


def test_env_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZHUISU_CAPTURE_LIMIT", "7")
    assert Settings().capture_limit == 7


def test_default_database_is_sqlite_under_data_dir(tmp_path: Path) -> None:
    url = Settings(data_dir=tmp_path).resolved_database_url()
    assert url == f"sqlite:///{tmp_path / 'zhuisu.sqlite3'}"
