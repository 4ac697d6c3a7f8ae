"""A loopback stand-in for the network users sit behind: only the proxy may go out.

Behind many company and national firewalls the direct path to the model host is silently
dropped while the proxy (system proxy, VPN client) gets through. `ProxyOnlyGate` reproduces
that on loopback: it listens in front of the harness endpoint and forwards the connections the
real proxy process opens, byte for byte (TLS stays end to end), and blackholes every other
one (accepted, read, never answered), as a dropping firewall looks to a client.

The proxy's connections are recognised by their owner: the process listening on the proxy's
port (psutil maps a peer address to its process). Only 127.0.0.1 is used.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
from collections.abc import Iterator
from types import TracebackType

import psutil
import pytest

from tests.harness.endpoint import FakeEndpoint, wait_until
from tests.harness.proxies import TinyProxy

_POLL_S = 0.1
_JOIN_S = 5.0


class ProxyOnlyGate:
    """A TCP gate on 127.0.0.1: the proxy's connections reach `upstream_port`, others hang."""

    def __init__(self, upstream_port: int, proxy_port: int) -> None:
        self.upstream_port = upstream_port
        self.proxy_port = proxy_port
        self.port = 0
        self.forwarded = 0
        self.blackholed = 0
        self._listener: socket.socket | None = None
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()

    def start(self) -> ProxyOnlyGate:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        self._listener = listener
        self.port = listener.getsockname()[1]
        self._spawn(self._accept_loop)
        return self

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._sockets.clear()
        if self._listener is not None:
            self._listener.close()
        for thread in self._threads:
            thread.join(_JOIN_S)

    def __enter__(self) -> ProxyOnlyGate:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def base_url(self) -> str:
        return f"https://localhost:{self.port}/v1"

    # --- gate thread -------------------------------------------------------------------------

    def _spawn(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        self._threads.append(thread)
        thread.start()

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.add(sock)

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stopping.is_set():
            readable, _, _ = select.select([self._listener], [], [], _POLL_S)
            if not readable:
                continue
            try:
                client, peer = self._listener.accept()
            except OSError:
                return
            self._track(client)
            if self._from_proxy(peer):
                self.forwarded += 1
                self._spawn(self._forward, client)
            else:
                self.blackholed += 1
                self._spawn(self._blackhole, client)

    def _from_proxy(self, peer: tuple[str, int]) -> bool:
        connections = psutil.net_connections("tcp")
        proxy_pids = {
            c.pid
            for c in connections
            if c.laddr
            and c.laddr.port == self.proxy_port
            and c.status == psutil.CONN_LISTEN
            and c.pid is not None
        }
        return any(
            c.pid in proxy_pids and c.laddr and (c.laddr.ip, c.laddr.port) == peer
            for c in connections
        )

    def _blackhole(self, client: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while not self._stopping.is_set():
                readable, _, _ = select.select([client], [], [], _POLL_S)
                if readable and not client.recv(65536):
                    return

    def _forward(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
        except OSError:
            client.close()
            return
        self._track(upstream)
        pair = [client, upstream]
        with contextlib.suppress(OSError):
            while not self._stopping.is_set():
                readable, _, _ = select.select(pair, [], [], _POLL_S)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (upstream if sock is client else client).sendall(data)
        for sock in pair:
            sock.close()


@pytest.fixture
def gate(endpoint: FakeEndpoint, http_proxy: TinyProxy) -> Iterator[ProxyOnlyGate]:
    with ProxyOnlyGate(endpoint.port, http_proxy.port) as running:
        yield running


def _exchange(sock: socket.socket) -> bytes:
    sock.settimeout(1.0)
    sock.sendall(b"HEAD /v1/responses HTTP/1.1\r\nHost: localhost\r\n\r\n")
    try:
        return sock.recv(100)
    except TimeoutError:
        return b""


def test_gate_blackholes_direct_connections(gate: ProxyOnlyGate) -> None:
    with socket.create_connection(("127.0.0.1", gate.port), timeout=2) as sock:
        assert _exchange(sock) == b""  # connected, then silence: a dropping firewall
    assert gate.blackholed == 1 and gate.forwarded == 0


def test_gate_forwards_the_proxys_connections(gate: ProxyOnlyGate, http_proxy: TinyProxy) -> None:
    with socket.create_connection(("127.0.0.1", http_proxy.port), timeout=2) as sock:
        sock.settimeout(5.0)
        sock.sendall(
            f"CONNECT localhost:{gate.port} HTTP/1.1\r\n"
            f"Host: localhost:{gate.port}\r\n\r\n".encode()
        )
        answer = sock.recv(200)
        assert answer.split(b"\r\n")[0].split(b" ")[1] == b"200"
        # Checked while the tunnel is open: the gate recognises the proxy by its live socket.
        assert wait_until(lambda: gate.forwarded == 1)
    assert gate.blackholed == 0
