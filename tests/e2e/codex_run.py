"""Run the real Codex CLI against a harness endpoint, in a throw-away CODEX_HOME."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

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
    env.update(CODEX_HOME=str(codex_home), OPENAI_API_KEY="dummy", TERM="xterm-256color",
               NO_COLOR="1", RUST_LOG="error")
    env.update(extra)
    return env


def run_codex_exec(codex_bin: Path, env: dict[str, str], workdir: Path,
                   prompt: str = "say pong") -> CodexRun:
    """`codex exec` once, non-interactive, bounded; a timeout reads as a failed run."""
    last = workdir / "last-message.txt"
    command = [str(codex_bin), "exec", "--skip-git-repo-check", "--ephemeral", "--color", "never",
               "--output-last-message", str(last), prompt]
    started = time.monotonic()
    try:
        done = subprocess.run(command, env=env, cwd=workdir, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=EXEC_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as exc:
        return CodexRun(-1, _text(exc.stdout), _text(exc.stderr), "", EXEC_TIMEOUT_S)
    answer = last.read_text().strip() if last.exists() else ""
    return CodexRun(done.returncode, done.stdout, done.stderr, answer,
                    time.monotonic() - started)


def _text(value: bytes | str | None) -> str:
    if isinstance(value, bytes):
        return value.decode(errors="replace")
    return value or ""
