"""Settings: environment, guai.toml, and clear errors for unknown keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from guai.config import ConfigError, load_settings


def test_guai_home_and_database_url_from_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GUAI_HOME", str(tmp_path / "office"))
    settings = load_settings()
    assert settings.resolved_database_url == f"sqlite:///{(tmp_path / 'office' / 'guai.db').resolve()}"
    monkeypatch.setenv("GUAI_DATABASE_URL", "postgresql://guai:pw@db.example/guai")
    assert load_settings().resolved_database_url == "postgresql://guai:pw@db.example/guai"


def test_toml_file_is_read_and_env_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "guai.toml").write_text('district_name = "성동구"\nport = 9000\n', encoding="utf-8")
    assert load_settings().district_name == "성동구"
    monkeypatch.setenv("GUAI_PORT", "9100")
    assert load_settings().port == 9100


def test_unknown_toml_key_names_the_key_and_the_allowed_ones(tmp_path: Path) -> None:
    (tmp_path / "guai.toml").write_text('distrct_name = "성동구"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="distrct_name") as info:
        load_settings()
    assert "district_name" in str(info.value)


def test_unknown_env_variable_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUAI_DATABSE_URL", "sqlite://")
    with pytest.raises(ConfigError, match="GUAI_DATABSE_URL"):
        load_settings()


def test_cli_reports_config_error_with_exit_code(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GUAI_PORTT", "1")
    result = cli("init")
    assert result.exit_code == 2
    assert "GUAI_PORTT" in result.stderr


def test_cli_unreachable_database_is_one_clear_message(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GUAI_DATABASE_URL", "postgresql://nobody:pw@127.0.0.1:1/none")
    result = cli("init")
    assert result.exit_code == 3
    assert "데이터베이스에 연결할 수 없습니다" in result.stderr
    assert "GUAI_DATABASE_URL" in result.stderr
    assert "pw@" not in result.stderr  # the password is not printed
