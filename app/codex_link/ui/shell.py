"""Ties the tray, the window, notifications and the settings to the monitor.

Every snapshot from the monitor is rendered everywhere at once; every click becomes one call
on core (check, switch, settings). This object is what the UI tests drive: they give it a
fake monitor and a real switch, and look at what a user would see.

The status window, its chart, the switch dialog and the diagnostics are built (and their
modules imported) the first time they are needed: a tray app spends its life with none of
them open, and their memory would be held all that time.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl, Signal, qVersion
from PySide6.QtGui import QClipboard
from PySide6.QtWidgets import QDialog, QSystemTrayIcon

from codex_link.core.auto_mode import (
    AutoAction,
    FixChange,
    RouteOffer,
    StaleProxyWatch,
    route_offer,
)
from codex_link.core.codex.installed import InstalledCodex, codex_in_use
from codex_link.core.codex.route_fix.fix import RouteFix, reapply_proposal
from codex_link.core.codex.route_fix.status import RouteFixStatus
from codex_link.core.history import FixEvent, FixLog
from codex_link.core.model.codex_settings import CodexSettings
from codex_link.core.model.snapshot import Snapshot
from codex_link.core.model.verdict import Health
from codex_link.core.prefs import Language, Prefs
from codex_link.ui.auto_fix import AutoFixer
from codex_link.ui.autostart import Autostart
from codex_link.ui.config_watch import ConfigWatcher
from codex_link.ui.folder_opener import FolderOpener
from codex_link.ui.i18n import (
    Translations,
    join_sentences,
    resolve_language,
    system_locale_name,
)
from codex_link.ui.icons import IconSet
from codex_link.ui.notifier import ChangeNotifier
from codex_link.ui.ports import MonitorPort
from codex_link.ui.tray import Tray
from codex_link.ui.wording import verdict_line, verdict_title

if TYPE_CHECKING:
    from codex_link.core.codex.switch.toggle import HttpOnlySwitch
    from codex_link.ui.route_flow import RouteFlow
    from codex_link.ui.status_window import StatusWindow
    from codex_link.ui.switch_flow import SwitchFlow

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
        route_fix: RouteFix,
        running_codex: Callable[[], Sequence[str]],
        load_settings: Callable[[], CodexSettings | None],
        codex_home: Path,
        translations: Translations,
        clipboard: QClipboard,
        autostart: Autostart,
        tray_available: bool,
        open_url: Callable[[QUrl], bool] | None = None,
        icons: IconSet | None = None,
        tray_icon: QSystemTrayIcon | None = None,
        log_file: Path | None = None,
        fix_log: FixLog | None = None,
        find_codex: Callable[[], InstalledCodex | None] = codex_in_use,
        parent: QObject | None = None,
    ) -> None:
        """`fix_log`: where the fixes turned on and off are recorded (None: in memory).
        `find_codex`: the Codex the user runs, named in the window, About and diagnostics."""
        super().__init__(parent)
        self._find_codex = find_codex
        self.monitor = monitor
        self.prefs = prefs
        self._save_prefs = save_prefs
        self._load_settings = load_settings
        self.codex_home = codex_home
        self.translations = translations
        self._clipboard = clipboard
        self.autostart = autostart
        self.tray_available = tray_available
        self.log_file = log_file
        self._switch = switch
        self._route_fix = route_fix
        self._running_codex = running_codex
        self.fix_log = fix_log if fix_log is not None else FixLog(None)
        self._route_flow: RouteFlow | None = None
        self._route_status = RouteFixStatus(False, None, None, None, False)
        self._route_offer: RouteOffer | None = None
        self._stale_watch = StaleProxyWatch()
        self._http_only_before: bool | None = None  # the switch's state when it was clicked
        self._on_message_click: Callable[[], None] | None = None  # the last notification's
        self._last_logged: tuple[Health, str, bool] | None = None
        self._window: StatusWindow | None = None
        self._flow: SwitchFlow | None = None
        self.dialog: QDialog | None = None  # the open About or welcome dialog

        self.icons = icons or IconSet()
        self.tray = Tray(self.icons, self, icon=tray_icon)
        self.notifier = ChangeNotifier()
        self.fixer = AutoFixer(
            switch=switch, route_fix=route_fix, running_codex=running_codex, parent=self
        )
        self.fixer.applied.connect(self._auto_applied)
        self.fixer.ask.connect(self._auto_asks)
        self.fixer.failed.connect(self._auto_failed)
        self.folders = FolderOpener(self, open_url=open_url)
        self.folders.failed.connect(self._folder_not_opened)
        self.watcher = ConfigWatcher(codex_home / "config.toml", self._config_edited, self)

        self.tray.check_now_requested.connect(self.check_now)
        self.tray.window_requested.connect(self.show_window)
        self.tray.http_only_requested.connect(self.request_switch)
        self.tray.route_fix_requested.connect(self.request_route_fix)
        self.tray.auto_fix_requested.connect(self.set_auto_fix)
        self.tray.message_clicked.connect(self._message_clicked)
        self.tray.config_folder_requested.connect(self.open_config_folder)
        self.tray.log_folder_requested.connect(self.open_log_folder)
        self.tray.start_at_login_requested.connect(self.set_start_at_login)
        self.tray.language_requested.connect(self.set_language)
        self.tray.help_requested.connect(self.open_help)
        self.tray.about_requested.connect(self.show_about)
        self.tray.quit_requested.connect(self.quit_requested.emit)
        self.tray.menu.aboutToShow.connect(lambda: log.info("tray menu opened"))

        self._apply_language()
        self._show_settings()
        self._unsubscribe = monitor.subscribe(self.show_snapshot)
        self.show_snapshot(monitor.snapshot)

    # --- built when first needed ---------------------------------------------------------

    @property
    def window(self) -> StatusWindow:
        if self._window is None:
            from codex_link.ui.status_window import StatusWindow

            window = StatusWindow(self.icons, codex=self._find_codex)
            window.check_now_requested.connect(self.check_now)
            window.switch_requested.connect(self.request_switch)
            window.route_fix_requested.connect(self.request_route_fix)
            window.auto_fix_changed.connect(self.set_auto_fix)
            window.copy_diagnostics_requested.connect(self.copy_diagnostics)
            window.log_folder_requested.connect(self.open_log_folder)
            window.interval_changed.connect(lambda s: self._update_prefs(check_interval_s=float(s)))
            window.notifications_changed.connect(lambda on: self._update_prefs(notifications=on))
            window.deep_check_changed.connect(lambda on: self._update_prefs(deep_check=on))
            window.closed.connect(self._window_closed)
            self._window = window
            self._show_settings()
            window.set_switch_busy(self.busy)
            window.show_snapshot(self.monitor.snapshot)
            window.show_route_offer(self._route_offer)
            window.set_fix_events(self.fix_log.events())
        return self._window

    @property
    def window_visible(self) -> bool:
        return self._window is not None and self._window.isVisible()

    @property
    def flow(self) -> SwitchFlow:
        if self._flow is None:
            from codex_link.ui.switch_flow import SwitchFlow

            flow = SwitchFlow(
                self._switch,
                running_codex=self._running_codex,
                on_applied=self._switch_applied,
                dialog_parent=lambda: self._window if self.window_visible else None,
                parent=self,
            )
            flow.busy_changed.connect(self._busy_changed)
            flow.finished.connect(self._switch_finished)
            self._flow = flow
        return self._flow

    @property
    def route_flow(self) -> RouteFlow:
        if self._route_flow is None:
            from codex_link.ui.route_flow import RouteFlow

            flow = RouteFlow(
                self._route_fix,
                running_codex=self._running_codex,
                on_applied=lambda enable: self._fix_changed(
                    FixChange.of(route_fix=True, enable=enable), automatic=False
                ),
                dialog_parent=lambda: self._window if self.window_visible else None,
                parent=self,
            )
            flow.busy_changed.connect(self._busy_changed)
            flow.finished.connect(self._switch_finished)
            flow.declined.connect(
                lambda enable: self.fixer.declined(FixChange.of(route_fix=True, enable=enable))
            )
            self._route_flow = flow
        return self._route_flow

    @property
    def busy(self) -> bool:
        """A confirmation is open (the switch's or the route fix's): one change at a time."""
        return (self._flow is not None and self._flow.busy) or (
            self._route_flow is not None and self._route_flow.busy
        )

    def _busy_changed(self, _busy: bool) -> None:
        busy = self.busy
        self.tray.set_switch_busy(busy)
        if self._window is not None:
            self._window.set_switch_busy(busy)

    # --- start and stop ----------------------------------------------------------------------

    def start(self) -> None:
        """Shows the tray icon, or the window when this desktop has no tray."""
        if self.tray_available:
            self.tray.icon.show()
            log.info("tray icon shown (system tray available)")
        else:
            log.info("no system tray: showing the status window instead")
            self.show_window()
        self.welcome_if_first_run()

    def close(self) -> None:
        self._unsubscribe()
        self.tray.icon.hide()
        if self._window is not None:
            self._window.hide()
            self._window.deleteLater()
        if self.dialog is not None:
            self.dialog.close()

    # --- rendering ---------------------------------------------------------------------------

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self.tray.show_snapshot(snapshot)
        if self._window is not None:
            self._window.show_snapshot(snapshot)
        health = snapshot.verdict.health
        shown = (health, str(snapshot.verdict.headline), snapshot.verdict.provisional)
        if shown != self._last_logged:
            self._last_logged = shown
            # One line per change; tests and benchmarks wait for it, support reads it. A
            # provisional verdict says so, so that waiting for "verdict: <health>:" means final.
            mark = " (provisional)" if snapshot.verdict.provisional else ""
            log.info(
                "verdict: %s%s: %s | %s",
                health,
                mark,
                verdict_title(snapshot),
                verdict_line(snapshot),
            )
        notice = self.notifier.consider(snapshot)
        if notice is not None and self.prefs.notifications and self.tray_available:
            self._on_message_click = None  # a click on it opens the window
            self.tray.icon.showMessage(
                notice.title,
                notice.message,
                self.icons.for_health(notice.health),
                NOTIFICATION_MS,
            )
        self._follow_route_fix(snapshot)

    def _follow_route_fix(self, snapshot: Snapshot) -> None:
        """The route fix's offer in the menu and the window, the dead-proxy alarm, and auto
        mode: last, since a change made here publishes a new snapshot at once."""
        status = self._route_fix.status()
        self._route_status = status
        self._route_offer = route_offer(snapshot.verdict, ours_active=status.active)
        self.tray.show_route_offer(self._route_offer)
        if self._window is not None:
            self._window.show_route_offer(self._route_offer)
        self.fixer.observe(snapshot, status)
        report = snapshot.report
        if (
            report is not None
            and not snapshot.checking
            and self._stale_watch.consider(report.verdict, ours_active=status.active)
        ):
            notice = self.notifier.stale_proxy(report.verdict)
            log.warning("route fix: %s", notice.message)
            self._announce(
                notice.title, notice.message, lambda: self.request_route_fix(False, stale=True)
            )
        if self.prefs.auto_fix and not self.busy:
            self.fixer.act(snapshot, status)

    def retranslate(self) -> None:
        self.tray.retranslate()
        if self._window is not None:
            self._window.retranslate()

    # --- clicks ------------------------------------------------------------------------------

    def check_now(self) -> None:
        self.monitor.check_now()

    def show_window(self) -> None:
        self.window.bring_to_front()
        log.info("status window shown")

    def request_switch(self, enable: bool) -> None:
        from codex_link.core.switch_guard import switch_concern

        self._http_only_before = self._switch.status().http_only
        self.flow.request(enable, concern=switch_concern(self.monitor.snapshot, enable))

    def request_route_fix(self, enable: bool, *, stale: bool = False) -> None:
        """Asks before sending Codex through the verdict's route, or before undoing the fix."""
        offer = self._route_offer
        proposal = offer.proposal if enable and offer is not None else None
        urgent = stale or (offer is not None and offer.urgent and not enable)
        self.route_flow.request(enable, proposal, stale=urgent)

    def set_auto_fix(self, enabled: bool) -> None:
        self._update_prefs(auto_fix=enabled)
        self._show_settings()
        log.info("auto mode %s", "on" if enabled else "off")
        if enabled and not self.busy:  # act on what the checks already saw
            self.fixer.act(self.monitor.snapshot, self._route_status)

    def open_help(self) -> None:
        from codex_link.ui.about import help_url

        if not self.folders.open_link(QUrl(help_url())):
            self._tell(self.tr("No web browser could open {url}.").format(url=help_url()))

    def show_about(self) -> None:
        from codex_link.ui.about import AboutDialog

        self._show_dialog(AboutDialog(self.icons, qt_version=qVersion(), codex=self._find_codex))

    def welcome_if_first_run(self) -> None:
        """The first start explains the icon once (a tray app has no window to greet with)."""
        if self.prefs.welcomed:
            return
        from codex_link.ui.about import WelcomeDialog

        self._show_dialog(
            WelcomeDialog(
                self.icons, tray_available=self.tray_available, open_window=self.show_window
            )
        )
        log.info("first run: welcome shown")
        self._update_prefs(welcomed=True)

    def _show_dialog(self, dialog: QDialog) -> None:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.finished.connect(lambda _code: self._dialog_closed(dialog))
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def _dialog_closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def open_config_folder(self) -> None:
        folder = self.codex_home if self.codex_home.is_dir() else None
        if folder is None:
            self._tell(
                self.tr(
                    "The Codex folder {folder} does not exist yet. Start Codex once to create it."
                ).format(folder=str(self.codex_home))
            )
            return
        self.folders.open(folder)

    def open_log_folder(self) -> None:
        if self.log_file is None:
            self._tell(self.tr("This run of Codex Link keeps no log file."))
            return
        folder = self.log_file.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self._tell(
                self.tr("Could not create the log folder {folder} ({problem}).").format(
                    folder=str(folder), problem=error.strerror or str(error)
                )
            )
            return
        self.folders.open(folder)

    def _folder_not_opened(self, folder: str) -> None:
        # Said where it can be seen, with the path ready to paste into a file manager.
        self._clipboard.setText(folder)
        self._tell(
            self.tr(
                "No file manager could open {folder}. Its path was copied: open it by hand."
            ).format(folder=folder)
        )

    def copy_diagnostics(self) -> None:
        import PySide6

        from codex_link.core.diagnostics import build_report

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
            codex=self._find_codex,
        )
        self._clipboard.setText(report)
        self.window.show_feedback(
            self.tr("Diagnostics copied. Passwords and tokens were left out.")
        )

    def set_start_at_login(self, enabled: bool) -> None:
        try:
            self.autostart.set_enabled(enabled)
        except OSError as exc:
            self._tell(
                self.tr("Could not change start at login ({problem}).").format(
                    problem=exc.strerror or type(exc).__name__
                )
            )
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
        self.tray.set_interval(self.prefs.check_interval_s)
        if self._window is not None:
            self._window.set_interval(self.prefs.check_interval_s)
            self._window.set_settings(
                interval_s=round(self.prefs.check_interval_s),
                notifications=self.prefs.notifications,
                deep_check=self.prefs.deep_check,
                auto_fix=self.prefs.auto_fix,
            )
        self.tray.set_auto_fix(self.prefs.auto_fix)
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
            self._tell(
                self.tr(
                    "Could not save the settings ({problem}). They apply until Codex Link quits."
                ).format(problem=exc.strerror or exc)
            )
        self.monitor.set_prefs(self.prefs)
        self.tray.set_interval(self.prefs.check_interval_s)
        if self._window is not None:
            self._window.set_interval(self.prefs.check_interval_s)

    def _config_edited(self) -> None:
        log.info("config.toml changed outside Codex Link")
        self.monitor.config_changed()

    def _switch_applied(self) -> None:
        before, self._http_only_before = self._http_only_before, None
        try:
            now: bool | None = self._switch.status().http_only
        except Exception:
            log.exception("the switch's state could not be read after a change")
            now = None
        if before is not None and now is not None and now != before:
            self._fix_changed(FixChange.of(route_fix=False, enable=now), automatic=False)
        else:  # nothing changed (the file already said so): show it all the same
            self.watcher.acknowledge()
            self.monitor.config_changed()

    def _fix_changed(self, change: FixChange, *, automatic: bool) -> None:
        """A fix was turned on or off: the history's marker, then the new state everywhere."""
        self.fix_log.append(FixEvent(time.time(), change, automatic))
        if not automatic and not change.enable:  # the user took it back: auto mode too
            self.fixer.declined(change.undo)
        if self._window is not None:
            self._window.set_fix_events(self.fix_log.events())
        self.watcher.acknowledge()
        self.monitor.config_changed()

    # --- auto mode ---------------------------------------------------------------------------

    def _auto_applied(self, change: FixChange, message: str) -> None:
        self._fix_changed(change, automatic=True)
        title, body = self.notifier.auto_change(change, message)
        undo = change.undo
        if undo is FixChange.ROUTE_FIX_ON:
            # Auto mode took our route out: the click puts the same route back (asking first,
            # as any route fix does), if the record still says exactly which route it was.
            proposal = reapply_proposal(self._route_status)
            if proposal is None:
                self._announce(title, body, None)
                return

            def put_back() -> None:
                self.fixer.declined(change)
                self.route_flow.request(True, proposal)

            self._announce(title, body, put_back)
            return

        def take_back() -> None:
            self.fixer.declined(change)
            if undo.route_fix:
                self.request_route_fix(False)
            else:
                self.request_switch(undo.enable)

        self._announce(title, body, take_back)

    def _auto_asks(self, action: AutoAction) -> None:
        """The files are not as auto mode expected (the user edited them): the user decides."""
        if action.kind.route_fix:
            self.route_flow.request(action.kind.enable, action.proposal)
            return
        self.request_switch(action.kind.enable)
        dialog = self.flow.dialog
        if dialog is not None:
            dialog.finished.connect(
                lambda code: (
                    None
                    if code == QDialog.DialogCode.Accepted.value
                    else self.fixer.declined(action.kind)
                )
            )

    def _auto_failed(self, _change: FixChange, why: str) -> None:
        title, body = self.notifier.auto_refused(why)
        self._announce(title, body, self.show_window)

    def _announce(self, title: str, message: str, on_click: Callable[[], None] | None) -> None:
        """A notification (whatever the notification setting: it tells of a change to
        Codex's files, or of one that is needed); without a tray, the window's feedback."""
        if not self.tray_available:
            self.window.show_feedback(join_sentences([title, message]))
            return
        self._on_message_click = on_click
        self.tray.icon.showMessage(
            title, message, QSystemTrayIcon.MessageIcon.Information, NOTIFICATION_MS
        )

    def _message_clicked(self) -> None:
        action, self._on_message_click = self._on_message_click, None
        if action is None:
            self.show_window()
        else:
            action()

    def _switch_finished(self, message: str) -> None:
        self._tell(message)

    def _tell(self, message: str) -> None:
        """Feedback for a click: in the window, and as a tray message when it is hidden."""
        log.info("%s", message)
        if self._window is not None or not self.tray_available:
            self.window.show_feedback(message)
        if self.tray_available and not self.window_visible:
            self.tray.icon.showMessage(
                self.tr("Codex Link"),
                message,
                QSystemTrayIcon.MessageIcon.Information,
                NOTIFICATION_MS,
            )

    def _window_closed(self) -> None:
        if not self.tray_available:
            self.quit_requested.emit()
