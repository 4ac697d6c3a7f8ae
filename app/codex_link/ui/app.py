"""Composition root of the tray app, first half: what must happen before anything else.

Start-up order, and why: Qt and the display first, then the single-instance check (a second
launch must show nothing), then the tray icon in its "checking" state, and only then the
import of everything else (codex_link.ui.assembly: core, rtoml, truststore...), which takes most of
the start-up time. So the icon is on screen while the rest loads.
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from codex_link.core.log_files import default_log_dir, enable_fault_log, log_file_path
from codex_link.core.model.verdict import Health
from codex_link.core.prefs import default_config_dir
from codex_link.core.redact import ScrubbingFormatter
from codex_link.ui.icons import IconSet
from codex_link.ui.single_instance import ask_running_instance, instance_name, instance_server
from codex_link.ui.startup import TrayOptions

log = logging.getLogger("codex_link")

LOG_BYTES = 512 * 1024
EARLY_EMBED_WAIT_S = 0.5  # how long start-up waits for the tray host to place the icon

__all__ = ["TrayOptions", "configure_logging", "run_tray"]


def configure_logging(log_dir: Path | None) -> None:
    """Logs to stderr (terminal launches, tests) and to a small rotating file (support)."""
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    formatter = ScrubbingFormatter("%(asctime)s codex-link %(levelname)s %(message)s")
    stream = logging.StreamHandler(sys.stderr)
    stream.setFormatter(formatter)
    root.addHandler(stream)
    if log_dir is None:
        return
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            log_file_path(log_dir), maxBytes=LOG_BYTES, backupCount=1, encoding="utf-8"
        )
    except OSError as exc:
        log.warning("no log file in %s: %s", log_dir, exc)
        return
    handler.setFormatter(formatter)
    root.addHandler(handler)


def show_early_icon(
    app: QApplication, icons: IconSet, started_at: float | None
) -> QSystemTrayIcon | None:
    """Shows the "checking" icon and lets the tray host place it; None without a tray."""
    available = QSystemTrayIcon.isSystemTrayAvailable()
    log.info("system tray available: %s", available)
    if not available:
        return None
    icon = QSystemTrayIcon(icons.for_health(Health.CHECKING))
    icon.show()
    deadline = time.monotonic() + EARLY_EMBED_WAIT_S
    while icon.geometry().isEmpty() and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
        time.sleep(0.005)
    if not icon.geometry().isEmpty():
        since = "" if started_at is None else f" {time.time() - started_at:.3f} s after start"
        log.info("tray icon visible%s", since)
    return icon


def log_colour_scheme(app: QApplication) -> None:
    """Says (for support, and the screenshot tests) whether the tray is drawn light or dark:
    what Qt reports, and what the palette really is, as a theme may give one without the
    other. Every window follows a change by itself (it paints from the palette)."""

    def report(*_: object) -> None:
        window = app.palette().window().color()
        shade = "dark" if window.lightness() < 128 else "light"
        reported = app.styleHints().colorScheme().name.lower()
        log.info("colour scheme: %s (Qt reports %s; window %s)", shade, reported, window.name())

    report()
    app.styleHints().colorSchemeChanged.connect(report)


def run_tray(options: TrayOptions) -> int:
    log_dir = default_log_dir()
    # Before Qt starts: a crash inside Qt's own start-up still leaves a trace in the log folder.
    fault_log = enable_fault_log(log_dir)
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Codex Link")
    app.setDesktopFileName("codex-link")
    app.setQuitOnLastWindowClosed(False)  # a tray app lives on with no window open
    configure_logging(log_dir)
    log_colour_scheme(app)
    try:
        return _run(app, options)
    finally:
        if fault_log is not None:
            faulthandler.disable()
            fault_log.close()


def _run(app: QApplication, options: TrayOptions) -> int:

    config_dir = default_config_dir()
    server = instance_server(instance_name(config_dir))
    if not server.listen():
        if ask_running_instance(server.name):
            print("Codex Link is already running; its window was brought to the front.")
            return 0
        log.error("cannot listen for other launches (%s); going on without", server.name)

    icons = IconSet()
    tray_icon = show_early_icon(app, icons, options.started_at)
    from codex_link.ui.assembly import assemble_and_run

    try:
        return assemble_and_run(
            app,
            server=server,
            config_dir=config_dir,
            icons=icons,
            tray_icon=tray_icon,
            options=options,
        )
    finally:
        server.close()
