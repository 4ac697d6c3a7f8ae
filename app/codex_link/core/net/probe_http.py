"""The HTTP probe: a HEAD of the Responses URL along one route; an HTTP status proves the path
(except a gateway error: see GATEWAY_ERRORS).

The request runs over the socket `connect.open_route` opened (the same code the WebSocket
probe uses), so DNS, TCP, proxy, TLS and response are timed on one clock. No body is ever
sent, and the connection closes after the status line.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from collections.abc import Callable, Mapping

from codex_link.core.model.probe import Failure, ProbeResult, Route, Stage, Transport
from codex_link.core.model.urls import ProxyKind
from codex_link.core.net.connect import (
    ProtocolMismatch,
    open_route,
    open_stream_via_https_proxy,
    parse_status_line,
)
from codex_link.core.net.reasons import Say, say, success_reason
from codex_link.core.net.run import ProbeRun
from codex_link.core.net.tls import TlsTrust, run_with_codex_trust

# The proxies Codex's HTTP client really gets through. It also picks up socks5:// and
# socks5h:// values from HTTPS_PROXY/ALL_PROXY, but then never connects (the real Codex CLI
# 0.169.0 and 0.171.0 log "tunneling HTTPS over proxy" and no request ever arrives), so this
# probe fails there too instead of getting through where Codex cannot.
HTTP_PROXY_KINDS = frozenset({ProxyKind.HTTP, ProxyKind.HTTPS})
_MAX_HEAD = 64 * 1024
_CLOSE_WAIT_S = 1.0
_USER_AGENT = "codex-link"
# Statuses that come from something in between (a proxy, a gateway) that could not reach the
# server: they prove nothing about the path, and Codex's own requests would fail the same way.
GATEWAY_ERRORS = frozenset({502, 503, 504})


async def probe_http(
    url: str,
    route: Route,
    *,
    trust: TlsTrust,
    timeout_s: float = 10.0,
    headers: Mapping[str, str] | None = None,
    clock: Callable[[], float] = time.perf_counter,
    wall: Callable[[], float] = time.time,
) -> ProbeResult:
    """HEAD `url` through `route` within `timeout_s`. Never raises."""
    extra = dict(headers or {})

    async def attempt(context: ssl.SSLContext, budget_s: float) -> ProbeResult:
        run = ProbeRun(
            Transport.HTTP,
            url,
            route,
            timeout_s=budget_s,
            clock=clock,
            wall=wall,
            authenticated=_has_authorization(extra),
        )
        try:
            async with asyncio.timeout(budget_s):
                status = await _head(run, context, extra)
        except Exception as exc:
            return run.failed(exc)
        if status in GATEWAY_ERRORS:
            return run.result(
                reachable=False,
                failure=Failure.HTTP_STATUS,
                status=status,
                reason=say(Say.HTTP_STATUS, host=run.scene.host, status=status),
                stage=Stage.RESPONSE,
            )
        return run.result(
            reachable=True, failure=None, reason=success_reason(run.scene, status), status=status
        )

    return await run_with_codex_trust(
        trust, attempt, secure=_is_secure(url), timeout_s=timeout_s, clock=clock
    )


def _is_secure(url: str) -> bool:
    return url.strip().lower().startswith(("https:", "wss:"))


def _has_authorization(headers: Mapping[str, str]) -> bool:
    return any(name.lower() == "authorization" for name in headers)


def request_bytes(method: str, host_header: str, path: str, headers: Mapping[str, str]) -> bytes:
    """An HTTP/1.1 request head; header lines that would break the head are left out."""
    fields = {"Host": host_header, "User-Agent": _USER_AGENT, "Accept": "*/*"}
    fields.update(headers)
    fields["Connection"] = "close"
    lines = [f"{method} {path} HTTP/1.1"]
    lines += [
        f"{name}: {value}"
        for name, value in fields.items()
        if not any(c in name + value for c in "\r\n") and name.strip()
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


async def _head(run: ProbeRun, context: ssl.SSLContext, headers: Mapping[str, str]) -> int:
    target = run.target()
    proxy = run.proxy(HTTP_PROXY_KINDS)
    if proxy is not None and proxy.kind is ProxyKind.HTTPS:
        reader, writer = await open_stream_via_https_proxy(
            target, proxy, run.rec, context, limit=_MAX_HEAD
        )
    else:
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
    answered = False
    try:
        run.rec.begin(Stage.RESPONSE)
        writer.write(request_bytes("HEAD", target.host_header, target.path, headers))
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status, _phrase = parse_status_line(head.split(b"\r\n", 1)[0], error=ProtocolMismatch)
        run.rec.finish()
        answered = True
        return status
    finally:
        await _close(writer, polite=answered)


async def _close(writer: asyncio.StreamWriter, *, polite: bool) -> None:
    """Closes the stream; politely (TLS close_notify, FIN) after an answer, else at once."""
    if polite:
        writer.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(writer.wait_closed(), _CLOSE_WAIT_S)
    writer.transport.abort()
