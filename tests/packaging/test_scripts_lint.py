"""packaging/*.py are held to the repository's standard (`.ci/test` lints app, tests and
bench; the packaging scripts are checked here): ruff, and mypy --strict."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.packaging import PACKAGING, REPO

SCRIPTS = sorted(str(p) for p in [*PACKAGING.glob("*.py"), *PACKAGING.glob("*/*.py")])


def test_packaging_scripts_pass_ruff() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", *SCRIPTS],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_packaging_scripts_pass_mypy_strict() -> None:
    env = {**os.environ, "MYPYPATH": os.pathsep.join([str(PACKAGING), str(PACKAGING / "windows")])}
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", *SCRIPTS],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
