"""Route fixes worth offering: a verified route, and the setting that sends Codex along it.

A proposal is made only when Codex itself would take the route once the fix is written.
Each candidate is checked by running Codex's own rules (`routes.codex_routes`) on the
settings as they would be after the fix: the `.env` lines the route fix writes (the proxy
variables and `NO_PROXY`), or `features.respect_system_proxy` on. The fix is proposed when
Codex's WebSocket would then go through the proxy whose WebSocket probe worked, and its HTTP
requests along a route whose HTTP probe worked (the same as now, or the proxy too). So:

- an http:// proxy whose HTTP also works: `HTTPS_PROXY` (both transports on the proxy);
- a SOCKS proxy, or one whose HTTP fails: `HTTP_PROXY` only, which Codex's WebSocket reads
  and its HTTPS requests ignore; unless the user's environment or .env sets `HTTPS_PROXY` (or
  `https_proxy`), which Codex's WebSocket reads first: then only `HTTPS_PROXY` would win,
  and it is proposed when the proxy carries HTTP too;
- the system proxy or its PAC answer on Windows and macOS: `features.respect_system_proxy`,
  first, since it follows the OS settings when they change.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from codex_link.core.model.probe import ProbeResult, RouteKind, Transport
from codex_link.core.model.route_fix import RouteMethod, RouteProposal
from codex_link.core.model.urls import scheme_of
from codex_link.core.net.discovery import route_key
from codex_link.core.net.proxy_settings import SystemProxy
from codex_link.core.net.routes import (
    SYSTEM_PROXY_PLATFORMS,
    WEBSOCKET_PROXY_SCHEMES,
    CodexRoutes,
    codex_routes,
)

# The variable sets a .env fix may write, best first: both transports, then WebSocket only.
_DOTENV_VARIABLES: tuple[tuple[str, ...], ...] = (("HTTPS_PROXY",), ("HTTP_PROXY",))
_NO_PROXY = "NO_PROXY"
_SYSTEM_KINDS = frozenset({RouteKind.SYSTEM_PROXY, RouteKind.PAC_PROXY})


@dataclass(frozen=True, slots=True)
class RouteInputs:
    """Everything Codex's route rules read, as one check read it."""

    http_url: str
    ws_url: str
    env: Mapping[str, str]
    dotenv: Mapping[str, str]
    system: SystemProxy | None
    respect_system_proxy: bool
    pac_proxy: str | None = None
    platform: str = field(default=sys.platform)

    def routes(self) -> CodexRoutes:
        return codex_routes(
            http_url=self.http_url,
            ws_url=self.ws_url,
            env=self.env,
            dotenv=self.dotenv,
            system=self.system,
            respect_system_proxy=self.respect_system_proxy,
            pac_proxy=self.pac_proxy,
            platform=self.platform,
        )

    def after(self, proposal: RouteProposal) -> RouteInputs:
        """The inputs once `proposal` is written (what Codex would read at its next start)."""
        if proposal.method is RouteMethod.SYSTEM_PROXY:
            return replace(self, respect_system_proxy=True)
        assert proposal.proxy_url is not None
        lines = {name: proposal.proxy_url for name in proposal.variables}
        return replace(self, dotenv={**self.dotenv, **lines, _NO_PROXY: proposal.no_proxy})


def propose_routes(
    inputs: RouteInputs, results: Sequence[ProbeResult]
) -> tuple[RouteProposal, ...]:
    """The route fixes Codex would follow to a proxy that carried the WebSocket in `results`
    (every probe of the check: on Codex's routes, the alternatives, the proxies found
    listening), best first, each once."""
    http_works = {
        route_key(r.route.proxy_url)
        for r in results
        if r.transport is Transport.HTTP and r.reachable
    }
    carried = [
        r
        for r in results
        if r.transport is Transport.WEBSOCKET and r.reachable and r.route.proxy_url is not None
    ]
    system_fixes: list[RouteProposal] = []
    dotenv_fixes: list[RouteProposal] = []
    for result in carried:
        url = result.route.proxy_url
        assert url is not None
        if (
            result.route.kind in _SYSTEM_KINDS
            and inputs.platform in SYSTEM_PROXY_PLATFORMS
            and not inputs.respect_system_proxy
        ):
            fix = RouteProposal(RouteMethod.SYSTEM_PROXY, url)
            if _taken(inputs.after(fix), url, http_works):
                system_fixes.append(fix)
        if scheme_of(url) in WEBSOCKET_PROXY_SCHEMES:
            dotenv_fixes.extend(_dotenv_fix(inputs, url, http_works))
    unique: dict[tuple[RouteMethod, str | None], RouteProposal] = {}
    for fix in (*system_fixes, *dotenv_fixes):
        unique.setdefault((fix.method, route_key(fix.proxy_url)), fix)
    return tuple(unique.values())


def _dotenv_fix(
    inputs: RouteInputs, url: str, http_works: set[str | None]
) -> tuple[RouteProposal, ...]:
    """The first .env variable set Codex would follow to `url`; none when no set does."""
    for variables in _DOTENV_VARIABLES:
        fix = RouteProposal(RouteMethod.DOTENV, url, variables)
        if _taken(inputs.after(fix), url, http_works):
            return (fix,)
    return ()


def _taken(after: RouteInputs, url: str, http_works: set[str | None]) -> bool:
    """Codex, reading `after`, sends its WebSocket through `url` and its HTTP requests along a
    route whose HTTP probe worked."""
    routes = after.routes()
    return (
        route_key(routes.websocket.proxy_url) == route_key(url)
        and route_key(routes.http.proxy_url) in http_works
    )
