"""The confirmation before Codex Link edits Codex's config.toml.

It says what will change (the plan's own sentences; the exact diff behind "Details"), that
Codex must be restarted (naming the Codex programs running now), that conversations are
listed per setting, and, when WebSocket works right now, that HTTP-only is not needed.
Shown with `open()` (window-modal, no nested event loop), so asyncio keeps running.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


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
        websocket_healthy: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.enable = enable
        self.setWindowTitle(
            self.tr("Use HTTP only?") if enable else self.tr("Switch back to WebSocket?")
        )
        layout = QVBoxLayout(self)

        self.intro_label = self._label(
            self.tr(
                "Codex Link will change your Codex settings so that Codex skips WebSocket and "
                "talks to its server over HTTP only. Codex then starts without waiting."
            )
            if enable
            else self.tr(
                "Codex Link will undo its change, so that Codex uses WebSocket again "
                "(faster, and what Codex is built for)."
            )
        )
        layout.addWidget(self.intro_label)

        self.warning_label: QLabel | None = None
        if enable and websocket_healthy:
            self.warning_label = self._label(
                "<b>"
                + escape(
                    self.tr(
                        "WebSocket works on this network right now. HTTP only is meant for "
                        "networks that block WebSocket; with it Codex may be a little slower."
                    )
                )
                + "</b>",
                rich=True,
            )
            layout.addWidget(self.warning_label)

        items = "".join(f"<li>{escape(change)}</li>" for change in changes)
        self.changes_label = self._label(
            escape(self.tr("What changes in {file}:").format(file=str(path)))
            + f"<ul style='margin-top:2px'>{items}</ul>",
            rich=True,
        )
        layout.addWidget(self.changes_label)

        restart = self.tr(
            "Codex reads its settings only when it starts: restart Codex (the terminal "
            "command, the editor extension or the desktop app) after this."
        )
        if running_codex:
            listed = "".join(f"<li>{escape(p)}</li>" for p in running_codex)
            restart_html = (
                escape(restart)
                + "<br>"
                + escape(self.tr("Running now:"))
                + f"<ul style='margin-top:2px'>{listed}</ul>"
            )
        else:
            restart_html = escape(restart)
        self.restart_label = self._label(restart_html, rich=True)
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
        listed_notes = "".join(f"<li>{escape(note)}</li>" for note in notes)
        self.notes_label = self._label(
            escape(self.tr("Good to know:")) + f"<ul style='margin-top:2px'>{listed_notes}</ul>",
            rich=True,
        )
        self.notes_label.setVisible(bool(notes))
        layout.addWidget(self.notes_label)

        self.details_button = QPushButton(self.tr("Details"))
        self.details_button.setCheckable(True)
        self.details_view = QPlainTextEdit(diff)
        self.details_view.setReadOnly(True)
        self.details_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details_view.setVisible(False)
        self.details_view.setMinimumHeight(140)
        self.details_button.toggled.connect(self._show_details)
        layout.addWidget(self.details_button)
        layout.addWidget(self.details_view, 1)

        self.buttons = QDialogButtonBox()
        self.confirm_button = self.buttons.addButton(
            self.tr("Use HTTP only") if enable else self.tr("Switch back"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.cancel_button = self.buttons.addButton(
            self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self._cancel_is_default = enable and websocket_healthy  # nothing is wrong: stay safe
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    @staticmethod
    def _label(content: str, *, rich: bool = False) -> QLabel:
        label = QLabel(content)
        label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        return label

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Set after showing: QDialog picks its own default button when it is shown.
        default = self.cancel_button if self._cancel_is_default else self.confirm_button
        default.setDefault(True)

    def _show_details(self, shown: bool) -> None:
        self.details_view.setVisible(shown)
        self.adjustSize()
