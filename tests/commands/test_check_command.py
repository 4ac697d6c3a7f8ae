"""`codex-link check` as users and scripts run it: a real subprocess against the harness."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from codex_link.commands.check import EXIT_DOWN, EXIT_READY, EXIT_USAGE, EXIT_WS_BLOCKED
from tests.harness.endpoint import Behaviour, FakeEndpoint
from tests.harness.processes import run_codex_link

REPO = Path(__file__).resolve().parents[2]
SECRET = "sk-proj-SECRET-do-not-print-9f8e7d"
ACCOUNT = "acct-SECRET-77"


def child_env(home: Path, ca_pem: Path, **extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "TMPDIR")}
    return {
        **keep,
        "HOME": str(home.parent),
        "CODEX_HOME": str(home),
        "CODEX_CA_CERTIFICATE": str(ca_pem),
        **extra,
    }


def run_check(
    env: dict[str, str], *args: str, timeout_s: float = 60.0
) -> subprocess.CompletedProcess[str]:
    return run_codex_link(env, "check", *args, timeout_s=timeout_s)


def config(home: Path, body: str) -> None:
    (home / "config.toml").write_text(body, encoding="utf-8")


def parsed(out: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(out)
    return data


def test_json_report_for_a_healthy_endpoint(
    codex_home: Path, harness_ca_pem: Path, endpoint: FakeEndpoint
) -> None:
    config(codex_home, f'openai_base_url = "{endpoint.base_url}"\n')
    done = run_check(child_env(codex_home, harness_ca_pem), "--json")
    assert done.returncode == EXIT_READY, done.stderr
    data = parsed(done.stdout)
    assert data["health"] == "ready_ws" and data["provisional"] is False
    assert data["advice"] == [] and data["expected_wait_s"] == 0.0
    by_transport = {p["transport"]: p for p in data["probes"]}
    assert set(by_transport) == {"http", "websocket"}
    ws = by_transport["websocket"]
    assert ws["reachable"] is True and ws["status"] == 101 and ws["failure"] is None
    assert ws["route"] == "direct" and ws["url"] == endpoint.ws_url
    assert {"tls_ms", "response_ms"} <= set(ws["timings"])
    assert isinstance(data["alternatives"], list) and isinstance(data["findings"], list)


def test_text_report_says_it_in_words(
    codex_home: Path, harness_ca_pem: Path, endpoint: FakeEndpoint
) -> None:
    config(codex_home, f'openai_base_url = "{endpoint.base_url}"\n')
    done = run_check(child_env(codex_home, harness_ca_pem))
    assert done.returncode == EXIT_READY
    assert "HTTP" in done.stdout and "WebSocket" in done.stdout
    assert "Verdict (ready_ws): WebSocket and HTTP work" in done.stdout


def test_watch_prints_the_provisional_verdict_first(
    codex_home: Path, harness_ca_pem: Path, endpoint: FakeEndpoint
) -> None:
    endpoint.ws_behaviour = Behaviour.BLACKHOLE
    config(
        codex_home,
        'model_provider = "h"\n[model_providers.h]\nname = "H"\n'
        f'base_url = "{endpoint.base_url}"\nsupports_websockets = true\n'
        "websocket_connect_timeout_ms = 4500\n",
    )
    start = time.monotonic()
    done = run_check(child_env(codex_home, harness_ca_pem), "--json", "--watch")
    elapsed = time.monotonic() - start
    assert done.returncode == EXIT_WS_BLOCKED, done.stderr
    first, final = (parsed(line) for line in done.stdout.splitlines())
    assert first["provisional"] is True and first["health"] == "ws_blocked"
    assert [p["transport"] for p in first["probes"]] == ["http"]
    assert final["provisional"] is False and final["health"] == "ws_blocked"
    ws = next(p for p in final["probes"] if p["transport"] == "websocket")
    assert ws["failure"] == "upgrade_timeout"
    assert final["advice"][0]["kind"] == "switch_to_http_only"
    assert final["expected_wait_s"] == pytest.approx(7 * 4.5 + 6.2)
    assert elapsed < 15


def test_dead_proxy_exits_down(
    codex_home: Path, harness_ca_pem: Path, endpoint: FakeEndpoint, dead_proxy_url: str
) -> None:
    config(codex_home, f'openai_base_url = "{endpoint.base_url}"\n')
    env = child_env(codex_home, harness_ca_pem, HTTPS_PROXY=dead_proxy_url)
    done = run_check(env, "--json", "--no-alternatives")
    assert done.returncode == EXIT_DOWN, done.stderr
    data = parsed(done.stdout)
    assert data["health"] == "down" and data["alternatives"] == []
    http = next(p for p in data["probes"] if p["transport"] == "http")
    assert http["failure"] == "proxy_refused" and http["route_kind"] == "env_proxy"
    assert [a["kind"] for a in data["advice"]] == ["fix_network"]


def test_deep_check_never_prints_the_login(
    codex_home: Path, harness_ca_pem: Path, endpoint: FakeEndpoint
) -> None:
    config(codex_home, f'openai_base_url = "{endpoint.base_url}"\n')
    (codex_home / "auth.json").write_text(
        json.dumps(
            {
                "auth_mode": "chatgpt",
                "tokens": {
                    "access_token": SECRET,
                    "refresh_token": "r-" + SECRET,
                    "account_id": ACCOUNT,
                },
            }
        )
    )
    env = child_env(codex_home, harness_ca_pem)
    as_json = run_check(env, "--json", "--deep")
    as_text = run_check(env, "--deep")
    for done in (as_json, as_text):
        assert done.returncode == EXIT_READY, done.stderr
        assert SECRET not in done.stdout + done.stderr
        assert ACCOUNT not in done.stdout + done.stderr
    assert endpoint.stats.last_ws_headers["authorization"] == f"Bearer {SECRET}"
    ws = next(p for p in parsed(as_json.stdout)["probes"] if p["transport"] == "websocket")
    assert ws["authenticated"] is True
    assert "with your login" in as_text.stdout


def test_deep_check_without_a_login_says_so(
    codex_home: Path, harness_ca_pem: Path, endpoint: FakeEndpoint
) -> None:
    config(codex_home, f'openai_base_url = "{endpoint.base_url}"\n')
    done = run_check(child_env(codex_home, harness_ca_pem), "--deep", "--no-alternatives")
    assert done.returncode == EXIT_READY
    assert "no Codex login was found" in done.stderr
    assert "authorization" not in endpoint.stats.last_ws_headers


@pytest.mark.parametrize("bad", [["--timeout", "-1"], ["--timeout", "soon"], ["--bogus"]])
def test_bad_arguments_are_usage_errors(
    codex_home: Path, harness_ca_pem: Path, bad: list[str]
) -> None:
    done = run_check(child_env(codex_home, harness_ca_pem), *bad)
    assert done.returncode == EXIT_USAGE
    assert "usage:" in done.stderr


@pytest.mark.codex
def test_with_doctor_adds_codexs_own_opinion(
    codex_home: Path, harness_ca_pem: Path, endpoint: FakeEndpoint, codex_bin: Path
) -> None:
    config(codex_home, f'openai_base_url = "{endpoint.base_url}"\n')
    env = child_env(codex_home, harness_ca_pem, TERM="xterm-256color")
    env["PATH"] = f"{codex_bin.parent}{os.pathsep}{env.get('PATH', '')}"
    done = run_check(env, "--json", "--with-doctor", timeout_s=90)
    assert done.returncode == EXIT_READY, done.stderr
    doctor = parsed(done.stdout)["doctor"]
    assert doctor["available"] is True, doctor
    assert doctor["config_loaded"] is True
    assert doctor["websocket"]
