"""One switch in its own process, for tests that race switches or break them mid-way.

    python -m tests.core.codex.switch.switch_driver HOME STATE on|off [--go FILE] [--fault KIND:N]

`--go` waits (bounded) until FILE exists, so several drivers plan at the same moment.
`--fault fail:N` makes the N-th file operation of the switch fail with an OSError (ENOSPC:
what a full disk says); `--fault kill:N` kills the process with SIGKILL right before it;
`--fault count:0` runs normally and reports every operation. Operations counted: creating a
temp file, writing, fsync, chmod, rename, hard link, unlink and opening a file to read it.
Prints one JSON line: {"changed", "error", "steps"}.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from codex_link.core.codex.switch.toggle import HttpOnlySwitch, SwitchRefused
from codex_link.core.model.codex_home import CodexHome

GO_WAIT_S = 30.0


class Faults:
    def __init__(self, kind: str, at: int) -> None:
        self.kind, self.at, self.steps = kind, at, list[str]()

    def step(self, name: str) -> None:
        self.steps.append(name)
        if len(self.steps) != self.at:
            return
        if self.kind == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        if self.kind == "fail":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def install(self) -> None:
        """Wraps the file operations the switch uses (at module level, where it calls them)."""
        faults = self

        def counted(name: str, real: Any) -> Any:
            def call(*args: Any, **kwargs: Any) -> Any:
                faults.step(name)
                return real(*args, **kwargs)

            return call

        class File:
            def __init__(self, handle: Any) -> None:
                self._handle = handle

            def write(self, data: bytes) -> int:
                faults.step("write")
                written: int = self._handle.write(data)
                return written

            def __getattr__(self, name: str) -> Any:
                return getattr(self._handle, name)

            def __enter__(self) -> File:
                return self

            def __exit__(self, *exc: object) -> None:
                self._handle.__exit__(*exc)

        real_fdopen = os.fdopen

        def fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            faults.step("open-read" if "r" in mode else "open-write")
            return File(real_fdopen(fd, mode, *args, **kwargs))

        tempfile.mkstemp = counted("create-temp", tempfile.mkstemp)
        os.fdopen = fdopen
        for name in ("fsync", "chmod", "replace", "link", "unlink"):
            setattr(os, name, counted(name, getattr(os, name)))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("home", type=Path)
    parser.add_argument("state", type=Path)
    parser.add_argument("action", choices=("on", "off"))
    parser.add_argument("--go", type=Path)
    parser.add_argument("--fault", default="count:0")
    args = parser.parse_args()
    switch = HttpOnlySwitch(CodexHome(args.home, from_env=True), args.state)
    if args.go is not None:
        deadline = time.monotonic() + GO_WAIT_S
        while not args.go.exists() and time.monotonic() < deadline:
            time.sleep(0.001)
    kind, _, at = args.fault.partition(":")
    faults = Faults(kind, int(at))
    faults.install()
    report: dict[str, Any] = {"changed": False, "error": None}
    try:
        result = switch.apply(switch.plan(args.action == "on"))
        report["changed"] = result.changed
    except SwitchRefused as exc:
        report["error"] = str(exc.reason)
    report["steps"] = faults.steps
    sys.stdout.write(json.dumps(report) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
