"""The "Copy diagnostics" report: everything a helper needs to understand a problem, and no
secret at all.

It is written in English whatever the UI language, like a log: it is pasted into issues and
chats with people who help, and its lines are searched for. Secrets are kept out twice: the
report is built from redacted values (`Route.display()`, `redact_url`), and the finished text
goes through `redact.scrub`, like every other output, so a secret that slips into a core
message still never reaches the clipboard.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from codex_link import __version__
from codex_link.core.codex.installed import InstalledCodex, codex_in_use, describe
from codex_link.core.model.codex_settings import CodexSettings
from codex_link.core.model.probe import ProbeResult
from codex_link.core.model.snapshot import HistoryPoint, Snapshot
from codex_link.core.model.timings import phases_text
from codex_link.core.redact import redact_url, scrub

HISTORY_LINES = 20


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} ms"


def _probe_lines(result: ProbeResult) -> list[str]:
    route = result.route.display()
    if result.route.source:
        route += f" ({result.route.source})"
    outcome = "ok" if result.reachable else f"FAILED {result.failure or '?'} at {result.stage}"
    extras = []
    if result.status is not None:
        extras.append(f"status {result.status}")
    if result.close_code is not None:
        extras.append(f"close {result.close_code} {result.close_reason or ''}".rstrip())
    if result.tls_intercepted:
        extras.append("TLS verified only with a locally added CA")
    if result.authenticated:
        extras.append("deep check (credentials sent)")
    head = f"  {result.transport:<9} {result.url} via {route}: {outcome}, {_ms(result.elapsed_ms)}"
    if extras:
        head += ", " + ", ".join(extras)
    return [head, f"    [{phases_text(result.timings)}] {result.reason}"]


def _history_line(point: HistoryPoint) -> str:
    at = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(point.at))
    http = f"ok {_ms(point.http_ms)}" if point.http_ok else "failed"
    ws = f"ok {_ms(point.ws_ms)}" if point.ws_ok else "failed"
    return f"  {at}  {point.health:<15} http {http:<12} websocket {ws}"


def _settings_lines(settings: CodexSettings | None) -> list[str]:
    if settings is None:
        return ["Codex settings: could not be read"]
    provider = settings.provider
    lines = [
        f"Codex home: {settings.home.path}"
        + (" (from CODEX_HOME)" if settings.home.from_env else ""),
        f"Config file: {'present' if settings.config_exists else 'missing'}",
    ]
    if settings.config_error is not None:
        err = settings.config_error
        where = f" line {err.line}, column {err.column}" if err.line is not None else ""
        lines.append(f"Config error: {err.path}{where}: {err.message}")
    lines += [
        f"Provider: {provider.id} (name {provider.name!r}, "
        f"{'built-in' if provider.builtin else 'custom'}, "
        f"WebSocket {'on' if provider.supports_websockets else 'off'}, "
        f"connect timeout {provider.websocket_connect_timeout_ms} ms, "
        f"base_url {redact_url(provider.base_url) if provider.base_url else 'default'})",
        f"Login mode: {settings.login_mode} (from {settings.login_source})",
        f"Endpoints: HTTP {settings.endpoints.http_url} · WebSocket "
        f"{settings.endpoints.websocket_url}",
        f"respect_system_proxy: {'on' if settings.respect_system_proxy else 'off'}",
    ]
    if settings.dotenv_proxies:
        listed = ", ".join(f"{k}={redact_url(v)}" for k, v in settings.dotenv_proxies)
        lines.append(f"Proxies in {settings.home.dotenv_path.name}: {listed}")
    for profile in settings.profiles:
        lines.append(
            f"Profile {profile.name!r} uses provider {profile.model_provider!r} ({profile.path})"
        )
    return lines


def _findings_lines(settings: CodexSettings | None) -> Iterable[str]:
    if settings is None or not settings.findings:
        return ["Findings: none"]
    return ["Findings:"] + [
        f"  - [{f.severity}] {f.code}: {f.message}" + (f" ({f.path})" if f.path else "")
        for f in settings.findings
    ]


def build_report(
    snapshot: Snapshot,
    settings: CodexSettings | None,
    *,
    qt_version: str = "",
    pyside_version: str = "",
    log_file: Path | None = None,
    now: float | None = None,
    codex: Callable[[], InstalledCodex | None] = codex_in_use,
) -> str:
    """`codex`: the Codex in use (found at start-up; its version is cached)."""
    generated = time.strftime("%Y-%m-%d %H:%M:%S %z", time.localtime(now or time.time()))
    verdict = snapshot.verdict
    lines = [
        "Codex Link diagnostics",
        f"Generated: {generated}",
        f"Versions: Codex Link {__version__} · Python {platform.python_version()}"
        + (f" · Qt {qt_version}" if qt_version else "")
        + (f" · PySide6 {pyside_version}" if pyside_version else ""),
        f"System: {platform.platform()}",
        describe(codex()),  # the version the facts and probe headers are for
        f"Log file: {log_file if log_file is not None else 'none'}",
        "",
        *_settings_lines(settings),
        f"HTTP only: {'on' if snapshot.http_only else 'off'}"
        + (" (switched by Codex Link)" if snapshot.switch_is_ours else ""),
        "",
        f"Verdict: {verdict.health}{' (provisional)' if verdict.provisional else ''}: "
        f"{verdict.headline}",
    ]
    if verdict.expected_wait_s is not None:
        lines.append(f"Codex would wait about {verdict.expected_wait_s:.0f} s before falling back")
    lines += [f"  advice [{a.kind}]: {a.message}" for a in verdict.advice]
    report = snapshot.report
    if report is None:
        lines.append("Last check: none yet" + (" (checking now)" if snapshot.checking else ""))
    else:
        finished = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(report.finished_at))
        took = report.finished_at - report.started_at
        lines.append(f"Last check: {finished} (took {took:.1f} s)")
        lines.append("On Codex's routes:")
        for result in report.primary:
            lines += _probe_lines(result)
        if report.alternatives:
            lines.append("Other routes:")
            for result in report.alternatives:
                lines += _probe_lines(result)
    lines.append("")
    lines += _findings_lines(settings)
    recent = snapshot.history[-HISTORY_LINES:]
    lines.append("")
    lines.append(f"History (last {len(recent)} of {len(snapshot.history)} checks):")
    lines += [_history_line(p) for p in recent] or ["  none"]
    return scrub("\n".join(lines) + "\n")
