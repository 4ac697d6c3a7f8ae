"""Builders for the results, reports and snapshots tests feed to core and the UI.

A probe result is built as the real probes build it: a 101 or a 401/403 upgrade answer to an
unsigned request is reachable (`upgrade_reachable`, the probes' own rule), the stage is the one
the failure happens at, and verdicts come from core's own `decide`, never hand-written, so what
is tested is what the app will get.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from codex_link.core.model.codex_settings import ProviderInfo
from codex_link.core.model.probe import (
    PHASES,
    Failure,
    PhaseTimings,
    ProbeResult,
    Route,
    RouteKind,
    RouteSource,
    SourceKind,
    Stage,
    Transport,
)
from codex_link.core.model.report import CheckReport
from codex_link.core.model.route_fix import RouteMethod, RouteProposal
from codex_link.core.model.snapshot import HistoryPoint, Snapshot
from codex_link.core.model.text import Text
from codex_link.core.model.verdict import Health, Verdict
from codex_link.core.net.reasons import upgrade_reachable
from codex_link.core.prefs import Prefs
from codex_link.core.verdict import decide

OPENAI = ProviderInfo(
    id="openai",
    name="OpenAI",
    builtin=True,
    base_url=None,
    supports_websockets=True,
    requires_openai_auth=True,
)
HTTP_URL = "https://chatgpt.com/backend-api/codex/responses"
WS_URL = "wss://chatgpt.com/backend-api/codex/responses"
PROXY_WITH_PASSWORD = "http://alice:s3cr3t-pa55@127.0.0.1:3128"
DIRECT = Route(RouteKind.DIRECT)

# The stage each failure happens at, as the probes' classifier names it.
STAGE_OF: dict[Failure | None, Stage] = {
    None: Stage.DONE,
    Failure.DNS: Stage.DNS,
    Failure.TCP_REFUSED: Stage.TCP,
    Failure.TCP_TIMEOUT: Stage.TCP,
    Failure.PROXY_REFUSED: Stage.PROXY,
    Failure.PROXY_REJECTED: Stage.PROXY,
    Failure.PROXY_AUTH: Stage.PROXY,
    Failure.PROXY_SCHEME: Stage.PROXY,
    Failure.TLS_UNTRUSTED: Stage.TLS,
    Failure.TLS_OTHER: Stage.TLS,
    Failure.UPGRADE_TIMEOUT: Stage.RESPONSE,
    Failure.UPGRADE_STATUS: Stage.RESPONSE,
    Failure.POLICY_CLOSE: Stage.POST_UPGRADE,
    Failure.RESET: Stage.RESPONSE,
    Failure.HTTP_STATUS: Stage.RESPONSE,
    Failure.HTTP_TIMEOUT: Stage.RESPONSE,
    Failure.PROTOCOL: Stage.RESPONSE,
}
# What a probe that got no answer in time reports, per transport.
TIMED_OUT = {Transport.HTTP: Failure.HTTP_TIMEOUT, Transport.WEBSOCKET: Failure.UPGRADE_TIMEOUT}
# Milliseconds of the phases before the answer (a direct route has no proxy phase).
_EARLY_PHASES = {Stage.DNS: 2.0, Stage.TCP: 10.0, Stage.TLS: 30.0}


def probe(
    transport: Transport,
    failure: Failure | None = None,
    *,
    status: int | None = None,
    authenticated: bool = False,
    route: Route = DIRECT,
    ms: float = 120.0,
    reason: str = "",
    close_code: int | None = None,
    started_at: float | None = None,
    timings: PhaseTimings | None = None,
) -> ProbeResult:
    """A result as `probe_http`/`probe_ws` report it: `failure=None` is a working route
    (HTTP answers 401 to the unsigned request, the WebSocket upgrade 101);
    `Failure.UPGRADE_STATUS` needs the `status` answered and is reachable for a 401/403 to an
    unsigned upgrade only, not to the deep check's login (`authenticated=True`)."""
    if failure is Failure.UPGRADE_STATUS:
        assert status is not None, "an upgrade refusal has the status it was refused with"
        reachable = upgrade_reachable(status, authenticated=authenticated)
    else:
        reachable = failure is None
    if status is None and failure is None:
        status = 101 if transport is Transport.WEBSOCKET else 401
    elif status is None and failure is Failure.POLICY_CLOSE:
        status = 101  # the close came after the upgrade was accepted
    stage = STAGE_OF[failure]
    if timings is None:
        reached = {s: v for s, v in _EARLY_PHASES.items() if PHASES.index(s) < _order(stage)}
        if failure is None:
            reached[Stage.RESPONSE] = ms - sum(reached.values())
        timings = PhaseTimings.of(reached)
    return ProbeResult(
        transport=transport,
        url=WS_URL if transport is Transport.WEBSOCKET else HTTP_URL,
        route=route,
        started_at=time.time() if started_at is None else started_at,
        elapsed_ms=ms,
        reachable=reachable,
        stage=stage,
        failure=failure,
        reason=Text(reason or ("it worked" if failure is None else "it did not work")),
        status=status,
        close_code=close_code,
        timings=timings,
        authenticated=authenticated,
    )


def _order(stage: Stage) -> int:
    return len(PHASES) if stage is Stage.DONE else PHASES.index(stage)


def answered(
    transport: Transport, ok: bool, *, ms: float = 120.0, started_at: float | None = None
) -> ProbeResult:
    """A working route, or one that timed out (`probe` with the transport's timeout)."""
    return probe(transport, None if ok else TIMED_OUT[transport], ms=ms, started_at=started_at)


def report_of(health: Health, *, provisional: bool = False, at: float = 0.0) -> CheckReport:
    """A finished check whose verdict is `health` as given (for tests of what follows a
    verdict, not of how it is reached), with results that agree with it; a provisional one
    has no WebSocket result yet."""
    http = answered(
        Transport.HTTP, health not in (Health.DOWN, Health.OFFLINE), ms=50.0, started_at=at
    )
    ws = answered(
        Transport.WEBSOCKET,
        health in (Health.READY_WS, Health.READY_HTTP_ONLY),
        ms=50.0,
        started_at=at,
    )
    return CheckReport(
        started_at=at,
        finished_at=at,
        primary=(http,) if provisional else (http, ws),
        alternatives=(),
        verdict=Verdict(health, Text(str(health)), provisional=provisional),
    )


def report_for(
    http: ProbeResult | None,
    ws: ProbeResult | None,
    *,
    http_only: bool = False,
    ws_healthy_streak: int = 0,
) -> CheckReport:
    verdict = decide(
        http, ws, provider=OPENAI, http_only=http_only, ws_healthy_streak=ws_healthy_streak
    )
    now = time.time()
    primary = tuple(r for r in (ws, http) if r is not None)
    return CheckReport(now - 1, now, primary, (), verdict)


def snapshot_of(
    report: CheckReport | None,
    *,
    http_only: bool = False,
    ours: bool = False,
    checking: bool = False,
    history: tuple[HistoryPoint, ...] = (),
    verdict: Verdict | None = None,
) -> Snapshot:
    if verdict is None:
        assert report is not None
        verdict = report.verdict
    return Snapshot(
        at=time.time(),
        verdict=verdict,
        report=report,
        http_only=http_only,
        switch_is_ours=ours,
        checking=checking,
        history=history,
    )


def with_last_complete(snapshot: Snapshot) -> Snapshot:
    """As the monitor publishes a finished check: its report is also the last complete one."""
    return dataclasses.replace(snapshot, last_complete=snapshot.report)


def rechecking(previous: Snapshot, *, http_ms: float = 110.0) -> Snapshot:
    """A check under way after `previous`: HTTP has answered, the WebSocket not yet."""
    partial = report_for(probe(Transport.HTTP, ms=http_ms), None)
    return dataclasses.replace(
        previous, report=partial, checking=True, last_complete=previous.report
    )


def checking_snapshot() -> Snapshot:
    return snapshot_of(
        None, verdict=decide(None, None, provider=OPENAI, http_only=False), checking=True
    )


def ready_ws() -> Snapshot:
    return snapshot_of(report_for(probe(Transport.HTTP), probe(Transport.WEBSOCKET, ms=95)))


def ws_blocked(route: Route = DIRECT) -> Snapshot:
    ws = probe(
        Transport.WEBSOCKET, Failure.UPGRADE_TIMEOUT, ms=15_000, route=route, reason="no answer"
    )
    return snapshot_of(report_for(probe(Transport.HTTP, route=route), ws))


def ready_http_only(*, ws_ok: bool = False, streak: int = 0, ours: bool = True) -> Snapshot:
    ws = (
        probe(Transport.WEBSOCKET)
        if ws_ok
        else probe(Transport.WEBSOCKET, Failure.UPGRADE_TIMEOUT, ms=15_000)
    )
    report = report_for(probe(Transport.HTTP), ws, http_only=True, ws_healthy_streak=streak)
    return snapshot_of(report, http_only=True, ours=ours)


HTTPS_PROXY = RouteSource(SourceKind.ENVIRONMENT, variable="HTTPS_PROXY")


LISTENING_7890 = Route(
    RouteKind.LOCAL_PROXY,
    "http://127.0.0.1:7890",
    RouteSource(SourceKind.LISTENING, address="127.0.0.1:7890"),
)


def route_fix_offered(proposal: RouteProposal | None = None) -> Snapshot:
    """WebSocket blocked on Codex's route; a proxy found listening carries it, and the check
    proposed sending Codex through it (HTTPS_PROXY in .env unless `proposal` says otherwise)."""
    proposal = proposal or RouteProposal(
        RouteMethod.DOTENV, LISTENING_7890.proxy_url, ("HTTPS_PROXY",)
    )
    http = probe(Transport.HTTP)
    ws = probe(Transport.WEBSOCKET, Failure.UPGRADE_TIMEOUT, ms=15_000, reason="no answer")
    found = (
        probe(Transport.WEBSOCKET, route=LISTENING_7890),
        probe(Transport.HTTP, route=LISTENING_7890),
    )
    verdict = decide(http, ws, found, provider=OPENAI, http_only=False, proposals=(proposal,))
    now = time.time()
    return snapshot_of(CheckReport(now - 1, now, (ws, http), found, verdict))


def stale_dotenv_proxy() -> Snapshot:
    """The proxy a route fix wrote into .env (HTTPS_PROXY) no longer takes connections."""
    dead = Route(
        RouteKind.ENV_PROXY,
        "http://127.0.0.1:7890",
        RouteSource(SourceKind.DOTENV, variable="HTTPS_PROXY"),
    )
    http = probe(Transport.HTTP, Failure.PROXY_REFUSED, ms=2, route=dead)
    ws = probe(Transport.WEBSOCKET, Failure.PROXY_REFUSED, ms=2, route=dead)
    return snapshot_of(report_for(http, ws))


def down() -> Snapshot:
    dead = Route(RouteKind.ENV_PROXY, "http://127.0.0.1:9", HTTPS_PROXY)
    http = probe(Transport.HTTP, Failure.PROXY_REFUSED, ms=3, route=dead)
    ws = probe(Transport.WEBSOCKET, Failure.PROXY_REFUSED, ms=3, route=dead)
    return snapshot_of(report_for(http, ws))


def history(n: int, *, start: float | None = None, step: float = 60.0) -> tuple[HistoryPoint, ...]:
    """A plausible day: fine, then WebSocket blocked for a while, then fine again."""
    begin = start if start is not None else time.time() - n * step
    points = []
    for i in range(n):
        blocked = n // 3 <= i < n // 2
        points.append(
            HistoryPoint(
                at=begin + i * step,
                health=Health.WS_BLOCKED if blocked else Health.READY_WS,
                http_ok=True,
                ws_ok=not blocked,
                http_ms=100 + (i * 37) % 80,
                ws_ms=None if blocked else 90 + (i * 53) % 120,
            )
        )
    return tuple(points)


@dataclass
class FakeMonitor:
    """The monitor's surface as the UI uses it; records the calls a click makes."""

    snapshot: Snapshot
    listeners: list[Callable[[Snapshot], None]] = field(default_factory=list)
    checks: int = 0
    config_changes: int = 0
    prefs: list[Prefs] = field(default_factory=list)
    on_config_changed: Callable[[], None] | None = None

    def subscribe(self, listener: Callable[[Snapshot], None]) -> Callable[[], None]:
        self.listeners.append(listener)
        return lambda: self.listeners.remove(listener)

    def publish(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        for listener in list(self.listeners):
            listener(snapshot)

    def check_now(self) -> None:
        self.checks += 1

    def config_changed(self) -> None:
        self.config_changes += 1
        if self.on_config_changed is not None:
            self.on_config_changed()

    def set_prefs(self, prefs: Prefs) -> None:
        self.prefs.append(prefs)
