"""End to end: with WebSocket blackholed, the HTTP-only switch lets the real Codex answer at once.

This is the issue in one test. The endpoint answers Responses over HTTP/SSE but swallows every
WebSocket upgrade, as a proxy that does not pass WebSockets does. Without the switch Codex
would spend about two minutes on WebSocket retries; after `codex-link http-only on` it must
answer right away and never try a WebSocket upgrade.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.e2e.codex_run import CodexRun, codex_env, run_codex_exec
from tests.harness.endpoint import Behaviour, FakeEndpoint
from tests.harness.processes import run_codex_link

REPO = Path(__file__).resolve().parents[2]
ANSWER = "pong from the loopback endpoint"

pytestmark = pytest.mark.codex


def _explain(run: CodexRun, endpoint: FakeEndpoint) -> str:
    return (
        f"exit {run.returncode} after {run.seconds:.1f} s; endpoint saw "
        f"{endpoint.stats.requests}\n--- stdout\n{run.stdout[-1500:]}\n"
        f"--- stderr\n{run.stderr[-3000:]}"
    )


def _run_switch(action: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The project's own CLI, as a user runs it: `codex-link http-only on|off`."""
    return run_codex_link(env, "http-only", action)


def test_http_only_switch_makes_codex_skip_websocket(
    codex_bin: Path, plain_endpoint: FakeEndpoint, codex_home: Path, tmp_path: Path
) -> None:
    plain_endpoint.ws_behaviour = Behaviour.BLACKHOLE
    plain_endpoint.reply_text = ANSWER
    config = codex_home / "config.toml"
    config.write_text(f'openai_base_url = "{plain_endpoint.base_url}"\n')
    env = codex_env(codex_home)

    switched = _run_switch("on", env)
    assert switched.returncode == 0, switched.stdout + switched.stderr
    assert "supports_websockets = false" in config.read_text()

    run = run_codex_exec(codex_bin, env, tmp_path)

    assert run.returncode == 0, _explain(run, plain_endpoint)
    assert run.last_message == ANSWER, _explain(run, plain_endpoint)
    assert ANSWER in run.stdout
    assert plain_endpoint.stats.ws_upgrade_attempts == 0, _explain(run, plain_endpoint)
    assert plain_endpoint.stats.posts >= 1


def test_hand_written_http_only_provider_over_tls(
    codex_bin: Path, endpoint: FakeEndpoint, harness_ca_pem: Path, codex_home: Path, tmp_path: Path
) -> None:
    """The provider from CODEX_FACTS §2, written by hand: the target the switch must reach.

    Over TLS with the harness CA given to Codex, so the endpoint's certificate is checked the
    way it is on a user's machine.
    """
    endpoint.ws_behaviour = Behaviour.BLACKHOLE
    endpoint.reply_text = ANSWER
    (codex_home / "config.toml").write_text(
        'model_provider = "openai_http"\n'
        f'openai_base_url = "{endpoint.base_url}"\n\n'
        "[model_providers.openai_http]\n"
        'name = "OpenAI"\n'
        f'base_url = "{endpoint.base_url}"\n'
        'wire_api = "responses"\n'
        "requires_openai_auth = true\n"
        "supports_websockets = false\n"
    )
    env = codex_env(codex_home, CODEX_CA_CERTIFICATE=str(harness_ca_pem))

    run = run_codex_exec(codex_bin, env, tmp_path)

    assert run.returncode == 0, _explain(run, endpoint)
    assert run.last_message == ANSWER, _explain(run, endpoint)
    assert endpoint.stats.ws_upgrade_attempts == 0
    assert endpoint.stats.posts >= 1


def test_without_the_switch_codex_tries_websocket_first(
    codex_bin: Path, plain_endpoint: FakeEndpoint, codex_home: Path, tmp_path: Path
) -> None:
    """WebSocket on, upgrade answered 426: Codex falls back to HTTP at once.

    Shows the endpoint really counts upgrades, so the zero above means Codex never tried.
    """
    plain_endpoint.ws_behaviour = Behaviour.UPGRADE_426
    plain_endpoint.reply_text = ANSWER
    (codex_home / "config.toml").write_text(f'openai_base_url = "{plain_endpoint.base_url}"\n')

    run = run_codex_exec(codex_bin, codex_env(codex_home), tmp_path)

    assert run.returncode == 0, _explain(run, plain_endpoint)
    assert run.last_message == ANSWER, _explain(run, plain_endpoint)
    assert plain_endpoint.stats.ws_upgrade_attempts >= 1
    assert plain_endpoint.stats.posts >= 1
    assert run.seconds < 30  # "at once" next to the ~112 s of a blackholed WebSocket


def test_switching_back_restores_the_file_and_websocket(
    codex_bin: Path, plain_endpoint: FakeEndpoint, codex_home: Path, tmp_path: Path
) -> None:
    """`off` gives back the user's exact bytes, and Codex goes back to trying WebSocket first."""
    plain_endpoint.ws_behaviour = Behaviour.UPGRADE_426
    plain_endpoint.reply_text = ANSWER
    config = codex_home / "config.toml"
    original = (
        f'# my settings\r\nopenai_base_url = "{plain_endpoint.base_url}"\r\n'
        "\r\n[tui]\r\nanimations = false  # keep\r\n"
    ).encode()
    config.write_bytes(original)
    env = codex_env(codex_home)

    for action in ("on", "off"):
        switched = _run_switch(action, env)
        assert switched.returncode == 0, switched.stdout + switched.stderr
    assert config.read_bytes() == original

    run = run_codex_exec(codex_bin, env, tmp_path)

    assert run.last_message == ANSWER, _explain(run, plain_endpoint)
    assert plain_endpoint.stats.ws_upgrade_attempts >= 1
