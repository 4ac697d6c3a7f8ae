"""The entry point as installs meet it: `--smoke-test`, a windowed build with no stdout or
stderr, and errors that leave a trace in the log folder instead of vanishing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.ui.app_process import REPO, AppProcess, child_env


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    codex = tmp_path / "codex"
    codex.mkdir(exist_ok=True)
    return child_env(tmp_path / "home", codex, None, QT_QPA_PLATFORM="offscreen", **extra)


def _log_dir(tmp_path: Path) -> Path:
    return tmp_path / "home/.local/state/codex-link/log"


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_smoke_test_passes_and_leaves_its_report_in_the_log_folder(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "codex_link", "--smoke-test"],
        cwd=REPO,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for step in (
        "icons: 7 rendered",
        "Chinese translation",
        "TLS trust",
        "tray app",
        "http probe",
        "websocket probe",
        "verdict: ready_ws",
    ):
        assert f"ok   {step}" in done.stdout
    assert done.stdout.rstrip().endswith("smoke test passed")
    assert (_log_dir(tmp_path) / "smoke-test.log").read_text() == done.stdout


def test_smoke_test_fails_by_name_when_icons_are_missing(tmp_path: Path) -> None:
    done = _python(
        """
        from pathlib import Path
        import codex_link.ui.icons as icons
        icons.icon_path = lambda name: Path("/nonexistent") / f"{name}.svg"
        from codex_link.cli import main
        raise SystemExit(main(["--smoke-test"]))
    """,
        _env(tmp_path),
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAIL icons: FileNotFoundError" in done.stdout
    assert "ok   Chinese translation" in done.stdout  # the other steps still ran
    assert done.stdout.rstrip().endswith("smoke test FAILED")


def test_a_windowed_build_without_stdout_or_stderr_still_runs_commands(tmp_path: Path) -> None:
    """PyInstaller's windowed executables start with sys.stdout = sys.stderr = None."""
    codex = tmp_path / "codex"
    codex.mkdir()
    (codex / "config.toml").write_text('openai_base_url = "http://127.0.0.1:9/v1"\n')
    results = tmp_path / "results.txt"
    done = _python(
        f"""
        import sys
        sys.stdout = sys.stderr = None
        from codex_link.cli import main
        codes = [main(argv) for argv in (["http-only", "status"], ["config"],
                 ["check", "--timeout", "2", "--no-alternatives"], ["--smoke-test"])]
        open({str(results)!r}, "w").write(" ".join(map(str, codes)))
    """,
        _env(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    # status ok, config ok, check: down (nothing listens on port 9), smoke test passed
    assert results.read_text() == "0 0 4 0"


def test_an_unexpected_error_leaves_a_crash_trace(tmp_path: Path) -> None:
    done = _python(
        """
        import codex_link.commands.config as config
        def broken(args):
            raise RuntimeError("disk on fire")
        config.run = broken
        from codex_link.cli import main
        raise SystemExit(main(["config"]))
    """,
        _env(tmp_path),
    )
    assert done.returncode == 1
    assert "unexpected error: RuntimeError: disk on fire" in done.stderr
    traces = list(_log_dir(tmp_path).glob("crash-*.log"))
    assert len(traces) == 1 and str(traces[0]) in done.stderr
    text = traces[0].read_text()
    assert "Command: config" in text and "RuntimeError: disk on fire" in text
    assert "Traceback" in text


def test_a_native_crash_of_the_tray_is_written_to_the_log_folder(tmp_path: Path) -> None:
    app = AppProcess(_env(tmp_path))
    try:
        app.wait_for("ready: menu and window available")
        os.kill(app.process.pid, signal.SIGSEGV)
        app.process.wait(30)
    finally:
        app.stop()
    assert app.process.returncode == -signal.SIGSEGV
    trace = (_log_dir(tmp_path) / "native-crash.log").read_text()
    assert "Segmentation fault" in trace and "File " in trace
