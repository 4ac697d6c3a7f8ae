"""A click that edits one of Codex's files: plan, confirm, apply, report. The HTTP-only
switch (ui/switch_flow.py) and the route fix (ui/route_flow.py) are this flow with their own
plans and dialogs.

All the deciding is core's (`plan`/`apply` of a `RecordedFileEdit`); this shows the plan,
asks, and reports. A refusal (a file that cannot be read, a read-only file, the other fix
already on, a failed write) is shown in plain words; core has then written nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from codex_link.core.codex.file_edit.errors import SwitchRefused
from codex_link.core.codex.file_edit.plan import FileEditPlan
from codex_link.core.codex.file_edit.transaction import EditResult, RecordedFileEdit
from codex_link.ui.change_dialog import ChangeDialog, PlanShown
from codex_link.ui.i18n import render


class ChangeFlow[P: FileEditPlan[Any], D: ChangeDialog](QObject):
    """One confirmation at a time; `dialog` is the open one, `message_box` the last refusal."""

    busy_changed = Signal(bool)
    finished = Signal(str)  # what happened, in plain words
    _what: ClassVar[str] = "change"  # in the log: "<what> refused: ..."

    def __init__(
        self,
        edit: RecordedFileEdit[P, Any],
        *,
        running_codex: Callable[[], Sequence[str]],
        dialog_parent: Callable[[], QWidget | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._edit = edit
        self._running_codex = running_codex
        self._dialog_parent = dialog_parent
        self._log = logging.getLogger(type(self).__module__)
        self.dialog: D | None = None
        self.message_box: QMessageBox | None = None

    @property
    def busy(self) -> bool:
        return self.dialog is not None

    def _bring_back(self) -> bool:
        """Raises the open confirmation, if any (True): one at a time."""
        if self.dialog is None:
            return False
        self.dialog.raise_()
        self.dialog.activateWindow()
        return True

    def _shown(self, plan: P) -> PlanShown:
        try:
            running = program_names(self._running_codex())
        except Exception:  # listing processes is a courtesy; never block the change on it
            self._log.exception("could not list running Codex processes")
            running = []
        return PlanShown(
            enable=plan.enable,
            path=plan.path,
            changes=[render(change) for change in plan.changes],
            notes=[render(note) for note in plan.notes],
            diff=plan.diff(),
            running_codex=running,
        )

    def _open(self, dialog: D, plan: P) -> None:
        dialog.finished.connect(lambda code: self._decided(dialog, plan, code))
        self.dialog = dialog
        self.busy_changed.emit(True)
        dialog.open()

    def _decided(self, dialog: D, plan: P, code: int) -> None:
        self.dialog = None
        dialog.deleteLater()
        try:
            if code != QDialog.DialogCode.Accepted.value:
                self._declined(plan)
                return
            try:
                result = self._edit.apply(plan)
            except Exception as exc:
                self._refused(exc)
                return
            self.finished.emit(self._applied(plan, result))
        finally:
            self.busy_changed.emit(False)

    def _declined(self, plan: P) -> None:
        """The confirmation was cancelled."""

    def _applied(self, plan: P, result: EditResult) -> str:
        """Tells whoever needs to know that `plan` was applied; what happened, in words."""
        raise NotImplementedError

    def _refused(self, exc: Exception) -> None:
        """Shows why nothing was written; anything unexpected is a bug and goes on up."""
        detail = refusal_words(exc)
        if detail is None:
            raise exc
        self._log.warning("%s refused: %s", self._what, detail)
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
    if isinstance(exc, SwitchRefused):  # a malformed config.toml too, with where
        return render(exc.reason)
    if isinstance(exc, OSError):
        return QCoreApplication.translate(
            "ChangeFlow", "Codex Link could not write the file ({problem})."
        ).format(problem=exc.strerror or type(exc).__name__)
    return None


def program_names(descriptions: Sequence[str]) -> list[str]:
    """Running Codex programs as people know them, each once: "Codex in a terminal (codex
    exec)", "Codex in an editor or the desktop app" (the app server serves both)."""
    names: dict[str, int] = {}
    for description in descriptions:
        if "app-server" in description:
            name = QCoreApplication.translate("ChangeFlow", "Codex in an editor or the desktop app")
        else:
            name = QCoreApplication.translate(
                "ChangeFlow", "Codex in a terminal ({command})"
            ).format(command=description)
        names[name] = names.get(name, 0) + 1
    return [name if count == 1 else f"{name} ×{count}" for name, count in names.items()]
