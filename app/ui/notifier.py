"""Which snapshots deserve a desktop notification: verdict changes only, never every check.

A notification interrupts the user, so: nothing while a check is still running or only
provisional (the final word may differ), nothing for "all fine" at start-up, one message per
change of health, and one when WebSocket works again while HTTP-only is on.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from app.core.snapshot import Snapshot
from app.core.verdict_types import AdviceKind, Health
from app.ui.i18n import render

_HEALTHY = frozenset({Health.READY_WS, Health.READY_HTTP_ONLY})


@dataclass(frozen=True, slots=True)
class Notice:
    title: str
    message: str
    health: Health


class ChangeNotifier:
    def __init__(self) -> None:
        self._last_health: Health | None = None
        self._switch_back_advised = False

    def consider(self, snapshot: Snapshot) -> Notice | None:
        verdict = snapshot.verdict
        if verdict.health is Health.CHECKING or verdict.provisional:
            return None
        title = QCoreApplication.translate("Notifier", "Codex Link")
        switch_back = any(a.kind is AdviceKind.SWITCH_BACK for a in verdict.advice)
        newly_switch_back = switch_back and not self._switch_back_advised
        self._switch_back_advised = switch_back
        previous, self._last_health = self._last_health, verdict.health
        if newly_switch_back:
            return Notice(
                title,
                QCoreApplication.translate(
                    "Notifier", "WebSocket works again: you can switch back."
                ),
                verdict.health,
            )
        if previous == verdict.health or (previous is None and verdict.health in _HEALTHY):
            return None
        parts = [render(verdict.headline), *(render(a.message) for a in verdict.advice[:1])]
        return Notice(title, " ".join(parts), verdict.health)
