"""Where Codex Link keeps its log, and the traces a crash leaves there.

A user who reports a problem is asked for the log, so its place is shown in the diagnostics
and the window can open its folder. A crash before logging is set up (a broken install, a
missing Qt library in a bundle) would otherwise leave nothing at all, least of all in a
windowed app that has no terminal: `write_crash_trace` puts the traceback in the same folder,
and `enable_fault_log` does the same for crashes in native code (Qt), via faulthandler.
"""

from __future__ import annotations

import faulthandler
import platform
import sys
import time
import traceback
from pathlib import Path
from typing import TextIO

from codex_link import __version__
from codex_link.core.redact import scrub

APP_DIR_NAME = "codex-link"
LOG_FILE_NAME = "codex-link.log"
FAULT_LOG_NAME = "native-crash.log"


def default_log_dir() -> Path:
    """The per-user log folder (platformdirs); imported lazily to keep start-up light."""
    import platformdirs

    return platformdirs.user_log_path(APP_DIR_NAME)


def log_file_path(log_dir: Path) -> Path:
    return log_dir / LOG_FILE_NAME


def write_crash_trace(error: BaseException, log_dir: Path, argv: list[str]) -> Path | None:
    """Writes `crash-<time>.log` with the traceback; None when the folder cannot be written."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    lines = [
        f"Codex Link {__version__} stopped with an error at "
        f"{time.strftime('%Y-%m-%d %H:%M:%S %z')}",
        f"Python {platform.python_version()} on {platform.platform()}"
        + (" (bundle)" if getattr(sys, "frozen", False) else ""),
        f"Command: {' '.join(argv[1:]) or '(tray)'}",
        "",
        *traceback.format_exception(error),
    ]
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        path = log_dir / f"crash-{stamp}.log"
        trace = "\n".join(line.rstrip("\n") for line in lines) + "\n"
        path.write_text(scrub(trace), encoding="utf-8")  # it is sent to whoever helps
    except OSError:
        return None
    return path


def enable_fault_log(log_dir: Path) -> TextIO | None:
    """Sends native crash tracebacks to `native-crash.log`; the caller keeps the file open."""
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        stream = (log_dir / FAULT_LOG_NAME).open("a", encoding="utf-8")
    except OSError:
        return None
    faulthandler.enable(file=stream, all_threads=True)
    return stream
