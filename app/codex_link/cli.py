"""Command line: `codex-link` with no arguments starts the tray app.

Each subcommand lives in its own module with `register(subparsers)` (under `codex_link.commands`;
the tray's, which starts the UI, is `codex_link.ui.tray_command`);
modules import their heavy dependencies (Qt, network) only when they run, so
`codex-link http-only status` starts fast and never loads Qt.

Exit codes: 0 ok, 1 refused or failed (for `check`: see its help), 2 usage error.

A windowed build (the Windows tray executable, the macOS app) starts with no stdout or stderr
at all, so `main` first gives them somewhere to go; an error that escapes a command leaves a
crash trace in the log folder, because such a build has no terminal to print it to.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from codex_link import __version__

SUBCOMMANDS = (
    "codex_link.ui.tray_command",
    "codex_link.commands.check",
    "codex_link.commands.config",
    "codex_link.commands.http_only",
    "codex_link.commands.report",
    "codex_link.commands.route",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="codex-link",
        description=(
            "Watches whether OpenAI Codex can use WebSockets on this network, and switches "
            "Codex to HTTP-only (and back) without damaging config.toml."
        ),
        epilog="Exit codes: 0 ok, 1 refused or failed, 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"codex-link {__version__}")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="check that this installation works (the tray app built offscreen, every icon, "
        "the Chinese translation, one check against a server on 127.0.0.1), then exit",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS:
        importlib.import_module(name).register(subparsers)
    return parser


def ensure_std_streams() -> None:
    """Gives a windowed build's missing stdout/stderr a sink, so printing never raises."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, Path(os.devnull).open("w", encoding="utf-8"))  # noqa: SIM115


def main(argv: Sequence[str] | None = None) -> int:
    ensure_std_streams()
    from codex_link.core.redact import scrubbed_output

    with scrubbed_output():  # no password or token ever reaches a terminal or a pipe
        return _main(sys.argv[1:] if argv is None else list(argv))


def _main(arguments: list[str]) -> int:
    try:
        return _dispatch(arguments)
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as error:  # the last guard: say what happened and where it is written
        from codex_link.core.log_files import default_log_dir, write_crash_trace

        trace = write_crash_trace(error, default_log_dir(), [sys.argv[0], *arguments])
        where = f" Details: {trace}" if trace is not None else ""
        print(
            f"codex-link: unexpected error: {type(error).__name__}: {error}.{where}",
            file=sys.stderr,
        )
        return 1


def tray_main() -> int:
    """The windowed entry point (Start menu, start at login): the tray, or --smoke-test."""
    return main(sys.argv[1:] or ["tray"])


def _dispatch(arguments: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(arguments)
    if args.smoke_test:
        from codex_link.ui.smoke_test import run_smoke_test

        return run_smoke_test()
    if args.command is None:
        args = parser.parse_args(["tray", *arguments])
    result: int = args.run(args)
    return result
