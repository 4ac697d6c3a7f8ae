"""`codex-link report`: the diagnostics text the tray's "Copy diagnostics" gives, from a
terminal: versions, what Codex will use, a fresh check, findings and recent history.

Meant to be pasted into an issue or a chat with someone who helps, so passwords, tokens and
API keys are left out (see app.core.diagnostics).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from codex_link.commands.check import EXIT_ERROR, positive_seconds


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "report",
        help="print a diagnostics report for support (passwords and tokens left out)",
        description=(
            "Runs one check and prints a plain-text report for support: versions, Codex's "
            "provider, login mode and endpoints, the routes and results of the check, "
            "findings in Codex's files and recent history. Passwords, tokens and API keys "
            "are left out."
        ),
        epilog="Exit codes: 0 report printed, 1 the check failed, 2 usage error.",
    )
    parser.add_argument(
        "--timeout",
        type=positive_seconds,
        default=None,
        metavar="S",
        help="cap every probe at S seconds (default: Codex's own timeouts)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import asyncio
    import time

    from codex_link.core.check import build_checker
    from codex_link.core.codex.home import resolve_codex_home
    from codex_link.core.codex.installed import installed_codex
    from codex_link.core.codex.settings import load_settings
    from codex_link.core.codex.switch.toggle import HttpOnlySwitch
    from codex_link.core.diagnostics import build_report
    from codex_link.core.history import HistoryStore, default_data_dir
    from codex_link.core.log_files import default_log_dir, log_file_path
    from codex_link.core.model.snapshot import Snapshot

    env = dict(os.environ)
    home = resolve_codex_home(env)
    codex = installed_codex(env)  # the Codex of this environment, named in the report
    try:
        checker = build_checker(
            env, max_timeout_s=args.timeout, codex_version=codex.version if codex else None
        )
        report = asyncio.run(checker.run())
    except KeyboardInterrupt:
        return EXIT_ERROR
    except Exception as exc:  # say what stopped it, in one line
        print(f"codex-link report: the check failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_ERROR
    data_dir = default_data_dir()
    status = HttpOnlySwitch(home, data_dir).status()
    history = HistoryStore(data_dir)
    history.load()
    snapshot = Snapshot(
        at=time.time(),
        verdict=report.verdict,
        report=report,
        http_only=status.http_only,
        switch_is_ours=status.ours,
        checking=False,
        history=history.points(),
    )
    log_file = log_file_path(default_log_dir())
    print(
        build_report(snapshot, load_settings(home, env), log_file=log_file, codex=lambda: codex),
        end="",
    )
    return 0
