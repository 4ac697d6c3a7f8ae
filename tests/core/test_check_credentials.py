"""The deep check's login reader: the login Codex itself would send, read only when asked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codex_link.core.codex.home import resolve_codex_home
from codex_link.core.codex.settings import load_settings
from codex_link.core.deep_credentials import read_ws_credentials

TOKEN = "eyJ-SECRET-access-token"
KEY = "sk-SECRET-api-key"


@pytest.fixture
def env(isolated_home: Path) -> dict[str, str]:
    codex_home = isolated_home / ".codex"
    codex_home.mkdir()
    return {"HOME": str(isolated_home), "CODEX_HOME": str(codex_home)}


def auth(env: dict[str, str], data: object) -> None:
    (Path(env["CODEX_HOME"]) / "auth.json").write_text(json.dumps(data))


def read(env: dict[str, str]) -> tuple[str, str | None] | None:
    credentials = read_ws_credentials(load_settings(resolve_codex_home(env), env), env)
    return None if credentials is None else (credentials.bearer_token, credentials.account_id)


def test_chatgpt_login_from_auth_json(env: dict[str, str]) -> None:
    auth(env, {"auth_mode": "chatgpt",
               "tokens": {"access_token": TOKEN, "account_id": "acct-1", "refresh_token": "r"}})
    assert read(env) == (TOKEN, "acct-1")


def test_api_key_from_auth_json(env: dict[str, str]) -> None:
    auth(env, {"auth_mode": "apikey", "OPENAI_API_KEY": KEY})
    assert read(env) == (KEY, None)


def test_environment_wins_as_it_does_for_codex(env: dict[str, str]) -> None:
    auth(env, {"auth_mode": "chatgpt", "tokens": {"access_token": TOKEN}})
    assert read({**env, "CODEX_API_KEY": KEY}) == (KEY, None)
    assert read({**env, "CODEX_ACCESS_TOKEN": "env-token"}) == ("env-token", None)


def test_nothing_to_read_means_no_login(env: dict[str, str]) -> None:
    assert read(env) is None  # signed out
    auth(env, {"auth_mode": "chatgpt", "tokens": {"access_token": ""}})
    assert read(env) is None
    (Path(env["CODEX_HOME"]) / "auth.json").write_text("{not json")
    assert read(env) is None


def test_the_secret_never_shows_in_repr(env: dict[str, str]) -> None:
    auth(env, {"auth_mode": "chatgpt", "tokens": {"access_token": TOKEN, "account_id": "acct-9"}})
    credentials = read_ws_credentials(load_settings(resolve_codex_home(env), env), env)
    assert credentials is not None
    assert TOKEN not in repr(credentials) and "acct-9" not in repr(credentials)
