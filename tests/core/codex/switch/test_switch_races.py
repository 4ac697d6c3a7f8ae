"""Switches started at the same moment from separate processes (the tray, a second click,
the command line, a script): the file and the record stay consistent, "off" still undoes all.

Each round starts real processes that wait for one start signal and then plan and apply at
once. Before the switch lock, two "on" lost the record in 8 of 10 runs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from tests.corpus.loader import CONFIGS
from tests.corpus.switching import make_switch, read
from tests.harness import races

BUILTIN = (CONFIGS / "45_crlf_typical.toml").read_bytes()
CUSTOM = (CONFIGS / "13_custom_provider_ws_on.toml").read_bytes()


def race(home: Path, state: Path, go: Path, actions: list[str]) -> list[dict[str, Any]]:
    driver = [sys.executable, "-m", "tests.core.codex.switch.switch_driver", str(home), str(state)]
    return races.race([[*driver, action, "--go", str(go)] for action in actions], go)


def backups(folder: Path) -> list[Path]:
    return sorted(folder.glob("config.toml.codex-link-*.bak"))


@pytest.mark.parametrize("original", [BUILTIN, CUSTOM], ids=["builtin", "custom"])
def test_simultaneous_ons_switch_once_and_off_undoes_it(original: bytes, tmp_path: Path) -> None:
    for round_number in range(4):
        switch = make_switch(tmp_path / f"round{round_number}", original)
        results = race(switch.path.parent, switch.store.state_dir, tmp_path / "go", ["on"] * 3)
        assert sorted(r["changed"] for r in results) == [False, False, True], results
        status = switch.status()
        assert status.http_only and status.ours, results
        [backup] = backups(switch.path.parent)
        assert backup.read_bytes() == original  # the original, not a switched file

        off = switch.apply(switch.plan(False))
        assert off.changed and read(switch.path) == original
        assert not switch.status().http_only


@pytest.mark.parametrize("original", [BUILTIN, CUSTOM], ids=["builtin", "custom"])
def test_on_and_off_at_once_leave_a_record_that_matches_the_file(
    original: bytes, tmp_path: Path
) -> None:
    for round_number in range(5):
        switch = make_switch(tmp_path / f"round{round_number}", original)
        if round_number % 2:
            switch.apply(switch.plan(True))  # start from "on" every other round
        race(switch.path.parent, switch.store.state_dir, tmp_path / "go", ["on", "off", "on"])
        now = read(switch.path)
        status = switch.status()
        assert status.ours == (now != original), (round_number, now)
        assert status.http_only == (now != original)

        off = switch.apply(switch.plan(False))  # whoever won, "off" gives the original back
        assert read(switch.path) == original, off.message
        assert all(b.read_bytes() == original for b in backups(switch.path.parent))
        assert len(backups(switch.path.parent)) <= 1
        again = switch.apply(switch.plan(True))
        assert again.changed and switch.status().ours
