"""load_settings: what Codex will use, and what the user must hear about, from real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from codex_link.core.codex.settings import load_settings
from codex_link.core.model.codex_home import CodexHome
from codex_link.core.model.codex_settings import CodexSettings, LoginMode
from codex_link.core.model.findings import Severity


def _load(
    home: Path, config: str | None = None, env: dict[str, str] | None = None, **files: str
) -> CodexSettings:
    home.mkdir(exist_ok=True)
    if config is not None:
        (home / "config.toml").write_text(config)
    for name, content in files.items():
        (home / name.replace("__", ".")).write_text(content)
    return load_settings(CodexHome(home, from_env=True), env or {})


def _codes(settings: CodexSettings) -> dict[str, Severity]:
    return {f.code: f.severity for f in settings.findings}


def test_default_setup_uses_openai_websockets_and_chatgpt(tmp_path: Path) -> None:
    settings = _load(tmp_path / "h")
    assert settings.provider.id == "openai"
    assert settings.websockets_enabled
    assert settings.login_mode is LoginMode.CHATGPT
    assert settings.endpoints.websocket_url == "wss://chatgpt.com/backend-api/codex/responses"
    assert not settings.config_exists
    assert not settings.respect_system_proxy
    assert settings.findings == ()


def test_http_only_provider_turns_websockets_off(tmp_path: Path) -> None:
    settings = _load(
        tmp_path / "h",
        'model_provider = "openai_http"\n\n[model_providers.openai_http]\nname = "OpenAI"\n'
        'wire_api = "responses"\nrequires_openai_auth = true\nsupports_websockets = false\n',
        auth__json='{"auth_mode": "apikey", "OPENAI_API_KEY": "sk-x"}',
    )
    assert settings.config_exists
    assert settings.provider.id == "openai_http"
    assert not settings.websockets_enabled
    assert settings.login_mode is LoginMode.API_KEY
    assert settings.login_source == "auth.json (auth_mode)"
    assert settings.endpoints.http_url == "https://api.openai.com/v1/responses"
    assert settings.findings == ()


def test_malformed_config_reports_line_and_column_and_keeps_defaults(tmp_path: Path) -> None:
    settings = _load(tmp_path / "h", 'model = "gpt-5"\nmodel_provider = "x\n')
    assert settings.config_error is not None
    # The string runs to the end of line 2 (19 characters): Codex reports the same place.
    assert (settings.config_error.line, settings.config_error.column) == (2, 20)
    assert _codes(settings) == {"config_malformed": Severity.ERROR}
    assert "line 2, column 20" in str(settings.findings[0].message)
    assert settings.provider.id == "openai"


def test_unreadable_config_is_a_clear_error(tmp_path: Path) -> None:
    home = tmp_path / "h"
    (home / "config.toml").mkdir(parents=True)  # reading it fails even for root
    settings = _load(home)
    assert settings.config_error is not None
    assert _codes(settings) == {"config_unreadable": Severity.ERROR}


@pytest.mark.parametrize(
    ("config", "code"),
    [
        ('[model_providers.openai]\nname = "Mine"\n', "reserved_provider_table"),
        ('[model_providers.lmstudio]\nname = "L"\n', "reserved_provider_table"),
        ('profile = "work"\n', "root_profile_key"),
        ('model_provider = "nowhere"\n', "unknown_provider"),
        ('[model_providers.c]\nname = "C"\nwire_api = "chat"\n', "wire_api_chat"),
        ('[model_providers.c]\nname = "C"\nwire_api = "grpc"\n', "wire_api_unknown"),
        ('[model_providers.c]\nbase_url = "https://c.example/v1"\n', "provider_name_missing"),
        ('[model_providers.amazon-bedrock]\nname = "B"\n', "bedrock_table_fields"),
    ],
)
def test_configs_codex_refuses_are_errors(tmp_path: Path, config: str, code: str) -> None:
    assert _codes(_load(tmp_path / "h", config)) == {code: Severity.ERROR}


def test_removed_websocket_flags_are_warned_about(tmp_path: Path) -> None:
    settings = _load(
        tmp_path / "h",
        "[features]\nresponses_websockets = false\nresponses_websockets_v2 = false\n"
        "respect_system_proxy = true\n",
    )
    assert [f.code for f in settings.findings] == ["removed_websocket_feature"] * 2
    assert settings.websockets_enabled  # the flags do not turn WebSockets off
    assert settings.respect_system_proxy


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/v1", "http://localhost:3000", "http://[::1]:9/v1"]
)
def test_openai_base_url_on_this_computer_is_a_warning(tmp_path: Path, url: str) -> None:
    settings = _load(tmp_path / "h", f'openai_base_url = "{url}"\n')
    assert _codes(settings) == {"loopback_base_url": Severity.WARNING}
    assert settings.openai_base_url == url
    assert settings.endpoints.http_url == url.rstrip("/") + "/responses"


def test_loopback_custom_provider_warns_but_local_builtins_do_not(tmp_path: Path) -> None:
    custom = _load(
        tmp_path / "a",
        'model_provider = "gw"\n[model_providers.gw]\nname = "GW"\n'
        'base_url = "http://127.0.0.2:4000/v1"\n',
    )
    assert _codes(custom) == {"loopback_base_url": Severity.WARNING}
    assert "model_providers.gw.base_url" in str(custom.findings[0].message)
    assert _load(tmp_path / "b", 'model_provider = "ollama"\n').findings == ()
    remote = _load(tmp_path / "c", 'openai_base_url = "https://gw.corp.example/v1"\n')
    assert remote.findings == ()


def test_dotenv_proxies_are_named_with_passwords_hidden(tmp_path: Path) -> None:
    settings = _load(
        tmp_path / "h",
        env={"HTTPS_PROXY": "http://shell-proxy:1"},
        __env="HTTPS_PROXY=http://bob:hunter2@proxy.corp:3128\nno_proxy=.corp\nFOO=bar\n",
    )
    assert settings.dotenv_proxies == (
        ("HTTPS_PROXY", "http://bob:hunter2@proxy.corp:3128"),
        ("no_proxy", ".corp"),
    )
    (finding,) = settings.findings
    assert finding.code == "dotenv_proxy"
    message = str(finding.message)
    assert "http://***@proxy.corp:3128" in message
    assert "hunter2" not in message


def test_dotenv_api_key_changes_the_login_like_it_does_for_codex(tmp_path: Path) -> None:
    settings = _load(tmp_path / "h", __env="OPENAI_API_KEY=sk-from-dotenv\nCODEX_API_KEY=x\n")
    assert settings.login_mode is LoginMode.API_KEY
    assert settings.login_source == "OPENAI_API_KEY environment variable"
    assert settings.endpoints.websocket_url == "wss://api.openai.com/v1/responses"


def test_profiles_with_their_own_provider_are_listed(tmp_path: Path) -> None:
    home = tmp_path / "h"
    settings = _load(
        home,
        '[profiles.old]\nmodel_provider = "ollama"\n[profiles.plain]\nmodel = "o3"\n',
        work__config__toml='model_provider = "openai"\n',
        local__config__toml='model_provider = "lm"\n[model_providers.lm]\nname = "LM"\n',
        broken__config__toml="model_provider = \n",
        notes__config__toml='model = "gpt-5"\n',
    )
    by_name = {p.name: p for p in settings.profiles}
    assert set(by_name) == {"work", "local", "old"}
    assert by_name["work"].model_provider == "openai"
    assert by_name["work"].path == home / "work.config.toml"
    assert by_name["old"].legacy_table
    severities = [(f.code, f.severity) for f in settings.findings]
    assert ("profile_sets_provider", Severity.WARNING) in severities  # work: WebSockets on
    assert ("profile_sets_provider", Severity.INFO) in severities  # local: off
    assert ("legacy_profile_table", Severity.INFO) in severities
    assert ("profile_malformed", Severity.WARNING) in severities
    work = next(f for f in settings.findings if f.path == home / "work.config.toml")
    assert "--profile work" in str(work.message)
    assert settings.provider.id == "openai"  # profiles never change the default run


def test_oss_port_from_dotenv_moves_the_local_provider(tmp_path: Path) -> None:
    settings = _load(tmp_path / "h", 'model_provider = "lmstudio"\n', __env="CODEX_OSS_PORT=1\n")
    # CODEX_* names in .env are ignored by Codex, so the default port stays.
    assert settings.endpoints.http_url == "http://localhost:1234/v1/responses"
    env_port = _load(
        tmp_path / "g", 'model_provider = "lmstudio"\n', env={"CODEX_OSS_PORT": "4321"}
    )
    assert env_port.endpoints.websocket_url == "ws://localhost:4321/v1/responses"
