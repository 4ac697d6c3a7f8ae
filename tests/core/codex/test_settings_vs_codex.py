"""The real Codex CLI as the judge: for varied set-ups, `codex doctor --json` must name the same
provider, WebSocket on/off and WebSocket endpoint as load_settings, and must refuse to load
the config exactly when load_settings reports an ERROR finding.

Network: every proxy variable points at a closed loopback port, so Codex's own reachability
checks fail at once and nothing leaves the machine.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from codex_link.core.codex.doctor import run_doctor
from codex_link.core.codex.settings import load_settings
from codex_link.core.model.codex_home import CodexHome
from codex_link.core.model.findings import Severity

CHATGPT = '{"auth_mode": "chatgpt"}'
APIKEY = '{"auth_mode": "apikey", "OPENAI_API_KEY": "dummy-key"}'
HTTP_ONLY = (
    'model_provider = "openai_http"\n\n[model_providers.openai_http]\nname = "OpenAI"\n'
    'wire_api = "responses"\nrequires_openai_auth = true\nsupports_websockets = false\n'
)


@dataclass(frozen=True)
class Case:
    config: str | None
    auth: str | None = CHATGPT
    env: dict[str, str] = field(default_factory=dict)
    dotenv: str | None = None


CASES = {
    "default-chatgpt": Case(None),
    "default-codex-api-key-env": Case(None, auth=None, env={"CODEX_API_KEY": "dummy-key"}),
    "codex-api-key-env-beats-chatgpt-file": Case(None, env={"CODEX_API_KEY": "dummy-key"}),
    "openai-api-key-env-does-not-beat-chatgpt-file": Case(
        None, env={"OPENAI_API_KEY": "dummy-key"}
    ),
    "auth-json-apikey": Case("", auth=APIKEY),
    "auth-json-stored-key-only": Case("", auth='{"OPENAI_API_KEY": "dummy-key"}'),
    "dotenv-api-key": Case(None, auth=None, dotenv="OPENAI_API_KEY=dummy-key\n"),
    "http-only-chatgpt": Case(HTTP_ONLY),
    "http-only-apikey": Case(HTTP_ONLY, auth=APIKEY),
    "custom-with-websockets": Case(
        'model_provider = "corp"\n[model_providers.corp]\nname = "Corp"\n'
        'base_url = "https://llm.corp.example/api/v2/"\nsupports_websockets = true\n'
    ),
    "custom-without-websockets": Case(
        'model_provider = "corp"\n[model_providers.corp]\nname = "Corp"\n'
        'base_url = "http://localhost:8080/v1"\n'
    ),
    "custom-no-base-url-follows-login": Case(
        'model_provider = "p"\n[model_providers.p]\nname = "P"\nsupports_websockets = true\n'
    ),
    "openai-base-url": Case('openai_base_url = "https://gw.example/v1/"\n', auth=APIKEY),
    "openai-base-url-loopback": Case('openai_base_url = "http://127.0.0.1:9/v1"\n'),
    "removed-feature-flags-keep-websockets": Case(
        "[features]\nresponses_websockets = false\nresponses_websockets_v2 = false\n"
    ),
    "legacy-profile-table-loads": Case('[profiles.work]\nmodel_provider = "ollama"\n'),
    "ollama": Case('model_provider = "ollama"\n'),
    "bedrock-base-url": Case(
        'model_provider = "amazon-bedrock"\n[model_providers.amazon-bedrock]\n'
        'base_url = "https://bedrock.example/v1"\n'
    ),
    # Set-ups Codex refuses to load:
    "reserved-openai-table": Case('[model_providers.openai]\nname = "Mine"\n'),
    "reserved-ollama-table": Case('[model_providers.ollama]\nname = "Mine"\n'),
    "root-profile-key": Case('profile = "work"\n[profiles.work]\nmodel = "o3"\n'),
    "malformed-toml": Case('model = "gpt-5\n'),
    "wire-api-chat": Case('[model_providers.c]\nname = "C"\nwire_api = "chat"\n'),
    "unknown-provider": Case('model_provider = "nowhere"\n'),
    "provider-without-name": Case('[model_providers.c]\nbase_url = "https://c.example/v1"\n'),
    "bedrock-table-extra-field": Case('[model_providers.amazon-bedrock]\nname = "B"\n'),
}


@pytest.fixture(scope="module")
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.mark.parametrize("name", list(CASES))
def test_codex_agrees(name: str, tmp_path: Path, codex_bin: Path, closed_port: int) -> None:
    case = CASES[name]
    home = tmp_path / "codex-home"
    home.mkdir()
    if case.config is not None:
        (home / "config.toml").write_text(case.config)
    if case.auth is not None:
        (home / "auth.json").write_text(case.auth)
    if case.dotenv is not None:
        (home / ".env").write_text(case.dotenv)
    dead_proxy = f"http://127.0.0.1:{closed_port}"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "HTTPS_PROXY": dead_proxy,
        "HTTP_PROXY": dead_proxy,
        "ALL_PROXY": dead_proxy,
        **case.env,
    }

    ours = load_settings(CodexHome(home, from_env=True), env)
    run = run_doctor(codex_bin, home, env, timeout_s=20)
    assert run.report is not None, run.reason
    report = run.report

    errors = [f.code for f in ours.findings if f.severity is Severity.ERROR]
    assert report.config_loaded == (not errors), (errors, report.check("config.load"))
    if errors:
        return

    codex_ws = report.websocket
    assert codex_ws is not None
    assert codex_ws.details["model provider"] == ours.provider.id
    assert codex_ws.details["supports websockets"] == str(ours.websockets_enabled).lower()
    if ours.websockets_enabled:
        # Codex shows the endpoint up to the first path segment, then "<redacted>".
        prefix = codex_ws.details["endpoint"].split("<redacted>")[0]
        assert prefix.startswith(("ws://", "wss://"))
        assert ours.endpoints.websocket_url.startswith(prefix)
    else:
        assert codex_ws.summary == "Responses WebSocket is not enabled for the active provider"
