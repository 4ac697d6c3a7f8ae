"""The tray icon and its menu. Renders a `Snapshot`; every click becomes a signal that the
composition root (app.py) turns into a call on core.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QFontMetrics
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from codex_link.core.net.outcome import Transport
from codex_link.core.snapshot import Snapshot
from codex_link.ui.i18n import CHINESE, ENGLISH, SYSTEM
from codex_link.ui.icons import IconSet
from codex_link.ui.wording import transport_line, verdict_line

MENU_TEXT_WIDTH = 460  # pixels


class Tray(QObject):
    check_now_requested = Signal()
    window_requested = Signal()
    http_only_requested = Signal(bool)
    config_folder_requested = Signal()
    start_at_login_requested = Signal(bool)
    language_requested = Signal(str)
    quit_requested = Signal()

    def __init__(
        self,
        icons: IconSet,
        parent: QObject | None = None,
        *,
        icon: QSystemTrayIcon | None = None,
    ) -> None:
        super().__init__(parent)
        self._icons = icons
        self._snapshot: Snapshot | None = None
        self.menu = QMenu()
        self.verdict_action = self._info_action()
        self.transport_actions = {
            t: self._info_action() for t in (Transport.WEBSOCKET, Transport.HTTP)
        }
        self.menu.addSeparator()
        self.http_only_action = QAction(self.menu)
        self.http_only_action.setCheckable(True)
        self.http_only_action.triggered.connect(self._on_http_only)
        self.menu.addAction(self.http_only_action)
        self.check_action = self._action(self.check_now_requested.emit)
        self.menu.addSeparator()
        self.window_action = self._action(self.window_requested.emit)
        self.config_folder_action = self._action(self.config_folder_requested.emit)
        self.start_at_login_action = QAction(self.menu)
        self.start_at_login_action.setCheckable(True)
        self.start_at_login_action.triggered.connect(
            lambda checked: self.start_at_login_requested.emit(bool(checked))
        )
        self.menu.addAction(self.start_at_login_action)
        self.language_menu = QMenu(self.menu)
        self.menu.addMenu(self.language_menu)
        group = QActionGroup(self.language_menu)
        self.language_actions: dict[str, QAction] = {}
        for code in (SYSTEM, ENGLISH, CHINESE):
            action = QAction(self.language_menu)
            action.setCheckable(True)
            action.setActionGroup(group)
            action.triggered.connect(lambda _checked=False, c=code: self.language_requested.emit(c))
            self.language_menu.addAction(action)
            self.language_actions[code] = action
        self.menu.addSeparator()
        self.quit_action = self._action(self.quit_requested.emit)

        # The icon may already be on screen (shown early during start-up): adopt it.
        self.icon = icon or QSystemTrayIcon()
        self.icon.setParent(self)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._on_activated)
        self.retranslate()

    def _info_action(self) -> QAction:
        action = QAction(self.menu)
        action.setEnabled(False)
        self.menu.addAction(action)
        return action

    def _action(self, slot: object) -> QAction:
        action = QAction(self.menu)
        action.triggered.connect(slot)
        self.menu.addAction(action)
        return action

    def retranslate(self) -> None:
        """Sets every fixed text again (after a language change) and re-renders the state."""
        self.http_only_action.setText(self.tr("Use HTTP only (skip WebSocket)"))
        self.check_action.setText(self.tr("Check now"))
        self.window_action.setText(self.tr("Status window…"))
        self.config_folder_action.setText(self.tr("Open Codex config folder"))
        self.start_at_login_action.setText(self.tr("Start at login"))
        self.language_menu.setTitle(self.tr("Language"))
        self.language_actions[SYSTEM].setText(self.tr("System language"))
        # Each language is named in itself, so it can be found whatever the current language.
        self.language_actions[ENGLISH].setText("English")
        self.language_actions[CHINESE].setText("简体中文")
        self.quit_action.setText(self.tr("Quit Codex Link"))
        if self._snapshot is not None:
            self.show_snapshot(self._snapshot)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        headline = verdict_line(snapshot)
        self.icon.setIcon(self._icons.for_health(snapshot.verdict.health))
        self.icon.setToolTip(self.tr("Codex Link: {verdict}").format(verdict=headline))
        # A menu does not wrap: a long verdict is shortened here (the tooltip and the
        # window have it whole).
        metrics = QFontMetrics(self.menu.font())
        self.verdict_action.setText(
            metrics.elidedText(headline, Qt.TextElideMode.ElideRight, MENU_TEXT_WIDTH)
        )
        for transport, action in self.transport_actions.items():
            action.setText(transport_line(transport, snapshot))
        self.http_only_action.setChecked(snapshot.http_only)
        self.check_action.setEnabled(not snapshot.checking)

    def set_switch_busy(self, busy: bool) -> None:
        self.http_only_action.setEnabled(not busy)

    def set_language(self, preference: str) -> None:
        self.language_actions[preference].setChecked(True)

    def set_start_at_login(self, enabled: bool, available: bool, why_not: str = "") -> None:
        self.start_at_login_action.setChecked(enabled)
        self.start_at_login_action.setEnabled(available)
        self.start_at_login_action.setToolTip(why_not)

    def _on_http_only(self, checked: bool) -> None:
        # Qt flips the check mark on click; the file decides, so show the real state until
        # the switch is done (or cancelled) and the next snapshot arrives.
        if self._snapshot is not None:
            self.http_only_action.setChecked(self._snapshot.http_only)
        self.http_only_requested.emit(checked)

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason is QSystemTrayIcon.ActivationReason.Trigger:
            self.window_requested.emit()
