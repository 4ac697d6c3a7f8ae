"""Child processes the same way everywhere: the project's own CLI run as a user runs it, and
ending a child with SIGTERM, a bounded wait, then SIGKILL."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]

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


def run_codex_link(
    env: dict[str, str],
    *args: str,
    timeout_s: float = 60.0,
    prefix: Sequence[str] = (),
) -> subprocess.CompletedProcess[str]:
    """`codex-link ARGS` from this checkout, as a user runs it (no stdin, output captured);
    `prefix`: a command to run it under (e.g. one that drops permissions)."""
    return subprocess.run(
        [*prefix, sys.executable, "-m", "codex_link", *args],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )
