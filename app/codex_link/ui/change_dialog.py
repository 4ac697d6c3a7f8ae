"""The confirmation before Codex Link edits one of Codex's files: the HTTP-only switch's
(ui/switch_dialog.py) and the route fix's (ui/route_dialog.py) are this one dialog with
their own words.

In plain words, in the future tense (nothing has happened yet): first a warning in bold when
there is a reason to think twice, then what Codex will do after the change, which file
changes, that a backup is kept and how to undo it, that Codex must be restarted (naming the
Codex programs running now), and what else is good to know. The exact lines (the diff, logins
masked) are behind "Details" for those who want them. Shown with `open()` (window-modal, no
nested event loop), so asyncio keeps running.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from codex_link.ui.i18n import join_sentences

SPACING = 10
BULLET = "•"


@dataclass(frozen=True)
class PlanShown:
    """What every confirmation shows of a plan, already in words."""

    enable: bool  # the change turns the fix on (else off)
    path: Path  # the file that changes
    changes: Sequence[str]  # what the write does
    notes: Sequence[str]  # core's "good to know"
    diff: str
    running_codex: Sequence[str]  # the Codex programs running now, as people know them


@dataclass(frozen=True)
class Wording:
    """The sentences that differ between the fixes; "" where there is none."""

    title: str
    warning: str  # shown first, in bold
    intro: str  # what Codex will do afterwards
    adds: str  # which file "on" changes, and how
    undo: str  # that a backup is kept and how to undo "on"
    notes: Sequence[str]  # more to know, after core's notes
    confirm: str  # the confirm button


class ChangeDialog(QDialog):
    """Call `_build` right after `__init__` (the words need `self.tr`, so an initialised
    QObject)."""

    def __init__(self, shown: PlanShown, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.enable = shown.enable
        self.shown = shown
        self._cancel_is_default = False

    def _build(self, words: Wording, *, cancel_is_default: bool = False) -> None:
        shown = self.shown
        self.setWindowTitle(words.title)
        layout = QVBoxLayout(self)
        layout.setSpacing(SPACING)

        self.warning_label: QLabel | None = None
        if words.warning:
            self.warning_label = self._label(words.warning, bold=True)
            layout.addWidget(self.warning_label)

        self.intro_label = self._label(words.intro)
        layout.addWidget(self.intro_label)

        removes = self.tr(
            "Codex Link will remove only what it added to {file}; your own edits stay."
        ).format(file=shown.path.name)
        self.changes_label = self._label(
            join_sentences([words.adds, words.undo] if shown.enable else [removes])
        )
        layout.addWidget(self.changes_label)

        restart = self.tr(
            "Restart Codex afterwards (the terminal command, the editor extension or the "
            "desktop app): it reads its settings only when it starts."
        )
        if shown.running_codex:
            listed = "\n".join(f"{BULLET} {p}" for p in shown.running_codex)
            running = self.tr("Running now:")
            restart = f"{restart}\n{running}\n{listed}"
        self.restart_label = self._label(restart)
        layout.addWidget(self.restart_label)

        notes = [*shown.notes, *words.notes]
        self.notes_label = self._label(
            self.tr("Good to know:") + "\n" + "\n".join(f"{BULLET} {n}" for n in notes)
        )
        self.notes_label.setVisible(bool(notes))
        layout.addWidget(self.notes_label)

        self.details_button = QPushButton(self.tr("Details"))
        self.details_button.setCheckable(True)
        # Not a default-button candidate: opening the details must not take the default
        # (and its highlight) away from the button the user is meant to press.
        self.details_button.setAutoDefault(False)
        exact = "\n".join(
            [self.tr("File: {file}").format(file=str(shown.path)), *shown.changes, "", shown.diff]
        )
        self.details_view = QPlainTextEdit(exact)
        self.details_view.setReadOnly(True)
        self.details_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details_view.setVisible(False)
        self.details_view.setMinimumHeight(140)
        self.details_button.toggled.connect(self._show_details)
        layout.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.details_view, 1)

        self.buttons = QDialogButtonBox()
        self.confirm_button = self.buttons.addButton(
            words.confirm, QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(
            self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self._cancel_is_default = cancel_is_default
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    @property
    def default_button(self) -> QPushButton:
        return self.cancel_button if self._cancel_is_default else self.confirm_button

    @staticmethod
    def _label(content: str, *, bold: bool = False) -> QLabel:
        label = QLabel(content)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setContentsMargins(0, 0, 0, 0)
        if bold:
            font = QFont(label.font())
            font.setBold(True)
            label.setFont(font)
        return label

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Set after showing: QDialog picks its own default button when it is shown.
        self.default_button.setDefault(True)
        self.default_button.setFocus()

    def _show_details(self, shown: bool) -> None:
        self.details_view.setVisible(shown)
        self.default_button.setDefault(True)
        self.adjustSize()
