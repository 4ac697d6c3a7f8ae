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
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from codex_link.core.net.classify import classify
from codex_link.core.net.connect import ProxyKind, open_route
from codex_link.core.net.outcome import ProbeResult, Route, Stage, Transport
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


@dataclass(frozen=True, slots=True)
class WsCredentials:
    """The user's Codex login, only for the opt-in deep check. Never logged or shown."""

    bearer_token: str = field(repr=False)
    account_id: str | None = field(default=None, repr=False)


def codex_ws_headers(version: str, *, credentials: WsCredentials | None = None) -> dict[str, str]:
    """The upgrade headers Codex sends (CODEX_FACTS §3); the login only with `credentials`."""
    system = platform.system() or "unknown"
    headers = {
        "OpenAI-Beta": RESPONSES_WEBSOCKETS_BETA,
        "originator": "codex_cli_rs",
        "User-Agent": f"codex_cli_rs/{version} ({system} {platform.release()}; "
                      f"{platform.machine()})",
        "version": version,
    }
    if credentials is not None:
        headers["Authorization"] = f"Bearer {credentials.bearer_token}"
        if credentials.account_id:
            headers["ChatGPT-Account-ID"] = credentials.account_id
    return headers


async def probe_ws(url: str, route: Route, *, trust: TlsTrust, timeout_s: float = 15.0,
                   headers: Mapping[str, str] | None = None, close_wait_s: float = 0.5,
                   clock: Callable[[], float] = time.perf_counter,
                   wall: Callable[[], float] = time.time) -> ProbeResult:
    """Opens a WebSocket to `url` through `route` within `timeout_s`. Never raises."""
    extra = dict(headers or {})
    wait_s = max(0.0, min(close_wait_s, MAX_CLOSE_WAIT_S))
    url = websocket_url(url)

    async def attempt(context: ssl.SSLContext, budget_s: float) -> ProbeResult:
        run = ProbeRun(Transport.WEBSOCKET, url, route, timeout_s=budget_s, clock=clock,
                       wall=wall, authenticated=any(n.lower() == "authorization" for n in extra))
        try:
            async with asyncio.timeout(budget_s):
                closed = await _upgrade_and_close(run, context, extra, wait_s)
        except Exception as exc:
            return run.failed(exc)
        if closed is not None:  # the server closed right after the 101
            found = classify(closed, Stage.POST_UPGRADE, Transport.WEBSOCKET)
            return run.result(reachable=False, failure=found.failure, status=101,
                              reason=failure_reason(found, run.scene), stage=found.stage,
                              close_code=found.close_code, close_reason=found.close_reason)
        return run.result(reachable=True, failure=None, status=101,
                          reason=success_reason(run.scene, 101))

    return await run_with_codex_trust(trust, attempt,
                                      secure=url.strip().lower().startswith("wss:"),
                                      timeout_s=timeout_s, clock=clock)


def websocket_url(url: str) -> str:
    """Codex swaps https -> wss (and http -> ws) on the same Responses URL."""
    scheme, sep, rest = url.strip().partition("://")
    swapped = {"https": "wss", "http": "ws"}.get(scheme.lower(), scheme)
    return f"{swapped}{sep}{rest}"


def _marking(rec: PhaseRecorder) -> type[ClientConnection]:
    """A connection class that starts the upgrade phase when asyncio hands it the transport.

    asyncio calls `connection_made` once the TLS handshake is complete (at once for ws://).
    """

    class _Marked(ClientConnection):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            rec.begin(Stage.RESPONSE)
            super().connection_made(transport)

    return _Marked


async def _upgrade_and_close(run: ProbeRun, context: ssl.SSLContext,
                             headers: Mapping[str, str],
                             wait_s: float) -> ConnectionClosed | None:
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
        run.url, sock=sock, proxy=None, additional_headers=dict(headers),
        user_agent_header=None, open_timeout=None, ping_interval=None,
        close_timeout=_CLOSE_TIMEOUT_S, max_size=_MAX_MESSAGE,
        create_connection=_marking(run.rec), **tls)
    run.rec.begin(Stage.POST_UPGRADE)
    closed: ConnectionClosed | None = None
    try:
        pong = await connection.ping()
        await asyncio.wait_for(pong, wait_s)
    except TimeoutError:
        pass  # no pong yet, and no close either: nothing closed the WebSocket at once
    except ConnectionClosed as exc:
        closed = exc
    finally:
        await connection.close(code=1000)
    run.rec.finish()
    return closed
