"""Composition root of the tray app: builds core (settings, checker, monitor, switch) and the
UI, and runs them on one thread with Qt's event loop driving asyncio (qasync).

Nothing else creates core objects for the UI, so every dependency is visible here once.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import logging.handlers
import os
import signal
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from app.core.check import build_checker
from app.core.codex.home import CodexHome, resolve_codex_home
from app.core.codex.processes import find_codex_processes
from app.core.codex.settings import CodexSettings, load_settings
from app.core.codex.toggle import HttpOnlySwitch
from app.core.history import HistoryStore, default_data_dir
from app.core.monitor import Monitor
from app.core.prefs import PrefsStore, default_config_dir
from app.ui.autostart import Autostart
from app.ui.i18n import Translations
from app.ui.icons import IconSet
from app.ui.shell import Shell
from app.ui.single_instance import InstanceServer, ask_running_instance, instance_name

log = logging.getLogger("codex_link")

EMBED_POLL_MS = 50
EMBED_WAIT_MS = 10_000
LOG_BYTES = 512 * 1024


@dataclass(frozen=True, slots=True)
class TrayOptions:
    interval_s: float | None = None  # this run only; the saved setting is left alone
    started_at: float | None = None  # wall clock at process start, for the start-up log line


def configure_logging(log_dir: Path | None) -> None:
    """Logs to stderr (terminal launches, tests) and to a small rotating file (support)."""
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    formatter = logging.Formatter("%(asctime)s codex-link %(levelname)s %(message)s")
    stream = logging.StreamHandler(sys.stderr)
    stream.setFormatter(formatter)
    root.addHandler(stream)
    if log_dir is None:
        return
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            log_dir / "codex-link.log", maxBytes=LOG_BYTES, backupCount=1, encoding="utf-8"
        )
    except OSError as exc:
        log.warning("no log file in %s: %s", log_dir, exc)
        return
    handler.setFormatter(formatter)
    root.addHandler(handler)


def _log_uncaught(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    # Exceptions in Qt slots and in tasks end here; the app must keep running and say why.
    log.critical("unexpected error", exc_info=(kind, error, trace))


def build_monitor(
    home: CodexHome, env: Mapping[str, str], prefs_store: PrefsStore, data_dir: Path
) -> tuple[Monitor, HttpOnlySwitch]:
    history = HistoryStore(data_dir)
    history.load()
    switch = HttpOnlySwitch(home, data_dir)
    monitor = Monitor(build_checker(env), switch_status=switch.status, history=history,
                      prefs=prefs_store.load())
    return monitor, switch


def _running_codex() -> list[str]:
    return [f"{p.description} (pid {p.pid})" for p in find_codex_processes()]


def _watch_network(app: QApplication, on_change: Callable[[], None]) -> None:
    """Checks again when the OS reports a network change (where Qt has a backend for it)."""
    try:
        from PySide6.QtNetwork import QNetworkInformation

        if not QNetworkInformation.loadDefaultBackend():
            return
        info = QNetworkInformation.instance()
        if info is None:
            return
        info.reachabilityChanged.connect(lambda _r: on_change())
        info.transportMediumChanged.connect(lambda _m: on_change())
    except Exception:  # an optional plugin; checks still run on schedule without it
        log.info("no network change notifications on this system")


def _report_embedding(icon: QSystemTrayIcon, started_at: float | None) -> None:
    """Logs once the tray host has placed the icon (its geometry becomes real)."""
    waited = 0

    def poll() -> None:
        nonlocal waited
        if not icon.geometry().isEmpty():
            since = "" if started_at is None else f" {time.time() - started_at:.3f} s after start"
            log.info("tray icon visible%s", since)
            timer.stop()
            return
        waited += EMBED_POLL_MS
        if waited >= EMBED_WAIT_MS:
            log.warning("the tray host did not place the icon within %d s",
                        EMBED_WAIT_MS // 1000)
            timer.stop()

    timer = QTimer(icon)
    timer.setInterval(EMBED_POLL_MS)
    timer.timeout.connect(poll)
    timer.start()
    poll()


async def _serve(app: QApplication, shell: Shell, monitor: Monitor,
                 options: TrayOptions) -> int:
    stop = asyncio.Event()
    shell.quit_requested.connect(stop.set)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, stop.set)
    monitor_task = asyncio.ensure_future(monitor.run())

    def monitor_ended(task: asyncio.Future[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            error = task.exception()
            assert error is not None
            _log_uncaught(type(error), error, error.__traceback__)

    monitor_task.add_done_callback(monitor_ended)
    _watch_network(app, monitor.network_changed)
    shell.start()
    if shell.tray_available:
        _report_embedding(shell.tray.icon, options.started_at)
    await stop.wait()
    log.info("quitting")
    await monitor.stop()
    await asyncio.gather(monitor_task, return_exceptions=True)
    shell.close()
    return 0


def run_tray(options: TrayOptions) -> int:
    import platformdirs
    import qasync  # after PySide6, so qasync binds to it

    app = QApplication(sys.argv[:1])
    app.setApplicationName("Codex Link")
    app.setDesktopFileName("codex-link")
    app.setQuitOnLastWindowClosed(False)  # a tray app lives on with no window open
    configure_logging(platformdirs.user_log_path("codex-link"))
    sys.excepthook = _log_uncaught

    config_dir = default_config_dir()
    server = InstanceServer(instance_name(config_dir))
    if not server.listen():
        if ask_running_instance(server.name):
            print("Codex Link is already running; its window was brought to the front.")
            return 0
        log.error("cannot listen for other launches (%s); going on without", server.name)

    env = os.environ
    home = resolve_codex_home(env)
    prefs_store = PrefsStore(config_dir)
    data_dir = default_data_dir()
    monitor, switch = build_monitor(home, env, prefs_store, data_dir)
    prefs = prefs_store.load()
    if options.interval_s is not None:
        prefs = dataclasses.replace(prefs, check_interval_s=options.interval_s)
        monitor.set_prefs(prefs)

    def load_codex_settings() -> CodexSettings | None:
        return load_settings(home, env)

    app.setWindowIcon(IconSet().app_icon())
    tray_available = QSystemTrayIcon.isSystemTrayAvailable()
    log.info("system tray available: %s", tray_available)
    shell = Shell(
        monitor=monitor,
        prefs=prefs,
        save_prefs=prefs_store.save,
        switch=switch,
        running_codex=_running_codex,
        load_settings=load_codex_settings,
        codex_home=home.path,
        translations=Translations(app),
        clipboard=app.clipboard(),
        autostart=Autostart.for_this_machine(),
        tray_available=tray_available,
    )
    server.show_requested.connect(shell.show_window)
    try:
        return asyncio.run(
            _serve(app, shell, monitor, options), loop_factory=lambda: qasync.QEventLoop(app)
        )
    finally:
        server.close()
