"""Phase timings as people read them: "DNS 2 ms · connect 1 ms · TLS 12 ms".

One rendering for the status window (which translates the names and writes durations its
own way), the diagnostics report and `codex-link check` (both in English).
"""

from __future__ import annotations

from collections.abc import Callable

from codex_link.core.model.probe import PhaseTimings, Stage
from codex_link.core.model.text import QT_TRANSLATE_NOOP, Translate

PHASE_NAMES: dict[Stage, str] = {
    Stage.DNS: QT_TRANSLATE_NOOP("CodexLink", "DNS"),
    Stage.TCP: QT_TRANSLATE_NOOP("CodexLink", "connect"),
    Stage.PROXY: QT_TRANSLATE_NOOP("CodexLink", "proxy"),
    Stage.TLS: QT_TRANSLATE_NOOP("CodexLink", "TLS"),
    Stage.RESPONSE: QT_TRANSLATE_NOOP("CodexLink", "answer"),
    Stage.POST_UPGRADE: QT_TRANSLATE_NOOP("CodexLink", "close"),
}
NO_TIMINGS = QT_TRANSLATE_NOOP("CodexLink", "no timings")


def _same(source: str) -> str:
    return source


def whole_ms(ms: float) -> str:
    return f"{ms:.0f} ms"


def phases_text(
    timings: PhaseTimings,
    *,
    translate: Translate = _same,
    duration: Callable[[float], str] = whole_ms,
    space: str = " ",
) -> str:
    """Each timed phase with its duration, joined by " · "; "no timings" when none was.

    `space` goes between a name and its duration (the window keeps them on one line).
    """
    parts = [
        f"{translate(PHASE_NAMES[stage])}{space}{duration(ms)}" for stage, ms in timings.items()
    ]
    return " · ".join(parts) if parts else translate(NO_TIMINGS)
