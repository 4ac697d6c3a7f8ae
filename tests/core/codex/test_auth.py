"""Which login Codex uses: it decides whether Codex calls chatgpt.com or api.openai.com."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from codex_link.core.codex.auth import resolve_login_mode
from codex_link.core.model.codex_settings import LoginMode
from codex_link.core.model.findings import Severity

SECRET = "sk-very-secret-value"


def _auth(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "auth.json"
    path.write_text(json.dumps(data))
    return path


def test_no_login_at_all_assumes_chatgpt(tmp_path: Path) -> None:
    login = resolve_login_mode(tmp_path / "auth.json", {})
    assert login.mode is LoginMode.CHATGPT
    assert "not signed in" in login.source
    assert login.finding is None


def test_codex_api_key_env_beats_a_chatgpt_auth_file(tmp_path: Path) -> None:
    path = _auth(tmp_path, {"auth_mode": "chatgpt"})
    login = resolve_login_mode(path, {"CODEX_API_KEY": SECRET})
    assert login.mode is LoginMode.API_KEY
    assert login.source == "CODEX_API_KEY environment variable"


def test_access_token_env_means_chatgpt(tmp_path: Path) -> None:
    login = resolve_login_mode(tmp_path / "auth.json", {"CODEX_ACCESS_TOKEN": "tok"})
    assert login.mode is LoginMode.CHATGPT
    assert "CODEX_ACCESS_TOKEN" in login.source


def test_openai_api_key_env_counts_only_without_an_auth_file(tmp_path: Path) -> None:
    env = {"OPENAI_API_KEY": SECRET}
    assert resolve_login_mode(tmp_path / "auth.json", env).mode is LoginMode.API_KEY
    path = _auth(tmp_path, {"auth_mode": "chatgpt"})
    assert resolve_login_mode(path, env).mode is LoginMode.CHATGPT


@pytest.mark.parametrize(
    ("data", "mode", "source"),
    [
        ({"auth_mode": "chatgpt", "OPENAI_API_KEY": SECRET}, LoginMode.CHATGPT, "auth_mode"),
        ({"auth_mode": "apikey", "OPENAI_API_KEY": SECRET}, LoginMode.API_KEY, "auth_mode"),
        ({"auth_mode": "chatgptAuthTokens"}, LoginMode.CHATGPT, "auth_mode"),
        ({"OPENAI_API_KEY": SECRET}, LoginMode.API_KEY, "stored API key"),
        ({"OPENAI_API_KEY": ""}, LoginMode.API_KEY, "stored API key"),
        (
            {"OPENAI_API_KEY": None, "tokens": {"access_token": SECRET}},
            LoginMode.CHATGPT,
            "ChatGPT",
        ),
        ({}, LoginMode.CHATGPT, "ChatGPT"),
    ],
)
def test_auth_file_modes(tmp_path: Path, data: object, mode: LoginMode, source: str) -> None:
    login = resolve_login_mode(_auth(tmp_path, data), {})
    assert login.mode is mode
    assert source in login.source
    assert SECRET not in repr(login)


@pytest.mark.parametrize("content", [b"garbage", b"[1, 2]", b'{"auth_mode": "api_key"}', b"\xff"])
def test_unusable_auth_file_gives_chatgpt_and_a_finding(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "auth.json"
    path.write_bytes(content)
    login = resolve_login_mode(path, {})
    assert login.mode is LoginMode.CHATGPT
    assert login.finding is not None
    assert login.finding.code == "auth_unreadable"
    assert login.finding.severity is Severity.WARNING
    assert "codex login" in str(login.finding.message)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_auth_file_is_a_finding(tmp_path: Path) -> None:
    path = _auth(tmp_path, {"auth_mode": "apikey"})
    path.chmod(0)
    login = resolve_login_mode(path, {})
    assert login.mode is LoginMode.CHATGPT
    assert login.finding is not None


def test_keyring_store_is_not_opened(tmp_path: Path) -> None:
    login = resolve_login_mode(tmp_path / "auth.json", {}, credentials_store="keyring")
    assert login.mode is LoginMode.CHATGPT
    assert "keyring" in login.source
