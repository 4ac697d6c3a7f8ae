"""Command line: `codex-link` with no arguments starts the tray app.

Each subcommand lives in its own module under `codex_link.commands` with `register(subparsers)`;
modules import their heavy dependencies (Qt, network) only when they run, so
`codex-link http-only status` starts fast and never loads Qt.

Exit codes: 0 ok, 1 refused or failed (for `check`: see its help), 2 usage error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from codex_link import __version__

SUBCOMMANDS = ("tray", "check", "config", "http_only", "report")


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
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS:
        importlib.import_module(f"codex_link.commands.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else list(argv))
    if args.command is None:
        args = parser.parse_args(["tray", *(sys.argv[1:] if argv is None else argv)])
    result: int = args.run(args)
    return result
