"""Short plain words for probe results, shared by the tray menu, the window and notifications.

The long explanation of a failure comes from core (`ProbeResult.reason`); these are the
labels around it ("WebSocket: blocked (timed out)"), so they live with the UI and are
translated in the "Wording" context.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication

from codex_link.core.model.failures import FAILURES
from codex_link.core.model.probe import (
    PhaseTimings,
    ProbeResult,
    Route,
    RouteKind,
    Transport,
)
from codex_link.core.model.snapshot import Snapshot
from codex_link.core.model.text import text
from codex_link.core.model.timings import phases_text
from codex_link.core.verdict import ws_works
from codex_link.ui.i18n import join_sentences, render, translate_core

NBSP = "\u00a0"  # keeps a number with its unit ("6 ms") on one line when text wraps
TOOLTIP_MAX = 120  # Windows cuts tray tooltips at about 127 characters


def verdict_title(snapshot: Snapshot) -> str:
    """A few words for a glance ("Codex will start slowly")."""
    verdict = snapshot.verdict
    return render(verdict.title if verdict.title is not None else verdict.headline)


def verdict_why(snapshot: Snapshot) -> str:
    """One line of why; empty when the title says it all (checking)."""
    verdict = snapshot.verdict
    return "" if verdict.why is None else render(verdict.why)


def what_to_do(snapshot: Snapshot) -> str:
    """The first advice, the one thing to do now; empty when all is well."""
    advice = snapshot.verdict.advice
    return render(advice[0].message) if advice else ""


def other_ways(snapshot: Snapshot) -> str:
    """Further advice (route fixes that keep WebSocket), for the window."""
    return join_sentences([render(a.message) for a in snapshot.verdict.advice[1:]])


def ago(seconds: float) -> str:
    """How long ago, in the largest unit that fits: "just now", "40 s ago", "3 min ago"."""
    seconds = max(0.0, seconds)
    if seconds < 5:
        return QCoreApplication.translate("Wording", "just now")
    if seconds < 90:
        return QCoreApplication.translate("Wording", "{n} s ago").format(n=round(seconds))
    if seconds < 59.5 * 60:
        return QCoreApplication.translate("Wording", "{n} min ago").format(n=round(seconds / 60))
    return QCoreApplication.translate("Wording", "{n} h ago").format(n=round(seconds / 3600))


def last_checked_line(snapshot: Snapshot, *, stale: bool, now: float | None = None) -> str:
    """ "Last checked 40 s ago", with "checking again…" or "out of date" when that applies."""
    report = snapshot.last_complete
    if report is None:
        if snapshot.checking:
            return QCoreApplication.translate("Wording", "First check under way…")
        return QCoreApplication.translate("Wording", "Not checked yet")
    moment = now if now is not None else time.time()
    line = QCoreApplication.translate("Wording", "Last checked {when}").format(
        when=ago(moment - report.finished_at)
    )
    if snapshot.checking:
        return QCoreApplication.translate("Wording", "{line} · checking again…").format(line=line)
    if stale:
        return QCoreApplication.translate("Wording", "{line} · out of date").format(line=line)
    return line


def tooltip_text(snapshot: Snapshot) -> str:
    """The tray tooltip: the title and both transports, short enough for every platform."""
    first = QCoreApplication.translate("Wording", "Codex Link: {title}").format(
        title=verdict_title(snapshot)
    )
    second = " · ".join(
        transport_line(t, snapshot, short=True) for t in (Transport.WEBSOCKET, Transport.HTTP)
    )
    tip = f"{first}\n{second}"
    return tip if len(tip) <= TOOLTIP_MAX else tip[: TOOLTIP_MAX - 1] + "…"


def verdict_line(snapshot: Snapshot) -> str:
    """The verdict headline, marked while the WebSocket's final word is still to come."""
    line = render(snapshot.verdict.headline)
    if snapshot.verdict.provisional and not snapshot.http_only:  # HTTP alone decides then
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
    if result.failure is None:
        return QCoreApplication.translate("Wording", "failed")
    status = result.status if result.status is not None else "?"
    return render(text(FAILURES[result.failure].label, status=status))


def milliseconds(value: float) -> str:
    if value >= 10_000:
        shown = QCoreApplication.translate("Wording", "{seconds} s").format(
            seconds=round(value / 1000)
        )
    else:
        shown = QCoreApplication.translate("Wording", "{ms} ms").format(ms=round(value))
    return shown.replace(" ", NBSP)


def transport_state(transport: Transport, snapshot: Snapshot, *, short: bool = False) -> str:
    """How one transport fared: "120 ms", "blocked (timed out)". While a check runs, the
    last result stays, marked as being re-checked, until the new one is in."""
    result, fresh = snapshot.latest(transport)
    if result is None:
        if snapshot.checking:
            return QCoreApplication.translate("Wording", "checking…")
        return QCoreApplication.translate("Wording", "not checked yet")
    works = ws_works(result) if transport is Transport.WEBSOCKET else result.reachable
    if works:
        state = milliseconds(result.elapsed_ms)
    elif short:
        state = QCoreApplication.translate("Wording", "blocked")
    else:
        state = QCoreApplication.translate("Wording", "blocked ({why})").format(
            why=failure_label(result)
        )
    if transport is Transport.WEBSOCKET and snapshot.http_only and not short:
        state = QCoreApplication.translate("Wording", "{state} (Codex skips it now)").format(
            state=state
        )
    if not fresh and snapshot.checking and not short:
        state = QCoreApplication.translate("Wording", "{state}, re-checking…").format(state=state)
    return state


def transport_line(transport: Transport, snapshot: Snapshot, *, short: bool = False) -> str:
    """One menu line per transport: "HTTP: 120 ms", "WebSocket: blocked (timed out)"."""
    return QCoreApplication.translate("Wording", "{transport}: {state}").format(
        transport=transport_name(transport),
        state=transport_state(transport, snapshot, short=short),
    )


def route_text(route: Route) -> str:
    """The route for people, without any password in it."""
    if route.kind is RouteKind.DIRECT or route.proxy_url is None:
        return QCoreApplication.translate("Wording", "direct connection (no proxy)")
    if route.kind is RouteKind.LOCAL_PROXY:  # its source says how it was found, not "from"
        template = QCoreApplication.translate("Wording", "through proxy {proxy} ({source})")
        return template.format(proxy=route.display(), source=render(route.origin.text()))
    if route.source:
        template = QCoreApplication.translate("Wording", "through proxy {proxy} (from {source})")
        return template.format(proxy=route.display(), source=render(route.origin.text()))
    return QCoreApplication.translate("Wording", "through proxy {proxy}").format(
        proxy=route.display()
    )


def timings_text(timings: PhaseTimings) -> str:
    """The phases a probe went through, e.g. "DNS 2 ms · connect 1 ms · TLS 12 ms"."""
    return phases_text(timings, translate=translate_core, duration=milliseconds, space=NBSP)


__all__ = [
    "ago",
    "failure_label",
    "last_checked_line",
    "milliseconds",
    "other_ways",
    "route_text",
    "timings_text",
    "tooltip_text",
    "transport_line",
    "transport_name",
    "transport_state",
    "verdict_line",
    "verdict_title",
    "verdict_why",
    "what_to_do",
]
