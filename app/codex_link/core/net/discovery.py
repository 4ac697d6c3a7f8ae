"""Proxies found listening: routes that may carry Codex's WebSocket when its own route does not.

Many users run a proxy client (Clash/Mihomo, v2rayN, Shadowsocks, a company proxy) that
their browser uses but Codex's WebSocket does not (it reads environment variables only,
CODEX_FACTS §5). Discovery looks for one where such clients listen, and nowhere else:

- Candidates are 127.0.0.1 on the ports those clients use (`LOCAL_PROXY_PORTS`) plus the
  address the OS system proxy names (whatever host: it is the user's own setting, not a
  scan). Never any other address.
- A short TCP connect, all candidates at once (at most `MAX_SOCKETS` sockets open), finds
  the listeners; a refused port answers at once on loopback.
- Each listener is asked how it speaks: a SOCKS5 greeting and a plain HTTP request, side by
  side (Clash's mixed port answers both). A listener that answers neither is not a proxy.
- Each way it speaks is then verified with the real probes the check uses, through a route
  of that proxy: the WebSocket to Codex's target, and (http:// only: Codex's HTTP client
  cannot use SOCKS) the HTTP request too. Only a verified WebSocket is ever proposed.

All of it fits in `BUDGET_S`, and a result is kept for `CACHE_TTL_S`: the check runs
discovery only when Codex's WebSocket fails on its own route, and a check every minute
then finds the answer in the cache instead of probing every port again.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from codex_link.core.model.probe import ProbeResult, Route, RouteKind, RouteSource, SourceKind
from codex_link.core.model.urls import ProxyKind
from codex_link.core.net.proxy_settings import SystemProxy, host_port
from codex_link.core.net.run import Probe
from codex_link.core.net.tls import TlsTrust

LOOPBACK = "127.0.0.1"
# Where the common proxy clients listen: Clash/Mihomo (7890, Clash Verge 7897), v2rayN
# (10808 SOCKS, 10809 HTTP), Shadowsocks (1080), company and developer proxies (Squid 3128,
# 8080, Fiddler/Charles 8888).
LOCAL_PROXY_PORTS: tuple[int, ...] = (7890, 7897, 10808, 10809, 1080, 3128, 8080, 8888)
MAX_SOCKETS = 8  # open at the same time, at most: a handful, never a flood
CONNECT_TIMEOUT_S = 1.0  # loopback refuses at once; the system proxy may be a hop away
SNIFF_TIMEOUT_S = 1.0  # a proxy answers a greeting at once; a silent listener is no proxy
BUDGET_S = 5.0  # the whole discovery, candidates to verified routes
CACHE_TTL_S = 300.0
_SOCKS5_GREETING = b"\x05\x01\x00"  # version 5, one method: no authentication
_SOCKS5_NO_AUTH = b"\x05\x00"
_HTTP_QUESTION = b"OPTIONS * HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
_HTTP_ANSWER = b"HTTP/"
# How a route through a listener speaks to it: SOCKS5 with the proxy resolving Codex's host
# (socks5h, as Clash and v2rayN expect), or HTTP CONNECT.
_ROUTE_SCHEMES = {ProxyKind.SOCKS5H: "socks5h", ProxyKind.HTTP: "http"}


@dataclass(frozen=True, slots=True)
class Address:
    host: str
    port: int

    def __str__(self) -> str:
        return host_port(self.host, self.port)


def candidate_addresses(ports: Sequence[int], system: SystemProxy | None) -> tuple[Address, ...]:
    """127.0.0.1 on `ports`, then the addresses the system proxy names; each once."""
    found = [Address(LOOPBACK, port) for port in ports]
    if system is not None:
        for url in (system.http, system.https, system.socks):
            address = _address_of(url)
            if address is not None:
                found.append(address)
    return tuple(dict.fromkeys(found))


def _address_of(url: str | None) -> Address | None:
    if not url:
        return None
    try:
        parts = urlsplit(url if "://" in url else f"http://{url}")
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname or port is None:
        return None
    return Address(parts.hostname, port)


def route_key(url: str | None) -> str | None:
    """A proxy URL compared as Codex's rules compare routes (case and a final / aside)."""
    return None if url is None else url.strip().rstrip("/").lower()


def listening_route(address: Address, kind: ProxyKind) -> Route:
    """The route through a listener found at `address`, spoken to as `kind`."""
    url = f"{_ROUTE_SCHEMES[kind]}://{address}"
    return Route(
        RouteKind.LOCAL_PROXY, url, RouteSource(SourceKind.LISTENING, address=str(address))
    )


class Discovery:
    """Finds and verifies proxies listening on loopback (and at the system proxy's address).

    Holds the last answer for `ttl_s`; `ports` and the probes are injectable for tests.
    """

    def __init__(
        self,
        *,
        probe_http: Probe,
        probe_ws: Probe,
        ports: Sequence[int] = LOCAL_PROXY_PORTS,
        budget_s: float = BUDGET_S,
        ttl_s: float = CACHE_TTL_S,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._probe_http = probe_http
        self._probe_ws = probe_ws
        self._ports = tuple(ports)
        self._budget_s = budget_s
        self._ttl_s = ttl_s
        self._monotonic = monotonic
        self._cache: tuple[object, float, tuple[ProbeResult, ...]] | None = None

    async def find(
        self,
        *,
        http_url: str,
        ws_url: str,
        trust: TlsTrust,
        system: SystemProxy | None,
        known: Collection[str | None] = (),
        ws_headers: Mapping[str, str] | None = None,
        timeout_s: float = BUDGET_S,
    ) -> tuple[ProbeResult, ...]:
        """The probes through every proxy found listening, WebSocket and HTTP, in candidate
        order; routes in `known` (proxy URLs already probed) are left out. Never raises."""
        addresses = candidate_addresses(self._ports, system)
        key = (http_url, ws_url, addresses, frozenset(route_key(k) for k in known))
        now = self._monotonic()
        if self._cache is not None and self._cache[0] == key and now - self._cache[1] < self._ttl_s:
            return self._cache[2]
        deadline = now + min(self._budget_s, timeout_s)
        gate = asyncio.Semaphore(MAX_SOCKETS)
        found = await asyncio.gather(
            *(
                self._through(address, http_url, ws_url, trust, ws_headers, key[3], gate, deadline)
                for address in addresses
            )
        )
        results = tuple(result for per_address in found for result in per_address)
        self._cache = (key, self._monotonic(), results)
        return results

    def _left(self, deadline: float) -> float:
        return max(0.0, deadline - self._monotonic())

    async def _through(
        self,
        address: Address,
        http_url: str,
        ws_url: str,
        trust: TlsTrust,
        ws_headers: Mapping[str, str] | None,
        known: frozenset[str | None],
        gate: asyncio.Semaphore,
        deadline: float,
    ) -> list[ProbeResult]:
        async with gate:
            if not await _accepts(address, min(CONNECT_TIMEOUT_S, self._left(deadline))):
                return []
        async with gate:
            kinds = await _speaks(address, min(SNIFF_TIMEOUT_S, self._left(deadline)))
        probes: list[Awaitable[ProbeResult]] = []
        for kind in kinds:
            route = listening_route(address, kind)
            if route_key(route.proxy_url) in known:
                continue
            probes.append(
                self._bounded(gate, deadline, self._probe_ws, ws_url, route, trust, ws_headers)
            )
            if kind is ProxyKind.HTTP:
                probes.append(
                    self._bounded(gate, deadline, self._probe_http, http_url, route, trust, None)
                )
        return list(await asyncio.gather(*probes))

    async def _bounded(
        self,
        gate: asyncio.Semaphore,
        deadline: float,
        probe: Probe,
        url: str,
        route: Route,
        trust: TlsTrust,
        headers: Mapping[str, str] | None,
    ) -> ProbeResult:
        """One probe, once a socket is free, with what is left of the budget (measured
        then: waiting for the gate uses the budget up too)."""
        async with gate:
            return await probe(
                url, route, trust=trust, timeout_s=self._left(deadline), headers=headers
            )


async def _accepts(address: Address, timeout_s: float) -> bool:
    """Something listens at `address` (a TCP connect, closed at once)."""
    if timeout_s <= 0:
        return False
    try:
        async with asyncio.timeout(timeout_s):
            _reader, writer = await asyncio.open_connection(address.host, address.port)
    except (OSError, TimeoutError):
        return False
    await _close(writer)
    return True


async def _speaks(address: Address, timeout_s: float) -> tuple[ProxyKind, ...]:
    """The proxy protocols the listener answers: SOCKS5 (without a login) and HTTP."""
    socks, http = await asyncio.gather(
        _answers(
            address,
            _SOCKS5_GREETING,
            lambda got: got == _SOCKS5_NO_AUTH,
            len(_SOCKS5_NO_AUTH),
            timeout_s,
        ),
        _answers(
            address, _HTTP_QUESTION, lambda got: got == _HTTP_ANSWER, len(_HTTP_ANSWER), timeout_s
        ),
    )
    kinds = []
    if http:  # first: an http:// proxy can carry Codex's HTTP requests as well
        kinds.append(ProxyKind.HTTP)
    if socks:
        kinds.append(ProxyKind.SOCKS5H)
    return tuple(kinds)


async def _answers(
    address: Address, question: bytes, good: Callable[[bytes], bool], size: int, timeout_s: float
) -> bool:
    """Send `question`; the first `size` bytes of the answer pass `good` within the time."""
    if timeout_s <= 0:
        return False
    writer: asyncio.StreamWriter | None = None
    try:
        async with asyncio.timeout(timeout_s):
            reader, writer = await asyncio.open_connection(address.host, address.port)
            writer.write(question)
            await writer.drain()
            answer = await reader.readexactly(size)
    except (OSError, TimeoutError, asyncio.IncompleteReadError):
        return False
    finally:
        if writer is not None:
            await _close(writer)
    return good(answer)


async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with contextlib.suppress(OSError, TimeoutError):
        async with asyncio.timeout(0.5):
            await writer.wait_closed()
