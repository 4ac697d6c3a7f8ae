"""One probe attempt's bookkeeping, shared by the HTTP and the WebSocket probe.

It owns the phase recorder and turns either the probe's own findings or any exception into a
`ProbeResult`, so neither probe can raise and both report in the same shape.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol

from codex_link.core.model.probe import Failure, ProbeResult, Route, Stage, Transport
from codex_link.core.model.text import Text
from codex_link.core.model.urls import (
    BadUrlError,
    ProxyKind,
    ProxySchemeError,
    ProxySpec,
    Target,
    parse_target,
)
from codex_link.core.net.classify import classify
from codex_link.core.net.connect import proxy_display, route_proxy
from codex_link.core.net.phases import PhaseRecorder
from codex_link.core.net.reasons import Scene, failure_reason, upgrade_reachable
from codex_link.core.net.tls import TlsTrust


class ProbeRun:
    """The state of one attempt: clock, stage reached, what to name in sentences."""

    def __init__(
        self,
        transport: Transport,
        url: str,
        route: Route,
        *,
        timeout_s: float,
        clock: Callable[[], float],
        wall: Callable[[], float],
        authenticated: bool = False,
    ) -> None:
        self.transport = transport
        self.url = url
        self.route = route
        self.authenticated = authenticated
        self.started_at = wall()
        self.rec = PhaseRecorder(clock)
        try:
            target: Target | None = parse_target(url)
        except BadUrlError:
            target = None
        self._target = target
        self.scene = Scene(
            transport=transport,
            url=url,
            host=target.host if target else url,
            target=target.authority if target else url,
            proxy=proxy_display(route),
            timeout_s=timeout_s,
            authenticated=authenticated,
        )

    def target(self) -> Target:
        if self._target is None:
            raise BadUrlError("not a URL this probe can use")
        return self._target

    def proxy(
        self, allowed: frozenset[ProxyKind], *, bare_is_http: bool = True
    ) -> ProxySpec | None:
        """The route's proxy; a scheme outside `allowed` raises before anything connects."""
        try:
            return route_proxy(self.route, allowed, bare_is_http=bare_is_http)
        except ProxySchemeError:
            self.rec.add(Stage.PROXY, at_proxy=True)
            raise

    def result(
        self,
        *,
        reachable: bool,
        failure: Failure | None,
        reason: Text,
        status: int | None = None,
        close_code: int | None = None,
        close_reason: str | None = None,
        stage: Stage | None = None,
    ) -> ProbeResult:
        stage = stage or self.rec.stage
        self.rec.stop()
        return ProbeResult(
            transport=self.transport,
            url=self.url,
            route=self.route,
            started_at=self.started_at,
            elapsed_ms=self.rec.elapsed_ms,
            reachable=reachable,
            stage=stage,
            failure=failure,
            reason=reason,
            status=status,
            close_code=close_code,
            close_reason=close_reason,
            timings=self.rec.timings(),
            authenticated=self.authenticated,
        )

    def failed(self, exc: BaseException) -> ProbeResult:
        found = classify(exc, self.rec.stage, self.transport, at_proxy=self.rec.at_proxy)
        if found.failure is Failure.UPGRADE_STATUS:
            self.rec.credit()  # the upgrade was answered; the answer is what failed
        reachable = found.failure is Failure.UPGRADE_STATUS and upgrade_reachable(
            found.status, authenticated=self.authenticated
        )
        status = found.status
        if status is None and found.stage is Stage.POST_UPGRADE:
            status = 101  # what failed came after the upgrade was accepted
        return self.result(
            reachable=reachable,
            failure=found.failure,
            reason=failure_reason(found, self.scene),
            status=status,
            close_code=found.close_code,
            close_reason=found.close_reason,
        )


class Probe(Protocol):
    """What the HTTP and the WebSocket probe both are: one URL along one route, timed."""

    def __call__(
        self,
        url: str,
        route: Route,
        *,
        trust: TlsTrust,
        timeout_s: float = ...,
        headers: Mapping[str, str] | None = ...,
    ) -> Awaitable[ProbeResult]: ...
