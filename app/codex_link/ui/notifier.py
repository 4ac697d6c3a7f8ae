"""The words of a desktop notification; when one is due is core's call (NoticePolicy)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from codex_link.core.notice_policy import NoticeKind, NoticePolicy
from codex_link.core.snapshot import Snapshot
from codex_link.core.verdict_types import Health
from codex_link.ui.i18n import render


@dataclass(frozen=True, slots=True)
class Notice:
    title: str
    message: str
    health: Health


class ChangeNotifier:
    def __init__(self) -> None:
        self._policy = NoticePolicy()

    def consider(self, snapshot: Snapshot) -> Notice | None:
        kind = self._policy.consider(snapshot)
        if kind is None:
            return None
        verdict = snapshot.verdict
        title = QCoreApplication.translate("Notifier", "Codex Link")
        if kind is NoticeKind.WEBSOCKET_BACK:
            message = QCoreApplication.translate(
                "Notifier", "WebSocket works again: you can switch back.")
        else:
            parts = [render(verdict.headline), *(render(a.message) for a in verdict.advice[:1])]
            message = " ".join(parts)
        return Notice(title, message, verdict.health)
