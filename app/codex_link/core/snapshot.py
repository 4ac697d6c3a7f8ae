"""The immutable picture the monitor hands to its listeners (the tray, the window, the CLI)."""

from __future__ import annotations

from dataclasses import dataclass

from codex_link.core.report import CheckReport
from codex_link.core.verdict_types import Health, Verdict


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    """One check, small enough to keep a day of them and persist them."""

    at: float  # wall clock, epoch seconds
    health: Health
    http_ok: bool
    ws_ok: bool
    http_ms: float | None
    ws_ms: float | None


@dataclass(frozen=True, slots=True)
class Snapshot:
    at: float
    verdict: Verdict  # after hysteresis: what the tray shows
    report: CheckReport | None  # the latest complete (or provisional) check
    http_only: bool  # the active provider has WebSockets off
    switch_is_ours: bool  # Codex Link turned HTTP-only on (so "off" can undo it exactly)
    checking: bool
    history: tuple[HistoryPoint, ...]
