"""Which snapshots deserve a desktop notification: verdict changes only, never every check.

A notification interrupts the user, so: nothing while a check is still running or only
provisional (the final word may differ), nothing for "all fine" at start-up, one notice per
change of health, and one when WebSocket works again while HTTP-only is on.
"""

from __future__ import annotations

from enum import StrEnum

from codex_link.core.model.snapshot import Snapshot
from codex_link.core.model.verdict import AdviceKind, Health

_HEALTHY = frozenset({Health.READY_WS, Health.READY_HTTP_ONLY})


class NoticeKind(StrEnum):
    HEALTH_CHANGED = "health_changed"  # tell the new verdict and its first advice
    WEBSOCKET_BACK = "websocket_back"  # HTTP-only is on and WebSocket works again


class NoticePolicy:
    """Remembers what was last announced; `consider` each snapshot in order."""

    def __init__(self) -> None:
        self._last_health: Health | None = None
        self._switch_back_advised = False

    def consider(self, snapshot: Snapshot) -> NoticeKind | None:
        verdict = snapshot.verdict
        if verdict.health is Health.CHECKING or verdict.provisional:
            return None
        switch_back = any(a.kind is AdviceKind.SWITCH_BACK for a in verdict.advice)
        newly_switch_back = switch_back and not self._switch_back_advised
        self._switch_back_advised = switch_back
        previous, self._last_health = self._last_health, verdict.health
        if newly_switch_back:
            return NoticeKind.WEBSOCKET_BACK
        if previous == verdict.health or (previous is None and verdict.health in _HEALTHY):
            return None
        return NoticeKind.HEALTH_CHANGED
