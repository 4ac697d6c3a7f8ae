"""Opening a TCP connection to a target along one route, one timed phase at a time.

Both probes share this: DNS through `loop.getaddrinfo`, TCP through `loop.sock_connect`, then
the proxy handshake written by hand (HTTP CONNECT with optional Basic auth, or SOCKS5), so
that every phase is measured on the same clock and every failure is raised at a known stage.
The caller gets a plain connected socket and adds TLS and its own request on top.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ipaddress
import socket
import ssl
import struct
from dataclasses import dataclass
from typing import Any

from codex_link.core.model.probe import Route, Stage
from codex_link.core.model.urls import (
    ProxyKind,
    ProxySchemeError,
    ProxySpec,
    Target,
    parse_proxy,
    proxy_address,
)
from codex_link.core.net.phases import PhaseRecorder

_MAX_PROXY_HEAD = 16 * 1024


class ProxyStatusError(Exception):
    """The HTTP proxy answered CONNECT with a status other than 2xx."""

    def __init__(self, status: int, phrase: str) -> None:
        super().__init__(f"proxy answered CONNECT with {status} {phrase}")
        self.status = status
        self.phrase = phrase


class ProtocolMismatch(Exception):
    """The peer (proxy or server) answered with bytes that are not the expected protocol."""


class SocksReplyError(Exception):
    """The SOCKS5 proxy refused to connect to the target (RFC 1928 reply code)."""

    def __init__(self, code: int) -> None:
        self.code = code
        self.phrase = SOCKS_REPLIES.get(code, f"SOCKS error {code}")
        super().__init__(f"SOCKS5 reply {code}: {self.phrase}")


class SocksAuthError(Exception):
    """The SOCKS5 proxy wants a user name and password, or refused the ones given."""


# RFC 1928 section 6: what a SOCKS5 proxy says when it cannot connect.
SOCKS_REPLIES = {
    1: "general SOCKS server failure",
    2: "connection not allowed by ruleset",
    3: "network unreachable",
    4: "host unreachable",
    5: "connection refused",
    6: "TTL expired",
    7: "command not supported",
    8: "address type not supported",
}


def route_proxy(
    route: Route, allowed: frozenset[ProxyKind], *, bare_is_http: bool = True
) -> ProxySpec | None:
    """The proxy a route goes through, or None for a direct route."""
    if route.proxy_url is None or not route.proxy_url.strip():
        return None
    return parse_proxy(route.proxy_url.strip(), allowed, bare_is_http=bare_is_http)


def proxy_display(route: Route) -> str:
    """host:port of the route's proxy for sentences, with no credentials and no scheme."""
    return "" if route.proxy_url is None else proxy_address(route.proxy_url)


async def open_route(target: Target, proxy: ProxySpec | None, rec: PhaseRecorder) -> socket.socket:
    """A connected, non-blocking socket whose bytes reach `target` (through `proxy`).

    The caller owns the socket. Phases DNS, TCP and (with a proxy) PROXY are recorded.
    """
    loop = asyncio.get_running_loop()
    if proxy is None:
        rec.begin(Stage.DNS)
        addresses = await _resolve(loop, target.host, target.port)
        rec.begin(Stage.TCP)
        return await _connect_any(loop, addresses)
    rec.begin(Stage.DNS, at_proxy=True)
    proxy_addresses = await _resolve(loop, proxy.host, proxy.port)
    target_address: str | None = None
    if proxy.kind is ProxyKind.SOCKS5 and not _is_ip(target.host):
        rec.add(Stage.DNS, at_proxy=False)  # socks5:// means the client resolves the target
        target_address = (await _resolve(loop, target.host, target.port))[0].ip
    rec.begin(Stage.TCP, at_proxy=True)
    sock = await _connect_any(loop, proxy_addresses)
    try:
        rec.begin(Stage.PROXY, at_proxy=True)
        if proxy.kind is ProxyKind.HTTP:
            await _http_connect(loop, sock, target, proxy)
        elif proxy.kind in (ProxyKind.SOCKS5, ProxyKind.SOCKS5H):
            await _socks5_connect(loop, sock, target, proxy, target_address)
        else:  # an https:// proxy needs a stream: open_stream_via_https_proxy
            raise ProxySchemeError(proxy.kind.value)
    except BaseException:
        sock.close()
        raise
    return sock


@dataclass(frozen=True, slots=True)
class _Address:
    family: socket.AddressFamily
    proto: int
    sockaddr: tuple[Any, ...]

    @property
    def ip(self) -> str:
        return str(self.sockaddr[0])


async def _resolve(loop: asyncio.AbstractEventLoop, host: str, port: int) -> list[_Address]:
    found = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    if not found:
        raise socket.gaierror(socket.EAI_NONAME, "no address")
    return [
        _Address(family, proto, tuple(sockaddr)) for family, _kind, proto, _name, sockaddr in found
    ]


async def _connect_any(loop: asyncio.AbstractEventLoop, addresses: list[_Address]) -> socket.socket:
    """Tries each address in order (e.g. ::1 then 127.0.0.1); raises the first error."""
    first_error: OSError | None = None
    for address in addresses:
        sock = socket.socket(address.family, socket.SOCK_STREAM, address.proto)
        try:
            sock.setblocking(False)
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            await loop.sock_connect(sock, address.sockaddr)
        except OSError as exc:
            sock.close()
            first_error = first_error or exc
            continue
        except BaseException:
            sock.close()
            raise
        return sock
    assert first_error is not None  # _resolve never returns an empty list
    raise first_error


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _connect_request(target: Target, proxy: ProxySpec) -> bytes:
    lines = [f"CONNECT {target.authority} HTTP/1.1", f"Host: {target.authority}"]
    if proxy.username is not None:
        secret = f"{proxy.username}:{proxy.password or ''}".encode()
        lines.append("Proxy-Authorization: Basic " + base64.b64encode(secret).decode("ascii"))
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


def _check_connect_answer(head: bytes, rest: bytes) -> None:
    status, phrase = parse_status_line(head.split(b"\r\n", 1)[0], error=ProtocolMismatch)
    if not 200 <= status < 300:
        raise ProxyStatusError(status, phrase)
    if rest:  # the client speaks first in the tunnel (TLS hello, upgrade request)
        raise ProtocolMismatch("proxy sent bytes before the tunnel was used")


async def _http_connect(
    loop: asyncio.AbstractEventLoop, sock: socket.socket, target: Target, proxy: ProxySpec
) -> None:
    await loop.sock_sendall(sock, _connect_request(target, proxy))
    head, rest = await _read_head(loop, sock)
    _check_connect_answer(head, rest)


async def open_stream_via_https_proxy(
    target: Target, proxy: ProxySpec, rec: PhaseRecorder, context: ssl.SSLContext, *, limit: int
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A stream to `target` through an https:// proxy: TLS to the proxy, CONNECT inside it,
    then (for an https target) TLS to the target inside that tunnel.

    Codex's HTTP client (reqwest) accepts such proxies, so the HTTP probe must follow it
    there; the proxy's certificate is checked with the same trust as the target's. The TLS
    handshake with the proxy counts as the proxy phase.
    """
    loop = asyncio.get_running_loop()
    rec.begin(Stage.DNS, at_proxy=True)
    addresses = await _resolve(loop, proxy.host, proxy.port)
    rec.begin(Stage.TCP, at_proxy=True)
    sock = await _connect_any(loop, addresses)
    rec.begin(Stage.PROXY, at_proxy=True)
    # From here asyncio's transport owns the socket.
    reader, writer = await asyncio.open_connection(
        sock=sock, ssl=context, limit=limit, server_hostname=proxy.host
    )
    try:
        writer.write(_connect_request(target, proxy))
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        _check_connect_answer(head[:-4], b"")
        if target.secure:
            rec.begin(Stage.TLS)
            await writer.start_tls(context, server_hostname=target.host)
    except BaseException:
        writer.transport.abort()
        raise
    return reader, writer


async def _read_head(loop: asyncio.AbstractEventLoop, sock: socket.socket) -> tuple[bytes, bytes]:
    """The proxy's answer head up to the blank line, and any bytes that came after it."""
    buffer = b""
    while b"\r\n\r\n" not in buffer:
        chunk = await loop.sock_recv(sock, 4096)
        if not chunk:
            raise asyncio.IncompleteReadError(buffer, None)
        buffer += chunk
        if len(buffer) > _MAX_PROXY_HEAD:
            raise ProtocolMismatch("proxy answer too long")
    head, _, rest = buffer.partition(b"\r\n\r\n")
    return head, rest


def parse_status_line[E: Exception](line: bytes, *, error: type[E]) -> tuple[int, str]:
    """(status, reason phrase) of an HTTP/1.x status line; anything else raises `error`."""
    try:
        version, status_text, *rest = line.decode("latin-1").split(" ", 2)
    except ValueError as exc:
        raise error("not an HTTP status line") from exc
    if not version.startswith("HTTP/1.") or len(status_text) != 3 or not status_text.isdigit():
        raise error("not an HTTP status line")
    return int(status_text), (rest[0].strip() if rest else "")


async def _recv_exact(loop: asyncio.AbstractEventLoop, sock: socket.socket, size: int) -> bytes:
    buffer = b""
    while len(buffer) < size:
        chunk = await loop.sock_recv(sock, size - len(buffer))
        if not chunk:
            raise asyncio.IncompleteReadError(buffer, size)
        buffer += chunk
    return buffer


async def _socks5_connect(
    loop: asyncio.AbstractEventLoop,
    sock: socket.socket,
    target: Target,
    proxy: ProxySpec,
    resolved: str | None,
) -> None:
    """RFC 1928 CONNECT, with RFC 1929 user/password when the proxy URL carries them."""
    with_auth = proxy.username is not None
    await loop.sock_sendall(sock, b"\x05\x02\x00\x02" if with_auth else b"\x05\x01\x00")
    version, method = await _recv_exact(loop, sock, 2)
    if version != 5:
        raise ProtocolMismatch("not a SOCKS5 proxy")
    if method == 0x02 and with_auth:
        user = (proxy.username or "").encode()[:255]
        password = (proxy.password or "").encode()[:255]
        await loop.sock_sendall(
            sock, bytes([1, len(user)]) + user + bytes([len(password)]) + password
        )
        _auth_version, auth_status = await _recv_exact(loop, sock, 2)
        if auth_status != 0:
            raise SocksAuthError("user name or password refused")
    elif method != 0x00:
        raise SocksAuthError("no acceptable authentication method")
    host = resolved or target.host
    if _is_ip(host):
        ip = ipaddress.ip_address(host)
        address = (b"\x01" if ip.version == 4 else b"\x04") + ip.packed
    else:
        name = host.encode("idna")[:255]
        address = b"\x03" + bytes([len(name)]) + name
    await loop.sock_sendall(sock, b"\x05\x01\x00" + address + struct.pack("!H", target.port))
    version, reply, _reserved, address_type = await _recv_exact(loop, sock, 4)
    if version != 5:
        raise ProtocolMismatch("not a SOCKS5 reply")
    if reply != 0:
        raise SocksReplyError(reply)
    if address_type == 0x01:
        await _recv_exact(loop, sock, 4 + 2)
    elif address_type == 0x04:
        await _recv_exact(loop, sock, 16 + 2)
    elif address_type == 0x03:
        (length,) = await _recv_exact(loop, sock, 1)
        await _recv_exact(loop, sock, length + 2)
    else:
        raise ProtocolMismatch("bad SOCKS5 address type")
