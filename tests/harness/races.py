"""Racing real processes: each started at once, each waiting for one start signal (a file
that appears), so that they plan and apply at the same moment."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.harness.processes import REPO

TIMEOUT_S = 60
# Python start-up takes longer than planning: give every driver time to be waiting.
START_UP_S = 1.0


def race(commands: Sequence[Sequence[str]], go: Path) -> list[dict[str, Any]]:
    """Runs `commands` (from the checkout), each waiting until `go` exists, then creates it;
    the JSON line each printed, in order. Every one must exit 0."""
    drivers = [
        subprocess.Popen(
            list(command),
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    try:
        subprocess.run(
            [sys.executable, "-c", f"import time; time.sleep({START_UP_S})"],
            check=True,
            timeout=TIMEOUT_S,
        )
        go.touch()
        outputs = [driver.communicate(timeout=TIMEOUT_S) for driver in drivers]
    finally:
        for driver in drivers:
            driver.kill()
        go.unlink(missing_ok=True)
    for driver, (_out, err) in zip(drivers, outputs, strict=True):
        assert driver.returncode == 0, err
    return [json.loads(out) for out, _err in outputs]
