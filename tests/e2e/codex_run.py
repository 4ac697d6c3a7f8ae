"""Run the real Codex CLI against a harness endpoint, in a throw-away CODEX_HOME (and codex-link
itself, as a user runs it)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.harness.processes import run_codex_link

REPO = Path(__file__).resolve().parents[2]

__all__ = ["run_codex_link"]  # the CLI runner, for the end-to-end tests
EXEC_TIMEOUT_S = 60.0  # HTTP-only answers in about a second; a WebSocket detour takes ~112 s


@dataclass(frozen=True)
class CodexRun:
    returncode: int
    stdout: str
    stderr: str
    last_message: str  # what `--output-last-message` wrote: the model's final answer
    seconds: float


def codex_env(codex_home: Path, **extra: str) -> dict[str, str]:
    """The test's isolated environment plus an API-key login (the key is never checked)."""
    env = dict(os.environ)
    env.update(
        CODEX_HOME=str(codex_home),
        OPENAI_API_KEY="dummy",
        TERM="xterm-256color",
        NO_COLOR="1",
        RUST_LOG="error",
    )
    env.update(extra)
    return env


def run_codex_exec(
    codex_bin: Path,
    env: dict[str, str],
    workdir: Path,
    prompt: str = "say pong",
    *,
    timeout_s: float = EXEC_TIMEOUT_S,
) -> CodexRun:
    """`codex exec` once, non-interactive, bounded; a timeout reads as a failed run."""
    last = workdir / "last-message.txt"
    command = [
        str(codex_bin),
        "exec",
        "--skip-git-repo-check",
        "--ephemeral",
        "--color",
        "never",
        "--output-last-message",
        str(last),
        prompt,
    ]
    started = time.monotonic()
    # Its own process group: the npm launcher (node) starts the native binary as a child,
    # and a timeout must end both, not orphan the binary.
    with subprocess.Popen(
        command,
        env=env,
        cwd=workdir,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as proc:
        try:
            stdout, stderr = proc.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            stdout, stderr = proc.communicate(timeout=10)
            return CodexRun(-1, stdout, stderr, "", time.monotonic() - started)
    answer = last.read_text().strip() if last.exists() else ""
    return CodexRun(proc.returncode, stdout, stderr, answer, time.monotonic() - started)
