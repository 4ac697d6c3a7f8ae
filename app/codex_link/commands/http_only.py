"""`codex-link http-only status|on|off [--json] [--dry-run]`: the switch from a terminal.

Exit codes: 0 done (or nothing to do), 1 refused or failed (the file is left as it was),
2 usage error (argparse).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codex_link.commands.file_edit import RUN_ERROR, carry_out, print_json, print_notes

if TYPE_CHECKING:
    from codex_link.core.codex.switch.status import SwitchStatus
    from codex_link.core.model.codex_settings import ConfigError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "http-only",
        help="show or switch Codex's HTTP-only mode (no WebSocket)",
        description=(
            "Switches Codex to a provider without WebSocket (and back) by editing "
            "$CODEX_HOME/config.toml in place: comments, order and line endings are kept, a "
            "backup is made before the first change, and 'off' undoes exactly what 'on' did. "
            "When the Codex CLI is on PATH, it checks the file before and after the change. "
            "Codex must be restarted afterwards."
        ),
        epilog="Exit codes: 0 ok, 1 refused or failed (nothing changed), 2 usage error.",
    )
    parser.add_argument("action", choices=("status", "on", "off"))
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    parser.add_argument(
        "--dry-run", action="store_true", help="show the change as a diff and write nothing"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from codex_link.core.codex.codex_judge import CodexConfigJudge
    from codex_link.core.codex.home import resolve_codex_home
    from codex_link.core.codex.switch.toggle import HttpOnlySwitch
    from codex_link.core.history import default_data_dir

    home = resolve_codex_home(os.environ)
    # The Codex CLI on PATH, when there is one, judges the file before and after the edit.
    switch = HttpOnlySwitch(home, default_data_dir(), judge=CodexConfigJudge.find(os.environ))
    if args.action == "status":
        status = switch.status()
        if args.json:
            print_json(status.to_json())
        else:
            _print_status(status, switch.path)
        return RUN_ERROR if status.config_error is not None else 0
    enable = args.action == "on"
    # A malformed config.toml is refused too, with line and column.
    return carry_out(
        lambda: switch.plan(enable), switch.apply, dry_run=args.dry_run, as_json=args.json
    )


def _print_status(status: SwitchStatus, path: Path) -> None:
    if status.config_error is not None:
        print(f"Cannot read {path}: {_error_words(status.config_error)}")
        return
    mode = "HTTP only (no WebSocket)" if status.http_only else "WebSocket, with HTTP fallback"
    print(f'Codex uses provider "{status.provider_id}": {mode}.')
    if status.http_only:
        who = "Codex Link" if status.ours else "you (or another tool), not Codex Link"
        print(f"HTTP-only was turned on by {who}.")
    print_notes(status.notes)


def _error_words(error: ConfigError) -> str:
    from codex_link.core.codex.findings import where

    position = where(error)
    return error.message if position is None else f"{error.message} ({position})"
