"""Running the Codex CLI as a child process, always within a deadline.

The npm `codex` is a node launcher with the real binary as its child: killing only the
launcher would leave the child holding the output pipes open, and the wait would hang. So
the deadline ends the whole process tree (psutil), and on POSIX the child's own process group.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Finished:
    returncode: int
    stdout: str
    stderr: str


def find_codex(codex_bin: Path | None, env: Mapping[str, str]) -> Path | None:
    """`codex_bin` when given (and present), else `codex` on the PATH of `env`."""
    if codex_bin is not None:
        return codex_bin if codex_bin.exists() else None
    found = shutil.which("codex", path=env.get("PATH"))
    return Path(found) if found else None


def run_bounded(
    argv: list[str], env: Mapping[str, str], timeout_s: float, cwd: Path | None = None
) -> Finished:
    """Runs to completion, or kills the whole process tree at the deadline and raises
    `subprocess.TimeoutExpired`. OSError when it cannot be started."""
    windows = sys.platform == "win32"
    with subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(env),
        cwd=cwd,
        text=True,
        encoding="utf-8",
        errors="replace",
        start_new_session=not windows,
        creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0) if windows else 0,
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            _kill_tree(process)
            process.communicate(timeout=5)
            raise
        return Finished(process.returncode, stdout, stderr)


def _kill_tree(process: subprocess.Popen[str]) -> None:
    """Kills the child and everything it started.

    psutil walks the tree by parent ids, the same on every platform (Windows has no process
    group that can be killed). The tree is listed before anything dies, since a killed
    parent's children move away from it. On POSIX the child's own process group goes too:
    it also holds a grandchild whose parent had already exited, which no tree shows.
    """
    import psutil  # only past a deadline: the idle tray would hold its ~1 MB all its life

    try:
        parent = psutil.Process(process.pid)
        tree = [*parent.children(recursive=True), parent]
    except psutil.NoSuchProcess:
        tree = []
    for member in tree:
        with contextlib.suppress(psutil.NoSuchProcess):
            member.kill()
    if sys.platform != "win32":
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
