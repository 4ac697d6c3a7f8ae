"""What the check's tests share: a Codex environment pointed at the loopback harness, its
config, the real checker (looking for proxies only on the ports a test gives), and the set-up
of a route that only a proxy found listening carries."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
import trustme

from codex_link.core.check import Checker, SystemProxyReader, build_checker
from tests.harness.endpoint import FakeEndpoint
from tests.harness.fixtures import start_proxy
from tests.harness.proxies import TinyProxy


def codex_env(home: Path, ca_pem: Path, **extra: str) -> dict[str, str]:
    codex_home = home / ".codex"
    codex_home.mkdir(exist_ok=True)
    return {
        "HOME": str(home),
        "CODEX_HOME": str(codex_home),
        "CODEX_CA_CERTIFICATE": str(ca_pem),
        **extra,
    }


def write_config(env: dict[str, str], body: str) -> None:
    (Path(env["CODEX_HOME"]) / "config.toml").write_text(body, encoding="utf-8")


def openai_at(base_url: str) -> str:
    return f'openai_base_url = "{base_url}"\n'


def custom_provider(base_url: str, *, websockets: bool = True, timeout_ms: int = 15_000) -> str:
    return (
        'model_provider = "harness"\n\n[model_providers.harness]\nname = "Harness"\n'
        f'base_url = "{base_url}"\nwire_api = "responses"\n'
        f"supports_websockets = {'true' if websockets else 'false'}\n"
        f"websocket_connect_timeout_ms = {timeout_ms}\n"
    )


def checker(
    env: dict[str, str],
    *,
    system_proxy: SystemProxyReader = lambda: None,
    platform: str = "linux",
    local_proxy_ports: Sequence[int] = (),
    max_timeout_s: float | None = None,
    codex_version: str | None = None,
) -> Checker:
    """The real checker; it looks for proxies on the loopback ports given in
    `local_proxy_ports` only (none unless given: the machine's own ports are not the test's)."""
    return build_checker(
        env,
        system_proxy=system_proxy,
        platform=platform,
        local_proxy_ports=local_proxy_ports,
        max_timeout_s=max_timeout_s,
        codex_version=codex_version,
    )


NAME = "responses.codex-link.test"  # not local, so the fix's NO_PROXY leaves it to the proxy
VIA_FOUND = "127.0.0.2"  # the outgoing side of the proxy discovery should find
VIA_CODEX = "127.0.0.4"  # the outgoing side of the proxy Codex is set to use


@pytest.fixture(scope="module")
def named_endpoint(harness_ca: trustme.CA) -> Iterator[FakeEndpoint]:
    """An endpoint known by a name only the proxies resolve; it answers WebSocket upgrades
    only from the proxy that discovery should find, and swallows every other one."""
    with FakeEndpoint(tls=True, ca=harness_ca, server_name=NAME) as server:
        server.ws_only_from = frozenset({VIA_FOUND})
        yield server


@pytest.fixture
def found_proxy() -> Iterator[TinyProxy]:
    yield from start_proxy(lambda: TinyProxy(outgoing=VIA_FOUND, hosts={NAME: "127.0.0.1"}))


@pytest.fixture
def codex_proxy() -> Iterator[TinyProxy]:
    yield from start_proxy(lambda: TinyProxy(outgoing=VIA_CODEX, hosts={NAME: "127.0.0.1"}))
