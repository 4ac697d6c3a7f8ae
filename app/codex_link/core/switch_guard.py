"""Whether the HTTP-only switch is worth offering now, and what to warn about before it.

The switch helps in one case only: WebSocket fails and HTTP works. Turning it on while
WebSocket works slows Codex down a little; turning it on while HTTP itself fails changes
nothing (the user must fix the network); turning it off while WebSocket still fails walks
back into the wait at every start. Each of these gets a warning and a safe default button.
"""

from __future__ import annotations

from enum import StrEnum

from codex_link.core.model.probe import Transport
from codex_link.core.model.snapshot import Snapshot
from codex_link.core.model.verdict import Health
from codex_link.core.verdict import ws_works


class SwitchConcern(StrEnum):
    WEBSOCKET_WORKS = "websocket_works"  # on: not needed here
    HTTP_DOWN = "http_down"  # on: would not help, HTTP itself fails
    WEBSOCKET_BLOCKED = "websocket_blocked"  # off: Codex would wait at every start again


def switch_concern(snapshot: Snapshot, enable: bool) -> SwitchConcern | None:
    """The reason to think twice before switching (None: the switch is what helps)."""
    http, _ = snapshot.latest(Transport.HTTP)
    ws, _ = snapshot.latest(Transport.WEBSOCKET)
    if enable:
        if snapshot.verdict.health is Health.DOWN or (http is not None and not http.reachable):
            return SwitchConcern.HTTP_DOWN
        if ws is not None and ws_works(ws):
            return SwitchConcern.WEBSOCKET_WORKS
        return None
    if ws is not None and not ws_works(ws):
        return SwitchConcern.WEBSOCKET_BLOCKED
    return None


def switch_offered(snapshot: Snapshot) -> bool:
    """False while turning HTTP-only on could not help (HTTP fails); turning it off (or
    on again later) stays possible."""
    return snapshot.http_only or switch_concern(snapshot, True) is not SwitchConcern.HTTP_DOWN
