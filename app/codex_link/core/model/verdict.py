"""The verdict vocabulary shared by the verdict rules, the monitor and the UI (DESIGN.md)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from codex_link.core.model.route_fix import RouteProposal
from codex_link.core.model.text import Text


class Health(StrEnum):
    READY_WS = "ready_ws"
    READY_HTTP_ONLY = "ready_http_only"
    WS_BLOCKED = "ws_blocked"
    DOWN = "down"
    OFFLINE = "offline"
    CHECKING = "checking"


class AdviceKind(StrEnum):
    SWITCH_TO_HTTP_ONLY = "switch_to_http_only"  # one click: the toggle
    SWITCH_BACK = "switch_back"  # one click: the toggle, off
    # One click: write `Advice.proposal` (a route verified to carry Codex's WebSocket).
    ROUTE_FIX = "route_fix"
    # One click when the route fix record says the proxy in .env is ours: take it out again
    # (the proxy it names stopped answering, and every Codex request through it fails).
    UNDO_ROUTE_FIX = "undo_route_fix"
    SET_ENV_PROXY = "set_env_proxy"  # explanation: how to give Codex's WebSocket a proxy
    RESPECT_SYSTEM_PROXY = "respect_system_proxy"  # explanation: features.respect_system_proxy
    FIX_NETWORK = "fix_network"  # HTTP itself fails: name the stage (DNS, proxy, TLS, ...)
    FIX_CONFIG = "fix_config"  # a finding in Codex's files blocks it


@dataclass(frozen=True, slots=True)
class Advice:
    kind: AdviceKind
    message: Text
    proposal: RouteProposal | None = None  # ROUTE_FIX: what the one click writes


@dataclass(frozen=True, slots=True)
class Verdict:
    health: Health
    headline: Text  # one plain sentence: what this means for starting Codex
    advice: tuple[Advice, ...] = ()
    provisional: bool = False  # HTTP answered, WebSocket not yet: the final word comes later
    expected_wait_s: float | None = None  # how long Codex would wait before falling back
    # For a glance (tray menu, tooltip, window top): a few words, then one line of why. The
    # headline keeps the full sentence with the technical cause, for details and diagnostics.
    title: Text | None = None  # e.g. "Codex will start slowly"
    why: Text | None = None  # e.g. "WebSocket is blocked on this network: Codex would wait..."
