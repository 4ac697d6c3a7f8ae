"""Discovery of proxies listening on loopback, against real listeners: tinyproxy (HTTP
CONNECT), microsocks (SOCKS5), a TCP listener that is no proxy, and a port nobody listens on."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator, Mapping

import pytest

from codex_link.core.model.probe import (
    Failure,
    ProbeResult,
    Route,
    RouteKind,
    SourceKind,
    SystemSettings,
    Transport,
)
from codex_link.core.net.discovery import (
    LOCAL_PROXY_PORTS,
    LOOPBACK,
    Address,
    Discovery,
    candidate_addresses,
)
from codex_link.core.net.probe_http import probe_http
from codex_link.core.net.probe_ws import codex_ws_headers, probe_ws
from codex_link.core.net.proxy_settings import SystemProxy
from codex_link.core.net.tls import TlsTrust
from tests.core.net.probe_support import os_trusts
from tests.harness.endpoint import Behaviour, FakeEndpoint
from tests.harness.proxies import MicroSocks, TinyProxy, dead_port

pytestmark = [pytest.mark.timeout(30), pytest.mark.proxies]


class SilentListener:
    """Accepts connections on loopback and never says a word: a port in use, not a proxy."""

    def __init__(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind((LOOPBACK, 0))
        self._sock.listen(16)
        self._sock.settimeout(0.1)
        self.port: int = self._sock.getsockname()[1]
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._held.append(conn)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5.0)
        for conn in self._held:
            conn.close()
        self._sock.close()


@pytest.fixture
def silent() -> Iterator[SilentListener]:
    listener = SilentListener()
    yield listener
    listener.close()


class Recorded:
    """The real probes, with every route they were sent through written down."""

    def __init__(self) -> None:
        self.routes: list[tuple[Transport, Route]] = []

    async def http(
        self,
        url: str,
        route: Route,
        *,
        trust: TlsTrust,
        timeout_s: float = 10.0,
        headers: Mapping[str, str] | None = None,
    ) -> ProbeResult:
        self.routes.append((Transport.HTTP, route))
        return await probe_http(url, route, trust=trust, timeout_s=timeout_s, headers=headers)

    async def ws(
        self,
        url: str,
        route: Route,
        *,
        trust: TlsTrust,
        timeout_s: float = 15.0,
        headers: Mapping[str, str] | None = None,
    ) -> ProbeResult:
        self.routes.append((Transport.WEBSOCKET, route))
        return await probe_ws(url, route, trust=trust, timeout_s=timeout_s, headers=headers)


def discovery(recorded: Recorded, ports: tuple[int, ...], **kw: float) -> Discovery:
    return Discovery(probe_http=recorded.http, probe_ws=recorded.ws, ports=ports, **kw)  # type: ignore[arg-type]


async def find(
    d: Discovery,
    endpoint: FakeEndpoint,
    *,
    system: SystemProxy | None = None,
    known: tuple[str, ...] = (),
) -> tuple[ProbeResult, ...]:
    assert endpoint.ca_pem_path is not None
    return await d.find(
        http_url=endpoint.responses_url,
        ws_url=endpoint.ws_url,
        trust=os_trusts(endpoint.ca_pem_path),
        system=system,
        known=known,
        ws_headers=codex_ws_headers("0.169.0"),
    )


def by_route(results: tuple[ProbeResult, ...]) -> dict[tuple[Transport, str | None], ProbeResult]:
    return {(r.transport, r.route.proxy_url): r for r in results}


async def test_finds_an_http_and_a_socks_proxy_and_nothing_else(
    endpoint: FakeEndpoint, http_proxy: TinyProxy, socks_proxy: MicroSocks, silent: SilentListener
) -> None:
    recorded = Recorded()
    ports = (http_proxy.port, socks_proxy.port, silent.port, dead_port())
    start = time.monotonic()
    results = await find(discovery(recorded, ports), endpoint)
    assert time.monotonic() - start < 5.0
    found = by_route(results)
    http_url = f"http://127.0.0.1:{http_proxy.port}"
    socks_url = f"socks5h://127.0.0.1:{socks_proxy.port}"
    assert set(found) == {
        (Transport.WEBSOCKET, http_url),
        (Transport.HTTP, http_url),
        (Transport.WEBSOCKET, socks_url),
    }  # no HTTP through SOCKS
    assert all(r.reachable for r in results)
    for result in results:
        assert result.route.kind is RouteKind.LOCAL_PROXY
        assert result.route.origin.kind is SourceKind.LISTENING
    ws = found[(Transport.WEBSOCKET, socks_url)]
    assert ws.route.origin.address == f"127.0.0.1:{socks_proxy.port}"
    assert ws.route.source == f"found listening on 127.0.0.1:{socks_proxy.port}"
    assert endpoint.stats.ws_upgrade_attempts == 2  # one per proxy, each a real upgrade


async def test_a_websocket_that_hangs_through_the_proxy_is_cut_at_the_budget(
    endpoint: FakeEndpoint, http_proxy: TinyProxy
) -> None:
    endpoint.ws_behaviour = Behaviour.BLACKHOLE
    start = time.monotonic()
    results = await find(discovery(Recorded(), (http_proxy.port,), budget_s=2.0), endpoint)
    assert time.monotonic() - start < 3.0
    ws = by_route(results)[(Transport.WEBSOCKET, f"http://127.0.0.1:{http_proxy.port}")]
    assert not ws.reachable and ws.failure is Failure.UPGRADE_TIMEOUT


async def test_the_answer_is_kept_for_a_while_then_found_again(
    endpoint: FakeEndpoint, http_proxy: TinyProxy
) -> None:
    recorded = Recorded()
    offset = [0.0]
    d = discovery(recorded, (http_proxy.port,), ttl_s=300.0)
    d._monotonic = lambda: time.monotonic() + offset[0]  # the cache's clock, moved by hand
    first = await find(d, endpoint)
    probed = len(recorded.routes)
    assert probed == 2
    assert await find(d, endpoint) is first  # a check a minute later probes nothing
    assert len(recorded.routes) == probed
    offset[0] = 301.0
    await find(d, endpoint)
    assert len(recorded.routes) == 2 * probed


async def test_routes_already_probed_are_not_probed_again(
    endpoint: FakeEndpoint, http_proxy: TinyProxy
) -> None:
    recorded = Recorded()
    known = (f"HTTP://127.0.0.1:{http_proxy.port}/",)  # as the system proxy names it
    assert await find(discovery(recorded, (http_proxy.port,)), endpoint, known=known) == ()
    assert recorded.routes == []


async def test_the_system_proxys_own_address_is_a_candidate(
    endpoint: FakeEndpoint, socks_proxy: MicroSocks
) -> None:
    """The OS names only `socks_proxy` (say an http:// entry for a mixed port): discovery asks
    it how it speaks, and finds SOCKS5, though no well-known port is in the list."""
    system = SystemProxy(
        http=None,
        https=f"http://127.0.0.1:{socks_proxy.port}",
        socks=None,
        bypass=(),
        pac_url=None,
        source=SystemSettings.WINDOWS,
    )
    results = await find(discovery(Recorded(), ()), endpoint, system=system)
    assert [(r.transport, r.route.proxy_url, r.reachable) for r in results] == [
        (Transport.WEBSOCKET, f"socks5h://127.0.0.1:{socks_proxy.port}", True)
    ]


def test_candidates_are_loopback_and_the_system_proxys_address_only() -> None:
    system = SystemProxy(
        http="http://10.1.2.3:3128",
        https="http://10.1.2.3:3128",
        socks="socks5://proxy.corp.example:1080",
        bypass=("<local>",),
        pac_url="http://wpad.corp.example/wpad.dat",
        source=SystemSettings.WINDOWS,
    )
    found = candidate_addresses(LOCAL_PROXY_PORTS, system)
    assert found == (
        *(Address(LOOPBACK, port) for port in LOCAL_PROXY_PORTS),
        Address("10.1.2.3", 3128),
        Address("proxy.corp.example", 1080),
    )
    assert candidate_addresses(LOCAL_PROXY_PORTS, None) == tuple(
        Address("127.0.0.1", port) for port in (7890, 7897, 10808, 10809, 1080, 3128, 8080, 8888)
    )


async def test_only_candidates_are_probed(
    endpoint: FakeEndpoint, http_proxy: TinyProxy, socks_proxy: MicroSocks
) -> None:
    recorded = Recorded()
    system = SystemProxy(
        http=None,
        https=None,
        socks=socks_proxy.url,
        bypass=(),
        pac_url=None,
        source=SystemSettings.MACOS,
    )
    await find(discovery(recorded, (http_proxy.port,)), endpoint, system=system)
    allowed = {f"127.0.0.1:{http_proxy.port}", f"127.0.0.1:{socks_proxy.port}"}
    assert recorded.routes
    assert {route.origin.address for _, route in recorded.routes} <= allowed
