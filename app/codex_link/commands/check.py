"""`codex-link check`: one check of Codex's WebSocket and HTTP paths, from a terminal.

Prints one line per transport (the route Codex uses, the outcome in plain words, timings),
the verdict and the advice; `--json` for scripts. The exit code tells the verdict, so a shell
script can act on it (e.g. switch to HTTP-only when it is 3):

    0  ready: WebSocket works, or Codex is on HTTP only and HTTP works
    3  ws_blocked: HTTP works, WebSocket does not (Codex would wait before falling back)
    4  down: HTTP itself fails on Codex's route
    5  offline: no network
    1  the check itself failed
    2  usage error
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from codex_link.core.model.probe import Stage
from codex_link.core.model.timings import phases_text
from codex_link.core.redact import redact_url

if TYPE_CHECKING:
    from codex_link.core.codex.doctor import DoctorRun
    from codex_link.core.model.probe import ProbeResult
    from codex_link.core.model.report import CheckReport
    from codex_link.core.model.verdict import Advice, Health

EXIT_READY = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_WS_BLOCKED = 3
EXIT_DOWN = 4
EXIT_OFFLINE = 5
DOCTOR_TIMEOUT_S = 30.0  # codex doctor's own WebSocket check may take Codex's 15 s timeout

_EPILOG = (
    "Exit codes: 0 ready (WebSocket works, or HTTP-only and HTTP works), 3 ws_blocked "
    "(HTTP works, WebSocket does not), 4 down (HTTP fails on Codex's route), 5 offline, "
    "1 the check failed, 2 usage error."
)


def positive_seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not 0 < seconds <= 600:
        raise argparse.ArgumentTypeError("must be more than 0 and at most 600 seconds")
    return seconds


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check",
        help="check once whether Codex can use WebSocket and HTTP here (exit code = verdict)",
        description=(
            "Probes the Responses endpoint of the model provider Codex uses, over HTTP and over "
            "WebSocket, along the same proxy routes Codex takes, then along other routes "
            "(system proxy, direct) to explain what it finds. Tells whether Codex will start "
            "fast, how long it would wait otherwise, and what would fix it."
        ),
        epilog=_EPILOG,
    )
    parser.add_argument(
        "--json", action="store_true", help="print JSON (with --watch: one JSON object per line)"
    )
    parser.add_argument(
        "--deep",
        action="store_true",
        help="send your Codex login on the WebSocket upgrade (only to the host "
        "Codex uses) to catch servers that close right after opening",
    )
    parser.add_argument(
        "--watch",
        action="store_true",
        help="print the provisional verdict as soon as there is one, then the final one",
    )
    parser.add_argument(
        "--with-doctor",
        action="store_true",
        help="also run `codex doctor --json` (when Codex is installed) and summarise it",
    )
    parser.add_argument(
        "--no-alternatives",
        action="store_true",
        help="probe only the routes Codex uses, not the system proxy or direct",
    )
    parser.add_argument(
        "--timeout",
        type=positive_seconds,
        metavar="S",
        help="cap every probe at S seconds (default: Codex's own WebSocket "
        "connect timeout, 10 s for HTTP)",
    )
    parser.set_defaults(run=run)


def exit_code(health: Health) -> int:
    from codex_link.core.model.verdict import Health

    return {
        Health.READY_WS: EXIT_READY,
        Health.READY_HTTP_ONLY: EXIT_READY,
        Health.WS_BLOCKED: EXIT_WS_BLOCKED,
        Health.DOWN: EXIT_DOWN,
        Health.OFFLINE: EXIT_OFFLINE,
    }.get(health, EXIT_ERROR)


def run_with_defaults() -> int:
    """`codex-link check` with no options (what the tray command prints without a desktop)."""
    parser = argparse.ArgumentParser(prog="codex-link")
    register(parser.add_subparsers())
    return run(parser.parse_args(["check"]))


def run(args: argparse.Namespace) -> int:
    import asyncio

    env = dict(os.environ)
    try:
        report, doctor = asyncio.run(_check(args, env))
    except KeyboardInterrupt:
        return EXIT_ERROR
    except Exception as exc:  # the report is the product: say what stopped it, in one line
        print(f"codex-link check: the check failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if args.json:
        data = report_to_dict(report)
        if doctor is not None:
            data["doctor"] = doctor_to_dict(doctor)
        print(json.dumps(data, ensure_ascii=False, indent=None if args.watch else 2))
    else:
        print(report_to_text(report))
        if doctor is not None:
            print(doctor_to_text(doctor))
    sys.stdout.flush()
    if args.deep and not any(r.authenticated for r in report.primary):
        why = next(
            (f.message for f in report.findings if f.code.startswith("deep_check")),
            "Codex has no login to send.",
        )
        print(
            f"codex-link check: --deep: {why} The WebSocket was checked without a login.",
            file=sys.stderr,
        )
    return exit_code(report.verdict.health)


async def _check(
    args: argparse.Namespace, env: Mapping[str, str]
) -> tuple[CheckReport, DoctorRun | None]:
    import asyncio

    from codex_link.core.check import build_checker
    from codex_link.core.codex.installed import installed_codex

    codex = installed_codex(env)  # its version goes into the probes' headers, as Codex sends it
    checker = build_checker(
        env,
        max_timeout_s=args.timeout,
        switch_back_after=1,
        codex_version=codex.version if codex else None,
    )

    def show_provisional(report: CheckReport) -> None:
        if args.json:
            print(json.dumps(report_to_dict(report), ensure_ascii=False), flush=True)
        else:
            print(f"Provisional: {report.verdict.headline}", flush=True)

    doctor_task = None
    if args.with_doctor:
        doctor_task = asyncio.ensure_future(asyncio.to_thread(_run_doctor, env))
    report = await checker.run(
        deep=args.deep,
        on_provisional=show_provisional if args.watch else None,
        include_alternatives=not args.no_alternatives,
    )
    doctor = await doctor_task if doctor_task is not None else None
    return report, doctor


def _run_doctor(env: Mapping[str, str]) -> DoctorRun:
    from codex_link.core.codex.doctor import run_doctor
    from codex_link.core.codex.home import resolve_codex_home

    return run_doctor(None, resolve_codex_home(env).path, env, DOCTOR_TIMEOUT_S)


# --- rendering ----------------------------------------------------------------------------------

_TRANSPORT_NAMES = {"http": "HTTP", "websocket": "WebSocket"}
# The phases' keys in the JSON output, which scripts read: they stay as they are.
_JSON_PHASES = {
    Stage.DNS: "dns_ms",
    Stage.TCP: "tcp_ms",
    Stage.PROXY: "proxy_ms",
    Stage.TLS: "tls_ms",
    Stage.RESPONSE: "response_ms",
    Stage.POST_UPGRADE: "close_ms",
}


def probe_to_dict(result: ProbeResult) -> dict[str, Any]:
    timings = {_JSON_PHASES[stage]: round(ms, 1) for stage, ms in result.timings.items()}
    return {
        "transport": result.transport.value,
        "route": result.route.display(),
        "route_kind": result.route.kind.value,
        "route_source": result.route.source,
        "url": redact_url(result.url),
        "reachable": result.reachable,
        "failure": result.failure.value if result.failure is not None else None,
        "stage": result.stage.value,
        "status": result.status,
        "close_code": result.close_code,
        "close_reason": result.close_reason,
        "elapsed_ms": round(result.elapsed_ms, 1),
        "timings": timings,
        "reason": str(result.reason),
        "tls_intercepted": result.tls_intercepted,
        "authenticated": result.authenticated,
    }


def _advice_to_dict(advice: Advice) -> dict[str, Any]:
    """One advice for scripts; a route fix names how it would be written (login hidden)."""
    data: dict[str, Any] = {"kind": advice.kind.value, "message": str(advice.message)}
    proposal = advice.proposal
    if proposal is not None:
        data["proposal"] = {
            "method": proposal.method.value,
            "proxy": None if proposal.proxy_url is None else redact_url(proposal.proxy_url),
            "variables": list(proposal.variables),
        }
    return data


def report_to_dict(report: CheckReport) -> dict[str, Any]:
    """The report for scripts: stable snake_case keys, Health and Failure by their names."""
    verdict = report.verdict
    return {
        "health": verdict.health.value,
        "headline": str(verdict.headline),
        "provisional": verdict.provisional,
        "expected_wait_s": (
            round(verdict.expected_wait_s, 1) if verdict.expected_wait_s is not None else None
        ),
        "advice": [_advice_to_dict(a) for a in verdict.advice],
        "probes": [probe_to_dict(r) for r in report.primary],
        "alternatives": [probe_to_dict(r) for r in report.alternatives],
        "findings": [
            {
                "code": f.code,
                "severity": f.severity.value,
                "message": str(f.message),
                "path": str(f.path) if f.path is not None else None,
            }
            for f in report.findings
        ],
        "started_at": report.started_at,
        "elapsed_s": round(report.finished_at - report.started_at, 3),
    }


def _timings_text(result: ProbeResult) -> str:
    return f" [{phases_text(result.timings)}]" if result.timings else ""


def _probe_line(result: ProbeResult) -> str:
    name = _TRANSPORT_NAMES.get(result.transport.value, result.transport.value)
    route = result.route.display()
    if result.route.source:
        route = f"{route} ({result.route.source})"
    mark = "ok " if result.reachable else "XX "
    login = ", with your login" if result.authenticated else ""
    return (
        f"  {mark}{name:<9} via {route}{login}: {result.reason} "
        f"({result.elapsed_ms:.0f} ms){_timings_text(result)}"
    )


def report_to_text(report: CheckReport) -> str:
    """The report for people: what Codex's own routes do, the verdict, then what to do."""
    verdict = report.verdict
    lines = ["Codex's routes:"]
    lines += [_probe_line(r) for r in report.primary]
    if report.alternatives:
        lines.append("Other routes (to explain, Codex does not use them):")
        lines += [_probe_line(r) for r in report.alternatives]
    label = verdict.health.value + (", provisional" if verdict.provisional else "")
    lines += ["", f"Verdict ({label}): {verdict.headline}"]
    lines += [f"  -> {advice.message}" for advice in verdict.advice]
    if report.findings:
        lines += ["", "Found in Codex's set-up:"]
        lines += [f"  [{f.severity.value}] {f.message}" for f in report.findings]
    return "\n".join(lines)


def doctor_to_dict(run: DoctorRun) -> dict[str, Any]:
    report = run.report
    if report is None:
        return {"available": False, "reason": run.reason}
    return {
        "available": True,
        "overall_status": report.overall_status,
        "codex_version": report.codex_version,
        "config_loaded": report.config_loaded,
        "websocket": report.websocket_summary,
        "counts": dict(report.counts),
    }


def doctor_to_text(run: DoctorRun) -> str:
    data = doctor_to_dict(run)
    if not data["available"]:
        return f"\ncodex doctor: not run ({data['reason']})"
    counts = ", ".join(f"{n} {status}" for status, n in sorted(data["counts"].items()))
    lines = [
        f"\ncodex doctor (Codex {data['codex_version'] or '?'}): {data['overall_status']}"
        f" ({counts})"
    ]
    if data["websocket"]:
        lines.append(f"  WebSocket: {data['websocket']}")
    if not data["config_loaded"]:
        lines.append("  Codex could not load its config.")
    return "\n".join(lines)
