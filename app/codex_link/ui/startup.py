"""What the command line passes to the tray app (kept tiny: read before Qt is loaded)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TrayOptions:
    interval_s: float | None = None  # this run only; the saved setting is left alone
    started_at: float | None = None  # wall clock at process start, for the start-up log line
