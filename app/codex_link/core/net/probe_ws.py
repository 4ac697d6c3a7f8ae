"""The WebSocket probe: Codex's upgrade request along one route, then a short wait for a close.

The socket comes from `connect.open_route` (shared with the HTTP probe) and websockets runs
TLS and the upgrade on it; a connection subclass marks the moment TLS is done, so TLS and
upgrade are timed apart. After a 101 the probe pings and waits at most `close_wait_s` to catch
the 101-then-close-1008 case, then closes with 1000 and waits for the server's close: never a
half-open socket.
"""

from __future__ import annotations

import asyncio
import platform
import ssl
import time
from collections.abc import Callable, Mapping
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.frames import DATA_OPCODES, Frame
from websockets.protocol import State

from codex_link.core.model.probe import ProbeResult, Route, Stage, Transport
from codex_link.core.model.urls import ProxyKind, websocket_url
from codex_link.core.net.classify import classify
from codex_link.core.net.connect import ProtocolMismatch, open_route
from codex_link.core.net.phases import PhaseRecorder
from codex_link.core.net.reasons import failure_reason, success_reason
from codex_link.core.net.run import ProbeRun
from codex_link.core.net.tls import TlsTrust, run_with_codex_trust

# Codex's WebSocket client takes only these proxy schemes ("Proxy URL scheme not supported").
WS_PROXY_KINDS = frozenset({ProxyKind.HTTP, ProxyKind.SOCKS5, ProxyKind.SOCKS5H})
RESPONSES_WEBSOCKETS_BETA = "responses_websockets=2026-02-06"
MAX_CLOSE_WAIT_S = 0.5
_CLOSE_TIMEOUT_S = 2.0  # for the server's answer to our close frame
_MAX_MESSAGE = 1 << 16
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
    """The URL without `user:password@`: websockets would turn it into an `Authorization:
    Basic` header, which Codex never sends (checked with the real CLI)."""
    scheme, sep, rest = url.partition("://")
    authority, slash, tail = rest.partition("/")
    if not sep or "@" not in authority:
        return url
    return f"{scheme}{sep}{authority.rpartition('@')[2]}{slash}{tail}"


class _Watched(ClientConnection):
    """Counts what the server sends after the 101, stops reading a flood, and tells at once
    (`trouble`) when what arrives cannot come from a WebSocket server."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.after_upgrade_bytes = 0
        self.unasked_frames = 0  # data frames before we sent any request
        self.flooded = False
        self.trouble: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def data_received(self, data: bytes) -> None:
        if self.protocol.state is State.CONNECTING:
            # The chunk that ends the 101 may carry frames too: those count as after it.
            end = data.find(b"\r\n\r\n")
            if end < 0:
                super().data_received(data)
                return
            head, data = data[: end + 4], data[end + 4 :]
            super().data_received(head)
            if not data:
                return
        room = MAX_BYTES_AFTER_UPGRADE - self.after_upgrade_bytes
        self.after_upgrade_bytes += len(data)
        if len(data) > room:
            data = data[: max(room, 0)]
            if not self.flooded:
                self.flooded = True
                self.transport.pause_reading()
        if data:
            super().data_received(data)
        if (
            self.flooded or self.unasked_frames or self.protocol.parser_exc is not None
        ) and not self.trouble.done():
            self.trouble.set_result(None)

    def process_event(self, event: Any) -> None:
        if isinstance(event, Frame) and event.opcode in DATA_OPCODES:
            self.unasked_frames += 1
        super().process_event(event)


def _marking(rec: PhaseRecorder) -> type[_Watched]:
    """A connection class that starts the upgrade phase when asyncio hands it the transport.

    asyncio calls `connection_made` once the TLS handshake is complete (at once for ws://).
    """

    class _Marked(_Watched):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            rec.begin(Stage.RESPONSE)
            super().connection_made(transport)

    return _Marked


def _not_websocket(connection: _Watched, ponged: bool) -> NotWebSocket | None:
    """What is wrong with what the server sent after the 101, if anything.

    Codex's Responses server sends nothing before a request, so any data frame, a frame that
    does not parse (websockets then fails the connection: `parser_exc`), part of a frame left
    waiting without the pong, or a flood all mean something other than a WebSocket server
    is talking; Codex would fail on it or wait for the rest of a frame that never comes.
    """
    problem: NotWebSocket | None = None
    if connection.flooded:
        problem = NotWebSocket("the server flooded the WebSocket")
    elif connection.protocol.parser_exc is not None:
        problem = NotWebSocket("frames that do not parse")
        problem.__cause__ = connection.protocol.parser_exc
    elif connection.unasked_frames:
        problem = NotWebSocket("data frames before any request")
    elif not ponged and connection.protocol.reader.buffer:
        problem = NotWebSocket("part of a frame, and no answer to the ping")
    if problem is not None:
        problem.__suppress_context__ = True
    return problem


async def _upgrade_and_close(
    run: ProbeRun, context: ssl.SSLContext, headers: Mapping[str, str], wait_s: float
) -> ConnectionClosed | None:
    """Upgrade, watch for an immediate close, close with 1000; the server's close if any."""
    target = run.target()
    proxy = run.proxy(WS_PROXY_KINDS, bare_is_http=False)
    sock = await open_route(target, proxy, run.rec)
    tls: dict[str, Any] = {}
    if target.secure:
        run.rec.begin(Stage.TLS)
        tls = {"ssl": context, "server_hostname": target.host}
    # From here websockets/asyncio own the socket and close it on any failure.
    connection = await connect(
        run.url,
        sock=sock,
        proxy=None,
        additional_headers=dict(headers),
        user_agent_header=None,
        open_timeout=None,
        ping_interval=None,
        close_timeout=_CLOSE_TIMEOUT_S,
        max_size=_MAX_MESSAGE,
        create_connection=_marking(run.rec),
        **tls,
    )
    assert isinstance(connection, _Watched)
    run.rec.begin(Stage.POST_UPGRADE)
    closed: ConnectionClosed | None = None
    problem: NotWebSocket | None = None
    ponged = False
    try:
        pong: asyncio.Future[Any] = asyncio.ensure_future(await connection.ping())
        waited: set[asyncio.Future[Any]] = {pong, connection.trouble}
        await asyncio.wait(waited, timeout=wait_s, return_when=asyncio.FIRST_COMPLETED)
        if pong.done():
            pong.result()  # a close instead of the pong raises ConnectionClosed
            ponged = True
        # else no pong yet, and no close either: nothing closed the WebSocket at once
    except ConnectionClosed as exc:
        closed = exc
    finally:
        problem = _not_websocket(connection, ponged)
        if problem is not None:
            # Not a WebSocket peer: a close handshake with it means nothing, and waiting for
            # its answer would only add the close timeout.
            connection.transport.abort()
        await connection.close(code=1000)
    if problem is not None:
        raise problem
    run.rec.finish()
    return closed
