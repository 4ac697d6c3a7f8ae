"""Ending child processes the same way everywhere: SIGTERM, a bounded wait, then SIGKILL."""

from __future__ import annotations

import subprocess
from typing import Any

KILL_WAIT_S = 5.0


def end_process(
    process: subprocess.Popen[Any], grace_s: float, kill_wait_s: float = KILL_WAIT_S
) -> int:
    """Asks `process` to quit, gives it `grace_s`, then kills it; returns its exit code."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(kill_wait_s)  # raises TimeoutExpired if even SIGKILL did not end it
    code: int = process.returncode  # set: the process was reaped above
    return code
