"""A click on "Send Codex through <proxy>" (or "Undo the route fix"): plan, confirm, apply,
tell the monitor. The route fix's twin of ui/switch_flow.py.

All the deciding is core's (`RouteFix.plan/apply`); this shows the plan, asks, and reports.
A refusal (a file that cannot be read, a read-only .env, the other method already on, a failed
write) is shown in plain words; core has then written nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from codex_link.core.codex.route_fix.fix import RouteFix, RouteFixPlan
from codex_link.core.codex.switch.toggle import SwitchRefused
from codex_link.core.model.route_fix import RouteProposal
from codex_link.core.model.urls import redact_url
from codex_link.ui.i18n import join_sentences, render
from codex_link.ui.route_dialog import RouteDialog
from codex_link.ui.switch_flow import program_names

log = logging.getLogger(__name__)


class RouteFlow(QObject):
    busy_changed = Signal(bool)
    finished = Signal(str)  # what happened, in plain words
    declined = Signal(bool)  # the confirmation of turning it on (True) or off was cancelled

    def __init__(
        self,
        fix: RouteFix,
        *,
        running_codex: Callable[[], Sequence[str]],
        on_applied: Callable[[bool], None],  # the fix was turned on (True) or off
        dialog_parent: Callable[[], QWidget | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._fix = fix
        self._running_codex = running_codex
        self._on_applied = on_applied
        self._dialog_parent = dialog_parent
        self.dialog: RouteDialog | None = None
        self.message_box: QMessageBox | None = None

    @property
    def busy(self) -> bool:
        return self.dialog is not None

    def request(
        self, enable: bool, proposal: RouteProposal | None = None, *, stale: bool = False
    ) -> None:
        """Asks before turning the fix on along `proposal` (or off). `stale`: the fix's proxy
        stopped answering, which the dialog says first."""
        if self.dialog is not None:  # one confirmation at a time: bring it back
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        try:
            plan = self._fix.plan(enable, proposal)
            status = self._fix.status()
        except Exception as exc:
            self._refused(exc)
            return
        if plan.noop:
            said = join_sentences([render(change) for change in plan.changes])
            self.finished.emit(said)
            return
        try:
            running = program_names(self._running_codex())
        except Exception:  # listing processes is a courtesy; never block the fix on it
            log.exception("could not list running Codex processes")
            running = []
        proxy_url = proposal.proxy_url if enable and proposal else status.proxy_url
        dialog = RouteDialog(
            enable=enable,
            method=plan.method,
            proxy=redact_url(proxy_url or "") or self.tr("the system proxy"),
            path=plan.path,
            changes=[render(change) for change in plan.changes],
            notes=[render(note) for note in plan.notes],
            diff=plan.diff(),
            running_codex=running,
            stale=stale,
            parent=self._dialog_parent(),
        )
        dialog.finished.connect(lambda code: self._decided(dialog, plan, code))
        self.dialog = dialog
        self.busy_changed.emit(True)
        dialog.open()

    def _decided(self, dialog: RouteDialog, plan: RouteFixPlan, code: int) -> None:
        self.dialog = None
        dialog.deleteLater()
        try:
            if code != QDialog.DialogCode.Accepted.value:
                self.declined.emit(plan.enable)
                return
            try:
                result = self._fix.apply(plan)
            except Exception as exc:
                self._refused(exc)
                return
            if result.changed:
                self._on_applied(plan.enable)
            said = render(result.message)
            log.info("route fix applied: %s", said)
            self.finished.emit(said)
        finally:
            self.busy_changed.emit(False)

    def _refused(self, exc: Exception) -> None:
        """Shows why nothing was written; anything unexpected is a bug and goes on up."""
        detail = refusal_words(exc)
        if detail is None:
            raise exc
        log.warning("route fix refused: %s", detail)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Nothing was changed"),
            detail,
            QMessageBox.StandardButton.Ok,
            self._dialog_parent(),
        )
        box.finished.connect(box.deleteLater)
        self.message_box = box
        self.finished.emit(detail)
        box.open()


def refusal_words(exc: Exception) -> str | None:
    """Why an engine wrote nothing, in plain words (None: not a refusal, a bug)."""
    if isinstance(exc, SwitchRefused):
        return render(exc.reason)
    if isinstance(exc, OSError):
        return QCoreApplication.translate(
            "RouteFlow", "Codex Link could not write the file ({problem})."
        ).format(problem=exc.strerror or type(exc).__name__)
    return None
