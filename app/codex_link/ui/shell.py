"""Ties the tray, the window, notifications and the settings to the monitor.

Every snapshot from the monitor is rendered everywhere at once; every click becomes one call
on core (check, switch, settings). This object is what the UI tests drive: they give it a
fake monitor and a real switch, and look at what a user would see.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import PySide6
from PySide6.QtCore import QObject, QUrl, Signal, qVersion
from PySide6.QtGui import QClipboard, QDesktopServices
from PySide6.QtWidgets import QSystemTrayIcon

from codex_link.core.codex.settings import CodexSettings
from codex_link.core.codex.toggle import HttpOnlySwitch
from codex_link.core.diagnostics import build_report
from codex_link.core.net.outcome import Transport
from codex_link.core.prefs import Language, Prefs
from codex_link.core.snapshot import Snapshot
from codex_link.core.verdict import ws_works
from codex_link.core.verdict_types import Health
from codex_link.ui.autostart import Autostart
from codex_link.ui.config_watch import ConfigWatcher
from codex_link.ui.i18n import Translations, resolve_language, system_locale_name
from codex_link.ui.icons import IconSet
from codex_link.ui.notifier import ChangeNotifier
from codex_link.ui.ports import MonitorPort
from codex_link.ui.status_window import StatusWindow
from codex_link.ui.switch_flow import SwitchFlow
from codex_link.ui.tray import Tray
from codex_link.ui.wording import verdict_line

log = logging.getLogger(__name__)

NOTIFICATION_MS = 10_000


class Shell(QObject):
    quit_requested = Signal()

    def __init__(
        self,
        *,
        monitor: MonitorPort,
        prefs: Prefs,
        save_prefs: Callable[[Prefs], None],
        switch: HttpOnlySwitch,
        running_codex: Callable[[], Sequence[str]],
        load_settings: Callable[[], CodexSettings | None],
        codex_home: Path,
        translations: Translations,
        clipboard: QClipboard,
        autostart: Autostart,
        tray_available: bool,
        open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl,
        icons: IconSet | None = None,
        tray_icon: QSystemTrayIcon | None = None,
        log_file: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.monitor = monitor
        self.prefs = prefs
        self._save_prefs = save_prefs
        self._load_settings = load_settings
        self.codex_home = codex_home
        self.translations = translations
        self._clipboard = clipboard
        self.autostart = autostart
        self.tray_available = tray_available
        self._open_url = open_url
        self.log_file = log_file
        self._last_logged: tuple[Health, str] | None = None

        self.icons = icons or IconSet()
        self.tray = Tray(self.icons, self, icon=tray_icon)
        self.window = StatusWindow(self.icons)
        self.notifier = ChangeNotifier()
        self.flow = SwitchFlow(
            switch,
            running_codex=running_codex,
            on_applied=self._switch_applied,
            dialog_parent=lambda: self.window if self.window.isVisible() else None,
            parent=self,
        )
        self.watcher = ConfigWatcher(codex_home / "config.toml", self._config_edited, self)

        self.tray.check_now_requested.connect(self.check_now)
        self.tray.window_requested.connect(self.show_window)
        self.tray.http_only_requested.connect(self.request_switch)
        self.tray.config_folder_requested.connect(self.open_config_folder)
        self.tray.start_at_login_requested.connect(self.set_start_at_login)
        self.tray.language_requested.connect(self.set_language)
        self.tray.quit_requested.connect(self.quit_requested.emit)
        self.window.check_now_requested.connect(self.check_now)
        self.window.switch_requested.connect(self.request_switch)
        self.window.copy_diagnostics_requested.connect(self.copy_diagnostics)
        self.window.log_folder_requested.connect(self.open_log_folder)
        self.window.interval_changed.connect(
            lambda s: self._update_prefs(check_interval_s=float(s))
        )
        self.window.notifications_changed.connect(
            lambda on: self._update_prefs(notifications=on)
        )
        self.window.deep_check_changed.connect(lambda on: self._update_prefs(deep_check=on))
        self.window.closed.connect(self._window_closed)
        self.flow.busy_changed.connect(self.tray.set_switch_busy)
        self.flow.busy_changed.connect(self.window.set_switch_busy)
        self.flow.finished.connect(self._switch_finished)
        self.tray.menu.aboutToShow.connect(lambda: log.info("tray menu opened"))

        self._apply_language()
        self._show_settings()
        self._unsubscribe = monitor.subscribe(self.show_snapshot)
        self.show_snapshot(monitor.snapshot)

    # --- start and stop ----------------------------------------------------------------------

    def start(self) -> None:
        """Shows the tray icon, or the window when this desktop has no tray."""
        if self.tray_available:
            self.tray.icon.show()
            log.info("tray icon shown (system tray available)")
        else:
            log.info("no system tray: showing the status window instead")
            self.show_window()

    def close(self) -> None:
        self._unsubscribe()
        self.tray.icon.hide()
        self.window.hide()
        self.window.deleteLater()

    # --- rendering ---------------------------------------------------------------------------

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self.tray.show_snapshot(snapshot)
        self.window.show_snapshot(snapshot)
        health = snapshot.verdict.health
        shown = (health, str(snapshot.verdict.headline))
        if shown != self._last_logged:
            self._last_logged = shown
            # One line per change; tests and benchmarks wait for it, support reads it. A
            # provisional verdict says so, so that waiting for "verdict: <health>:" means final.
            mark = " (provisional)" if snapshot.verdict.provisional else ""
            log.info("verdict: %s%s: %s", health, mark, verdict_line(snapshot))
        notice = self.notifier.consider(snapshot)
        if notice is not None and self.prefs.notifications and self.tray_available:
            self.tray.icon.showMessage(
                notice.title, notice.message, self.icons.for_health(notice.health),
                NOTIFICATION_MS,
            )

    def retranslate(self) -> None:
        self.tray.retranslate()
        self.window.retranslate()

    # --- clicks ------------------------------------------------------------------------------

    def check_now(self) -> None:
        self.monitor.check_now()

    def show_window(self) -> None:
        self.window.bring_to_front()
        log.info("status window shown")

    def request_switch(self, enable: bool) -> None:
        report = self.monitor.snapshot.report
        ws = report.primary_for(Transport.WEBSOCKET) if report else None
        self.flow.request(enable, websocket_healthy=ws is not None and ws_works(ws))

    def open_config_folder(self) -> None:
        folder = self.codex_home if self.codex_home.is_dir() else None
        if folder is None:
            self._tell(
                self.tr("The Codex folder {folder} does not exist yet. Start Codex once to "
                        "create it.").format(folder=str(self.codex_home))
            )
            return
        self._open_folder(folder)

    def open_log_folder(self) -> None:
        if self.log_file is None:
            self._tell(self.tr("This run of Codex Link keeps no log file."))
            return
        folder = self.log_file.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self._tell(self.tr("Could not create the log folder {folder} ({problem}).").format(
                folder=str(folder), problem=error.strerror or str(error)))
            return
        self._open_folder(folder)

    def _open_folder(self, folder: Path) -> None:
        # Desktops without a file manager answer False: say where the folder is instead.
        if not self._open_url(QUrl.fromLocalFile(str(folder))):
            self._tell(self.tr("No file manager could open {folder}. Open it by hand.").format(
                folder=str(folder)))

    def copy_diagnostics(self) -> None:
        try:
            settings = self._load_settings()
        except Exception:
            log.exception("diagnostics: Codex settings could not be loaded")
            settings = None
        report = build_report(
            self.monitor.snapshot,
            settings,
            qt_version=qVersion(),
            pyside_version=PySide6.__version__,
            log_file=self.log_file,
        )
        self._clipboard.setText(report)
        self.window.show_feedback(
            self.tr("Diagnostics copied. Passwords and tokens were left out.")
        )

    def set_start_at_login(self, enabled: bool) -> None:
        try:
            self.autostart.set_enabled(enabled)
        except OSError as exc:
            self._tell(self.tr("Could not change start at login ({problem}).").format(
                problem=exc.strerror or type(exc).__name__))
        self._update_prefs(start_at_login=self.autostart.is_enabled())
        self._show_settings()

    def set_language(self, code: str) -> None:
        self._update_prefs(language=Language(code))
        self._apply_language()

    # --- helpers -----------------------------------------------------------------------------

    def _apply_language(self) -> None:
        language = resolve_language(str(self.prefs.language), system_locale_name())
        if not self.translations.apply(language):
            log.warning("no translation catalog for %s: showing English", language)
        self.tray.set_language(str(self.prefs.language))
        self.retranslate()

    def _show_settings(self) -> None:
        self.window.set_settings(
            interval_s=round(self.prefs.check_interval_s),
            notifications=self.prefs.notifications,
            deep_check=self.prefs.deep_check,
        )
        available = self.autostart.available
        self.tray.set_start_at_login(
            self.autostart.is_enabled(),
            available,
            "" if available else self.tr("Not available on this system"),
        )

    def _update_prefs(self, **changes: object) -> None:
        self.prefs = dataclasses.replace(self.prefs, **changes)  # type: ignore[arg-type]
        try:
            self._save_prefs(self.prefs)
        except OSError as exc:
            self._tell(self.tr("Could not save the settings ({problem}). They apply until "
                               "Codex Link quits.").format(problem=exc.strerror or exc))
        self.monitor.set_prefs(self.prefs)

    def _config_edited(self) -> None:
        log.info("config.toml changed outside Codex Link")
        self.monitor.config_changed()

    def _switch_applied(self) -> None:
        self.watcher.acknowledge()
        self.monitor.config_changed()

    def _switch_finished(self, message: str) -> None:
        self._tell(message)

    def _tell(self, message: str) -> None:
        """Feedback for a click: in the window, and as a tray message when it is hidden."""
        log.info("%s", message)
        self.window.show_feedback(message)
        if self.tray_available and not self.window.isVisible():
            self.tray.icon.showMessage(
                self.tr("Codex Link"), message, QSystemTrayIcon.MessageIcon.Information,
                NOTIFICATION_MS,
            )

    def _window_closed(self) -> None:
        if not self.tray_available:
            self.quit_requested.emit()
