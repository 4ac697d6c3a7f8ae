"""Secrets canary: unique secrets planted everywhere Codex keeps them, every command and the
tray run against a loopback endpoint that logs every request in full; no secret may appear in
any output, log, written file or diagnostics report, and the endpoint may see only the
secrets the real Codex CLI itself sends it with the same set-up.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.e2e.codex_run import run_codex_exec
from tests.harness.endpoint import FakeEndpoint, Seen
from tests.harness.processes import run_codex_link
from tests.harness.proxies import dead_port
from tests.ui.app_process import AppProcess, child_env

pytestmark = [pytest.mark.proxies, pytest.mark.timeout(300)]

# Where each canary is planted; the value is unique per run, so a hit cannot be a coincidence.
PLANTED = (
    "auth_access_token",
    "auth_refresh_token",
    "auth_id_token",
    "auth_account_id",
    "auth_api_key",
    "env_openai_api_key",
    "env_codex_api_key",
    "env_codex_access_token",
    "mcp_env_token",
    "provider_bearer",
    "provider_header",
    "provider_env_header",
    "provider_query",
    "provider_url_password",
    "openai_url_password",
    "env_proxy_password",
    "dotenv_proxy_password",
    "env_socks_password",
)
# What the real Codex CLI 0.169.0 sent this provider's host (see the Codex comparison below);
# everything else must never reach it.
CODEX_SENDS_PROVIDER = frozenset(
    {"provider_bearer", "provider_header", "provider_env_header", "provider_query"}
)


@dataclass
class Canaries:
    values: dict[str, str] = field(
        default_factory=lambda: {
            name: f"cnry{uuid.uuid4().hex[:10]}{name.replace('_', '')}" for name in PLANTED
        }
    )

    def __getitem__(self, name: str) -> str:
        return self.values[name]

    def found_in(self, text: str) -> set[str]:
        return {name for name, value in self.values.items() if value in text}


@dataclass
class Setup:
    home: Path
    codex_home: Path
    env: dict[str, str]
    canaries: Canaries


def _plant(
    home: Path, endpoint: FakeEndpoint, ca_pem: Path, canaries: Canaries, *, custom: bool
) -> Setup:
    codex_home = home / ".codex"
    codex_home.mkdir(parents=True)
    c = canaries
    (codex_home / "auth.json").write_text(
        json.dumps(
            {
                "auth_mode": "chatgpt",
                "OPENAI_API_KEY": c["auth_api_key"],
                "tokens": {
                    "access_token": c["auth_access_token"],
                    "refresh_token": c["auth_refresh_token"],
                    "id_token": c["auth_id_token"],
                    "account_id": c["auth_account_id"],
                },
                "last_refresh": "2099-01-01T00:00:00Z",
            }
        )
    )
    with_login = endpoint.base_url.replace("https://", "https://{user}:{password}@")
    lines = [
        f'openai_base_url = "{with_login.format(user="me", password=c["openai_url_password"])}"',
    ]
    if custom:
        corp_url = with_login.format(user="corp", password=c["provider_url_password"])
        lines = [
            'model_provider = "corp"',
            *lines,
            "",
            "[model_providers.corp]",
            'name = "Corp"',
            f'base_url = "{corp_url}"',
            f'experimental_bearer_token = "{c["provider_bearer"]}"',
            f'http_headers = {{ "X-Corp-Team" = "{c["provider_header"]}" }}',
            'env_http_headers = { "X-Corp-Env" = "CORP_ENV_HEADER" }',
            f'query_params = {{ "api-key" = "{c["provider_query"]}" }}',
            "supports_websockets = true",
        ]
    lines += [
        "",
        "[mcp_servers.github]",
        'command = "true"',
        f'env = {{ GITHUB_TOKEN = "{c["mcp_env_token"]}" }}',
        "",
    ]
    (codex_home / "config.toml").write_text("\n".join(lines))
    dead = dead_port()
    (codex_home / ".env").write_text(
        f"HTTPS_PROXY=http://me:{c['dotenv_proxy_password']}@127.0.0.1:{dead}\n"
    )
    env = child_env(
        home,
        codex_home,
        ca_pem,
        QT_QPA_PLATFORM="offscreen",
        OPENAI_API_KEY=c["env_openai_api_key"],
        CODEX_API_KEY=c["env_codex_api_key"],
        CODEX_ACCESS_TOKEN=c["env_codex_access_token"],
        CORP_ENV_HEADER=c["provider_env_header"],
        HTTPS_PROXY=f"http://me:{c['env_proxy_password']}@127.0.0.1:{dead}",
        ALL_PROXY=f"socks5h://me:{c['env_socks_password']}@127.0.0.1:{dead}",
        NO_PROXY="localhost,127.0.0.1",
    )
    return Setup(home, codex_home, env, canaries)


def _run(setup: Setup, *args: str) -> str:
    done = run_codex_link(setup.env, *args, timeout_s=90)
    assert done.returncode in (0, 3, 4, 5), (args, done.returncode, done.stderr)
    return f"$ codex-link {' '.join(args)}\n{done.stdout}\n{done.stderr}"


def _run_tray(setup: Setup, *, deep: bool) -> str:
    settings = setup.home / ".config/codex-link/settings.json"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps({"deep_check": deep}))
    app = AppProcess(setup.env, "tray")
    try:
        after = 0
        while True:  # the first final verdict (neither "checking" nor provisional)
            line = app.wait_for("verdict: ", 60.0, after=after, unless="provisional")
            after = app.lines.index(line) + 1
            if "verdict: checking" not in line:
                break
    finally:
        code = app.stop()
    assert code == 0, app.output()
    return app.output()


def _written_by_the_app(setup: Setup) -> Iterable[tuple[Path, str]]:
    """Every file Codex Link wrote for itself: settings, history, switch record, logs."""
    for folder in (".config", ".local/share", ".local/state", ".cache"):
        for path in (setup.home / folder).rglob("*"):
            if path.is_file():
                yield path, path.read_text(encoding="utf-8", errors="replace")


def _leaks(setup: Setup, outputs: Iterable[str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for text in outputs:
        hits = setup.canaries.found_in(text)
        if hits:
            found[text.splitlines()[0] if text else "?"] = hits
    for path, content in _written_by_the_app(setup):
        hits = setup.canaries.found_in(content)
        if hits:
            found[str(path)] = hits
    return found


def _sent(canaries: Canaries, seen: Iterable[Seen]) -> set[str]:
    """The canaries that reached the endpoint, in the request line or any header."""
    return canaries.found_in(json.dumps([[s.target, s.headers] for s in seen]))


@pytest.fixture
def canaries() -> Canaries:
    return Canaries()


def test_no_secret_leaks_from_any_command_or_the_tray_and_the_endpoint_sees_only_what_codex_sends(
    isolated_home: Path, endpoint: FakeEndpoint, harness_ca_pem: Path, canaries: Canaries
) -> None:
    setup = _plant(isolated_home, endpoint, harness_ca_pem, canaries, custom=True)
    outputs = [
        _run(setup, "config"),
        _run(setup, "config", "--json"),
        _run(setup, "check"),
        _run(setup, "check", "--json"),
        _run(setup, "check", "--deep"),
        _run(setup, "check", "--deep", "--json", "--watch"),
        _run(setup, "report"),
        _run(setup, "http-only", "status"),
        _run(setup, "http-only", "status", "--json"),
        _run(setup, "http-only", "on", "--dry-run"),
        _run(setup, "http-only", "on", "--dry-run", "--json"),
        _run(setup, "http-only", "on"),
        _run(setup, "http-only", "off", "--dry-run"),
        _run(setup, "http-only", "off"),
        _run_tray(setup, deep=False),
        _run_tray(setup, deep=True),
    ]
    ours = list(endpoint.stats.seen)

    assert _leaks(setup, outputs) == {}
    assert ours, "the commands never reached the endpoint"
    deep_upgrades = [s for s in ours if s.websocket and "authorization" in s.headers]
    assert deep_upgrades, "the deep check never sent the provider's login"
    assert _sent(canaries, ours) <= CODEX_SENDS_PROVIDER, _sent(canaries, ours)
    assert all(
        s.headers.get("authorization") == f"Bearer {canaries['provider_bearer']}"
        for s in ours
        if "authorization" in s.headers
    )


def test_the_real_codex_sends_the_provider_exactly_what_the_deep_check_sends(
    isolated_home: Path,
    endpoint: FakeEndpoint,
    harness_ca_pem: Path,
    codex_bin: Path,
    canaries: Canaries,
    tmp_path: Path,
) -> None:
    setup = _plant(isolated_home, endpoint, harness_ca_pem, canaries, custom=True)
    codex = run_codex_exec(
        codex_bin,
        {**os.environ, **setup.env, "RUST_LOG": "error", "TERM": "xterm-256color"},
        tmp_path,
    )
    theirs = list(endpoint.stats.seen)
    endpoint.reset_stats()
    _run(setup, "check", "--deep")
    ours = list(endpoint.stats.seen)

    assert codex.last_message, codex.stderr[-2000:]
    assert _sent(canaries, theirs) == CODEX_SENDS_PROVIDER
    codex_upgrade = next(s for s in theirs if s.websocket)
    our_upgrade = next(s for s in ours if s.websocket)
    for name in ("authorization", "x-corp-team", "x-corp-env"):
        assert our_upgrade.headers.get(name) == codex_upgrade.headers.get(name), name
    assert our_upgrade.target == codex_upgrade.target  # the query parameters too


def test_the_switch_keeps_no_copy_of_a_base_url_password(
    isolated_home: Path, endpoint: FakeEndpoint, harness_ca_pem: Path, canaries: Canaries
) -> None:
    """The built-in provider: "on" copies openai_base_url into its table; the record of the
    switch must not keep the password, and "off" still restores the file byte for byte."""
    setup = _plant(isolated_home, endpoint, harness_ca_pem, canaries, custom=False)
    config = setup.codex_home / "config.toml"
    original = config.read_bytes()

    outputs = [_run(setup, "http-only", "on", "--dry-run"), _run(setup, "http-only", "on")]
    switched = config.read_text()
    outputs += [
        _run(setup, "http-only", "status"),
        _run(setup, "check", "--deep"),
        _run(setup, "http-only", "off"),
    ]

    assert canaries["openai_url_password"] in switched  # the table carries the user's URL
    assert _leaks(setup, outputs) == {}
    assert config.read_bytes() == original
