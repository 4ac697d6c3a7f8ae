"""Where Codex's files are, and a CODEX_HOME that Codex would refuse."""

from __future__ import annotations

from pathlib import Path

from codex_link.core.codex.home import resolve_codex_home
from codex_link.core.codex.settings import load_settings
from codex_link.core.model.findings import Severity


def test_default_home_is_dot_codex(tmp_path: Path) -> None:
    home = resolve_codex_home({}, tmp_path)
    assert home.path == tmp_path / ".codex"
    assert not home.from_env
    assert resolve_codex_home({"CODEX_HOME": "  "}, tmp_path).path == tmp_path / ".codex"


def test_missing_default_home_is_fine(tmp_path: Path) -> None:
    settings = load_settings(resolve_codex_home({}, tmp_path), {})
    assert not settings.config_exists
    assert settings.config_error is None
    assert settings.provider.id == "openai"
    assert settings.findings == ()


def test_codex_home_pointing_nowhere_is_an_error_not_a_crash(tmp_path: Path) -> None:
    env = {"CODEX_HOME": str(tmp_path / "missing")}
    settings = load_settings(resolve_codex_home(env, tmp_path), env)
    codes = {f.code: f for f in settings.findings}
    assert codes["codex_home_missing"].severity is Severity.ERROR
    assert str(tmp_path / "missing") in str(codes["codex_home_missing"].message)


def test_codex_home_that_is_a_file_is_an_error(tmp_path: Path) -> None:
    target = tmp_path / "afile"
    target.write_text("x")
    env = {"CODEX_HOME": str(target)}
    settings = load_settings(resolve_codex_home(env, tmp_path), env)
    assert [f.code for f in settings.findings] == ["codex_home_not_a_folder"]
    assert settings.config_error is None
