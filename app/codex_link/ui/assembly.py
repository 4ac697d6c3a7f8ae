"""The part of start-up that comes after the tray icon is on screen: core (settings,
checker, monitor, switch), the UI around it, and the loop that runs them together.

Kept apart from app.py because importing it costs most of start-up (rtoml, truststore, the
probes...): app.py shows the "checking" icon first and imports this module afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import signal
import sys
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from codex_link.core.check import SystemProxyReader, build_checker
from codex_link.core.codex.codex_judge import CodexConfigJudge
from codex_link.core.codex.home import resolve_codex_home
from codex_link.core.codex.installed import describe, installed_codex
from codex_link.core.codex.route_fix.fix import RouteFix
from codex_link.core.codex.settings import load_settings
from codex_link.core.codex.switch.toggle import HttpOnlySwitch
from codex_link.core.history import FixLog, HistoryStore, default_data_dir
from codex_link.core.log_files import default_log_dir, log_file_path
from codex_link.core.model.codex_home import CodexHome
from codex_link.core.model.codex_settings import CodexSettings
from codex_link.core.monitor import Monitor, Schedule
from codex_link.core.prefs import PrefsStore
from codex_link.ui.autostart import Autostart
from codex_link.ui.heap_trim import TrimAfterChecks
from codex_link.ui.i18n import Translations
from codex_link.ui.icons import IconSet
from codex_link.ui.instance_server import InstanceServer
from codex_link.ui.network_watch import watch_network
from codex_link.ui.shell import Shell
from codex_link.ui.startup import TrayOptions

log = logging.getLogger("codex_link")

EMBED_POLL_MS = 50
EMBED_WAIT_MS = 10_000
WORKER_THREADS = 10  # as many look-ups at once as before; idle ones are reused


def _log_uncaught(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    # Exceptions in Qt slots and in tasks end here; the app must keep running and say why.
    log.critical("unexpected error", exc_info=(kind, error, trace))


def build_monitor(
    home: CodexHome,
    env: Mapping[str, str],
    prefs_store: PrefsStore,
    data_dir: Path,
    system_proxy: SystemProxyReader | None = None,
    codex_version: str | None = None,
) -> tuple[Monitor, HttpOnlySwitch]:
    """`system_proxy`: None reads the OS settings (the smoke test passes one that has none).
    `codex_version`: the installed Codex's, which the probes name as Codex does."""
    history = HistoryStore(data_dir)
    history.load()
    # The Codex CLI on PATH, when installed, judges the file before and after a switch.
    switch = HttpOnlySwitch(home, data_dir, judge=CodexConfigJudge.find(env))
    schedule = Schedule()
    checker = build_checker(
        env,
        max_timeout_s=schedule.probe_timeout_cap_s,
        system_proxy=system_proxy,
        codex_version=codex_version,
    )
    monitor = Monitor(
        checker,
        read_record=switch.store.load,
        history=history,
        prefs=prefs_store.load(),
        schedule=schedule,
    )
    return monitor, switch


def _running_codex() -> list[str]:
    from codex_link.core.codex.processes import find_codex_processes  # psutil: only now

    return [p.description for p in find_codex_processes()]


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
            log.warning("the tray host did not place the icon within %d s", EMBED_WAIT_MS // 1000)
            timer.stop()

    timer = QTimer(icon)
    timer.setInterval(EMBED_POLL_MS)
    timer.timeout.connect(poll)
    timer.start()
    poll()


async def _serve(app: QApplication, shell: Shell, monitor: Monitor, options: TrayOptions) -> int:
    stop = asyncio.Event()
    shell.quit_requested.connect(stop.set)
    loop = asyncio.get_running_loop()
    # Threads for DNS look-ups and OS proxy reads, started when needed: qasync's default
    # starts ten at once and keeps them, each with its own stack and malloc arena.
    loop.set_default_executor(ThreadPoolExecutor(WORKER_THREADS, "codex-link-worker"))
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, stop.set)
    monitor.subscribe(TrimAfterChecks())
    monitor_task = asyncio.ensure_future(monitor.run())

    def monitor_ended(task: asyncio.Future[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            error = task.exception()
            assert error is not None
            _log_uncaught(type(error), error, error.__traceback__)

    monitor_task.add_done_callback(monitor_ended)
    watch_network(app, monitor.network_changed)
    shell.start()
    since = (
        ""
        if options.started_at is None
        else f" {time.time() - options.started_at:.3f} s after start"
    )
    log.info("ready: menu and window available%s", since)
    if shell.tray_available and shell.tray.icon.geometry().isEmpty():
        _report_embedding(shell.tray.icon, options.started_at)  # not placed during start-up
    await stop.wait()
    log.info("quitting")
    await monitor.stop()
    await asyncio.gather(monitor_task, return_exceptions=True)
    shell.close()
    return 0


def build_shell(
    app: QApplication,
    *,
    env: Mapping[str, str],
    config_dir: Path,
    data_dir: Path,
    icons: IconSet,
    tray_icon: QSystemTrayIcon | None,
    options: TrayOptions,
    autostart: Autostart,
    log_file: Path | None,
    system_proxy: SystemProxyReader | None = None,
) -> tuple[Shell, Monitor]:
    """The whole tray app around one monitor, not yet running (the smoke test builds it too)."""
    home = resolve_codex_home(env)
    # The Codex the user runs, found once here: its version is read now (npm's package.json,
    # else a bounded `codex --version`) and cached, so no check, window or report runs it.
    codex = installed_codex(env)
    log.info("%s", describe(codex))
    prefs_store = PrefsStore(config_dir)
    monitor, switch = build_monitor(
        home,
        env,
        prefs_store,
        data_dir,
        system_proxy,
        codex_version=codex.version if codex else None,
    )
    prefs = prefs_store.load()
    if options.interval_s is not None:
        prefs = dataclasses.replace(prefs, check_interval_s=options.interval_s)
        monitor.set_prefs(prefs)

    def load_codex_settings() -> CodexSettings | None:
        return load_settings(home, env)

    # The route fix keeps its records beside the switch's; the same Codex CLI judges both.
    route_fix = RouteFix(home, data_dir, judge=switch.judge)
    fix_log = FixLog(data_dir)
    fix_log.load()

    app.setWindowIcon(icons.app_icon())
    shell = Shell(
        monitor=monitor,
        prefs=prefs,
        save_prefs=prefs_store.save,
        switch=switch,
        route_fix=route_fix,
        running_codex=_running_codex,
        load_settings=load_codex_settings,
        codex_home=home.path,
        translations=Translations(app),
        clipboard=app.clipboard(),
        autostart=autostart,
        tray_available=tray_icon is not None,
        icons=icons,
        tray_icon=tray_icon,
        log_file=log_file,
        fix_log=fix_log,
        find_codex=lambda: codex,
    )
    return shell, monitor


def assemble_and_run(
    app: QApplication,
    *,
    server: InstanceServer,
    config_dir: Path,
    icons: IconSet,
    tray_icon: QSystemTrayIcon | None,
    options: TrayOptions,
) -> int:
    import qasync  # after PySide6, so qasync binds to it

    sys.excepthook = _log_uncaught
    shell, monitor = build_shell(
        app,
        env=os.environ,
        config_dir=config_dir,
        data_dir=default_data_dir(),
        icons=icons,
        tray_icon=tray_icon,
        options=options,
        autostart=Autostart.for_this_machine(),
        log_file=log_file_path(default_log_dir()),
    )
    server.show_requested.connect(shell.show_window)
    return asyncio.run(
        _serve(app, shell, monitor, options), loop_factory=lambda: qasync.QEventLoop(app)
    )
