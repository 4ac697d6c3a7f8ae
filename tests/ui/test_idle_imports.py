"""What the idle tray loads: the modules a tray that only sits and checks never uses stay out.

Each module imported is held for the life of the process (bench/idle_footprint.py judges the
idle tray's memory against a bare PySide6 tray program). The confirmations, their flows and
what only a change, a deadline or a diff needs are imported where they are first used.
"""

from __future__ import annotations

import os
import subprocess
import sys

# Loaded by the second half of start-up (what the running tray holds) in a fresh interpreter.
_LIST_MODULES = (
    "import sys, PySide6.QtWidgets, codex_link.ui.app, codex_link.ui.assembly; "
    "print('\\n'.join(sorted(sys.modules)))"
)

NOT_WHILE_IDLE = (
    "codex_link.ui.change_dialog",  # the confirmations: only when a change is asked for
    "codex_link.ui.change_flow",
    "codex_link.ui.route_dialog",
    "codex_link.ui.route_flow",
    "codex_link.ui.switch_dialog",
    "codex_link.ui.switch_flow",
    "codex_link.ui.status_window",  # the window: only once opened
    "codex_link.ui.about",
    "psutil",  # only to list Codex processes, or to end a Codex run past its deadline
    "difflib",  # only to show a plan's diff
    "websockets",  # the probe speaks the little WebSocket it needs itself (core/net/ws_frames)
    "importlib.metadata",  # with the email package, some 2.7 MB nothing here needs
)


def test_the_idle_tray_does_not_load_what_only_a_click_or_a_change_needs() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", _LIST_MODULES],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    loaded = set(done.stdout.split())
    assert "codex_link.ui.shell" in loaded  # the listing is of the real start-up
    assert sorted(loaded.intersection(NOT_WHILE_IDLE)) == []
