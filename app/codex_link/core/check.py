"""One complete check: Codex's settings, its routes, the probes along them, and the verdict.

Qt-free and built from injected parts, so the same code serves the tray's monitor, the
`codex-link check` command, the tests (real loopback endpoint and proxies) and the benchmark.

Order of events, and why:
- Settings and the OS proxy are read again at every check: the user may have edited
  config.toml or switched networks since the last one. Settings are read once per check: the
  monitor reads them (`read_settings`) to show the HTTP-only switch and passes the same
  reading to `run`, so the tray's switch and the verdict never come from two readings.
- HTTP and WebSocket are probed at the same time on Codex's own routes. The WebSocket gets
  Codex's own connect timeout (the provider's `websocket_connect_timeout_ms`), because that is
  the moment Codex itself gives up; it is probed even when the provider has WebSocket off, so
  an HTTP-only user can hear "WebSocket works again".
- A provisional verdict goes out once HTTP has answered and the WebSocket has stayed silent
  past max(3 s, 10x the HTTP time): a blackhole shows amber in seconds, not after 15 s.
- Alternatives (system proxy, PAC, direct) run alongside, with a shorter timeout: they only
  explain and advise ("WebSocket works through your system proxy"), never decide health.
- Once the WebSocket has failed on Codex's own route (and only then: a working one needs no
  other), proxies listening on loopback are looked for (`net.discovery`, bounded, its answer
  cached), alongside the alternatives still running. Every route that carried the WebSocket
  becomes a route fix proposal if Codex's own rules would follow it (`net.route_proposals`);
  the verdict offers those first.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from codex_link.core.deep_credentials import (
    DeepLogin,
    NoDeepCheck,
    read_deep_login,
)
from codex_link.core.model.codex_settings import CodexSettings
from codex_link.core.model.codex_versions import DEFAULT, facts_for
from codex_link.core.model.findings import Finding, Severity
from codex_link.core.model.probe import ProbeResult, Route
from codex_link.core.model.report import CheckReport
from codex_link.core.model.route_fix import RouteProposal
from codex_link.core.model.text import QT_TRANSLATE_NOOP, text
from codex_link.core.net.discovery import LOCAL_PROXY_PORTS, Discovery
from codex_link.core.net.probe_http import probe_http as real_probe_http
from codex_link.core.net.probe_ws import codex_ws_headers
from codex_link.core.net.probe_ws import probe_ws as real_probe_ws
from codex_link.core.net.proxy_settings import SystemProxy
from codex_link.core.net.route_proposals import RouteInputs, propose_routes
from codex_link.core.net.routes import CodexRoutes
from codex_link.core.net.run import Probe
from codex_link.core.net.tls import TlsTrust
from codex_link.core.verdict import decide, provisional_deadline_s, ws_works

HTTP_TIMEOUT_S = 10.0  # the HTTP probe's bound; any status within it proves the path
ALTERNATIVE_TIMEOUT_S = 5.0  # a working alternative answers in well under this
# With HTTP only on, HTTP alone decides health; the WebSocket is probed only to offer the way
# back, and a working one opens in well under this, so the check never waits 15 s for it.
SWITCH_BACK_PROBE_TIMEOUT_S = 3.0
PAC_TIMEOUT_S = 3.0
# Sent as Codex's `version` header when the installed Codex is unknown: the first checked one.
CODEX_VERSION_FOR_HEADERS = DEFAULT.version


class CheckRunner(Protocol):
    """What the monitor needs of a check: `Checker` is the real one, tests script their own."""

    def read_settings(self) -> CodexSettings: ...

    def run(
        self,
        *,
        settings: CodexSettings | None = None,
        deep: bool = False,
        on_provisional: Callable[[CheckReport], None] | None = None,
        include_alternatives: bool = True,
        ws_healthy_streak: int = 0,
    ) -> Awaitable[CheckReport]: ...


type SettingsLoader = Callable[[], CodexSettings]
type SystemProxyReader = Callable[[], SystemProxy | None]
type PacResolver = Callable[[str, str], Awaitable[str | None]]  # (pac_url, target) -> proxy
type CredentialReader = Callable[[CodexSettings], DeepLogin | NoDeepCheck]
type TrustLoader = Callable[[], TlsTrust]


def _no_system_proxy() -> SystemProxy | None:
    return None


def _no_credentials(_settings: CodexSettings) -> DeepLogin | NoDeepCheck:
    return DeepLogin({})


async def _no_pac(_pac_url: str, _target: str) -> str | None:
    return None


def _same_path(a: Route, b: Route) -> bool:
    """Two routes that reach the target the same way (the source may be worded differently)."""

    def key(route: Route) -> str | None:
        return None if route.proxy_url is None else route.proxy_url.strip().rstrip("/").lower()

    return key(a) == key(b)


class Checker:
    """Runs complete checks; holds only its configuration, never a previous result."""

    def __init__(
        self,
        *,
        settings: SettingsLoader,
        env: Mapping[str, str],
        trust: TrustLoader,
        system_proxy: SystemProxyReader = _no_system_proxy,
        pac_resolver: PacResolver = _no_pac,
        probe_http: Probe = real_probe_http,
        probe_ws: Probe = real_probe_ws,
        credentials: CredentialReader = _no_credentials,
        discovery: Discovery | None = None,
        codex_version: str = CODEX_VERSION_FOR_HEADERS,
        platform: str = sys.platform,
        http_timeout_s: float = HTTP_TIMEOUT_S,
        max_timeout_s: float | None = None,
        switch_back_after: int = 3,
        wall: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """`settings`: loads Codex's settings now. `env`: the environment Codex runs with.
        `credentials`: reads the login for the deep check only (see `deep_credentials`).
        `max_timeout_s`: caps every probe's timeout (the command line's `--timeout`).
        `platform`: where Codex runs (decides whether it reads the OS proxy settings).
        `discovery`: looks for proxies listening on loopback when Codex's WebSocket fails
        (None: never looks).
        """
        self._settings = settings
        self._env = dict(env)
        self._trust = trust
        self._system_proxy = system_proxy
        self._pac_resolver = pac_resolver
        self._probe_http = probe_http
        self._probe_ws = probe_ws
        self._credentials = credentials
        self._discovery = discovery
        self._codex_version = codex_version
        self._facts = facts_for(codex_version).facts  # how that release retries and waits
        self._platform = platform
        self._http_timeout_s = http_timeout_s
        self._max_timeout_s = max_timeout_s
        self._switch_back_after = switch_back_after
        self._wall = wall
        self._monotonic = monotonic

    def read_settings(self) -> CodexSettings:
        """Codex's settings now, as a check would read them."""
        return self._settings()

    def _cap(self, seconds: float) -> float:
        return seconds if self._max_timeout_s is None else min(seconds, self._max_timeout_s)

    async def routes(self, settings: CodexSettings) -> CodexRoutes:
        """Codex's route per transport right now (reads the OS proxy off the event loop)."""
        return (await self.route_inputs(settings)).routes()

    async def route_inputs(self, settings: CodexSettings) -> RouteInputs:
        """What Codex's route rules read right now: settings, environment, OS proxy, PAC."""
        system = await asyncio.to_thread(self._system_proxy)
        pac: str | None = None
        if system is not None and system.pac_url:
            with contextlib.suppress(Exception):  # a broken PAC file only loses an alternative
                pac = await asyncio.wait_for(
                    self._pac_resolver(system.pac_url, settings.endpoints.websocket_url),
                    PAC_TIMEOUT_S,
                )
        return RouteInputs(
            http_url=settings.endpoints.http_url,
            ws_url=settings.endpoints.websocket_url,
            env=self._env,
            dotenv=dict(settings.dotenv_proxies),
            system=system,
            respect_system_proxy=settings.respect_system_proxy,
            pac_proxy=pac,
            platform=self._platform,
        )

    async def run(
        self,
        *,
        settings: CodexSettings | None = None,
        deep: bool = False,
        on_provisional: Callable[[CheckReport], None] | None = None,
        include_alternatives: bool = True,
        ws_healthy_streak: int = 0,
    ) -> CheckReport:
        """One check. `settings`: Codex's settings as the caller just read them (None: read
        them now). `ws_healthy_streak`: complete checks in a row before this one in which the
        WebSocket worked (the monitor counts them; this check adds itself)."""
        started = self._wall()
        # The provisional deadline counts from here, the user's "check started", so reading
        # settings and proxy routes (which may ask the desktop) does not push it back.
        start = self._monotonic()
        if settings is None:
            settings = self._settings()
        trust = self._trust()
        inputs = await self.route_inputs(settings)
        routes = inputs.routes()
        findings = self._findings(settings, routes, trust)
        http_url, ws_url = settings.endpoints.http_url, settings.endpoints.websocket_url
        ws_timeout = self._cap(settings.provider.websocket_connect_timeout_ms / 1000.0)
        if not settings.websockets_enabled:
            ws_timeout = min(ws_timeout, SWITCH_BACK_PROBE_TIMEOUT_S)
        http_timeout = self._cap(self._http_timeout_s)
        alt_ws_timeout = min(ws_timeout, ALTERNATIVE_TIMEOUT_S)
        alt_http_timeout = min(http_timeout, ALTERNATIVE_TIMEOUT_S)
        plain_headers = codex_ws_headers(self._codex_version)

        def verdict_report(
            http: ProbeResult,
            ws: ProbeResult | None,
            alternatives: Sequence[ProbeResult],
            *,
            provisional: bool,
            proposals: Sequence[RouteProposal] = (),
        ) -> CheckReport:
            streak = ws_healthy_streak + 1 if ws is not None and ws_works(ws) else 0
            verdict = decide(
                http,
                ws,
                alternatives,
                provider=settings.provider,
                http_only=not settings.websockets_enabled,
                ws_pending=provisional,
                respect_system_proxy=settings.respect_system_proxy,
                ws_healthy_streak=streak,
                switch_back_after=self._switch_back_after,
                findings=findings,
                proposals=proposals,
                facts=self._facts,
            )
            primary = (http,) if ws is None else (http, ws)
            return CheckReport(
                started_at=started,
                finished_at=self._wall(),
                primary=primary,
                alternatives=tuple(alternatives),
                verdict=verdict,
                findings=findings,
            )

        tasks: list[asyncio.Task[ProbeResult]] = []
        found: asyncio.Task[tuple[ProbeResult, ...]] | None = None
        try:
            # The login is read here, used for this one upgrade request, and dropped with
            # `ws_headers` when this coroutine ends. Only Codex's own route gets it, and only
            # what Codex itself sends to this provider.
            login = self._credentials(settings) if deep else DeepLogin({})
            if isinstance(login, NoDeepCheck):
                findings = (*findings, Finding("deep_check_not_run", Severity.INFO, login.reason))
                login = DeepLogin({})
            elif deep and not login.sends_login:
                findings = (
                    *findings,
                    Finding(
                        "deep_check_no_login",
                        Severity.INFO,
                        text(
                            QT_TRANSLATE_NOOP(
                                "CodexLink",
                                "The deep check sent no login: Codex sends "
                                "none to this provider either.",
                            )
                        ),
                    ),
                )
            ws_headers = codex_ws_headers(self._codex_version, login=login.headers)
            del login
            http_task = asyncio.ensure_future(
                self._probe_http(http_url, routes.http, trust=trust, timeout_s=http_timeout)
            )
            ws_task = asyncio.ensure_future(
                self._probe_ws(
                    ws_url, routes.websocket, trust=trust, timeout_s=ws_timeout, headers=ws_headers
                )
            )
            tasks += [http_task, ws_task]
            alt_tasks: list[asyncio.Task[ProbeResult]] = []
            if include_alternatives:
                for route in routes.alternatives:
                    if not _same_path(route, routes.websocket):
                        alt_tasks.append(
                            asyncio.ensure_future(
                                self._probe_ws(
                                    ws_url,
                                    route,
                                    trust=trust,
                                    timeout_s=alt_ws_timeout,
                                    headers=plain_headers,
                                )
                            )
                        )
                    if not _same_path(route, routes.http):
                        alt_tasks.append(
                            asyncio.ensure_future(
                                self._probe_http(
                                    http_url, route, trust=trust, timeout_s=alt_http_timeout
                                )
                            )
                        )
            tasks += alt_tasks

            if on_provisional is not None:
                http = await http_task
                # With WebSocket off, HTTP alone decides: say so as soon as it has answered.
                deadline = (
                    start + provisional_deadline_s(http.elapsed_ms / 1000.0)
                    if settings.websockets_enabled
                    else 0.0
                )
                await asyncio.wait({ws_task}, timeout=max(0.0, deadline - self._monotonic()))
                if not ws_task.done():
                    done = [t.result() for t in alt_tasks if t.done()]
                    on_provisional(verdict_report(http, None, done, provisional=True))
            ws = await ws_task
            if (
                self._discovery is not None
                and include_alternatives
                and settings.websockets_enabled
                and not ws_works(ws)
            ):
                known = [r.proxy_url for r in (routes.http, routes.websocket, *routes.alternatives)]
                found = asyncio.ensure_future(
                    self._discovery.find(
                        http_url=http_url,
                        ws_url=ws_url,
                        trust=trust,
                        system=inputs.system,
                        known=known,
                        ws_headers=plain_headers,
                        timeout_s=alt_ws_timeout,
                    )
                )
            results = await asyncio.gather(*tasks)
            discovered = await found if found is not None else ()
        finally:
            # Cancelled (the monitor's time limit) or failed: no probe may outlive the check.
            pending: list[asyncio.Task[ProbeResult] | asyncio.Task[tuple[ProbeResult, ...]]] = [
                t for t in tasks if not t.done()
            ]
            if found is not None and not found.done():
                pending.append(found)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)
        http, ws, *alternatives = results
        alternatives += discovered
        proposals = () if ws_works(ws) else propose_routes(inputs, [http, ws, *alternatives])
        return verdict_report(http, ws, alternatives, provisional=False, proposals=proposals)

    @staticmethod
    def _findings(
        settings: CodexSettings, routes: CodexRoutes, trust: TlsTrust
    ) -> tuple[Finding, ...]:
        found = [*settings.findings, *routes.findings]
        if trust.problem is not None:
            found.append(Finding("ca_certificate_unusable", Severity.WARNING, trust.problem))
        return tuple(found)


def build_checker(
    env: Mapping[str, str],
    *,
    user_home: Path | None = None,
    system_proxy: SystemProxyReader | None = None,
    platform: str = sys.platform,
    max_timeout_s: float | None = None,
    switch_back_after: int = 3,
    local_proxy_ports: Sequence[int] = LOCAL_PROXY_PORTS,
    codex_version: str | None = None,
) -> Checker:
    """A Checker on the real parts: Codex's files under CODEX_HOME (or `<home>/.codex`), the
    OS proxy settings, Codex's trust store, the real probes, discovery of proxies listening
    on `local_proxy_ports` of 127.0.0.1. `env`: Codex's environment. `codex_version`: the
    installed Codex's (`codex.installed`), named in the probes' headers as Codex names it."""
    from codex_link.core.codex.home import resolve_codex_home
    from codex_link.core.codex.settings import load_settings
    from codex_link.core.net.proxy_pac import pac_proxy_for
    from codex_link.core.net.system_proxy import read_system_proxy
    from codex_link.core.net.tls import codex_trust

    env = dict(env)
    home = resolve_codex_home(env, user_home)

    def read_os_proxy() -> SystemProxy | None:
        return read_system_proxy(platform=platform, env=env)

    async def pac(pac_url: str, target: str) -> str | None:
        return await pac_proxy_for(pac_url, target, timeout_s=PAC_TIMEOUT_S)

    return Checker(
        settings=lambda: load_settings(home, env),
        env=env,
        trust=lambda: codex_trust(env),
        system_proxy=system_proxy if system_proxy is not None else read_os_proxy,
        pac_resolver=pac,
        credentials=lambda settings: read_deep_login(settings, env),
        discovery=Discovery(
            probe_http=real_probe_http, probe_ws=real_probe_ws, ports=local_proxy_ports
        ),
        platform=platform,
        max_timeout_s=max_timeout_s,
        switch_back_after=switch_back_after,
        codex_version=codex_version or CODEX_VERSION_FOR_HEADERS,
    )
