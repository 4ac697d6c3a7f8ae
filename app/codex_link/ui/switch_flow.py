"""A click on "Use HTTP only" (or "Switch back"): plan, confirm, apply, tell the monitor.

All the deciding is core's (`HttpOnlySwitch.plan/apply`); this only shows the plan, asks, and
reports. A refusal (malformed TOML, a folder that does not exist, a failed write) is shown in
plain words; core has then written nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from codex_link.core.codex.switch.toggle import (
    HttpOnlySwitch,
    SwitchPlan,
    SwitchRefused,
    SwitchResult,
)
from codex_link.core.switch_guard import SwitchConcern
from codex_link.ui.i18n import join_sentences, render
from codex_link.ui.switch_dialog import SwitchDialog

log = logging.getLogger(__name__)


class SwitchFlow(QObject):
    busy_changed = Signal(bool)
    finished = Signal(str)  # what happened, in plain words

    def __init__(
        self,
        switch: HttpOnlySwitch,
        *,
        running_codex: Callable[[], Sequence[str]],
        on_applied: Callable[[], None],
        dialog_parent: Callable[[], QWidget | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._switch = switch
        self._running_codex = running_codex
        self._on_applied = on_applied
        self._dialog_parent = dialog_parent
        self.dialog: SwitchDialog | None = None
        self.message_box: QMessageBox | None = None

    @property
    def busy(self) -> bool:
        return self.dialog is not None

    def request(self, enable: bool, *, concern: SwitchConcern | None = None) -> None:
        if self.dialog is not None:  # one confirmation at a time: bring it back
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        try:
            plan = self._switch.plan(enable)
        except Exception as exc:
            self._refused(exc)
            return
        if plan.noop:
            self._on_applied()  # the file already says so: make sure the tray does too
            said = join_sentences([render(change) for change in plan.changes])
            self.finished.emit(
                said
                or (
                    self.tr("HTTP only is already on.")
                    if enable
                    else self.tr("Codex already uses WebSocket.")
                )
            )
            return
        try:
            running = program_names(self._running_codex())
        except Exception:  # listing processes is a courtesy; never block the switch on it
            log.exception("could not list running Codex processes")
            running = []
        dialog = SwitchDialog(
            enable=enable,
            path=plan.path,
            changes=[render(change) for change in plan.changes],
            notes=[render(note) for note in plan.notes],
            diff=plan.diff(),
            running_codex=running,
            concern=concern,
            parent=self._dialog_parent(),
        )
        dialog.finished.connect(lambda code: self._decided(dialog, plan, code))
        self.dialog = dialog
        self.busy_changed.emit(True)
        dialog.open()

    def _decided(self, dialog: SwitchDialog, plan: SwitchPlan, code: int) -> None:
        self.dialog = None
        dialog.deleteLater()
        try:
            if code != QDialog.DialogCode.Accepted.value:
                return
            try:
                result = self._switch.apply(plan)
            except Exception as exc:
                self._refused(exc)
                return
            self._on_applied()
            log.info("switch applied: %s", render(result.message))
            self.finished.emit(self._done(plan, result))
        finally:
            self.busy_changed.emit(False)

    def _done(self, plan: SwitchPlan, result: SwitchResult) -> str:
        """What happened and the one thing left to do, in the words of the dialog."""
        done = (
            self.tr("Done: Codex now uses HTTP only.")
            if plan.enable
            else self.tr("Done: Codex uses WebSocket again.")
        )
        backup = (
            self.tr("Backup of the old file: {backup}").format(backup=str(result.backup))
            if result.backup is not None
            else ""
        )
        return join_sentences([done, self.tr("Restart Codex to start using it."), backup])

    def _refused(self, exc: Exception) -> None:
        """Shows why nothing was written; anything unexpected is a bug and goes on up."""
        if isinstance(exc, SwitchRefused):  # a malformed config.toml too, with where
            detail = render(exc.reason)
        elif isinstance(exc, OSError):
            detail = self.tr("Codex Link could not write the file ({problem}).").format(
                problem=exc.strerror or type(exc).__name__
            )
        else:
            raise exc
        log.warning("switch refused: %s", detail)
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


def program_names(descriptions: Sequence[str]) -> list[str]:
    """Running Codex programs as people know them, each once: "Codex in a terminal (codex
    exec)", "Codex in an editor or the desktop app" (the app server serves both)."""
    names: dict[str, int] = {}
    for description in descriptions:
        if "app-server" in description:
            name = QCoreApplication.translate("SwitchFlow", "Codex in an editor or the desktop app")
        else:
            name = QCoreApplication.translate(
                "SwitchFlow", "Codex in a terminal ({command})"
            ).format(command=description)
        names[name] = names.get(name, 0) + 1
    return [name if count == 1 else f"{name} ×{count}" for name, count in names.items()]
