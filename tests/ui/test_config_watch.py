"""Edits of config.toml made outside Codex Link reach the monitor, also after the file was
replaced by rename (as editors and atomic writers do)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from codex_link.ui.config_watch import ConfigWatcher
from tests.ui.conftest import Rig

WAIT_S = 5.0


def _replace(path: Path, content: bytes) -> None:
    temp = path.with_name(path.name + ".tmp")
    temp.write_bytes(content)
    temp.replace(path)  # a rename over the file, as editors and atomic writers do


async def test_external_edits_reach_the_monitor_after_each_replace(rig: Rig) -> None:
    config = rig.codex_home / "config.toml"
    calls: asyncio.Queue[int] = asyncio.Queue()
    rig.monitor.on_config_changed = lambda: calls.put_nowait(rig.monitor.config_changes)

    _replace(config, b'model = "a"\n')  # created: seen through the folder
    assert await asyncio.wait_for(calls.get(), WAIT_S) == 1
    _replace(config, b'model = "b"\n')  # replaced: the file watch was re-added
    assert await asyncio.wait_for(calls.get(), WAIT_S) == 2
    with config.open("ab") as handle:  # edited in place
        handle.write(b"# note\n")
    assert await asyncio.wait_for(calls.get(), WAIT_S) == 3
    assert str(config) in rig.shell.watcher.watched()


async def test_other_files_in_the_folder_do_not_count(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_bytes(b"")
    changes: list[bool] = []
    watcher = ConfigWatcher(config, lambda: changes.append(True), debounce_ms=50)
    (tmp_path / "history.jsonl").write_text("x\n")
    await asyncio.sleep(0.5)
    assert changes == []
    config.write_bytes(b'model = "x"\n')
    for _ in range(50):
        if changes:
            break
        await asyncio.sleep(0.1)
    assert changes == [True]
    watcher.deleteLater()


async def test_our_own_switch_is_not_reported_twice(rig: Rig) -> None:
    config = rig.codex_home / "config.toml"
    _replace(config, b'model = "a"\n')
    rig.shell.watcher.acknowledge()  # what the switch does right after writing
    await asyncio.sleep(1.0)
    assert rig.monitor.config_changes == 0
