"""codex_link.core holds every decision and runs without Qt (CLI, tests, headless use)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

_SCRIPT = """
import importlib, pkgutil, sys
import codex_link.core
names = [m.name for m in pkgutil.walk_packages(codex_link.core.__path__, "codex_link.core.")]
for name in names:
    importlib.import_module(name)
print(len(names))
print(",".join(sorted(m for m in sys.modules if m.split(".")[0] == "PySide6")))
"""


def test_importing_every_core_module_loads_no_pyside6() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    count, qt_modules = result.stdout.splitlines()[-2:]
    assert int(count) > 5  # the walk found the core modules
    assert qt_modules == "", f"codex_link.core loads Qt: {qt_modules}"
