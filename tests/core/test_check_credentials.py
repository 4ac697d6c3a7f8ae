"""The deep check's login: exactly what the real Codex CLI 0.169.0 sends on its upgrade to the
active provider (seen with a loopback endpoint logging every header), and nothing when that
is in doubt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codex_link.core.codex.home import resolve_codex_home
from codex_link.core.codex.settings import load_settings
from codex_link.core.deep_credentials import (
    DeepLogin,
    NoDeepCheck,
    read_deep_login,
)

TOKEN = "eyJ-SECRET-access-token"
KEY = "sk-SECRET-api-key"
PROVIDER_TOKEN = "provider-SECRET-token"
CHATGPT = {
    "auth_mode": "chatgpt",
    "tokens": {"access_token": TOKEN, "account_id": "acct-1", "refresh_token": "r"},
}


@pytest.fixture
def env(isolated_home: Path) -> dict[str, str]:
    codex_home = isolated_home / ".codex"
    codex_home.mkdir()
    return {"HOME": str(isolated_home), "CODEX_HOME": str(codex_home)}


def auth(env: dict[str, str], data: object) -> None:
    (Path(env["CODEX_HOME"]) / "auth.json").write_text(json.dumps(data))


def config(env: dict[str, str], body: str) -> None:
    (Path(env["CODEX_HOME"]) / "config.toml").write_text(body)


def custom(extra: str) -> str:
    return (
        'model_provider = "corp"\n[model_providers.corp]\nname = "Corp"\n'
        'base_url = "https://llm.corp.example/v1"\nsupports_websockets = true\n' + extra
    )


def sent(env: dict[str, str]) -> dict[str, str] | str:
    """The headers the deep check would add, or the reason it does not run."""
    found = read_deep_login(load_settings(resolve_codex_home(env), env), env)
    return found.reason.render() if isinstance(found, NoDeepCheck) else dict(found.headers)


def test_chatgpt_login_from_auth_json(env: dict[str, str]) -> None:
    auth(env, CHATGPT)
    assert sent(env) == {"Authorization": f"Bearer {TOKEN}", "ChatGPT-Account-ID": "acct-1"}


def test_api_key_from_auth_json(env: dict[str, str]) -> None:
    auth(env, {"auth_mode": "apikey", "OPENAI_API_KEY": KEY})
    assert sent(env) == {"Authorization": f"Bearer {KEY}"}


def test_codex_variables_win_as_they_do_for_codex(env: dict[str, str]) -> None:
    auth(env, CHATGPT)
    assert sent({**env, "CODEX_API_KEY": KEY}) == {"Authorization": f"Bearer {KEY}"}
    assert sent({**env, "CODEX_ACCESS_TOKEN": "env-token"}) == {"Authorization": "Bearer env-token"}


def test_openai_api_key_in_the_environment_is_never_sent(env: dict[str, str]) -> None:
    """Codex logs in with it as API key mode, yet sends no bearer token from it."""
    reason = sent({**env, "OPENAI_API_KEY": KEY})
    assert isinstance(reason, str) and "OPENAI_API_KEY" in reason and KEY not in reason


def test_a_custom_provider_gets_its_own_token_never_the_openai_login(env: dict[str, str]) -> None:
    auth(env, CHATGPT)
    config(
        env,
        custom(
            f'experimental_bearer_token = "{PROVIDER_TOKEN}"\n'
            'http_headers = { "X-Team" = "blue" }\n'
            'env_http_headers = { "X-Project" = "CORP_PROJECT" }\n'
        ),
    )

    headers = sent({**env, "CODEX_API_KEY": KEY, "CORP_PROJECT": "p-7"})

    assert headers == {
        "Authorization": f"Bearer {PROVIDER_TOKEN}",
        "X-Team": "blue",
        "X-Project": "p-7",
    }


def test_env_key_beats_the_token_and_a_missing_one_stops_the_deep_check(
    env: dict[str, str],
) -> None:
    config(env, custom(f'env_key = "CORP_KEY"\nexperimental_bearer_token = "{PROVIDER_TOKEN}"\n'))
    assert sent({**env, "CORP_KEY": "corp-key"}) == {"Authorization": "Bearer corp-key"}
    reason = sent(env)
    assert isinstance(reason, str) and "CORP_KEY" in reason and "did not run" in reason


def test_a_key_from_codex_dotenv_counts_as_codex_loads_it(env: dict[str, str]) -> None:
    config(env, custom('env_key = "CORP_KEY"\n'))
    (Path(env["CODEX_HOME"]) / ".env").write_text("CORP_KEY=from-dotenv\n")
    assert sent(env) == {"Authorization": "Bearer from-dotenv"}


def test_a_custom_provider_with_openai_auth_gets_the_openai_login(env: dict[str, str]) -> None:
    auth(env, CHATGPT)
    config(env, custom("requires_openai_auth = true\n"))
    assert sent(env) == {"Authorization": f"Bearer {TOKEN}", "ChatGPT-Account-ID": "acct-1"}


def test_a_custom_provider_without_any_login_gets_nothing(env: dict[str, str]) -> None:
    auth(env, CHATGPT)
    config(env, custom(""))
    assert sent(env) == {}


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (custom('[model_providers.corp.auth]\ncommand = "get-token"\n'), "from a command"),
        ('cli_auth_credentials_store = "keyring"\n', "keyring"),
        ('model_provider = "amazon-bedrock"\n', "cloud login"),
    ],
)
def test_in_doubt_nothing_is_sent(env: dict[str, str], body: str, words: str) -> None:
    auth(env, CHATGPT)
    config(env, body)
    reason = sent(env)
    assert isinstance(reason, str) and words in reason and TOKEN not in reason


def test_signed_out_means_no_deep_check(env: dict[str, str]) -> None:
    signed_out = sent(env)
    assert isinstance(signed_out, str) and "no Codex login was found" in signed_out
    auth(env, {"auth_mode": "chatgpt", "tokens": {"access_token": ""}})
    assert sent(env) == signed_out
    (Path(env["CODEX_HOME"]) / "auth.json").write_text("{not json")
    assert sent(env) == signed_out


def test_the_secret_never_shows_in_repr(env: dict[str, str]) -> None:
    auth(env, CHATGPT)
    found = read_deep_login(load_settings(resolve_codex_home(env), env), env)
    assert isinstance(found, DeepLogin) and found.sends_login
    assert TOKEN not in repr(found) and "acct-1" not in repr(found)
