"""Short plain words for probe results, shared by the tray menu, the window and notifications.

The long explanation of a failure comes from core (`ProbeResult.reason`); these are the
labels around it ("WebSocket: blocked (timed out)"), so they live with the UI and are
translated in the "Wording" context.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from codex_link.core.net.outcome import (
    Failure,
    PhaseTimings,
    ProbeResult,
    Route,
    RouteKind,
    Transport,
)
from codex_link.core.snapshot import Snapshot
from codex_link.core.verdict import ws_works
from codex_link.ui.i18n import render


def verdict_line(snapshot: Snapshot) -> str:
    """The verdict headline, marked while the WebSocket's final word is still to come."""
    line = render(snapshot.verdict.headline)
    if snapshot.verdict.provisional:
        line = QCoreApplication.translate("Wording", "{line} (still checking WebSocket)").format(
            line=line
        )
    return line


def transport_name(transport: Transport) -> str:
    if transport is Transport.WEBSOCKET:
        return QCoreApplication.translate("Wording", "WebSocket")
    return QCoreApplication.translate("Wording", "HTTP")


def failure_label(result: ProbeResult) -> str:
    """A few words for why a probe failed, for a menu line."""
    failure = result.failure
    status = result.status
    if failure in (Failure.UPGRADE_TIMEOUT, Failure.TCP_TIMEOUT, Failure.HTTP_TIMEOUT):
        return QCoreApplication.translate("Wording", "timed out")
    if failure is Failure.DNS:
        return QCoreApplication.translate("Wording", "name not found")
    if failure is Failure.TCP_REFUSED:
        return QCoreApplication.translate("Wording", "connection refused")
    if failure is Failure.PROXY_REFUSED:
        return QCoreApplication.translate("Wording", "proxy not running")
    if failure is Failure.PROXY_REJECTED:
        return QCoreApplication.translate("Wording", "proxy refused")
    if failure is Failure.PROXY_AUTH:
        return QCoreApplication.translate("Wording", "proxy asks for a password")
    if failure is Failure.PROXY_SCHEME:
        return QCoreApplication.translate("Wording", "proxy type not supported")
    if failure is Failure.TLS_UNTRUSTED:
        return QCoreApplication.translate("Wording", "certificate not trusted")
    if failure is Failure.TLS_OTHER:
        return QCoreApplication.translate("Wording", "secure connection failed")
    if failure is Failure.POLICY_CLOSE:
        return QCoreApplication.translate("Wording", "closed by the server")
    if failure is Failure.RESET:
        return QCoreApplication.translate("Wording", "connection cut")
    if failure in (Failure.UPGRADE_STATUS, Failure.HTTP_STATUS) and status is not None:
        return QCoreApplication.translate("Wording", "server answered {status}").format(
            status=status
        )
    if failure is Failure.PROTOCOL:
        return QCoreApplication.translate("Wording", "unexpected answer")
    return QCoreApplication.translate("Wording", "failed")


def milliseconds(value: float) -> str:
    if value >= 10_000:
        return QCoreApplication.translate("Wording", "{seconds} s").format(
            seconds=round(value / 1000)
        )
    return QCoreApplication.translate("Wording", "{ms} ms").format(ms=round(value))


def transport_state(transport: Transport, snapshot: Snapshot) -> str:
    """How one transport fared in the latest check: "120 ms", "blocked (timed out)"."""
    result = snapshot.report.primary_for(transport) if snapshot.report else None
    if result is None:
        if snapshot.checking:
            return QCoreApplication.translate("Wording", "checking…")
        return QCoreApplication.translate("Wording", "not checked yet")
    works = ws_works(result) if transport is Transport.WEBSOCKET else result.reachable
    if works:
        state = milliseconds(result.elapsed_ms)
    else:
        state = QCoreApplication.translate("Wording", "blocked ({why})").format(
            why=failure_label(result)
        )
    if transport is Transport.WEBSOCKET and snapshot.http_only:
        state = QCoreApplication.translate("Wording", "{state} (Codex skips it now)").format(
            state=state
        )
    return state


def transport_line(transport: Transport, snapshot: Snapshot) -> str:
    """One menu line per transport: "HTTP: 120 ms", "WebSocket: blocked (timed out)"."""
    return QCoreApplication.translate("Wording", "{transport}: {state}").format(
        transport=transport_name(transport), state=transport_state(transport, snapshot)
    )


def route_text(route: Route) -> str:
    """The route for people, without any password in it."""
    if route.kind is RouteKind.DIRECT or route.proxy_url is None:
        return QCoreApplication.translate("Wording", "direct connection (no proxy)")
    if route.source:
        template = QCoreApplication.translate("Wording", "through proxy {proxy} (from {source})")
        return template.format(proxy=route.display(), source=route.source)
    return QCoreApplication.translate("Wording", "through proxy {proxy}").format(
        proxy=route.display()
    )


def timings_text(timings: PhaseTimings) -> str:
    """The phases a probe went through, e.g. "DNS 2 ms · TCP 1 ms · TLS 12 ms"."""
    phases = (
        (QCoreApplication.translate("Wording", "DNS"), timings.dns_ms),
        (QCoreApplication.translate("Wording", "connect"), timings.tcp_ms),
        (QCoreApplication.translate("Wording", "proxy"), timings.proxy_ms),
        (QCoreApplication.translate("Wording", "TLS"), timings.tls_ms),
        (QCoreApplication.translate("Wording", "answer"), timings.response_ms),
        (QCoreApplication.translate("Wording", "close"), timings.close_ms),
    )
    parts = [f"{label} {milliseconds(ms)}" for label, ms in phases if ms is not None]
    if not parts:
        return QCoreApplication.translate("Wording", "no timings")
    return " · ".join(parts)


__all__ = [
    "failure_label",
    "milliseconds",
    "route_text",
    "timings_text",
    "transport_line",
    "transport_name",
    "transport_state",
    "verdict_line",
]
