"""The real Codex CLI as the judge of a config.toml, where it is installed.

Codex changes what it accepts from release to release (`approval_policy = "untrusted"` and
`model_provider = ""` are refused now, TOML 1.1 is accepted); the app's own rules follow it,
but the CLI the user runs is the final word. `codex features list` loads the configuration
and stops with "Error: failed to load configuration ... Caused by: <why>" when it cannot, in
about a tenth of a second and without touching the network. It is run on a copy of the file
in a throw-away Codex home, so the user's own folder never sees a write.
A judge that cannot answer (missing, too slow, something else printed) says nothing, and
the app's own rules decide alone.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from codex_link.core.codex.bounded_run import find_codex, run_bounded

JUDGE_TIMEOUT_S = 10.0
_REFUSED = "failed to load"


@dataclass(frozen=True, slots=True)
class CodexVerdict:
    accepted: bool
    reason: str  # Codex's own words when it refuses, e.g. "Model provider `` not found"


class CodexConfigJudge:
    """Asks one Codex CLI whether it would load a given config.toml."""

    def __init__(self, binary: Path, timeout_s: float = JUDGE_TIMEOUT_S) -> None:
        self.binary = binary
        self.timeout_s = timeout_s

    @classmethod
    def find(cls, env: Mapping[str, str]) -> CodexConfigJudge | None:
        """The judge for the `codex` on PATH, or None when there is none."""
        binary = find_codex(None, env)
        return cls(binary) if binary is not None else None

    def judge(self, content: bytes | None) -> CodexVerdict | None:
        """Codex's verdict on `content` as config.toml (None: no file), or None if unknown."""
        with tempfile.TemporaryDirectory(prefix="codex-link-judge-") as folder:
            home = Path(folder)
            if content is not None:
                (home / "config.toml").write_bytes(content)
            env = {
                "PATH": os.environ.get("PATH", ""),
                "HOME": str(home),
                "CODEX_HOME": str(home),
                "TERM": "xterm-256color",
                "NO_COLOR": "1",
            }
            try:
                done = run_bounded(
                    [str(self.binary), "features", "list"], env, self.timeout_s, cwd=home
                )
            except (OSError, subprocess.TimeoutExpired):
                return None
        if done.returncode == 0:
            return CodexVerdict(True, "")
        reason = codex_reason(done.stderr)
        return CodexVerdict(False, reason) if reason else None


def codex_reason(stderr: str) -> str:
    """The cause Codex prints under "Caused by:" when it cannot load its config, in one line."""
    lines = stderr.splitlines()
    if not any(_REFUSED in line for line in lines):
        return ""
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == "Caused by:") + 1
    except StopIteration:
        return ""
    causes: list[str] = []  # numbered causes ("0: ...", "1: ...") each start a new one
    for line in lines[start:]:
        text = line.strip()
        if not text or text.startswith("Stack backtrace"):
            break
        head, sep, rest = text.partition(": ")
        numbered = bool(sep) and head.isdigit()
        if numbered or not causes:
            causes.append(rest if numbered else text)
        else:
            causes[-1] += " " + text  # "unknown variant ..." continues "in `sandbox_mode`"
    return "; ".join(dict.fromkeys(causes))
