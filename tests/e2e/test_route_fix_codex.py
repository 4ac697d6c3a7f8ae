"""End to end: the route fix keeps the real Codex on WebSocket through a real proxy.

The issue "Keep Codex fast, not just working" in one file. The endpoint serves Responses over
HTTPS and WSS, but swallows every WebSocket upgrade that does not come from a proxy: tinyproxy
and microsocks send their onward connections from their own loopback addresses, and only
upgrades from those are answered. So Codex's direct WebSocket hangs as it does on a network
that drops WebSockets, while a local proxy carries it, as Clash or a company proxy does.

- Before the fix, Codex waits on WebSocket attempts that go nowhere (its connect timeout,
  then the next attempt; about two minutes in all before it falls back to HTTP).
- `codex-link route on --proxy URL` writes the proxy into `$CODEX_HOME/.env`; Codex then
  answers at once over WebSocket through the proxy, with no HTTP fallback.
- `codex-link route off` gives back the exact bytes of `.env` and config.toml.

The endpoint is called by a name that is not local (`responses.codex-link.test`): the fix
writes NO_PROXY=localhost,127.0.0.1,::1 beside the proxy, so a `localhost` endpoint would stay
direct. Codex runs in the private network namespace, where every name is 127.0.0.1; the
proxies resolve the name from their own hosts file (and nothing else), so no request leaves
the machine.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from codex_link.core.codex.dotenv import parse_dotenv_bytes
from codex_link.core.codex.providers import DEFAULT_WEBSOCKET_CONNECT_TIMEOUT_MS, resolve_provider
from codex_link.core.model.probe import Failure
from codex_link.core.wait_estimate import connect_attempts, fallback_wait_seconds
from tests.e2e.codex_run import CodexRun, codex_env, run_codex_exec, run_codex_link
from tests.harness.endpoint import FakeEndpoint, Seen
from tests.harness.fixtures import start_proxy
from tests.harness.netns import CodexNetns
from tests.harness.proxies import MicroSocks, ProxyProcess, TinyProxy

pytestmark = [pytest.mark.codex, pytest.mark.proxies, pytest.mark.usefixtures("isolated")]

NAME = "responses.codex-link.test"  # .test never resolves on the Internet (RFC 6761)
VIA_HTTP_PROXY = "127.0.0.2"  # tinyproxy's outgoing side
VIA_SOCKS = "127.0.0.3"  # microsocks' outgoing side
PROXIED = frozenset({VIA_HTTP_PROXY, VIA_SOCKS})
ANSWER = "pong over the proxied WebSocket"
CONNECT_TIMEOUT_S = (
    DEFAULT_WEBSOCKET_CONNECT_TIMEOUT_MS / 1000
)  # each direct attempt hangs this long
# Long enough to see the first attempt time out and the next one start, far shorter than
# the whole wait; a route that works answers in about a second.
WAITS_S = CONNECT_TIMEOUT_S + 2.5
ANSWERS_WITHIN_S = 10.0  # under one connect timeout: Codex did not wait on anything

# What `.env` held before the fix (None: no file). The stale proxy is the case users meet
# most: `route on` replaces its value and `route off` puts the old line back.
DOTENV_SHAPES: dict[str, bytes | None] = {
    "no .env": None,
    "CRLF, comments, export": (
        b"# my keys\r\nexport EDITOR=vim\r\n\r\nSOME_TOKEN='a b'  # keep\r\n"
    ),
    "stale proxy, no final newline": b"TZ=UTC\nHTTPS_PROXY=http://127.0.0.1:9\nLANG=C",
}
SOCKS_SHAPES = ("no .env", "CRLF, comments, export")  # a stale HTTPS_PROXY beats HTTP_PROXY


@pytest.fixture(scope="module")
def isolated(codex_netns: CodexNetns) -> CodexNetns:
    """The endpoint's name exists only in the namespace: without it Codex cannot reach it."""
    if not codex_netns.isolated:
        if os.environ.get("CI"):
            pytest.fail(f"no private network namespace on CI: {codex_netns.reason}")
        pytest.skip(f"needs the private network namespace: {codex_netns.reason}")
    return codex_netns


@pytest.fixture(scope="module")
def _server(harness_ca: trustme.CA) -> Iterator[FakeEndpoint]:
    with FakeEndpoint(tls=True, ca=harness_ca, server_name=NAME) as server:
        yield server


@pytest.fixture
def server(_server: FakeEndpoint) -> FakeEndpoint:
    """WebSocket upgrades answered only when they come through one of the two proxies."""
    _server.reset_stats()
    _server.ws_only_from = PROXIED
    _server.reply_text = ANSWER
    return _server


# One proxy per test (each starts in a few milliseconds), so its log holds that test's alone.
@pytest.fixture
def tinyproxy() -> Iterator[TinyProxy]:
    yield from start_proxy(lambda: TinyProxy(outgoing=VIA_HTTP_PROXY, hosts={NAME: "127.0.0.1"}))


@pytest.fixture
def microsocks() -> Iterator[MicroSocks]:
    yield from start_proxy(lambda: MicroSocks(outgoing=VIA_SOCKS, hosts={NAME: "127.0.0.1"}))


class Setup:
    """A throw-away Codex home on the built-in provider aimed at `server`, and its files."""

    def __init__(
        self, root: Path, server: FakeEndpoint, ca_pem: Path, dotenv: bytes | None
    ) -> None:
        self.home = root / ".codex"
        self.home.mkdir()
        self.workdir = root / "work"
        self.workdir.mkdir()
        self.config = self.home / "config.toml"
        self.config_bytes = (
            f'# mine\r\nopenai_base_url = "{server.base_url}"\r\n'
            "\r\n[tui]\r\nanimations = false\r\n"
        ).encode()
        self.config.write_bytes(self.config_bytes)
        self.dotenv = self.home / ".env"
        self.dotenv_bytes = dotenv
        if dotenv is not None:
            self.dotenv.write_bytes(dotenv)
        self.env = codex_env(self.home, CODEX_CA_CERTIFICATE=str(ca_pem))

    def route(self, *args: str) -> None:
        """`codex-link route ARGS`, which must succeed."""
        done = run_codex_link(self.env, "route", *args)
        assert done.returncode == 0, f"route {' '.join(args)}:\n{done.stdout}\n{done.stderr}"

    def dotenv_values(self) -> dict[str, str]:
        """`.env` as Codex reads it (later lines win)."""
        return dict(parse_dotenv_bytes(self.dotenv.read_bytes()))

    def assert_restored(self) -> None:
        assert self.config.read_bytes() == self.config_bytes
        if self.dotenv_bytes is None:
            assert not self.dotenv.exists(), self.dotenv.read_bytes()
        else:
            assert self.dotenv.read_bytes() == self.dotenv_bytes


def _setup(tmp_path: Path, server: FakeEndpoint, ca_pem: Path, shape: str) -> Setup:
    return Setup(tmp_path, server, ca_pem, DOTENV_SHAPES[shape])


def _upgrades(seen: list[Seen]) -> list[Seen]:
    return [s for s in seen if s.websocket]


def _posts(seen: list[Seen]) -> list[Seen]:
    return [s for s in seen if s.method == "POST"]


def _explain(run: CodexRun, server: FakeEndpoint, proxy: ProxyProcess | None = None) -> str:
    seen = "\n".join(
        f"  {s.peer} {s.method} {s.target} ws={s.websocket}" for s in server.stats.seen
    )
    log = f"\n--- proxy log\n{proxy.log_text()[-2500:]}" if proxy is not None else ""
    return (
        f"exit {run.returncode} after {run.seconds:.1f} s; endpoint saw:\n{seen}\n"
        f"--- stderr\n{run.stderr[-2500:]}{log}"
    )


def test_before_the_fix_codex_waits_on_websocket_attempts_that_go_nowhere(
    codex_bin: Path,
    server: FakeEndpoint,
    harness_ca_pem: Path,
    tinyproxy: TinyProxy,
    microsocks: MicroSocks,
    tmp_path: Path,
) -> None:
    setup = _setup(tmp_path, server, harness_ca_pem, "no .env")
    provider = resolve_provider({"openai_base_url": server.base_url})
    whole_wait_s = fallback_wait_seconds(provider, Failure.UPGRADE_TIMEOUT)
    assert whole_wait_s > 100  # 7 attempts of 15 s and the backoff sleeps: 111.2 s

    run = run_codex_exec(codex_bin, setup.env, setup.workdir, timeout_s=WAITS_S)

    seen = list(server.stats.seen)
    upgrades = _upgrades(seen)
    assert not run.last_message, _explain(run, server)  # still waiting when we stopped it
    assert 2 <= len(upgrades) < connect_attempts(provider), _explain(run, server)
    assert not {s.peer for s in upgrades} & PROXIED  # all direct, none proxied
    assert upgrades[1].at - upgrades[0].at >= CONNECT_TIMEOUT_S - 0.5  # the first one hung
    assert not _posts(seen)  # no HTTP fallback yet: that comes after ~111 s
    assert NAME not in tinyproxy.log_text() and NAME not in microsocks.log_text()


@pytest.mark.parametrize("shape", list(DOTENV_SHAPES))
def test_route_on_through_tinyproxy_keeps_codex_on_websocket_and_off_restores_the_bytes(
    codex_bin: Path,
    server: FakeEndpoint,
    harness_ca_pem: Path,
    tinyproxy: TinyProxy,
    tmp_path: Path,
    shape: str,
) -> None:
    setup = _setup(tmp_path, server, harness_ca_pem, shape)

    setup.route("on", "--proxy", tinyproxy.url)
    values = setup.dotenv_values()
    assert values["HTTPS_PROXY"] == tinyproxy.url  # an http:// proxy takes both transports
    assert NAME not in values.get("NO_PROXY", "")
    assert setup.config.read_bytes() == setup.config_bytes  # .env only

    run = run_codex_exec(codex_bin, setup.env, setup.workdir)

    seen = list(server.stats.seen)
    upgrades = _upgrades(seen)
    assert run.returncode == 0 and run.last_message == ANSWER, _explain(run, server, tinyproxy)
    assert run.seconds < ANSWERS_WITHIN_S, _explain(run, server, tinyproxy)
    assert upgrades, _explain(run, server, tinyproxy)
    assert {s.peer for s in seen} == {VIA_HTTP_PROXY}  # every request came through the proxy
    assert not _posts(seen), _explain(run, server, tinyproxy)  # 0 HTTP fallbacks
    assert f"CONNECT {NAME}:{server.port}" in tinyproxy.log_text()

    setup.route("off")
    setup.assert_restored()


@pytest.mark.parametrize("shape", SOCKS_SHAPES)
def test_route_on_through_microsocks_moves_only_the_websocket_and_off_restores_the_bytes(
    codex_bin: Path,
    server: FakeEndpoint,
    harness_ca_pem: Path,
    microsocks: MicroSocks,
    tmp_path: Path,
    shape: str,
) -> None:
    setup = _setup(tmp_path, server, harness_ca_pem, shape)
    proxy_url = microsocks.url.replace("socks5://", "socks5h://")  # the proxy resolves NAME

    setup.route("on", "--proxy", proxy_url)
    values = setup.dotenv_values()
    assert values["HTTP_PROXY"] == proxy_url  # Codex's HTTPS client cannot use SOCKS
    assert "HTTPS_PROXY" not in values and "ALL_PROXY" not in values
    assert setup.config.read_bytes() == setup.config_bytes

    run = run_codex_exec(codex_bin, setup.env, setup.workdir)

    seen = list(server.stats.seen)
    upgrades = _upgrades(seen)
    assert run.returncode == 0 and run.last_message == ANSWER, _explain(run, server, microsocks)
    assert run.seconds < ANSWERS_WITHIN_S, _explain(run, server, microsocks)
    assert upgrades and {s.peer for s in upgrades} == {VIA_SOCKS}
    assert not _posts(seen), _explain(run, server, microsocks)  # 0 HTTP fallbacks
    assert f"connected to {NAME}:{server.port}" in microsocks.log_text()

    setup.route("off")
    setup.assert_restored()
