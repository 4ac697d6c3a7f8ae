"""The real `codex-link` process: one instance per user, a clean quit, and a useful answer
without any desktop."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from codex_link.ui.tray_command import NO_DISPLAY_MESSAGE
from tests.harness.endpoint import FakeEndpoint
from tests.ui.app_process import REPO, AppProcess, child_env


@pytest.fixture
def loopback_codex(tmp_path: Path, endpoint: FakeEndpoint) -> Path:
    codex = tmp_path / "codex"
    codex.mkdir()
    (codex / "config.toml").write_text(f'openai_base_url = "{endpoint.base_url}"\n')
    return codex


def test_second_launch_brings_the_first_forward_and_exits_0(
    tmp_path: Path, loopback_codex: Path, harness_ca_pem: Path
) -> None:
    env = child_env(tmp_path / "home", loopback_codex, harness_ca_pem, QT_QPA_PLATFORM="offscreen")
    first = AppProcess(env)
    try:
        first.wait_for("no system tray: showing the status window instead")
        first.wait_for("verdict: ready_ws")
        shown = len(first.lines)
        second = subprocess.run(
            [sys.executable, "-m", "codex_link"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 0, second.stderr
        assert "already running" in second.stdout
        first.wait_for("status window shown", after=shown)
        assert first.process.poll() is None
    finally:
        code = first.stop()
    assert code == 0, first.output()
    assert "quitting" in first.output()


def test_without_a_desktop_it_prints_the_check(
    tmp_path: Path, loopback_codex: Path, harness_ca_pem: Path
) -> None:
    env = child_env(tmp_path / "home", loopback_codex, harness_ca_pem)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-m", "codex_link"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert NO_DISPLAY_MESSAGE in done.stderr
    assert "WebSocket and HTTP work" in done.stdout
    assert done.returncode == 0
