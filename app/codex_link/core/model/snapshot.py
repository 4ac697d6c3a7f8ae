"""The immutable picture the monitor hands to its listeners (the tray, the window, the CLI)."""

from __future__ import annotations

from dataclasses import dataclass

from codex_link.core.model.probe import ProbeResult, Transport
from codex_link.core.model.report import CheckReport
from codex_link.core.model.verdict import Health, Verdict


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
    # The latest complete check with probe results: what is shown, marked as being re-checked,
    # while a new check runs (its partial, provisional report lacks the slow transport).
    last_complete: CheckReport | None = None

    def latest(self, transport: Transport) -> tuple[ProbeResult | None, bool]:
        """The newest result for `transport`, and whether it belongs to the current report.

        False: it comes from the last complete check, because the check under way has not
        heard from this transport yet (the last word stays on screen until a new one comes).
        """
        result = self.report.primary_for(transport) if self.report else None
        if result is not None:
            return result, True
        if self.last_complete is None:
            return None, False
        return self.last_complete.primary_for(transport), False
