"""A fake OpenAI Responses endpoint on loopback: HTTPS/SSE and WSS, with every fault mode.

It speaks raw HTTP/1.1 and RFC 6455 framing on asyncio streams, in a daemon thread with its
own event loop, so one server serves plain sync tests, qasync-driven UI tests and subprocess
clients (the real Codex CLI, proxies in between) alike. Sockets are accepted by hand and only
then wrapped in TLS, so `tls_delay_s` can hold the handshake back without losing the client's
first bytes, and a fault mode knows exactly which phase it breaks.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import json
import random
import shutil
import socket
import ssl
import struct
import tempfile
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from tests.harness.sse import response_events, sse_body

if TYPE_CHECKING:
    import trustme

_WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_MAX_HEAD = 64 * 1024
_MAX_FRAME = 16 * 1024 * 1024
_STEP_TIMEOUT_S = 10.0  # start/stop of the server thread; far above what they need
GARBAGE = b"SSH-2.0-OpenSSH_9.6 this is not HTTP\r\n\x00\xff\xfe\x01garbage\r\n\r\n"

_OP_CONT, _OP_TEXT, _OP_BINARY, _OP_CLOSE, _OP_PING, _OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA


class Behaviour(StrEnum):
    """How the endpoint answers; set separately for plain HTTP requests and WebSocket upgrades."""

    OK = "ok"  # HTTP: 200 (POST streams a finished turn as SSE); WS: 101, serve until closed
    UPGRADE_401 = "upgrade_401"  # answer with that HTTP status instead
    UPGRADE_403 = "upgrade_403"
    UPGRADE_426 = "upgrade_426"  # Codex falls back to HTTP at once on this one
    GATEWAY_503 = "gateway_503"  # 503, as a gateway that cannot reach its upstream answers
    CLOSE_1008 = "close_1008"  # WS: 101, then at once close 1008 (HTTP: same as OK)
    BLACKHOLE = "blackhole"  # TCP and TLS complete, the request is read, nothing answers
    RESET = "reset"  # the request is read, then the connection is reset (RST)
    SLOW = "slow"  # as OK, after `delay_s`
    GARBAGE = "garbage"  # bytes that are not HTTP, then close
    # Hostile servers: each keeps the connection open after its bytes, as the ones users
    # meet do, so a client that waits for more instead of judging what it got hangs.
    ENDLESS_HEADERS = "endless_headers"  # a status line, then header lines without end
    BAD_STATUS_LINE = "bad_status_line"  # "HTTP/1.1 2OO OK": not a status code
    HUGE_HEADER = "huge_header"  # a status line, then one 10 MB header line
    HUGE_FRAME = "huge_frame"  # WS: 101, then a frame header announcing 2^62 bytes
    GARBAGE_AFTER_101 = "garbage_after_101"  # WS: 101, then bytes that are not frames
    RANDOM_AFTER_101 = "random_after_101"  # WS: 101, then random bytes (`random_seed`)
    PING_FLOOD = "ping_flood"  # WS: 101, then ping frames as fast as the socket takes them


HUGE_HEADER_BYTES = 10 * 1024 * 1024
HUGE_FRAME_LENGTH = 1 << 62
RANDOM_BYTES = 4096
_HOSTILE_HEADS = frozenset(
    {Behaviour.ENDLESS_HEADERS, Behaviour.BAD_STATUS_LINE, Behaviour.HUGE_HEADER}
)
_AFTER_101 = frozenset(
    {
        Behaviour.HUGE_FRAME,
        Behaviour.GARBAGE_AFTER_101,
        Behaviour.RANDOM_AFTER_101,
        Behaviour.PING_FLOOD,
    }
)


class CertMode(StrEnum):
    """The endpoint's certificate, always from the CA the test trusts."""

    VALID = "valid"
    EXPIRED = "expired"  # valid names, but its validity ended yesterday
    WRONG_HOST = "wrong_host"  # valid dates, but issued for another name


_STATUS_OF = {
    Behaviour.UPGRADE_401: 401,
    Behaviour.UPGRADE_403: 403,
    Behaviour.UPGRADE_426: 426,
    Behaviour.GATEWAY_503: 503,
}
_REASONS = {
    101: "Switching Protocols",
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    426: "Upgrade Required",
    503: "Service Unavailable",
}


@dataclass(frozen=True)
class Seen:
    """One request as it arrived: from which address (a proxy's outgoing side shows here),
    its request target with the query, every header (lower-case names), and when its head
    was read (`time.monotonic()`), so a test can measure how long a client waited between
    attempts."""

    peer: str
    method: str
    target: str
    headers: dict[str, str]
    websocket: bool
    at: float = 0.0


@dataclass
class EndpointStats:
    """What the endpoint saw. Written on the server thread, read from tests."""

    connections: int = 0
    ws_upgrade_attempts: int = 0
    http_requests: int = 0
    posts: int = 0  # POSTs to a .../responses path
    last_ws_headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    close_codes_received: list[int] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # "METHOD /path", both kinds, in order
    seen: list[Seen] = field(default_factory=list)  # every request in full, in order


@dataclass(frozen=True)
class Request:
    method: str
    target: str
    headers: dict[str, str]  # lower-case names; repeated headers joined with ", "

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]

    @property
    def is_websocket_upgrade(self) -> bool:
        return "websocket" in self.headers.get("upgrade", "").lower()

    @property
    def wants_close(self) -> bool:
        return "close" in self.headers.get("connection", "").lower()


class BadRequest(Exception):
    """The client sent something that is not an HTTP/1.1 request."""


class _Connection:
    """One accepted client connection and its streams."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    def reset(self) -> None:
        """Close with an RST: SO_LINGER 0, then drop the socket without a TLS close."""
        sock = self.writer.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.transport.abort()

    async def close(self) -> None:
        """Close politely (TLS close_notify, FIN) but never wait long for the peer."""
        transport = self.writer.transport
        if not transport.is_closing():
            self.writer.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.writer.wait_closed(), 2.0)
        transport.abort()


def wait_until(predicate: Callable[[], bool], timeout_s: float = 3.0) -> bool:
    """Poll `predicate` until it holds or `timeout_s` passes; the server runs on its own thread."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


class FakeEndpoint:
    """HTTPS (or plain HTTP) + WebSocket Responses endpoint at `base_url` on loopback."""

    def __init__(
        self,
        *,
        tls: bool = True,
        ca: trustme.CA | None = None,
        host: str = "127.0.0.1",
        cert: CertMode = CertMode.VALID,
        server_name: str = "localhost",
    ) -> None:
        """`server_name`: the host name in `base_url` (with TLS) and in the certificate. A
        name other than localhost is not on a NO_PROXY list of local names, so a client
        sends it to its proxy; the proxy must then resolve it (`ProxyProcess.hosts`)."""
        self.tls = tls
        self.cert = cert
        self.server_name = server_name
        self.random_seed = 0  # RANDOM_AFTER_101 sends `random.Random(seed).randbytes(...)`
        self.host = host
        self.port = 0
        self.http_behaviour = Behaviour.OK
        self.ws_behaviour = Behaviour.OK
        # Set: only upgrades from these peer addresses get `ws_behaviour`; every other peer's
        # upgrade is blackholed. A proxy that sends from its own loopback address (its
        # `outgoing`) is then the only route that carries the WebSocket, and a direct
        # connection hangs as it does where a network swallows WebSockets.
        self.ws_only_from: frozenset[str] | None = None
        self.delay_s = 0.0
        self.tls_delay_s = 0.0
        self.reply_text = "pong"
        self.stats = EndpointStats()
        self.ca_pem_path: Path | None = None
        self.loop_errors: list[dict[str, Any]] = []  # what asyncio would have logged
        self._ca = ca
        self._ssl: ssl.SSLContext | None = None
        self._tmpdir: Path | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._listeners: list[socket.socket] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._connections: set[_Connection] = set()

    # ----- public surface -------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        if self.tls:
            return f"https://{self.server_name}:{self.port}/v1"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/v1"

    @property
    def responses_url(self) -> str:
        return self.base_url + "/responses"

    @property
    def ws_url(self) -> str:
        return "ws" + self.responses_url.removeprefix("http")

    def reset_stats(self) -> None:
        self.stats = EndpointStats()

    def start(self) -> FakeEndpoint:
        if self._thread is not None:
            return self
        if self.tls:
            self._make_tls()
        loop = asyncio.new_event_loop()
        loop.set_exception_handler(lambda _loop, context: self.loop_errors.append(context))
        self._loop = loop
        self._thread = threading.Thread(
            target=self._run_loop, name=f"fake-endpoint-{id(self)}", daemon=True
        )
        self._thread.start()
        try:
            self._call(self._open())
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        try:
            if thread.is_alive():
                with contextlib.suppress(RuntimeError, TimeoutError):
                    self._call(self._shutdown())
                loop.call_soon_threadsafe(loop.stop)
                thread.join(_STEP_TIMEOUT_S)
        finally:
            if not thread.is_alive():
                loop.close()
            for sock in self._listeners:
                sock.close()
            self._listeners.clear()
            self._loop = None
            self._thread = None
            if self._tmpdir is not None:
                shutil.rmtree(self._tmpdir, ignore_errors=True)
                self._tmpdir = None

    def __enter__(self) -> FakeEndpoint:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ----- server thread ----------------------------------------------------------------------

    def _make_tls(self) -> None:
        import trustme

        ca = self._ca if self._ca is not None else trustme.CA()
        now = datetime.now(UTC)
        if self.cert is CertMode.EXPIRED:
            cert = ca.issue_cert(
                "localhost",
                "127.0.0.1",
                "::1",
                not_before=now - timedelta(days=30),
                not_after=now - timedelta(days=1),
            )
        elif self.cert is CertMode.WRONG_HOST:
            cert = ca.issue_cert("other-host.invalid")
        else:
            names = dict.fromkeys((self.server_name, "localhost", "127.0.0.1", "::1"))
            cert = ca.issue_cert(*names)
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(ctx)
        ctx.set_alpn_protocols(["http/1.1"])  # no HTTP/2: the endpoint speaks HTTP/1.1 only
        # No TLS 1.3 session tickets: a ticket arriving after the handshake makes the socket
        # readable, and websockets' sync client then blocks reading it for good when the
        # endpoint stays silent (BLACKHOLE), past its own open_timeout.
        ctx.num_tickets = 0
        self._ssl = ctx
        self._tmpdir = Path(tempfile.mkdtemp(prefix="fake-endpoint-"))
        self.ca_pem_path = self._tmpdir / "harness-ca.pem"
        ca.cert_pem.write_to_path(str(self.ca_pem_path))

    def _run_loop(self) -> None:
        assert self._loop is not None
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()

    def _call(self, coro: Coroutine[Any, Any, None]) -> None:
        assert self._loop is not None
        asyncio.run_coroutine_threadsafe(coro, self._loop).result(_STEP_TIMEOUT_S)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _open(self) -> None:
        first = self._listen(self.host, 0)
        self.port = first.getsockname()[1]
        socks = [first]
        if self.host == "127.0.0.1":
            # "localhost" may resolve to ::1 first (in a client or in a proxy): serve it too.
            with contextlib.suppress(OSError):
                socks.append(self._listen("::1", self.port))
        self._listeners = socks
        for sock in socks:
            self._spawn(self._accept_loop(sock))

    @staticmethod
    def _listen(host: str, port: int) -> socket.socket:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind((host, port))
            sock.listen(64)
            sock.setblocking(False)
        except OSError:
            sock.close()
            raise
        return sock

    async def _accept_loop(self, listener: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        while True:
            client, _addr = await loop.sock_accept(listener)
            self.stats.connections += 1
            self._spawn(self._serve(client))

    async def _shutdown(self) -> None:
        for conn in list(self._connections):
            conn.writer.transport.abort()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for sock in self._listeners:
            sock.close()
        for _ in range(3):  # let the aborted transports run their connection_lost callbacks
            await asyncio.sleep(0)

    async def _serve(self, client: socket.socket) -> None:
        conn: _Connection | None = None
        try:
            if self._ssl is not None and self.tls_delay_s > 0:
                await asyncio.sleep(self.tls_delay_s)  # the ClientHello waits in the kernel
            conn = await self._wrap(client)
            self._connections.add(conn)
            await self._serve_requests(conn)
        except (
            OSError,
            ssl.SSLError,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            TimeoutError,
            ValueError,
            BadRequest,
        ):
            pass  # the client went away or broke the protocol: nothing to answer
        finally:
            if conn is None:
                client.close()
            else:
                self._connections.discard(conn)
                await conn.close()

    async def _wrap(self, client: socket.socket) -> _Connection:
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader(limit=_MAX_HEAD, loop=loop)
        protocol = asyncio.StreamReaderProtocol(reader, loop=loop)
        transport, _ = await loop.connect_accepted_socket(
            lambda: protocol,
            client,
            ssl=self._ssl,
            ssl_handshake_timeout=_STEP_TIMEOUT_S if self._ssl is not None else None,
        )
        writer = asyncio.StreamWriter(transport, protocol, reader, loop)
        return _Connection(reader, writer)

    async def _serve_requests(self, conn: _Connection) -> None:
        while True:
            try:
                request = await _read_request(conn.reader)
            except BadRequest:
                await _respond(conn.writer, 400, b"bad request\n", close=True)
                return
            if request is None:
                return
            peer = _peer(conn)
            self.stats.requests.append(f"{request.method} {request.path}")
            self.stats.seen.append(
                Seen(
                    peer=peer,
                    method=request.method,
                    target=request.target,
                    headers=dict(request.headers),
                    websocket=request.is_websocket_upgrade,
                    at=time.monotonic(),
                )
            )
            if request.is_websocket_upgrade:
                self.stats.ws_upgrade_attempts += 1
                self.stats.last_ws_headers = dict(request.headers)
                await self._websocket(conn, request, self._ws_behaviour_for(peer))
                return
            self.stats.http_requests += 1
            body = await _read_body(conn.reader, request)
            if request.method == "POST" and request.path.endswith("/responses"):
                self.stats.posts += 1
            if not await self._http(conn, request, body, self.http_behaviour):
                return

    def _ws_behaviour_for(self, peer: str) -> Behaviour:
        allowed = self.ws_only_from
        return self.ws_behaviour if allowed is None or peer in allowed else Behaviour.BLACKHOLE

    async def _fault(self, conn: _Connection, behaviour: Behaviour) -> bool:
        """Play the fault modes shared by both transports; True when the connection is done."""
        if behaviour is Behaviour.SLOW:
            await asyncio.sleep(self.delay_s)
            return False
        if behaviour is Behaviour.BLACKHOLE:
            while await conn.reader.read(65536):
                pass  # never answer; the client's own timeout (or stop()) ends this
            return True
        if behaviour is Behaviour.RESET:
            conn.reset()
            return True
        if behaviour is Behaviour.GARBAGE:
            conn.writer.write(GARBAGE)
            await conn.writer.drain()
            return True
        if behaviour in _HOSTILE_HEADS:
            await self._hostile_head(conn, behaviour)
            return True
        if behaviour in _STATUS_OF:
            status = _STATUS_OF[behaviour]
            body = json.dumps({"error": {"message": _REASONS[status], "code": status}}).encode()
            await _respond(conn.writer, status, body, close=True, content_type="application/json")
            return True
        return False

    async def _hostile_head(self, conn: _Connection, behaviour: Behaviour) -> None:
        """A broken answer head, then silence on an open connection until the client goes."""
        writer = conn.writer
        if behaviour is Behaviour.BAD_STATUS_LINE:
            writer.write(b"HTTP/1.1 2OO OK\r\nContent-Length: 0\r\n\r\n")
        elif behaviour is Behaviour.HUGE_HEADER:
            writer.write(b"HTTP/1.1 200 OK\r\nX-Huge: " + b"a" * HUGE_HEADER_BYTES + b"\r\n\r\n")
        else:
            writer.write(b"HTTP/1.1 200 OK\r\n")
            number = 0
            while not writer.transport.is_closing():
                writer.write(
                    b"".join(f"X-Filler-{number + i}: {'b' * 40}\r\n".encode() for i in range(64))
                )
                number += 64
                await writer.drain()
                await asyncio.sleep(0.005)  # steady, without starving the server's loop
        await writer.drain()
        while await conn.reader.read(65536):
            pass

    async def _after_101(self, conn: _Connection, behaviour: Behaviour) -> None:
        """What a hostile server sends once the WebSocket is open; the connection stays open."""
        writer = conn.writer
        if behaviour is Behaviour.HUGE_FRAME:
            writer.write(struct.pack("!BBQ", 0x80 | _OP_BINARY, 127, HUGE_FRAME_LENGTH) + b"x")
        elif behaviour is Behaviour.GARBAGE_AFTER_101:
            writer.write(GARBAGE)
        elif behaviour is Behaviour.RANDOM_AFTER_101:
            writer.write(random.Random(self.random_seed).randbytes(RANDOM_BYTES))
        else:
            ping = struct.pack("!BB", 0x80 | _OP_PING, 4) + b"ping"
            while not writer.transport.is_closing():
                writer.write(ping * 16384)
                await writer.drain()
                await asyncio.sleep(0)
        await writer.drain()
        while await conn.reader.read(65536):
            pass

    async def _http(
        self, conn: _Connection, request: Request, body: bytes, behaviour: Behaviour
    ) -> bool:
        """Answer one plain HTTP request; True to keep the connection for the next one."""
        if await self._fault(conn, behaviour):
            return False
        if not request.path.endswith("/responses"):
            payload = json.dumps({"error": {"message": "no such path", "code": 404}}).encode()
            await _respond(
                conn.writer,
                404,
                payload,
                close=request.wants_close,
                content_type="application/json",
            )
        elif request.method == "POST":
            events = response_events(self.reply_text, f"resp_{self.stats.posts}")
            await _respond(
                conn.writer,
                200,
                sse_body(events),
                close=request.wants_close,
                content_type="text/event-stream",
            )
        else:
            await _respond(
                conn.writer,
                200,
                b'{"ok": true}\n',
                close=request.wants_close,
                content_type="application/json",
                head=request.method == "HEAD",
            )
        return not request.wants_close

    async def _websocket(self, conn: _Connection, request: Request, behaviour: Behaviour) -> None:
        if await self._fault(conn, behaviour):
            return
        key = request.headers.get("sec-websocket-key")
        if not key:
            await _respond(conn.writer, 400, b"missing Sec-WebSocket-Key\n", close=True)
            return
        accept = base64.b64encode(hashlib.sha1((key + _WS_GUID).encode()).digest()).decode()
        conn.writer.write(
            _head(
                101,
                [
                    ("Upgrade", "websocket"),
                    ("Connection", "Upgrade"),
                    ("Sec-WebSocket-Accept", accept),
                ],
            )
        )
        await conn.writer.drain()
        if behaviour in _AFTER_101:
            await self._after_101(conn, behaviour)
            return
        if behaviour is Behaviour.CLOSE_1008:
            await _send_frame(conn.writer, _OP_CLOSE, _close_payload(1008, "policy violation"))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._read_until_close(conn, echo=False), 5.0)
            return
        await self._read_until_close(conn, echo=True)

    async def _read_until_close(self, conn: _Connection, *, echo: bool) -> None:
        """Serve frames: pong pings, answer `response.create`, record and echo the close."""
        message = bytearray()
        while True:
            fin, opcode, payload = await _read_frame(conn.reader)
            if opcode == _OP_PING:
                await _send_frame(conn.writer, _OP_PONG, payload)
            elif opcode == _OP_CLOSE:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                self.stats.close_codes_received.append(code)
                if echo:
                    await _send_frame(conn.writer, _OP_CLOSE, payload[:2])
                return
            elif opcode in (_OP_TEXT, _OP_BINARY, _OP_CONT):
                message += payload
                if fin:
                    await self._on_ws_message(conn, bytes(message))
                    message.clear()

    async def _on_ws_message(self, conn: _Connection, message: bytes) -> None:
        """Codex sends `response.create` over the WebSocket and reads the same events as SSE."""
        try:
            parsed = json.loads(message)
        except ValueError:
            return
        if isinstance(parsed, dict) and parsed.get("type") == "response.create":
            for event in response_events(self.reply_text, "resp_ws"):
                await _send_frame(conn.writer, _OP_TEXT, json.dumps(event).encode())


# ----- HTTP/1.1 and RFC 6455 wire format ----------------------------------------------------


async def _read_request(reader: asyncio.StreamReader) -> Request | None:
    """The next request head, or None when the client closed between requests."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if not exc.partial.strip():
            return None
        raise BadRequest from exc
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise BadRequest(lines[0])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise BadRequest(line)
        key = name.strip().lower()
        headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
    return Request(method=parts[0], target=parts[1], headers=headers)


async def _read_body(reader: asyncio.StreamReader, request: Request) -> bytes:
    if "chunked" in request.headers.get("transfer-encoding", "").lower():
        chunks: list[bytes] = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
            if size == 0:
                while await reader.readuntil(b"\r\n") != b"\r\n":
                    pass  # trailers
                return b"".join(chunks)
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
    length = int(request.headers.get("content-length", "0") or "0")
    return await reader.readexactly(length) if length else b""


def _peer(conn: _Connection) -> str:
    peer = conn.writer.get_extra_info("peername")
    return str(peer[0]) if isinstance(peer, tuple) and peer else "?"


def _head(status: int, headers: list[tuple[str, str]]) -> bytes:
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"]
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _respond(
    writer: asyncio.StreamWriter,
    status: int,
    body: bytes,
    *,
    close: bool,
    content_type: str = "text/plain",
    head: bool = False,
) -> None:
    headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
    if close:
        headers.append(("Connection", "close"))
    writer.write(_head(status, headers) + (b"" if head else body))
    await writer.drain()


async def _read_frame(reader: asyncio.StreamReader) -> tuple[bool, int, bytes]:
    b0, b1 = await reader.readexactly(2)
    length = b1 & 0x7F
    if length == 126:
        length = struct.unpack("!H", await reader.readexactly(2))[0]
    elif length == 127:
        length = struct.unpack("!Q", await reader.readexactly(8))[0]
    if length > _MAX_FRAME:
        raise asyncio.LimitOverrunError("WebSocket frame too large", length)
    mask = await reader.readexactly(4) if b1 & 0x80 else b""
    payload = await reader.readexactly(length)
    if mask:
        key = (mask * (length // 4 + 1))[:length]
        payload = (int.from_bytes(payload) ^ int.from_bytes(key)).to_bytes(length)
    return bool(b0 & 0x80), b0 & 0x0F, payload


async def _send_frame(writer: asyncio.StreamWriter, opcode: int, payload: bytes) -> None:
    """A server frame: final, unmasked (RFC 6455 5.1)."""
    n = len(payload)
    if n < 126:
        header = struct.pack("!BB", 0x80 | opcode, n)
    elif n < 1 << 16:
        header = struct.pack("!BBH", 0x80 | opcode, 126, n)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 127, n)
    writer.write(header + payload)
    await writer.drain()


def _close_payload(code: int, reason: str) -> bytes:
    return struct.pack("!H", code) + reason.encode()
