"""Running Codex processes, to name them when a config change needs a restart (CODEX_FACTS §7).

Codex reads its config only at start-up: the TUI, `codex exec`, and the `codex app-server`
that IDE extensions and the desktop app keep running. A process counts when its executable
is `codex`/`codex.exe`, or when node runs `@openai/codex/bin/codex.js`. Only the
sub-command is kept for display ("codex exec"): the rest of a command line may hold a prompt
or a secret.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePath, PurePosixPath, PureWindowsPath
from typing import Any

import psutil

CODEX_NAMES = frozenset({"codex", "codex.exe"})
NODE_NAMES = frozenset({"node", "node.exe", "nodejs"})
NPM_ENTRY = "@openai/codex/bin/codex.js"

# Sub-commands worth naming; anything else (a prompt, a flag value) shows as plain "codex".
KNOWN_SUBCOMMANDS = frozenset(
    {
        "exec",
        "e",
        "app-server",
        "mcp-server",
        "mcp",
        "resume",
        "login",
        "logout",
        "doctor",
        "apply",
        "cloud",
        "sandbox",
        "proto",
        "review",
        "fork",
    }
)

type ProcessIterator = Callable[[], Iterable[Any]]


@dataclass(frozen=True, slots=True)
class CodexProcess:
    pid: int
    description: str  # e.g. "codex exec", "codex app-server", "codex"


def _all_processes() -> Iterable[Any]:
    return psutil.process_iter(["pid", "ppid", "name", "cmdline"])


def find_codex_processes(
    processes: ProcessIterator = _all_processes,
) -> tuple[CodexProcess, ...]:
    """Every running Codex, sorted by pid. Processes that vanish or deny access are skipped.

    `processes` yields objects with an `info` dict (`pid`, `ppid`, `name`, `cmdline`), as
    `psutil.process_iter` does; tests pass their own. The npm launcher (node) and the native
    binary it starts are one Codex to the user: the child of a listed Codex is left out.
    """
    found: dict[int, tuple[int | None, CodexProcess]] = {}
    for process in processes():
        try:
            info = process.info
        except (psutil.Error, AttributeError):
            continue
        described = describe(info.get("name"), info.get("cmdline"))
        pid, ppid = info.get("pid"), info.get("ppid")
        if described is not None and isinstance(pid, int):
            found[pid] = (ppid if isinstance(ppid, int) else None, CodexProcess(pid, described))
    return tuple(
        process for _, (ppid, process) in sorted(found.items()) if ppid is None or ppid not in found
    )


def describe(name: object, cmdline: object) -> str | None:
    """ "codex <sub-command>" when this is a Codex process, else None."""
    args = [a for a in cmdline if isinstance(a, str)] if isinstance(cmdline, list) else []
    exe = _basename(args[0]) if args else ""
    proc_name = name.lower() if isinstance(name, str) else ""
    if proc_name in CODEX_NAMES or exe.lower() in CODEX_NAMES:
        return _with_subcommand(args[1:])
    if proc_name in NODE_NAMES or exe.lower() in NODE_NAMES:
        for index, arg in enumerate(args[1:], start=1):
            if arg.startswith("-"):
                continue  # node's own flags
            script = arg.replace("\\", "/")
            # The package entry point, or the `.bin/codex` link npm puts on PATH.
            if script.endswith(NPM_ENTRY) or script.endswith("/.bin/codex"):
                return _with_subcommand(args[index + 1 :])
            return None
    return None


def _with_subcommand(rest: list[str]) -> str:
    for arg in rest:
        if arg.startswith("-"):
            continue  # global flags come first; their values cannot be told apart safely
        return f"codex {arg}" if arg in KNOWN_SUBCOMMANDS else "codex"
    return "codex"


def _basename(path: str) -> str:
    pure: PurePath = PureWindowsPath(path) if "\\" in path else PurePosixPath(path)
    return pure.name
