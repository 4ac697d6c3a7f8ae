"""Finding running Codex processes, to tell the user which ones need a restart."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import psutil
import pytest

from codex_link.core.codex.processes import CodexProcess, describe, find_codex_processes


def _fake(*rows: tuple[int, int, str, list[str]]) -> list[Any]:
    return [
        SimpleNamespace(info={"pid": pid, "ppid": ppid, "name": name, "cmdline": cmd})
        for pid, ppid, name, cmd in rows
    ]


def test_recognises_native_and_npm_codex_and_nothing_else() -> None:
    rows = _fake(
        (10, 1, "codex", ["/usr/local/bin/codex", "exec", "fix the bug with key sk-123"]),
        (11, 1, "codex.exe", [r"C:\Users\a\AppData\codex.exe", "app-server"]),
        (12, 1, "node", ["node", "/usr/lib/node_modules/@openai/codex/bin/codex.js"]),
        (13, 1, "node", ["node", "server.js", "codex"]),
        (14, 1, "bash", ["bash", "-c", "codex exec"]),
        (15, 1, "codex", ["codex", "--model", "o3", "say hello"]),
        (16, 1, "python3", ["python3", "-m", "codex_link", "config"]),
    )
    found = find_codex_processes(lambda: rows)
    assert found == (
        CodexProcess(10, "codex exec"),
        CodexProcess(11, "codex app-server"),
        CodexProcess(12, "codex"),
        CodexProcess(15, "codex"),
    )
    assert all("sk-123" not in p.description for p in found)


def test_npm_launcher_and_its_native_child_count_once() -> None:
    rows = _fake(
        (20, 1, "node", ["node", "/home/a/.npm/bin/.bin/codex", "exec", "hi"]),
        (21, 20, "codex", ["/home/a/.npm/vendor/codex", "exec", "hi"]),
    )
    assert find_codex_processes(lambda: rows) == (CodexProcess(20, "codex exec"),)


def test_vanished_processes_are_skipped() -> None:
    class Gone:
        @property
        def info(self) -> dict[str, Any]:
            raise psutil.NoSuchProcess(99)

    rows = [Gone(), *_fake((30, 1, "codex", ["codex"]))]
    assert find_codex_processes(lambda: rows) == (CodexProcess(30, "codex"),)
    assert describe(None, None) is None


@pytest.fixture
def running(tmp_path: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        process.kill()
        process.wait(timeout=5)


def _wait_for(pid: int) -> tuple[CodexProcess, ...]:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        found = find_codex_processes()
        if any(p.pid == pid for p in found):
            return found
        time.sleep(0.05)
    return find_codex_processes()


def test_finds_a_real_process_named_codex(
    tmp_path: Path, running: list[subprocess.Popen[bytes]]
) -> None:
    fake_codex = tmp_path / "codex"
    shutil.copy2("/bin/sleep", fake_codex)
    running.append(subprocess.Popen([str(fake_codex), "30"]))
    found = _wait_for(running[0].pid)
    assert CodexProcess(running[0].pid, "codex") in found


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_finds_a_real_node_running_the_npm_entry_point(
    tmp_path: Path, running: list[subprocess.Popen[bytes]]
) -> None:
    entry = tmp_path / "node_modules/@openai/codex/bin/codex.js"
    entry.parent.mkdir(parents=True)
    entry.write_text("setTimeout(() => {}, 30000);\n")
    node = shutil.which("node")
    assert node is not None
    running.append(subprocess.Popen([node, str(entry), "app-server"]))
    found = _wait_for(running[0].pid)
    assert CodexProcess(running[0].pid, "codex app-server") in found
