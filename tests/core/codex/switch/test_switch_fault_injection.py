"""Every file operation of a switch fails in turn, and the process is killed at every step.

Each run is a real process (`switch_driver`) that switches one config.toml; at operation N it
either gets an OSError (what a full disk says) or is killed with SIGKILL. Afterwards:
- the config is the original or the switched file, whole;
- the record agrees with it (status says "ours" exactly when the file is switched);
- a later off, then on, then off do the right thing (the original bytes come back);
- no temp file stays, and the only backup, if any, is the original's.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from codex_link.core.files import safe_write
from tests.corpus.loader import CONFIGS
from tests.corpus.switching import make_switch, read

REPO = Path(__file__).resolve().parents[4]
ORIGINAL = (CONFIGS / "45_crlf_typical.toml").read_bytes()
CUSTOM = (CONFIGS / "13_custom_provider_ws_on.toml").read_bytes()


def drive(home: Path, state: Path, action: str, fault: str) -> dict[str, Any] | None:
    """The driver's report, or None when it was killed."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.core.codex.switch.switch_driver",
            str(home),
            str(state),
            action,
            "--fault",
            fault,
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if done.returncode < 0:
        return None
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def leftovers(*folders: Path) -> list[str]:
    return [
        p.name
        for folder in folders
        if folder.exists()
        for p in folder.iterdir()
        if p.name.endswith(safe_write.TEMP_SUFFIX)
    ]


def backups(folder: Path) -> list[Path]:
    return sorted(folder.glob("config.toml.codex-link-*.bak"))


def steps_of(tmp_path: Path, original: bytes, action: str) -> tuple[list[str], bytes]:
    """The operations of a clean run, and the file it produced."""
    switch = make_switch(tmp_path / "count", original)
    if action == "off":
        switch.apply(switch.plan(True))
    report = drive(switch.path.parent, switch.store.state_dir, action, "count:0")
    assert report is not None and report["changed"], report
    switched = read(switch.path)
    assert switched is not None
    shutil.rmtree(tmp_path / "count")
    return report["steps"], switched


@pytest.mark.parametrize("original", [ORIGINAL, CUSTOM], ids=["builtin", "custom"])
@pytest.mark.parametrize("action", ["on", "off"])
@pytest.mark.parametrize("mode", ["fail", "kill"])
def test_a_switch_broken_at_any_step_leaves_things_whole_and_recoverable(
    original: bytes, action: str, mode: str, tmp_path: Path
) -> None:
    steps, result_of_clean_run = steps_of(tmp_path, original, action)
    switched = result_of_clean_run if action == "on" else None
    assert {"create-temp", "write", "fsync", "replace"} <= set(steps), steps
    assert len(steps) >= 8
    for at in range(1, len(steps) + 1):
        where = f"{mode} at step {at} ({steps[at - 1]}) of {action}: {steps}"
        switch = make_switch(tmp_path / f"{mode}-{at}", original)
        if action == "off":
            switch.apply(switch.plan(True))
            switched = read(switch.path)
        report = drive(switch.path.parent, switch.store.state_dir, action, f"{mode}:{at}")
        if mode == "fail" and report is not None and report["error"] is not None:
            assert "Nothing was changed" in report["error"] or "Could not" in report["error"]

        now = read(switch.path)
        assert now in (original, switched), where
        status = switch.status()
        assert status.ours == (now == switched), where
        assert status.http_only == (now == switched), where

        switch.apply(switch.plan(False))
        assert read(switch.path) == original, where
        assert switch.apply(switch.plan(True)).changed and switch.status().ours, where
        switch.apply(switch.plan(False))
        assert read(switch.path) == original, where
        assert leftovers(switch.path.parent, switch.store.state_dir) == [], where
        found = backups(switch.path.parent)
        assert len(found) == 1 and found[0].read_bytes() == original, (where, found)
