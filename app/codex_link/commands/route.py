"""`codex-link route on|off|status [--json] [--dry-run]`: the route fix from a terminal.

`on --proxy URL` writes the proxy into `$CODEX_HOME/.env`, `on --system-proxy` turns on
`features.respect_system_proxy` in config.toml; `off` undoes what `on` wrote.

Exit codes: 0 done (or nothing to do), 1 refused or failed (the file is left as it was),
2 usage error (argparse).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

# The same outputs as `codex-link http-only`: one error line (or JSON), pretty JSON.
from codex_link.commands.http_only import _print_json, _refused

if TYPE_CHECKING:
    from codex_link.core.codex.route_fix.fix import RouteFix, RouteFixPlan
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
            "features.respect_system_proxy = true in config.toml (Windows, macOS). Every "
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
    from codex_link.core.codex.switch.toggle import SwitchRefused
    from codex_link.core.history import default_data_dir

    if args.action != "on" and (args.proxy is not None or args.system_proxy):
        args.route_parser.error("--proxy and --system-proxy go with 'on' only")
    home = resolve_codex_home(os.environ)
    # The Codex CLI on PATH, when there is one, judges config.toml before and after the edit.
    fix = RouteFix(home, default_data_dir(), judge=CodexConfigJudge.find(os.environ))
    if args.action == "status":
        return _status(fix, as_json=args.json)
    try:
        plan = fix.plan(args.action == "on", _proposal(args) if args.action == "on" else None)
        if args.dry_run:
            return _dry_run(plan, as_json=args.json)
        result = fix.apply(plan)
    except SwitchRefused as exc:  # refusals and failures (SwitchFailed), in one sentence
        return _refused(str(exc.reason), args.json)
    notes = [str(note) for note in plan.notes]
    if args.json:
        _print_json(
            {
                "changed": result.changed,
                "path": str(result.path),
                "backup": None if result.backup is None else str(result.backup),
                "message": str(result.message),
                "notes": notes,
            }
        )
    else:
        print(result.message)
        for note in notes:
            print(f"Note: {note}")
    return 0


def _proposal(args: argparse.Namespace) -> RouteProposal | None:
    """The route to write: the one given; without one, none is known (the check's verified
    proposal is not wired in yet), and planning says so."""
    from codex_link.core.codex.route_fix.fix import proxy_proposal
    from codex_link.core.model.route_fix import RouteMethod, RouteProposal

    if args.proxy is not None:
        return proxy_proposal(args.proxy)
    if args.system_proxy:
        return RouteProposal(RouteMethod.SYSTEM_PROXY, None)
    return None


def _status(fix: RouteFix, *, as_json: bool) -> int:
    status = fix.status()
    if as_json:
        _print_json(status.to_json())
        return 0
    print(status.summary)
    for note in status.notes:
        print(f"Note: {note}")
    return 0


def _dry_run(plan: RouteFixPlan, *, as_json: bool) -> int:
    if as_json:
        _print_json(
            {
                "changed": not plan.noop,
                "path": str(plan.path),
                "diff": plan.diff(),
                "changes": [str(change) for change in plan.changes],
                "notes": [str(note) for note in plan.notes],
            }
        )
        return 0
    if plan.noop:
        print("Nothing to change:", *map(str, plan.changes))
    else:
        sys.stdout.write(plan.diff())
        print(f"Dry run: {plan.path} was not changed.")
    for note in plan.notes:
        print(f"Note: {note}")
    return 0
