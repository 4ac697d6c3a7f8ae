"""The WebSocket probe: Codex's upgrade request along one route, then a short wait for a close.

The socket comes from `connect.open_route` (shared with the HTTP probe); asyncio runs TLS on
it, and the upgrade and the few frames after it are written here (`ws_frames`), so TLS and
upgrade are timed apart. After a 101 the probe pings and waits at most `close_wait_s` to catch
the 101-then-close-1008 case, then closes with 1000 and waits for the server's close: never a
half-open socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import platform
import ssl
import time
from collections.abc import Callable, Mapping

from codex_link.core.model.probe import ProbeResult, Route, Stage, Transport
from codex_link.core.model.urls import ProxyKind, websocket_url
from codex_link.core.net.classify import classify
from codex_link.core.net.connect import ProtocolMismatch, open_route
from codex_link.core.net.reasons import failure_reason, success_reason
from codex_link.core.net.run import ProbeRun
from codex_link.core.net.tls import TlsTrust, run_with_codex_trust
from codex_link.core.net.ws_frames import (
    CLOSE_NORMAL,
    DATA_OPCODES,
    OP_CLOSE,
    OP_PING,
    OP_PONG,
    BadFrame,
    Frame,
    FrameParser,
    WebSocketClosed,
    check_upgrade_answer,
    client_frame,
    close_payload,
    new_key,
    parse_close,
    upgrade_request,
)

# Codex's WebSocket client takes only these proxy schemes ("Proxy URL scheme not supported").
WS_PROXY_KINDS = frozenset({ProxyKind.HTTP, ProxyKind.SOCKS5, ProxyKind.SOCKS5H})
RESPONSES_WEBSOCKETS_BETA = "responses_websockets=2026-02-06"
MAX_CLOSE_WAIT_S = 0.5
_CLOSE_TIMEOUT_S = 2.0  # for the server's answer to our close frame
_MAX_HEAD = 64 * 1024  # the upgrade's answer head, as the HTTP probe's: longer is no HTTP
# What a server may send after the 101 before anyone asked for anything: a pong and a close
# frame, at most 131 bytes each. More is a flood: parsing it (some 25 us per frame) would
# starve the event loop that times the HTTP probe running alongside, so the probe stops
# reading instead.
MAX_BYTES_AFTER_UPGRADE = 1024


class NotWebSocket(ProtocolMismatch):
    """After the 101 the server sent bytes that are not what a WebSocket server sends:
    frames that do not parse, data nobody asked for, or a flood."""


def codex_ws_headers(version: str, *, login: Mapping[str, str] | None = None) -> dict[str, str]:
    """The upgrade headers Codex sends (CODEX_FACTS §3); its login only with `login` (the
    deep check: `deep_credentials.read_deep_login`)."""
    system = platform.system() or "unknown"
    headers = {
        "OpenAI-Beta": RESPONSES_WEBSOCKETS_BETA,
        "originator": "codex_cli_rs",
        "User-Agent": f"codex_cli_rs/{version} ({system} {platform.release()}; "
        f"{platform.machine()})",
        "version": version,
    }
    if login:
        headers.update(login)
    return headers


async def probe_ws(
    url: str,
    route: Route,
    *,
    trust: TlsTrust,
    timeout_s: float = 15.0,
    headers: Mapping[str, str] | None = None,
    close_wait_s: float = 0.5,
    clock: Callable[[], float] = time.perf_counter,
    wall: Callable[[], float] = time.time,
) -> ProbeResult:
    """Opens a WebSocket to `url` through `route` within `timeout_s`. Never raises."""
    extra = dict(headers or {})
    wait_s = max(0.0, min(close_wait_s, MAX_CLOSE_WAIT_S))
    url = without_userinfo(websocket_url(url.strip()))  # Codex's https -> wss swap

    async def attempt(context: ssl.SSLContext, budget_s: float) -> ProbeResult:
        run = ProbeRun(
            Transport.WEBSOCKET,
            url,
            route,
            timeout_s=budget_s,
            clock=clock,
            wall=wall,
            authenticated=any(n.lower() == "authorization" for n in extra),
        )
        try:
            async with asyncio.timeout(budget_s):
                closed = await _upgrade_and_close(run, context, extra, wait_s)
        except Exception as exc:
            return run.failed(exc)
        if closed is not None:  # the server closed right after the 101
            found = classify(closed, Stage.POST_UPGRADE, Transport.WEBSOCKET)
            return run.result(
                reachable=False,
                failure=found.failure,
                status=101,
                reason=failure_reason(found, run.scene),
                stage=found.stage,
                close_code=found.close_code,
                close_reason=found.close_reason,
            )
        return run.result(
            reachable=True, failure=None, status=101, reason=success_reason(run.scene, 101)
        )

    return await run_with_codex_trust(
        trust,
        attempt,
        secure=url.strip().lower().startswith("wss:"),
        timeout_s=timeout_s,
        clock=clock,
    )


def without_userinfo(url: str) -> str:
    """The URL without `user:password@`: Codex never sends it, neither as an `Authorization:
    Basic` header (checked with the real CLI) nor anywhere else, so neither does the probe
    or its result."""
    scheme, sep, rest = url.partition("://")
    authority, slash, tail = rest.partition("/")
    if not sep or "@" not in authority:
        return url
    return f"{scheme}{sep}{authority.rpartition('@')[2]}{slash}{tail}"


class _AfterUpgrade:
    """What the server sends once the 101 is in: read and parsed up to
    MAX_BYTES_AFTER_UPGRADE, pings answered, our ping's pong and the server's close noted."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer
        self._parser = FrameParser()
        self._ping = os.urandom(4)
        self._closing = False  # we sent our close frame
        self.received = 0
        self.flooded = False
        self.bad_frame: BadFrame | None = None
        self.unasked_frames = 0  # data frames before we sent any request
        self.ponged = False
        self.closed: WebSocketClosed | None = None  # the server's close frame, or a drop

    @property
    def trouble(self) -> bool:
        """What arrived cannot come from a WebSocket server: judged at once."""
        return self.flooded or self.bad_frame is not None or self.unasked_frames > 0

    @property
    def partial_frame(self) -> bool:
        return self._parser.pending

    async def ping_and_wait(self, wait_s: float) -> None:
        """Pings, then reads until the pong, a close or trouble, for at most `wait_s`."""
        await self._send(OP_PING, self._ping)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(wait_s):
                await self._read_while(lambda: not self.ponged)

    async def close(self) -> None:
        """Our close 1000 unless the server closed first, then at most _CLOSE_TIMEOUT_S for
        the server's close frame and the end of the connection. Never raises: the verdict is
        made by then."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(_CLOSE_TIMEOUT_S):
                if self.closed is None:
                    self._closing = True
                    await self._send(OP_CLOSE, close_payload(CLOSE_NORMAL))
                    await self._read_while(lambda: True)
                # After the close frames the server ends the connection first (RFC 6455
                # section 7.1.1); bytes past the bound are not waited through.
                while self.closed is not None and self.closed.code is not None:
                    chunk = await self._reader.read(MAX_BYTES_AFTER_UPGRADE)
                    self.received += len(chunk)
                    if not chunk or self.received > MAX_BYTES_AFTER_UPGRADE:
                        break

    async def _send(self, opcode: int, payload: bytes) -> None:
        try:
            self._writer.write(client_frame(opcode, payload))
            await self._writer.drain()
        except OSError:
            self.closed = self.closed or WebSocketClosed(None)

    async def _read_while(self, wanted: Callable[[], bool]) -> None:
        while wanted() and self.closed is None and not self.trouble:
            try:
                chunk = await self._reader.read(MAX_BYTES_AFTER_UPGRADE)
            except OSError:  # a reset, or TLS failing, after the 101
                chunk = b""
            if not chunk:
                self.closed = WebSocketClosed(None)
                return
            room = MAX_BYTES_AFTER_UPGRADE - self.received
            self.received += len(chunk)
            if len(chunk) > room:
                # A flood: parsing it would starve the loop; what is buffered stays unread.
                self.flooded = True
                chunk = chunk[: max(room, 0)]
            self._parser.feed(chunk)
            await self._take_frames()

    async def _take_frames(self) -> None:
        try:
            while self.closed is None and (frame := self._parser.next_frame()) is not None:
                await self._take(frame)
        except BadFrame as exc:
            self.bad_frame = exc

    async def _take(self, frame: Frame) -> None:
        if frame.opcode in DATA_OPCODES:
            self.unasked_frames += 1
        elif frame.opcode == OP_PING and not self._closing:
            await self._send(OP_PONG, frame.payload)
        elif frame.opcode == OP_PONG:
            self.ponged = self.ponged or frame.payload == self._ping
        elif frame.opcode == OP_CLOSE:
            code, reason = parse_close(frame.payload)
            if not self._closing:  # the server closed first: echo its close, as RFC 6455 asks
                self._closing = True
                await self._send(OP_CLOSE, frame.payload)
            self.closed = WebSocketClosed(code, reason)


def _not_websocket(session: _AfterUpgrade) -> NotWebSocket | None:
    """What is wrong with what the server sent after the 101, if anything.

    Codex's Responses server sends nothing before a request, so any data frame, a frame that
    does not parse, part of a frame left waiting without the pong, or a flood all mean
    something other than a WebSocket server is talking; Codex would fail on it or wait for the
    rest of a frame that never comes.
    """
    if session.flooded:
        return NotWebSocket("the server flooded the WebSocket")
    if session.bad_frame is not None:
        problem = NotWebSocket("frames that do not parse")
        problem.__cause__ = session.bad_frame
        return problem
    if session.unasked_frames:
        return NotWebSocket("data frames before any request")
    if not session.ponged and session.partial_frame:
        return NotWebSocket("part of a frame, and no answer to the ping")
    return None


async def _upgrade_and_close(
    run: ProbeRun, context: ssl.SSLContext, headers: Mapping[str, str], wait_s: float
) -> WebSocketClosed | None:
    """Upgrade, watch for an immediate close, close with 1000; the server's close if any."""
    target = run.target()
    proxy = run.proxy(WS_PROXY_KINDS, bare_is_http=False)
    sock = await open_route(target, proxy, run.rec)
    if target.secure:
        run.rec.begin(Stage.TLS)
    # From here asyncio's transport owns the socket and closes it on any failure.
    reader, writer = await asyncio.open_connection(
        sock=sock,
        limit=_MAX_HEAD,
        ssl=context if target.secure else None,
        server_hostname=target.host if target.secure else None,
    )
    try:
        run.rec.begin(Stage.RESPONSE)
        key = new_key()
        writer.write(upgrade_request(target, headers, key))
        await writer.drain()
        check_upgrade_answer(await reader.readuntil(b"\r\n\r\n"), key)
        run.rec.begin(Stage.POST_UPGRADE)
        session = _AfterUpgrade(reader, writer)
        await session.ping_and_wait(wait_s)
        closed = session.closed  # what the close handshake brings does not change the verdict
        problem = _not_websocket(session)
        if problem is not None:
            # Not a WebSocket peer: a close handshake with it means nothing, and waiting for
            # its answer would only add the close timeout.
            raise problem
        await session.close()
        writer.close()  # TLS close_notify; the abort below then frees the socket at once
        run.rec.finish()
        return closed
    finally:
        writer.transport.abort()
