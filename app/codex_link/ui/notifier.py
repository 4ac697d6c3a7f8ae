"""The words of a desktop notification; when one is due is core's call (NoticePolicy for the
verdict, core/auto_mode for the route fix's dead proxy and auto mode's changes)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from codex_link.core.auto_mode import FixChange
from codex_link.core.model.snapshot import Snapshot
from codex_link.core.model.verdict import Health, Verdict
from codex_link.core.notice_policy import NoticeKind, NoticePolicy
from codex_link.ui.i18n import join_sentences, render
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
                "Notifier", "WebSocket works again: you can switch back."
            )
        else:
            # The title says what it means, the body why and what to do: each once.
            title = verdict_title(snapshot)
            message = join_sentences([verdict_why(snapshot), what_to_do(snapshot)])
        message = join_sentences(
            [message, QCoreApplication.translate("Notifier", "Click for details.")]
        )
        return Notice(title, message, verdict.health)

    def stale_proxy(self, verdict: Verdict) -> Notice:
        """The proxy our route fix wrote stopped answering: said at once, with the way out."""
        title = QCoreApplication.translate("Notifier", "Codex cannot connect")
        message = join_sentences(
            [
                render(verdict.headline),
                QCoreApplication.translate("Notifier", "Click to undo the route fix."),
            ]
        )
        return Notice(title, message, verdict.health)

    @staticmethod
    def auto_change(change: FixChange, said: str) -> tuple[str, str]:
        """Auto mode changed Codex's files: what, the engine's own words, and the undo."""
        title = {
            FixChange.ROUTE_FIX_ON: QCoreApplication.translate(
                "Notifier", "Codex Link sent Codex through a proxy (keeps WebSocket)"
            ),
            FixChange.ROUTE_FIX_OFF: QCoreApplication.translate(
                "Notifier", "Codex Link undid the route fix"
            ),
            FixChange.HTTP_ONLY_ON: QCoreApplication.translate(
                "Notifier", "Codex Link turned HTTP only on"
            ),
            FixChange.HTTP_ONLY_OFF: QCoreApplication.translate(
                "Notifier", "Codex Link switched Codex back to WebSocket"
            ),
        }[change]
        undo = (
            QCoreApplication.translate("Notifier", "Click for details.")
            if change is FixChange.ROUTE_FIX_OFF
            else QCoreApplication.translate("Notifier", "Click to undo.")
        )
        return title, join_sentences([said, undo])

    @staticmethod
    def auto_refused(why: str) -> tuple[str, str]:
        """Auto mode wanted a change the engine refused: nothing was written."""
        title = QCoreApplication.translate("Notifier", "Codex Link changed nothing")
        wanted = QCoreApplication.translate(
            "Notifier", "Keeping Codex fast needs a change Codex Link could not make: {why}"
        ).format(why=why)
        return title, join_sentences(
            [wanted, QCoreApplication.translate("Notifier", "Click for details.")]
        )
