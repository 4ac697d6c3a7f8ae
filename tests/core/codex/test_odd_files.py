"""Odd things where Codex's files should be: nothing blocks, nothing escapes, words are clear.

Every command runs as a real child process, bounded by a deadline: a FIFO in place of
config.toml, auth.json or .env used to block `open()` forever (even `check --timeout 2`), so
a hang shows up here as a timeout rather than as a stuck suite. Permission cases run as an
unprivileged user when the tests run as root (root reads a mode-000 folder anyway).
"""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness.processes import run_codex_link
from tests.harness.proxies import dead_port
from tests.ui.app_process import AppProcess, child_env

REPO = Path(__file__).resolve().parents[3]
DEADLINE_S = 30.0
DEEP = "deep = " + "[" * 10_000 + "]" * 10_000 + "\n"


def codex_link(
    env: dict[str, str],
    *argv: str,
    prefix: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[str]:
    return run_codex_link(env, *argv, timeout_s=DEADLINE_S, prefix=prefix)


def no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr


@pytest.fixture
def env(isolated_home: Path, tmp_path: Path) -> dict[str, str]:
    """A child environment whose every probe goes to a dead loopback proxy (refused at once)."""
    codex_home = tmp_path / "codex"
    codex_home.mkdir()
    proxy = f"http://127.0.0.1:{dead_port()}"
    return child_env(isolated_home, codex_home, None, HTTPS_PROXY=proxy, HTTP_PROXY=proxy)


def home_of(env: dict[str, str]) -> Path:
    return Path(env["CODEX_HOME"])


@pytest.mark.parametrize("name", ["config.toml", "auth.json", ".env"])
def test_a_fifo_never_blocks_any_command(env: dict[str, str], name: str) -> None:
    fifo = home_of(env) / name
    os.mkfifo(fifo)
    started = time.monotonic()
    config = codex_link(env, "config")
    status = codex_link(env, "http-only", "status")
    check = codex_link(env, "check", "--timeout", "2", "--no-alternatives")
    assert time.monotonic() - started < DEADLINE_S
    for done in (config, status, check):
        no_traceback(done)
    assert "named pipe (FIFO)" in config.stdout
    assert check.returncode in (1, 3, 4, 5), check.stdout + check.stderr  # a verdict, no hang
    if name == "config.toml":
        assert config.returncode == 1 and "named pipe (FIFO)" in status.stdout
        on = codex_link(env, "http-only", "on")
        assert on.returncode == 1 and "named pipe (FIFO)" in on.stderr
    assert fifo.is_fifo() and sorted(p.name for p in home_of(env).iterdir()) == [name]


def test_the_tray_starts_and_quits_on_sigterm_with_a_fifo_config(env: dict[str, str]) -> None:
    os.mkfifo(home_of(env) / "config.toml")
    app = AppProcess({**env, "QT_QPA_PLATFORM": "offscreen"}, "tray", "--interval", "5")
    try:
        app.wait_for("ready:", timeout_s=DEADLINE_S)
        app.wait_for("verdict: down", timeout_s=DEADLINE_S)  # it checked, reading no FIFO
    finally:
        code = app.stop(timeout_s=10)
    assert code == 0, app.output()
    assert "Traceback" not in app.output()


def test_deep_nesting_is_refused_with_its_position_not_a_crash(env: dict[str, str]) -> None:
    (home_of(env) / "config.toml").write_text(DEEP)
    (home_of(env) / "auth.json").write_text("[" * 100_000 + "]" * 100_000)
    config = codex_link(env, "config")
    on = codex_link(env, "http-only", "on")
    for done in (config, on):
        no_traceback(done)
    assert config.returncode == 1
    assert "cannot recurse further" in config.stdout and "line 1, column" in config.stderr
    assert on.returncode == 1 and "cannot recurse further" in on.stderr
    assert "Codex cannot read its sign-in file" in config.stdout


def test_a_missing_codex_home_is_named_not_called_websocket(env: dict[str, str]) -> None:
    missing = home_of(env)
    missing.rmdir()
    for argv in (("http-only", "status"), ("http-only", "off"), ("http-only", "on"), ("config",)):
        done = codex_link(env, *argv)
        no_traceback(done)
        words = done.stdout + done.stderr
        assert f"CODEX_HOME points to {missing}, which does not exist" in words, words
        assert "uses WebSocket" not in words
        assert done.returncode == 1, words
    assert not missing.exists()


def test_a_codex_home_that_is_a_file_says_so(env: dict[str, str]) -> None:
    home = home_of(env)
    home.rmdir()
    home.write_text("not a folder\n")
    for argv in (("http-only", "status"), ("http-only", "on"), ("config",)):
        done = codex_link(env, *argv)
        no_traceback(done)
        words = done.stdout + done.stderr
        assert "which is a file, not a folder" in words, words
        assert done.returncode == 1
    assert home.read_text() == "not a folder\n"


@pytest.fixture
def permissions_apply() -> tuple[str, ...]:
    """A command prefix under which file permissions bind (root drops its override of them)."""
    if os.geteuid() != 0:
        return ()
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be made to apply")
    return ("setpriv", "--bounding-set", "-dac_override,-dac_read_search")


MODEL_LINE = 'model = "gpt-5.5"\n'


@pytest.fixture
def closed_home(env: dict[str, str]) -> Iterator[Path]:
    """The Codex home with a config.toml inside, mode 000 for the duration of the test body."""
    codex_home = home_of(env)
    (codex_home / "config.toml").write_text(MODEL_LINE)
    codex_home.chmod(0)
    try:
        yield codex_home
    finally:
        codex_home.chmod(0o700)


def test_a_codex_home_closed_to_the_user_is_explained(
    env: dict[str, str], closed_home: Path, permissions_apply: tuple[str, ...]
) -> None:
    codex_home = closed_home
    results = [
        codex_link(env, *argv, prefix=permissions_apply)
        for argv in (("config",), ("http-only", "status"), ("http-only", "on"))
    ]
    codex_home.chmod(0o700)
    for done in results:
        no_traceback(done)
        words = done.stdout + done.stderr
        assert f"Codex's folder {codex_home} cannot be opened (Permission denied)" in words, words
        assert done.returncode == 1
    assert (codex_home / "config.toml").read_text() == MODEL_LINE


def test_the_tray_starts_and_quits_on_sigterm_with_a_closed_codex_home(
    env: dict[str, str], closed_home: Path, permissions_apply: tuple[str, ...]
) -> None:
    """CODEX_HOME mode 000 used to end the tray at start-up with a PermissionError."""
    with subprocess.Popen(
        [*permissions_apply, sys.executable, "-m", "codex_link", "tray", "--interval", "5"],
        cwd=REPO,
        env={**env, "QT_QPA_PLATFORM": "offscreen"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as tray:
        try:
            ready = _wait_for_line(tray, "verdict: down")  # up, and it checked
        finally:
            tray.terminate()
            tray.wait(15)
    log = "\n".join(p.read_text() for p in (Path(env["HOME"]) / ".local/state").rglob("*.log"))
    assert ready, log
    assert tray.returncode == 0, log  # SIGTERM: a clean quit
    assert "PermissionError" not in log


def _wait_for_line(process: subprocess.Popen[str], needle: str) -> bool:
    """True once a line of the process's output holds `needle` (within DEADLINE_S)."""
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout

    def pump() -> None:
        for line in stdout:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + DEADLINE_S
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            if needle in lines.get(timeout=min(remaining, 0.2)):
                return True
        except queue.Empty:
            if process.poll() is not None:
                return False
    return False
