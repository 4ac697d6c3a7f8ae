"""The verdicts where Codex's own behaviour decides, judged by the real Codex CLI (every pinned
version): the same set-up, Codex and `codex-link check` side by side, and where each
WebSocket upgrade and each POST really went. The proxies send their onward connections from
their own loopback address, so the endpoint tells by the peer which route a request took.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from codex_link.core.codex.providers import DEFAULT_STREAM_MAX_RETRIES
from codex_link.core.model.codex_settings import ProviderInfo
from codex_link.core.model.probe import Failure
from codex_link.core.wait_estimate import connect_attempts, fallback_wait_seconds
from tests.e2e.codex_run import CodexRun, run_codex_exec
from tests.harness.endpoint import Behaviour, FakeEndpoint, Seen
from tests.harness.processes import run_codex_link
from tests.harness.proxies import MicroSocks, TinyProxy
from tests.ui.app_process import child_env

pytestmark = [pytest.mark.codex, pytest.mark.proxies, pytest.mark.timeout(240)]

VIA_HTTP_PROXY = "127.0.0.2"  # tinyproxy's outgoing side
VIA_SOCKS = "127.0.0.3"  # microsocks' outgoing side
HANGS_S = 15.0  # far longer than Codex needs to answer over a route that works


@pytest.fixture(scope="module")
def bound_http_proxy() -> Iterator[TinyProxy]:
    with TinyProxy(outgoing=VIA_HTTP_PROXY) as proxy:
        yield proxy


@pytest.fixture(scope="module")
def bound_socks() -> Iterator[MicroSocks]:
    with MicroSocks(outgoing=VIA_SOCKS) as proxy:
        yield proxy


@pytest.fixture(params=["0.169.0", "0.171.0"])
def codex(request: pytest.FixtureRequest, codex_bins: dict[str, Path]) -> Path:
    if request.param not in codex_bins:
        pytest.skip(f"Codex CLI {request.param} is not installed")
    return codex_bins[request.param]


def _home(root: Path, config: str) -> tuple[Path, Path]:
    home, codex_home = root / "home", root / "home/.codex"
    codex_home.mkdir(parents=True)
    (codex_home / "config.toml").write_text(config)
    (root / "work").mkdir()
    return home, codex_home


def _codex(
    codex_bin: Path, env: dict[str, str], root: Path, *, timeout_s: float = 60.0
) -> CodexRun:
    return run_codex_exec(
        codex_bin,
        {**env, "TERM": "xterm-256color", "RUST_LOG": "error"},
        root / "work",
        timeout_s=timeout_s,
    )


def _check(env: dict[str, str], *args: str) -> dict[str, Any]:
    done = run_codex_link(env, "check", "--json", "--no-alternatives", *args, timeout_s=90)
    assert done.returncode in (0, 3, 4), done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def _probe(report: dict[str, Any], transport: str) -> dict[str, Any]:
    found: dict[str, Any] = next(p for p in report["probes"] if p["transport"] == transport)
    return found


def _upgrades(seen: list[Seen]) -> list[Seen]:
    return [s for s in seen if s.websocket]


def _posts(seen: list[Seen]) -> list[Seen]:
    return [s for s in seen if s.method == "POST"]


def _behind_socks(root: Path, endpoint: FakeEndpoint, socks: MicroSocks) -> dict[str, str]:
    """Codex on the built-in provider at `endpoint`, with ALL_PROXY = the SOCKS proxy."""
    home, codex_home = _home(root, f'openai_base_url = "{endpoint.base_url}"\n')
    return child_env(
        home,
        codex_home,
        None,
        CODEX_API_KEY="sk-test-not-real",
        ALL_PROXY=socks.url.replace("socks5://", "socks5h://"),
    )


def test_socks_carries_codex_websocket_but_never_its_http(
    codex: Path, plain_endpoint: FakeEndpoint, bound_socks: MicroSocks, tmp_path: Path
) -> None:
    env = _behind_socks(tmp_path, plain_endpoint, bound_socks)

    run = _codex(codex, env, tmp_path)
    theirs = list(plain_endpoint.stats.seen)
    plain_endpoint.reset_stats()
    ours = _check(env)

    assert run.last_message, run.stderr[-1500:]  # Codex answered, over the WebSocket
    assert _upgrades(theirs) and all(s.peer == VIA_SOCKS for s in _upgrades(theirs))
    assert not _posts(theirs)
    assert _probe(ours, "websocket")["reachable"]
    assert [s.peer for s in plain_endpoint.stats.seen if s.websocket] == [VIA_SOCKS]
    assert _probe(ours, "http")["failure"] == Failure.PROXY_SCHEME
    assert ours["health"] == "ready_ws"
    assert "switch_to_http_only" not in [a["kind"] for a in ours["advice"]]


def test_socks_with_http_only_is_down_as_codex_cannot_answer_at_all(
    codex: Path, plain_endpoint: FakeEndpoint, bound_socks: MicroSocks, tmp_path: Path
) -> None:
    env = _behind_socks(tmp_path, plain_endpoint, bound_socks)
    switched = run_codex_link(env, "http-only", "on")
    assert switched.returncode == 0, switched.stderr

    run = _codex(codex, env, tmp_path, timeout_s=HANGS_S)
    theirs = list(plain_endpoint.stats.seen)
    ours = _check(env)

    assert not run.last_message  # Codex waits for the network and never answers
    assert not theirs  # not one request got through, neither upgrade nor POST
    assert ours["health"] == "down"
    assert "hang" in ours["headline"]


def test_a_401_to_the_login_codex_sends_is_a_failed_connect_then_http(
    codex: Path,
    endpoint: FakeEndpoint,
    harness_ca_pem: Path,
    bound_http_proxy: TinyProxy,
    tmp_path: Path,
) -> None:
    endpoint.ws_behaviour = Behaviour.UPGRADE_401
    home, codex_home = _home(tmp_path, f'openai_base_url = "{endpoint.base_url}"\n')
    env = child_env(
        home,
        codex_home,
        harness_ca_pem,
        CODEX_API_KEY="sk-test-refused",
        HTTPS_PROXY=bound_http_proxy.url,
        NO_PROXY="",
    )

    run = _codex(codex, env, tmp_path)
    theirs = list(endpoint.stats.seen)
    endpoint.reset_stats()
    deep = _check(env, "--deep")
    plain = _check(env)

    upgrades, posts = _upgrades(theirs), _posts(theirs)
    assert run.last_message, run.stderr[-1500:]  # answered over HTTP after the fallback
    assert all(s.peer == VIA_HTTP_PROXY for s in theirs)
    openai = ProviderInfo(
        id="openai",
        name="OpenAI",
        builtin=True,
        base_url=None,
        supports_websockets=True,
        stream_max_retries=DEFAULT_STREAM_MAX_RETRIES,
    )
    assert len(upgrades) == connect_attempts(openai)
    assert posts and theirs.index(posts[0]) > theirs.index(upgrades[-1])
    ws = _probe(deep, "websocket")
    assert ws["authenticated"] and not ws["reachable"] and ws["status"] == 401
    assert deep["health"] == "ws_blocked" and "route works" not in deep["headline"]
    expected = fallback_wait_seconds(openai, Failure.UPGRADE_STATUS, status=401)
    assert deep["expected_wait_s"] == pytest.approx(expected, abs=0.1)
    assert run.seconds < expected + 10.0  # the short wait Codex really has, not 7 x 15 s
    assert plain["health"] == "ready_ws" and "not checked" in plain["headline"]


def test_openai_api_key_in_the_environment_is_not_sent_by_codex_nor_by_the_deep_check(
    codex: Path, plain_endpoint: FakeEndpoint, tmp_path: Path
) -> None:
    home, codex_home = _home(tmp_path, f'openai_base_url = "{plain_endpoint.base_url}"\n')
    env = child_env(home, codex_home, None, OPENAI_API_KEY="sk-env-not-sent")

    _codex(codex, env, tmp_path)
    theirs = _upgrades(list(plain_endpoint.stats.seen))
    plain_endpoint.reset_stats()
    ours = _check(env, "--deep")

    assert theirs and not any("authorization" in s.headers for s in theirs)
    assert not any("authorization" in s.headers for s in plain_endpoint.stats.seen)
    assert "deep_check_not_run" in [f["code"] for f in ours["findings"]]
