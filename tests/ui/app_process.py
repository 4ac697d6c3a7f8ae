"""The real app as a child process (`python -m codex_link`), its log lines readable as they come.

The app logs one line per verdict change ("verdict: ws_blocked: ...", or "verdict: ws_blocked
(provisional): ..." before the final word) and when the tray icon
is placed ("tray icon visible"); tests wait for those, always with a deadline.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.harness.processes import end_process

REPO = Path(__file__).resolve().parents[2]


def child_env(home: Path, codex_home: Path, ca_pem: Path | None, **extra: str) -> dict[str, str]:
    """A clean environment: only what the app needs, so no real proxy or Codex set-up leaks."""
    keep = ("PATH", "LANG", "LC_ALL", "TMPDIR", "QT_API")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_STATE_HOME=str(home / ".local/state"),
        XDG_CACHE_HOME=str(home / ".cache"),
        CODEX_HOME=str(codex_home),
        PYTHONUNBUFFERED="1",
    )
    if ca_pem is not None:
        env["CODEX_CA_CERTIFICATE"] = str(ca_pem)
    env.update(extra)
    return env


class AppProcess:
    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "codex_link", *args],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
        )
        self._pump_thread = threading.Thread(target=self._pump, daemon=True)
        self._pump_thread.start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(
        self, needle: str, timeout_s: float = 30.0, *, after: int = 0, unless: str | None = None
    ) -> str:
        """The first log line (from index `after`) containing `needle` (and not `unless`);
        AssertionError if none arrives within `timeout_s`."""
        deadline = time.monotonic() + timeout_s
        seen = after
        while True:
            for line in self.lines[seen:]:
                seen += 1
                if needle in line and (unless is None or unless not in line):
                    return line
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                line_or_end = self._queue.get(timeout=min(remaining, 0.2))
            except queue.Empty:
                continue
            if line_or_end is None:
                break
            self.lines.append(line_or_end)
        raise AssertionError(f"no {needle!r} within {timeout_s} s; output:\n" + self.output())

    def output(self) -> str:
        while True:
            try:
                line = self._queue.get_nowait()
            except queue.Empty:
                break
            if line is not None:
                self.lines.append(line)
        return "\n".join(self.lines)

    def stop(self, timeout_s: float = 15.0) -> int:
        """SIGTERM (a clean quit), then SIGKILL if it does not end in time; its pipe is closed
        once the last line has been read (a pipe left open is a ResourceWarning)."""
        code = end_process(self.process, timeout_s)
        self._pump_thread.join(timeout=5)
        if not self._pump_thread.is_alive():
            assert self.process.stdout is not None
            self.process.stdout.close()
        return code
