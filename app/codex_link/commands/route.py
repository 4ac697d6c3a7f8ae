"""`codex-link route on|off|status [--json] [--dry-run]`: the route fix from a terminal.

`on --proxy URL` writes the proxy into `$CODEX_HOME/.env`, `on --system-proxy` turns on
`features.respect_system_proxy` in config.toml; plain `on` runs one check (as `codex-link
check` does) and writes the first route fix its verdict offers, a route verified to carry
Codex's WebSocket; `off` undoes what `on` wrote.

Exit codes: 0 done (or nothing to do), 1 refused or failed (the file is left as it was),
2 usage error (argparse).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

# The same outputs as `codex-link http-only`: one error line (or JSON), pretty JSON.
from codex_link.commands.file_edit import carry_out, print_json, print_notes

if TYPE_CHECKING:
    from codex_link.core.codex.route_fix.fix import RouteFix
    from codex_link.core.model.route_fix import RouteProposal


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "route",
        help="send Codex through a proxy that carries WebSocket (and back)",
        description=(
            "Keeps Codex on WebSocket through a working proxy: 'on --proxy URL' writes "
            "the proxy into $CODEX_HOME/.env, which Codex loads at every start whatever "
            "launches it (an http:// proxy as HTTPS_PROXY; a socks5:// or socks5h:// one as "
            "HTTP_PROXY, which moves only the WebSocket); 'on --system-proxy' sets "
            "features.respect_system_proxy = true in config.toml (Windows, macOS); plain 'on' "
            "checks the network once and writes the route the check verified. Every "
            "other byte is kept, a backup is made before the first change, and 'off' "
            "removes exactly what 'on' wrote. Codex must be restarted afterwards."
        ),
        epilog="Exit codes: 0 ok, 1 refused or failed (nothing changed), 2 usage error.",
    )
    parser.add_argument("action", choices=("status", "on", "off"))
    way = parser.add_mutually_exclusive_group()
    way.add_argument(
        "--proxy", metavar="URL", help="for 'on': the proxy (http://, socks5:// or socks5h://)"
    )
    way.add_argument(
        "--system-proxy",
        action="store_true",
        help="for 'on': let Codex follow the system proxy (Windows, macOS)",
    )
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    parser.add_argument(
        "--dry-run", action="store_true", help="show the change as a diff and write nothing"
    )
    parser.set_defaults(run=run, route_parser=parser)


def run(args: argparse.Namespace) -> int:
    from codex_link.core.codex.codex_judge import CodexConfigJudge
    from codex_link.core.codex.home import resolve_codex_home
    from codex_link.core.codex.route_fix.fix import RouteFix
    from codex_link.core.history import default_data_dir

    if args.action != "on" and (args.proxy is not None or args.system_proxy):
        args.route_parser.error("--proxy and --system-proxy go with 'on' only")
    home = resolve_codex_home(os.environ)
    # The Codex CLI on PATH, when there is one, judges config.toml before and after the edit.
    fix = RouteFix(home, default_data_dir(), judge=CodexConfigJudge.find(os.environ))
    if args.action == "status":
        return _status(fix, as_json=args.json)
    enable = args.action == "on"
    proposal = _proposal(args, as_json=args.json) if enable else None
    return carry_out(
        lambda: fix.plan(enable, proposal), fix.apply, dry_run=args.dry_run, as_json=args.json
    )


def _proposal(args: argparse.Namespace, *, as_json: bool) -> RouteProposal | None:
    """The route to write: the one given; without one, the first route fix one check's
    verdict offers; without that, none is known, and planning says so."""
    from codex_link.core.codex.route_fix.fix import proxy_proposal
    from codex_link.core.model.route_fix import RouteMethod, RouteProposal

    if args.proxy is not None:
        return proxy_proposal(args.proxy)
    if args.system_proxy:
        return RouteProposal(RouteMethod.SYSTEM_PROXY, None)
    return _checked_proposal(as_json=as_json)


def _checked_proposal(*, as_json: bool) -> RouteProposal | None:
    """One check, as `codex-link check` runs it, and the route fix its verdict offers first
    (a route verified to carry Codex's WebSocket, its HTTP working too); None when it offers
    none or the check itself failed (said on stderr)."""
    import asyncio

    from codex_link.core.check import build_checker
    from codex_link.core.model.verdict import AdviceKind

    if not as_json:  # the check may wait out Codex's WebSocket timeout: say why it is quiet
        print("Checking Codex's routes first (as codex-link check does)...", file=sys.stderr)
    checker = build_checker(dict(os.environ), switch_back_after=1)
    try:
        report = asyncio.run(checker.run())
    except Exception as exc:  # no route is known then: planning says so, in its sentence
        print(f"codex-link route: the check failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return None
    return next(
        (
            advice.proposal
            for advice in report.verdict.advice
            if advice.kind is AdviceKind.ROUTE_FIX and advice.proposal is not None
        ),
        None,
    )


def _status(fix: RouteFix, *, as_json: bool) -> int:
    status = fix.status()
    if as_json:
        print_json(status.to_json())
        return 0
    print(status.summary)
    print_notes(status.notes)
    return 0
