"""`codex-link route on` with no route given: one check finds the route, and that is written.

The endpoint (TLS, on loopback, known by a name only the proxies resolve) answers WebSocket
upgrades only from the proxy the check should find, and swallows every other one. Codex is
set to use another proxy (HTTPS_PROXY), which carries HTTP but whose WebSockets go nowhere,
as on a network that drops them. The proxy that works is the desktop's (KDE's kioslaverc),
where the check's discovery looks too. Plain `route on` must write that proxy into .env;
a check afterwards then finds Codex's own WebSocket working.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codex_link.cli import main
from codex_link.core.codex.dotenv import parse_dotenv_bytes
from tests.core.check_support import codex_proxy, found_proxy, named_endpoint
from tests.harness.endpoint import FakeEndpoint
from tests.harness.proxies import TinyProxy

pytestmark = pytest.mark.proxies

# The check's own set-up: the named endpoint, the proxy to be found, the one Codex is set to.
__all__ = ["codex_proxy", "found_proxy", "named_endpoint"]


def codex_link(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_plain_on_writes_the_route_the_check_verified(
    codex_home: Path,
    isolated_home: Path,
    harness_ca_pem: Path,
    named_endpoint: FakeEndpoint,
    found_proxy: TinyProxy,
    codex_proxy: TinyProxy,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CODEX_CA_CERTIFICATE", str(harness_ca_pem))
    monkeypatch.setenv("HTTPS_PROXY", codex_proxy.url)
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "KDE")
    monkeypatch.delenv("DESKTOP_SESSION", raising=False)
    port = found_proxy.url.rsplit(":", 1)[1]
    kioslaverc = isolated_home / ".config" / "kioslaverc"
    kioslaverc.parent.mkdir(parents=True, exist_ok=True)
    kioslaverc.write_text(
        f"[Proxy Settings]\nProxyType=1\nhttpProxy=http://127.0.0.1 {port}\n"
        f"httpsProxy=http://127.0.0.1 {port}\n"
    )
    (codex_home / "config.toml").write_text(
        'model_provider = "harness"\n\n[model_providers.harness]\nname = "Harness"\n'
        f'base_url = "{named_endpoint.base_url}"\nwire_api = "responses"\n'
        "supports_websockets = true\nwebsocket_connect_timeout_ms = 2000\n"
    )

    code, out, err = codex_link(capsys, "check", "--json")
    assert code == 3, out  # ws_blocked: Codex's own proxy swallows its WebSocket
    assert json.loads(out)["advice"][0]["kind"] == "route_fix"

    code, out, err = codex_link(capsys, "route", "on", "--dry-run")
    assert code == 0, err
    assert f"+HTTPS_PROXY={found_proxy.url}" in out
    assert not (codex_home / ".env").exists()

    code, out, err = codex_link(capsys, "route", "on", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["changed"] is True
    entries = dict(parse_dotenv_bytes((codex_home / ".env").read_bytes(), {}))
    assert entries["HTTPS_PROXY"] == found_proxy.url
    assert entries["NO_PROXY"] == "localhost,127.0.0.1,::1"

    code, out, err = codex_link(capsys, "check", "--json")
    assert code == 0, err  # ready_ws: .env's proxy wins over the one Codex was started with
    ws = next(probe for probe in json.loads(out)["probes"] if probe["transport"] == "websocket")
    assert ws["reachable"] and ws["route"] == found_proxy.url


def test_plain_on_without_a_verified_route_says_none_is_known(
    codex_home: Path,
    harness_ca_pem: Path,
    endpoint: FakeEndpoint,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Codex's WebSocket works on its own route: the check offers no route fix."""
    monkeypatch.setenv("CODEX_CA_CERTIFICATE", str(harness_ca_pem))
    (codex_home / "config.toml").write_text(f'openai_base_url = "{endpoint.base_url}"\n')
    code, out, err = codex_link(capsys, "route", "on")
    assert (code, out) == (1, "")
    checking, refusal = err.splitlines()  # what runs first, then one sentence
    assert checking.startswith("Checking Codex's routes first")
    assert refusal.startswith("No verified route for Codex's WebSocket")
    assert refusal.count(".") == 1
    assert not (codex_home / ".env").exists()
    assert endpoint.stats.ws_upgrade_attempts >= 1  # the check did look
