"""A fresh clone works on any machine: nothing machine-specific is tracked, and the set-up
scripts repair a `.venv` that cannot serve this checkout instead of failing on it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
_ENVIRONMENT_PARTS = {
    ".venv",
    "venv",
    "node_modules",
    "__pycache__",
    ".cache",
    ".mypy_cache",
    "build",
    "dist",
}


def _tracked() -> list[tuple[str, str]]:
    """(mode, path) of every file git tracks."""
    out = subprocess.run(
        ["git", "ls-files", "-s", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout.decode("utf-8")
    rows = []
    for entry in filter(None, out.split("\0")):
        meta, path = entry.split("\t", 1)
        rows.append((meta.split()[0], path))
    return rows


def test_no_tracked_link_leaves_the_repository() -> None:
    escaping = []
    for mode, path in _tracked():
        if mode != "120000":
            continue
        target = str((REPO / path).readlink())
        resolved = (REPO / path).parent.joinpath(target).resolve()
        if Path(target).is_absolute() or not resolved.is_relative_to(REPO):
            escaping.append(f"{path} -> {target}")
    assert not escaping, f"links that point outside the repository: {escaping}"


def test_no_environment_or_build_output_is_tracked() -> None:
    tracked = [
        path for _mode, path in _tracked() if _ENVIRONMENT_PARTS.intersection(Path(path).parts)
    ]
    assert not tracked, tracked


def _bash(script: str, venv: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CODEX_LINK_VENV": str(venv), "CODEX_LINK_PYTHON": sys.executable}
    return subprocess.run(
        ["bash", "-c", f"source .ci/lib.sh; {script}"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_dangling_venv_link_is_replaced_not_followed(tmp_path: Path) -> None:
    venv = tmp_path / ".venv"
    venv.symlink_to(tmp_path / "on-another-machine")
    done = _bash("reset_unusable_venv", venv)
    assert done.returncode == 0, done.stderr
    assert not venv.exists() and not venv.is_symlink()
    assert "is a link" in done.stderr


def test_a_link_to_a_real_folder_removes_only_the_link(tmp_path: Path) -> None:
    elsewhere = tmp_path / "someone-elses-venv"
    (elsewhere / "bin").mkdir(parents=True)
    (elsewhere / "keep.txt").write_text("mine")
    venv = tmp_path / ".venv"
    venv.symlink_to(elsewhere)
    assert _bash("reset_unusable_venv", venv).returncode == 0
    assert not venv.is_symlink() and (elsewhere / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize("python", ["missing", "old"])
def test_a_venv_of_another_or_older_python_is_made_again(tmp_path: Path, python: str) -> None:
    venv = tmp_path / ".venv"
    (venv / "bin").mkdir(parents=True)
    if python == "old":  # a venv whose interpreter is a Python 3.11
        (venv / "bin/python").write_text("#!/bin/sh\nexit 1\n")
        (venv / "bin/python").chmod(0o755)
    else:  # made on another machine: its interpreter link points nowhere here
        (venv / "bin/python").symlink_to("/nonexistent/python3.12")
    done = _bash('reset_unusable_venv && [ ! -e "$VENV" ] && echo gone', venv)
    assert done.returncode == 0 and "gone" in done.stdout, done.stderr


def test_a_working_venv_is_kept(tmp_path: Path) -> None:
    venv = tmp_path / ".venv"
    done = subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert _bash("reset_unusable_venv", venv).returncode == 0
    assert (venv / "bin/python").exists()


def test_the_install_stamp_names_the_checkout_and_pyproject() -> None:
    stamp = _bash("install_stamp test", REPO / ".venv").stdout.splitlines()
    assert stamp[0] == str(REPO) and stamp[1] == "test" and stamp[2].split()[0].isdigit()
