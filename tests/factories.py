"""Realistic snapshots for UI tests: probe results as the probes report them, and verdicts
made by core's own `decide` (never hand-written), so the UI is tested on what it will get.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from codex_link.core.model.codex_settings import ProviderInfo
from codex_link.core.model.probe import (
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
from codex_link.core.model.snapshot import HistoryPoint, Snapshot
from codex_link.core.model.text import Text
from codex_link.core.model.verdict import Health, Verdict
from codex_link.core.prefs import Prefs
from codex_link.core.verdict import decide

OPENAI = ProviderInfo(
    id="openai", name="OpenAI", builtin=True, base_url=None, supports_websockets=True,
    requires_openai_auth=True,
)
HTTP_URL = "https://chatgpt.com/backend-api/codex/responses"
WS_URL = "wss://chatgpt.com/backend-api/codex/responses"
PROXY_WITH_PASSWORD = "http://alice:s3cr3t-pa55@127.0.0.1:3128"


def probe(
    transport: Transport,
    *,
    ok: bool = True,
    failure: Failure | None = None,
    status: int | None = None,
    ms: float = 120.0,
    route: Route | None = None,
    reason: str = "",
) -> ProbeResult:
    url = WS_URL if transport is Transport.WEBSOCKET else HTTP_URL
    if ok:
        stage = Stage.DONE
        timings = PhaseTimings.of({Stage.DNS: 2, Stage.TCP: 10, Stage.TLS: 30,
                                   Stage.RESPONSE: ms - 42})
    else:
        stage = Stage.RESPONSE if failure is Failure.UPGRADE_TIMEOUT else Stage.TCP
        timings = PhaseTimings.of({Stage.DNS: 2, Stage.TCP: 10, Stage.TLS: 30})
    return ProbeResult(
        transport=transport,
        url=url,
        route=route or Route(RouteKind.DIRECT),
        started_at=time.time(),
        elapsed_ms=ms,
        reachable=ok,
        stage=stage,
        failure=None if ok else failure,
        reason=Text(reason or ("it worked" if ok else "it did not work")),
        status=status if status is not None else (401 if ok else None),
        timings=timings,
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
        at=time.time(), verdict=verdict, report=report, http_only=http_only,
        switch_is_ours=ours, checking=checking, history=history,
    )


def with_last_complete(snapshot: Snapshot) -> Snapshot:
    """As the monitor publishes a finished check: its report is also the last complete one."""
    return dataclasses.replace(snapshot, last_complete=snapshot.report)


def rechecking(previous: Snapshot, *, http_ms: float = 110.0) -> Snapshot:
    """A check under way after `previous`: HTTP has answered, the WebSocket not yet."""
    partial = report_for(probe(Transport.HTTP, ms=http_ms), None)
    return dataclasses.replace(previous, report=partial, checking=True,
                               last_complete=previous.report)


def checking_snapshot() -> Snapshot:
    return snapshot_of(None, verdict=decide(None, None, provider=OPENAI, http_only=False),
                       checking=True)


def ready_ws() -> Snapshot:
    return snapshot_of(report_for(probe(Transport.HTTP), probe(Transport.WEBSOCKET, ms=95)))


def ws_blocked(route: Route | None = None) -> Snapshot:
    ws = probe(Transport.WEBSOCKET, ok=False, failure=Failure.UPGRADE_TIMEOUT, ms=15_000,
               route=route, reason="no answer")
    return snapshot_of(report_for(probe(Transport.HTTP, route=route), ws))


def ready_http_only(*, ws_ok: bool = False, streak: int = 0, ours: bool = True) -> Snapshot:
    ws = (probe(Transport.WEBSOCKET) if ws_ok else
          probe(Transport.WEBSOCKET, ok=False, failure=Failure.UPGRADE_TIMEOUT, ms=15_000))
    report = report_for(probe(Transport.HTTP), ws, http_only=True, ws_healthy_streak=streak)
    return snapshot_of(report, http_only=True, ours=ours)


HTTPS_PROXY = RouteSource(SourceKind.ENVIRONMENT, variable="HTTPS_PROXY")


def down() -> Snapshot:
    http = probe(Transport.HTTP, ok=False, failure=Failure.PROXY_REFUSED, ms=3,
                 route=Route(RouteKind.ENV_PROXY, "http://127.0.0.1:9", HTTPS_PROXY))
    ws = probe(Transport.WEBSOCKET, ok=False, failure=Failure.PROXY_REFUSED, ms=3,
               route=Route(RouteKind.ENV_PROXY, "http://127.0.0.1:9", HTTPS_PROXY))
    return snapshot_of(report_for(http, ws))


def history(n: int, *, start: float | None = None, step: float = 60.0) -> tuple[HistoryPoint, ...]:
    """A plausible day: fine, then WebSocket blocked for a while, then fine again."""
    begin = start if start is not None else time.time() - n * step
    points = []
    for i in range(n):
        blocked = n // 3 <= i < n // 2
        points.append(HistoryPoint(
            at=begin + i * step,
            health=Health.WS_BLOCKED if blocked else Health.READY_WS,
            http_ok=True, ws_ok=not blocked,
            http_ms=100 + (i * 37) % 80, ws_ms=None if blocked else 90 + (i * 53) % 120,
        ))
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
