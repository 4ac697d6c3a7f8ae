"""Helpers shared by the probe tests: routes through the harness proxies, trust, odd sockets."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

from codex_link.core.model.probe import ProbeResult, Route, RouteKind, RouteSource, SourceKind
from codex_link.core.net.tls import TlsTrust
from tests.harness.proxies import MicroSocks, TinyProxy

DIRECT = Route(RouteKind.DIRECT)
ROUTE_NAMES = ("direct", "http", "socks5", "socks5h")
UNRESOLVABLE = "codex-link-probe.invalid"  # RFC 2606: never resolves, no query leaves the host


def via(proxy_url: str) -> Route:
    return Route(
        RouteKind.ENV_PROXY, proxy_url, RouteSource(SourceKind.ENVIRONMENT, variable="HTTPS_PROXY")
    )


def route_named(name: str, http_proxy: TinyProxy, socks_proxy: MicroSocks) -> Route:
    if name == "direct":
        return DIRECT
    if name == "http":
        return via(http_proxy.url)
    if name == "socks5":
        return via(socks_proxy.url)
    return via(socks_proxy.url.replace("socks5://", "socks5h://"))


def os_trusts(ca_pem: Path) -> TlsTrust:
    """Trust as if the harness CA were in the OS store (so nothing counts as intercepted)."""
    context = ssl.create_default_context(cafile=str(ca_pem))
    return TlsTrust(context=context, os_only=context)


@contextlib.contextmanager
def full_backlog_port() -> Iterator[int]:
    """A loopback port that listens but whose accept queue is full: a new connect hangs.

    Linux drops the SYN of a new connection while the queue of a `listen(0)` socket holds one
    connection nobody accepted, which is what a blackholed address looks like to a client.
    """
    with socket.socket() as server, socket.socket() as filler:
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        filler.connect(server.getsockname())
        yield server.getsockname()[1]


@contextlib.asynccontextmanager
async def plain_http_port() -> AsyncIterator[int]:
    """A port where a plain HTTP service answers whatever arrives with 400 (no TLS there).

    The harness endpoint waits for a whole request head, which a TLS hello never completes;
    real plain HTTP servers reject the binary hello at once, like this one.
    """

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(4096)
        writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        await asyncio.wait_for(server.wait_closed(), 2.0)


async def least_phase(
    probe: Callable[[], Awaitable[ProbeResult]],
    phase: Callable[[ProbeResult], float | None],
    *,
    runs: int = 3,
) -> tuple[float, ProbeResult]:
    """The smallest value of one phase over `runs` probes, and that probe.

    A busy machine can only make a measured phase longer (the event loop wakes late), never
    shorter; the least of a few runs is the probe's own accuracy, not the machine's load.
    """
    best: tuple[float, ProbeResult] | None = None
    for _ in range(runs):
        result = await probe()
        value = phase(result)
        assert value is not None, result
        if best is None or value < best[0]:
            best = (value, result)
    assert best is not None
    return best
