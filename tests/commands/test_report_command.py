"""`codex-link report` as a user runs it before asking for help: a real subprocess against the
loopback harness, through a proxy that needs a password."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.commands.test_check_command import child_env, config
from tests.harness.endpoint import Behaviour, FakeEndpoint
from tests.harness.processes import run_codex_link
from tests.harness.proxies import TinyProxy

API_KEY = "sk-proj-REPORT-never-print-1234"
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJlLXNlY3JldA"


def run_report(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_codex_link(env, "report", *args)


def test_report_explains_a_blocked_websocket_and_leaves_every_secret_out(
    codex_home: Path, harness_ca_pem: Path, endpoint: FakeEndpoint, http_proxy_auth: TinyProxy
) -> None:
    endpoint.ws_behaviour = Behaviour.UPGRADE_426
    config(codex_home, f'openai_base_url = "{endpoint.base_url}"\n')
    (codex_home / "auth.json").write_text(
        json.dumps(
            {"auth_mode": "chatgpt", "tokens": {"access_token": TOKEN, "refresh_token": TOKEN}}
        )
    )
    (codex_home / ".env").write_text(f"OPENAI_API_KEY={API_KEY}\n")
    env = child_env(codex_home, harness_ca_pem, HTTPS_PROXY=http_proxy_auth.url_with_auth)

    done = run_report(env, "--timeout", "5")

    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("Codex Link diagnostics\n")
    assert "Verdict: ws_blocked" in out and "status 426" in out
    assert f"127.0.0.1:{http_proxy_auth.port}" in out  # the route is named...
    assert "HTTPS_PROXY" in out
    for secret in (http_proxy_auth.password, API_KEY, TOKEN, TOKEN[:20]):  # ...its secrets not
        assert secret not in out + done.stderr


def test_report_with_bad_arguments_is_a_usage_error(codex_home: Path, harness_ca_pem: Path) -> None:
    done = run_report(child_env(codex_home, harness_ca_pem), "--timeout", "never")

    assert done.returncode == 2
    assert "not a number of seconds" in done.stderr
