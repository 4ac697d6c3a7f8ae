"""The confirmation before Codex Link sends Codex through a proxy (the route fix), or undoes it.

Like the HTTP-only switch's dialog (ui/switch_dialog.py), in the future tense: what Codex
will do afterwards, which file changes, that a backup is kept and how to undo it, that Codex
must be restarted (naming the Codex programs running now), what else is good to know; the
exact lines (the diff, logins masked) behind "Details". Shown with `open()`, so asyncio runs on.
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

from codex_link.core.model.route_fix import RouteMethod
from codex_link.ui.i18n import join_sentences
from codex_link.ui.switch_dialog import BULLET, SPACING


class RouteDialog(QDialog):
    def __init__(
        self,
        *,
        enable: bool,
        method: RouteMethod,
        proxy: str,  # shown to people: a login already masked
        path: Path,
        changes: Sequence[str],
        notes: Sequence[str],
        diff: str,
        running_codex: Sequence[str],
        stale: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.enable = enable
        self.setWindowTitle(
            self.tr("Send Codex through {proxy}?").format(proxy=proxy)
            if enable
            else self.tr("Undo the route fix?")
        )
        layout = QVBoxLayout(self)
        layout.setSpacing(SPACING)

        self.warning_label: QLabel | None = None
        if stale:
            self.warning_label = self._label(
                self.tr(
                    "The proxy {proxy} is not answering: every Codex request fails until it is "
                    "back or the route fix is undone."
                ).format(proxy=proxy),
                bold=True,
            )
            layout.addWidget(self.warning_label)

        if not enable:
            intro = self.tr("Codex will connect the way it did before, without {proxy}.").format(
                proxy=proxy
            )
        elif method is RouteMethod.SYSTEM_PROXY:
            intro = self.tr(
                "Codex will follow the system proxy ({proxy}), which carries its "
                "WebSocket: it starts without waiting and keeps WebSocket."
            ).format(proxy=proxy)
        else:
            intro = self.tr(
                "Codex will send its WebSocket through {proxy}, which was checked "
                "to carry it: Codex starts without waiting and keeps WebSocket."
            ).format(proxy=proxy)
        self.intro_label = self._label(intro)
        layout.addWidget(self.intro_label)

        self.changes_label = self._label(
            join_sentences(
                [
                    self.tr(
                        "Codex Link will add the proxy to {file}; the rest of the file stays as it "
                        "is."
                    ).format(file=path.name)
                    if enable
                    else self.tr(
                        "Codex Link will remove only what it added to {file}; your own edits stay."
                    ).format(file=path.name),
                    self.tr(
                        "A backup copy is kept next to it, and you can undo this at any time "
                        'with "Undo the route fix".'
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

        notes = list(notes)
        if enable:
            notes.append(
                self.tr(
                    "Codex needs this proxy from now on: if it is closed, Codex "
                    "cannot connect. Codex Link watches it and says so at once."
                )
            )
        self.notes_label = self._label(
            self.tr("Good to know:") + "\n" + "\n".join(f"{BULLET} {n}" for n in notes)
        )
        self.notes_label.setVisible(bool(notes))
        layout.addWidget(self.notes_label)

        self.details_button = QPushButton(self.tr("Details"))
        self.details_button.setCheckable(True)
        self.details_button.setAutoDefault(False)  # never takes the default from "confirm"
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
            self.tr("Send through the proxy") if enable else self.tr("Undo the route fix"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.cancel_button = self.buttons.addButton(
            self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    @staticmethod
    def _label(content: str, *, bold: bool = False) -> QLabel:
        label = QLabel(content)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        if bold:
            font = QFont(label.font())
            font.setBold(True)
            label.setFont(font)
        return label

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Set after showing: QDialog picks its own default button when it is shown.
        self.confirm_button.setDefault(True)
        self.confirm_button.setFocus()

    def _show_details(self, shown: bool) -> None:
        self.details_view.setVisible(shown)
        self.confirm_button.setDefault(True)
        self.adjustSize()
