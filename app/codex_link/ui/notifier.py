"""The words of a desktop notification; when one is due is core's call (NoticePolicy)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from codex_link.core.model.snapshot import Snapshot
from codex_link.core.model.verdict import Health
from codex_link.core.notice_policy import NoticeKind, NoticePolicy
from codex_link.ui.i18n import join_sentences
from codex_link.ui.wording import verdict_title, verdict_why, what_to_do


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
        if kind is NoticeKind.WEBSOCKET_BACK:
            title = QCoreApplication.translate("Notifier", "Codex Link")
            message = QCoreApplication.translate(
                "Notifier", "WebSocket works again: you can switch back.")
        else:
            # The title says what it means, the body why and what to do: each once.
            title = verdict_title(snapshot)
            message = join_sentences([verdict_why(snapshot), what_to_do(snapshot)])
        message = join_sentences([message, QCoreApplication.translate(
            "Notifier", "Click for details.")])
        return Notice(title, message, verdict.health)
