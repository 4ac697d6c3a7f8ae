"""`codex-link config`: what a user (or a script) sees about their Codex set-up."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from codex_link.commands import config as config_command
from tests.corpus.loader import CONFIGS


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="codex-link")
    config_command.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["config", *argv])
    result: int = args.run(args)
    return result


def _json(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def test_json_for_a_default_setup(codex_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["--json"]) == 0
    data = _json(capsys)
    assert data["codex_home"] == str(codex_home)
    assert data["codex_home_from_env"] is True
    assert data["config_file"] == {
        "path": str(codex_home / "config.toml"),
        "exists": False,
        "parses": False,
        "error": None,
    }
    assert data["provider"]["id"] == "openai"
    assert data["websocket_enabled"] is True
    assert data["login"]["mode"] == "chatgpt"
    assert data["endpoints"] == {
        "http": "https://chatgpt.com/backend-api/codex/responses",
        "websocket": "wss://chatgpt.com/backend-api/codex/responses",
    }
    assert data["findings"] == []


def test_json_shows_http_only_proxies_profiles_and_findings(
    codex_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (codex_home / "config.toml").write_text(
        'model_provider = "openai_http"\n[model_providers.openai_http]\nname = "OpenAI"\n'
        "requires_openai_auth = true\nsupports_websockets = false\n"
        "[features]\nrespect_system_proxy = true\nresponses_websockets = false\n"
    )
    (codex_home / ".env").write_text("HTTPS_PROXY=http://me:pw@proxy.corp:3128\n")
    (codex_home / "work.config.toml").write_text('model_provider = "openai"\n')
    (codex_home / "auth.json").write_text('{"OPENAI_API_KEY": "sk-hidden"}')
    assert _run(["--json"]) == 0
    out = capsys.readouterr().out
    assert "sk-hidden" not in out
    assert "pw@" not in out
    data = json.loads(out)
    assert data["config_file"]["parses"] is True
    assert data["provider"]["id"] == "openai_http"
    assert data["websocket_enabled"] is False
    assert data["login"] == {"mode": "api_key", "source": "auth.json (stored API key)"}
    assert data["endpoints"]["http"] == "https://api.openai.com/v1/responses"
    assert data["respect_system_proxy"] is True
    assert data["dotenv_proxies"] == [
        {"name": "HTTPS_PROXY", "value": "http://***@proxy.corp:3128"}
    ]
    assert data["profiles"] == [
        {
            "name": "work",
            "model_provider": "openai",
            "path": str(codex_home / "work.config.toml"),
            "legacy_table": False,
        }
    ]
    codes = [f["code"] for f in data["findings"]]
    assert codes == ["removed_websocket_feature", "dotenv_proxy", "profile_sets_provider"]
    assert all(f["message"] and f["severity"] for f in data["findings"])


def test_malformed_config_exits_1_with_line_and_column(
    codex_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (codex_home / "config.toml").write_text('model = "o3"\n[model_providers\n')
    assert _run([]) == 1
    captured = capsys.readouterr()
    assert "line 2, column" in captured.err
    assert "[ERROR]" in captured.out
    assert _run(["--json"]) == 1
    data = _json(capsys)
    assert data["config_file"]["parses"] is False
    assert data["config_file"]["error"]["line"] == 2


def test_text_view_names_what_codex_uses(
    codex_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (codex_home / "config.toml").write_text('openai_base_url = "http://127.0.0.1:7890/v1"\n')
    assert _run([]) == 0
    out = capsys.readouterr().out
    assert "Provider            openai" in out
    assert "WebSocket           on" in out
    assert "ws://127.0.0.1:7890/v1/responses" in out
    assert "[WARNING]" in out
    assert "127.0.0.1:7890" in out


def test_text_view_says_when_codex_will_refuse_the_file(
    codex_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (codex_home / "config.toml").write_text('[model_providers.openai]\nname = "Mine"\n')
    assert _run([]) == 1  # Codex will not start with it
    out = capsys.readouterr().out
    assert "Codex will refuse to load it" in out
    assert "[ERROR]" in out


def test_toml_1_1_that_codex_accepts_is_not_called_broken(
    codex_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Multi-line inline tables, trailing commas, \\e and \\xHH, times without seconds."""
    (codex_home / "config.toml").write_bytes(
        (CONFIGS / "53_toml11_inline_custom_provider.toml").read_bytes()
    )
    assert _run([]) == 0
    out = capsys.readouterr().out
    assert "Codex will not start" not in out and "not valid TOML" not in out
    assert "corp" in out and "WebSocket           on" in out


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ('approval_policy = "untrusted"', "approval_policy_removed"),
        ('model_provider = ""', "unknown_provider"),
    ],
)
def test_settings_codex_refuses_are_errors_even_without_the_cli(
    codex_home: Path, capsys: pytest.CaptureFixture[str], line: str, code: str
) -> None:
    (codex_home / "config.toml").write_text(line + "\n")
    assert _run(["--json"]) == 1  # it parses, but Codex itself refuses it: the finding says so
    findings = {f["code"]: f["severity"] for f in _json(capsys)["findings"]}
    assert findings.get(code) == "error"
