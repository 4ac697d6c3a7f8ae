"""`codex-link` (or `codex-link tray`): the tray app.

Without a desktop (an SSH session, a container) there is nothing to show a tray in: say so
and print the `check` report instead, so the command is still useful.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any

NO_DISPLAY_MESSAGE = (
    "Codex Link's tray needs a desktop session, and none was found (neither DISPLAY nor "
    "WAYLAND_DISPLAY is set). Here is a one-time check instead; run `codex-link check --help` "
    "for more."
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "tray",
        help="start the tray app (what `codex-link` alone does)",
        description=(
            "Shows in the system tray whether Codex can use WebSocket on this network, and "
            "switches Codex to HTTP only (and back) with one click. One instance per user: "
            "starting it again brings the running one's window to the front."
        ),
    )
    parser.add_argument(
        "--interval",
        type=float,
        metavar="SECONDS",
        help="check every SECONDS for this run only (the saved setting is kept)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    started_at = time.time()
    from codex_link.ui.display import has_display

    if not has_display(os.environ):
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        from codex_link.commands.check import run_with_defaults

        return run_with_defaults()
    from codex_link.ui.source_lines import keep_source_lines_out_of_memory

    keep_source_lines_out_of_memory()  # before PySide6: it would keep every module's source
    from codex_link.ui.app import run_tray
    from codex_link.ui.startup import TrayOptions

    return run_tray(TrayOptions(interval_s=args.interval, started_at=started_at))
