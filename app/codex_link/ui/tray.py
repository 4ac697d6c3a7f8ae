"""The tray icon and its menu. Renders a `Snapshot`; every click becomes a signal that the
composition root (app.py) turns into a call on core.

The first lines of the menu tell the state (a few bold words, each transport, how old the
result is). They are ordinary, enabled items that open the status window: disabled items
are drawn in low-contrast grey, which is hard to read, worst of all on dark panels.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QFont, QFontMetrics
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from codex_link.core.auto_mode import RouteOffer
from codex_link.core.freshness import is_stale
from codex_link.core.model.probe import Transport
from codex_link.core.model.snapshot import Snapshot
from codex_link.core.model.urls import redact_url
from codex_link.core.switch_guard import switch_offered
from codex_link.ui.i18n import CHINESE, ENGLISH, SYSTEM
from codex_link.ui.icons import IconSet
from codex_link.ui.wording import last_checked_line, tooltip_text, transport_line, verdict_title

MENU_TEXT_WIDTH = 420  # pixels


class Tray(QObject):
    check_now_requested = Signal()
    window_requested = Signal()
    http_only_requested = Signal(bool)
    route_fix_requested = Signal(bool)  # True: send Codex through the proposed proxy
    auto_fix_requested = Signal(bool)
    message_clicked = Signal()
    config_folder_requested = Signal()
    log_folder_requested = Signal()
    start_at_login_requested = Signal(bool)
    language_requested = Signal(str)
    help_requested = Signal()
    about_requested = Signal()
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
        self._interval_s = 60.0
        self.menu = QMenu()
        self.verdict_action = self._action(self.window_requested.emit)
        bold = QFont(self.menu.font())
        bold.setBold(True)
        self.verdict_action.setFont(bold)
        self.transport_actions = {
            t: self._action(self.window_requested.emit)
            for t in (Transport.WEBSOCKET, Transport.HTTP)
        }
        self.last_checked_action = self._action(self.window_requested.emit)
        self.menu.addSeparator()
        # The route fix comes first: it keeps WebSocket, and its undo is what a dead proxy
        # needs at once. Hidden while there is nothing to offer.
        self._route_offer: RouteOffer | None = None
        self.route_fix_action = self._action(self._on_route_fix)
        self.route_fix_action.setVisible(False)
        self.http_only_action = QAction(self.menu)
        self.http_only_action.setCheckable(True)
        self.http_only_action.triggered.connect(self._on_http_only)
        self.menu.addAction(self.http_only_action)
        self.check_action = self._action(self.check_now_requested.emit)
        self.menu.addSeparator()
        self.window_action = self._action(self.window_requested.emit)
        self.config_folder_action = self._action(self.config_folder_requested.emit)
        self.log_folder_action = self._action(self.log_folder_requested.emit)
        self.start_at_login_action = QAction(self.menu)
        self.start_at_login_action.setCheckable(True)
        self.start_at_login_action.triggered.connect(
            lambda checked: self.start_at_login_requested.emit(bool(checked))
        )
        self.menu.addAction(self.start_at_login_action)
        self.auto_fix_action = QAction(self.menu)
        self.auto_fix_action.setCheckable(True)
        self.auto_fix_action.triggered.connect(
            lambda checked: self.auto_fix_requested.emit(bool(checked))
        )
        self.menu.addAction(self.auto_fix_action)
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
        self.help_action = self._action(self.help_requested.emit)
        self.about_action = self._action(self.about_requested.emit)
        self.quit_action = self._action(self.quit_requested.emit)
        # "Last checked 40 s ago" is worded when the menu opens, so it is never old.
        self.menu.aboutToShow.connect(self._refresh_open_menu)

        # The icon may already be on screen (shown early during start-up): adopt it.
        self.icon = icon or QSystemTrayIcon()
        self.icon.setParent(self)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._on_activated)
        # A click on a notification: the shell knows what it announced (the window with the
        # details, or the undo of an automatic change).
        self.icon.messageClicked.connect(self.message_clicked.emit)
        self.retranslate()

    def _action(self, slot: object) -> QAction:
        action = QAction(self.menu)
        action.triggered.connect(slot)
        self.menu.addAction(action)
        return action

    def retranslate(self) -> None:
        """Sets every fixed text again (after a language change) and re-renders the state."""
        self.http_only_action.setText(self.tr("Use HTTP only (skip WebSocket)"))
        self.window_action.setText(self.tr("Status window…"))
        self.config_folder_action.setText(self.tr("Open Codex config folder"))
        self.log_folder_action.setText(self.tr("Open log folder"))
        self.start_at_login_action.setText(self.tr("Start at login"))
        self.auto_fix_action.setText(self.tr("Keep Codex fast automatically"))
        self.auto_fix_action.setToolTip(
            self.tr(
                "When WebSocket is blocked, Codex Link sends Codex through a proxy that carries it "
                "(or uses HTTP only), and undoes it when it is no longer needed; never while "
                "Codex runs. Each change is announced and can be undone."
            )
        )
        self._show_route_offer()
        self.language_menu.setTitle(self.tr("Language"))
        self.language_actions[SYSTEM].setText(self.tr("System language"))
        # Each language is named in itself, so it can be found whatever the current language.
        self.language_actions[ENGLISH].setText("English")
        self.language_actions[CHINESE].setText("简体中文")
        self.help_action.setText(self.tr("Help"))
        self.about_action.setText(self.tr("About Codex Link"))
        self.quit_action.setText(self.tr("Quit Codex Link"))
        if self._snapshot is not None:
            self.show_snapshot(self._snapshot)
        else:
            self.check_action.setText(self.tr("Check now"))

    def set_interval(self, seconds: float) -> None:
        """The check interval, which decides when a result counts as out of date."""
        self._interval_s = seconds

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        health = snapshot.verdict.health
        stale = is_stale(snapshot, time.time(), self._interval_s)
        self.icon.setIcon(self._icons.dimmed(health) if stale else self._icons.for_health(health))
        self.icon.setToolTip(tooltip_text(snapshot))
        self.verdict_action.setIcon(self._icons.for_health(health))
        for transport, action in self.transport_actions.items():
            action.setText(transport_line(transport, snapshot))
        if self.menu.isVisible():
            self._refresh_open_menu()
        else:  # worded in full; shortened when the menu opens (see _refresh_open_menu)
            self.verdict_action.setText(verdict_title(snapshot))
            self._refresh_age()
        self.http_only_action.setChecked(snapshot.http_only)
        offered = switch_offered(snapshot)
        self.http_only_action.setEnabled(offered)
        self.http_only_action.setToolTip(
            ""
            if offered
            else self.tr("HTTP itself fails on this network, so HTTP only would not help.")
        )
        self.check_action.setEnabled(not snapshot.checking)
        self.check_action.setText(
            self.tr("Checking…") if snapshot.checking else self.tr("Check now")
        )

    def _refresh_open_menu(self) -> None:
        """What depends on the moment and on the font: the age of the result, and the title
        shortened to fit (a menu does not wrap; the window has it whole). Measuring text loads
        the system's font database, some 5 MB that a tray nobody has opened need not hold."""
        if self._snapshot is None:
            return
        metrics = QFontMetrics(self.verdict_action.font())
        self.verdict_action.setText(
            metrics.elidedText(
                verdict_title(self._snapshot), Qt.TextElideMode.ElideRight, MENU_TEXT_WIDTH
            )
        )
        self._refresh_age()

    def _refresh_age(self) -> None:
        if self._snapshot is None:
            return
        stale = is_stale(self._snapshot, time.time(), self._interval_s)
        self.last_checked_action.setText(last_checked_line(self._snapshot, stale=stale))

    def set_switch_busy(self, busy: bool) -> None:
        offered = self._snapshot is None or switch_offered(self._snapshot)
        self.http_only_action.setEnabled(offered and not busy)
        self.route_fix_action.setEnabled(not busy)

    def show_route_offer(self, offer: RouteOffer | None) -> None:
        """The route fix's item: "Send Codex through <proxy>", or its undo, or nothing."""
        self._route_offer = offer
        self._show_route_offer()

    def _show_route_offer(self) -> None:
        offer = self._route_offer
        self.route_fix_action.setVisible(offer is not None)
        if offer is None:
            return
        if offer.enable:
            proxy = offer.proposal.proxy_url if offer.proposal else None
            self.route_fix_action.setText(
                self.tr("Send Codex through {proxy} (keeps WebSocket)").format(
                    proxy=redact_url(proxy) if proxy else self.tr("the system proxy")
                )
            )
        else:
            self.route_fix_action.setText(
                self.tr("Undo the route fix (the proxy is not answering)")
                if offer.urgent
                else self.tr("Undo the route fix")
            )
        font = QFont(self.menu.font())
        font.setBold(offer.urgent)
        self.route_fix_action.setFont(font)

    def set_auto_fix(self, enabled: bool) -> None:
        self.auto_fix_action.setChecked(enabled)

    def _on_route_fix(self) -> None:
        if self._route_offer is not None:
            self.route_fix_requested.emit(self._route_offer.enable)

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
