"""The confirmation before Codex Link edits Codex's config.toml.

In plain words, in the future tense (nothing has happened yet): what Codex will do after the
change, that a backup is kept and how to undo it, that Codex must be restarted (naming the
Codex programs running now), and what else is good to know. The exact lines (the diff) are
behind "Details" for those who want them. When core sees a reason to think twice (WebSocket
works, HTTP itself fails, WebSocket is still blocked), that comes first, in bold, and
"Cancel" is the default button. Shown with `open()` (window-modal, no nested event loop),
so asyncio keeps running.
"""

from __future__ import annotations

from collections.abc import Sequence
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

from codex_link.core.switch_guard import SwitchConcern
from codex_link.ui.i18n import join_sentences

SPACING = 10
BULLET = "•"


class SwitchDialog(QDialog):
    def __init__(
        self,
        *,
        enable: bool,
        path: Path,
        changes: Sequence[str],
        notes: Sequence[str],
        diff: str,
        running_codex: Sequence[str],
        concern: SwitchConcern | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.enable = enable
        self.concern = concern
        self.setWindowTitle(
            self.tr("Use HTTP only?") if enable else self.tr("Switch back to WebSocket?")
        )
        layout = QVBoxLayout(self)
        layout.setSpacing(SPACING)

        self.warning_label: QLabel | None = None
        warning = self._warning(concern)
        if warning:
            self.warning_label = self._label(warning, bold=True)
            layout.addWidget(self.warning_label)

        self.intro_label = self._label(
            self.tr(
                "Codex will skip WebSocket and talk to its server over HTTP only, so it "
                "starts without waiting on a network that blocks WebSocket."
            )
            if enable
            else self.tr(
                "Codex will use WebSocket again, as it is built to: a little faster "
                "where WebSocket works."
            )
        )
        layout.addWidget(self.intro_label)

        self.changes_label = self._label(
            join_sentences(
                [
                    self.tr("Codex Link will change one setting in {file}.").format(file=path.name)
                    if enable
                    else self.tr(
                        "Codex Link will remove only what it added to {file}; your own edits stay."
                    ).format(file=path.name),
                    self.tr(
                        "A backup copy is kept next to it, and you can undo this at any time "
                        "with the same menu item."
                    )
                    if enable
                    else "",
                ]
            )
        )
        layout.addWidget(self.changes_label)

        restart = self.tr(
            "Restart Codex afterwards (the terminal command, the editor extension or the "
            "desktop app): it reads its settings only when it starts."
        )
        if running_codex:
            listed = "\n".join(f"{BULLET} {p}" for p in running_codex)
            restart = f"{restart}\n{self.tr('Running now:')}\n{listed}"
        self.restart_label = self._label(restart)
        layout.addWidget(self.restart_label)

        # Core's notes: profiles that keep their own provider, and (when turning it on) that
        # conversations are listed per provider. Turning it off needs the mirror sentence.
        notes = list(notes)
        if not enable:
            notes.append(
                self.tr(
                    "Conversations started while HTTP only was on are kept, but Codex lists "
                    "them separately: they show up again if you turn HTTP only on again."
                )
            )
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
        exact = "\n".join([self.tr("File: {file}").format(file=str(path)), *changes, "", diff])
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
            self.tr("Use HTTP only") if enable else self.tr("Switch back"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.cancel_button = self.buttons.addButton(
            self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self._cancel_is_default = concern is not None  # something speaks against it: stay
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def _warning(self, concern: SwitchConcern | None) -> str:
        if concern is SwitchConcern.WEBSOCKET_WORKS:
            return self.tr(
                "WebSocket works on this network right now. HTTP only is meant for "
                "networks that block WebSocket; with it Codex may be a little "
                "slower."
            )
        if concern is SwitchConcern.HTTP_DOWN:
            return self.tr(
                "HTTP itself fails on this network right now, so HTTP only would "
                "not help: Codex could not connect either way. Fix the connection "
                "first (see the status window)."
            )
        if concern is SwitchConcern.WEBSOCKET_BLOCKED:
            return self.tr(
                "WebSocket is still blocked on this network. After switching back, "
                "Codex would again wait at every start before it falls back to "
                "HTTP."
            )
        return ""

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
