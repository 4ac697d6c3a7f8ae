"""Which proxy each of Codex's transports uses: Codex's own rules, reproduced.

Read in the openai/codex source (2026) and checked against the real Codex CLI 0.169.0 with
`codex doctor` aimed at listening loopback ports:

WebSocket (`tokio-tungstenite`/`tungstenite-rs` forks in openai-oss-forks, `src/proxy.rs`
`proxy_from_env_for_host`): environment variables only. For `wss://`: `HTTPS_PROXY`,
`https_proxy`, then `HTTP_PROXY`, `http_proxy`, then `ALL_PROXY`, `all_proxy` (for `ws://` the
HTTPS pair is skipped). Uppercase wins over lowercase; the first spelling that is set is taken,
and an empty one counts as unset for its pair (an empty `HTTPS_PROXY` hides `https_proxy`).
`NO_PROXY`/`no_proxy` is honoured (see `no_proxy.websocket_bypasses`). Only `http://`,
`socks5://` and `socks5h://` proxy URLs work: `https://`, other schemes and a value without a
scheme (`127.0.0.1:7890`) fail with "Proxy URL scheme not supported", and Codex then waits
through its retries before falling back to HTTP.

HTTP (reqwest with `hyper-util`'s proxy matcher): for `https://` targets `HTTPS_PROXY` (either
case), else `ALL_PROXY`; `HTTP_PROXY` only for `http://` targets; so `HTTP_PROXY` alone
proxies the WebSocket but not Codex's HTTPS requests. A value without a scheme is taken as
`http://`. On Windows and macOS an unset variable is filled from the static system proxy
(Windows Internet Options: per-scheme entries, `socks=` for both, `ProxyOverride` as
`NO_PROXY` when that is unset; macOS: the HTTP/HTTPS proxies). No PAC. On Linux: env only.

`.env` in CODEX_HOME replaces process variables of the same name (see `proxy_env`).

`features.respect_system_proxy` (`codex-client/src/outbound_proxy.rs`, Auto mode): on Windows
and macOS, `NO_PROXY` first (a match goes direct); then the platform resolver: the PAC file's
answer, else the static proxy (its exception list goes direct; a SOCKS-only proxy is not
supported there); a system with no proxy at all means DIRECT (environment variables are then
ignored); only an unusable answer (PAC not resolved, SOCKS only) falls back to the usual rules.
`CODEX_SYSTEM_PROXY=off` turns the system part off. On Linux nothing changes. WPAD
auto-discovery is not reproduced. The default-on `system_proxy_fallback` feature only retries
start-up (bootstrap) requests, not model turns, so it does not change these routes.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace

from codex_link.core.model.findings import Finding, Severity
from codex_link.core.model.probe import Route, RouteKind, RouteSource, SourceKind
from codex_link.core.model.text import QT_TRANSLATE_NOOP, text
from codex_link.core.model.urls import (
    BadUrlError,
    Target,
    parse_target,
    redact_url,
    scheme_of,
    with_scheme,
)
from codex_link.core.net.no_proxy import http_bypasses, system_bypasses, websocket_bypasses
from codex_link.core.net.proxy_env import (
    ALL_PROXY,
    HTTP_PROXY,
    HTTPS_PROXY,
    NO_PROXY,
    CodexEnvironment,
    ProxyVariable,
)
from codex_link.core.net.proxy_pac import PAC_DIRECT
from codex_link.core.net.proxy_settings import SystemProxy

WEBSOCKET_PROXY_SCHEMES = frozenset({"http", "socks5", "socks5h"})
HTTP_PROXY_SCHEMES = frozenset({"http", "https", "socks4", "socks4a", "socks5", "socks5h"})
# Platforms where Codex reads OS proxy settings at all.
SYSTEM_PROXY_PLATFORMS = frozenset({"win32", "darwin"})
_OFF_WORDS = frozenset({"off", "false", "0", "no", "disabled"})

_NOT_SET = RouteSource(SourceKind.NOT_SET)
_NO_SYSTEM_PROXY = RouteSource(SourceKind.NO_SYSTEM_PROXY)


@dataclass(frozen=True)
class CodexRoutes:
    """The route Codex takes per transport, other routes worth probing, and what to tell."""

    http: Route
    websocket: Route
    alternatives: tuple[Route, ...]  # differ from at least one of the two routes above
    findings: tuple[Finding, ...]


def _target(url: str) -> Target:
    """Where the URL points; a URL the probes cannot use still gets routes (the probe then
    says what is wrong with it), so this never raises."""
    try:
        return parse_target(url)
    except BadUrlError:
        return Target(host="", port=443, secure=True, path="/")


def codex_routes(
    *,
    http_url: str,
    ws_url: str,
    env: Mapping[str, str],
    dotenv: Mapping[str, str],
    system: SystemProxy | None,
    respect_system_proxy: bool,
    pac_proxy: str | None = None,
    platform: str = sys.platform,
) -> CodexRoutes:
    """Codex's route for each transport, the alternatives, and the findings.

    `pac_proxy` is the system PAC file's answer for the target (`proxy_pac.pac_proxy_for`:
    a proxy URL, `PAC_DIRECT`, or None when unknown). `platform` is where Codex runs.
    """
    merged = CodexEnvironment(env, dotenv)
    http_target, ws_target = _target(http_url), _target(ws_url)
    if respect_system_proxy and _system_resolution_on(platform, merged):
        http = _respecting_system(merged, http_target, system, pac_proxy) or _http_route(
            merged, http_target, system, platform
        )
        websocket = _respecting_system(merged, ws_target, system, pac_proxy) or _websocket_route(
            merged, ws_target
        )
    else:
        http = _http_route(merged, http_target, system, platform)
        websocket = _websocket_route(merged, ws_target)
    alternatives = _alternatives(http, websocket, system, pac_proxy, ws_target)
    findings = _findings(merged, websocket, http, system, respect_system_proxy, platform)
    return CodexRoutes(http=http, websocket=websocket, alternatives=alternatives, findings=findings)


# --- WebSocket -------------------------------------------------------------------------------


def _websocket_route(env: CodexEnvironment, target: Target) -> Route:
    no_proxy = env.first_value(NO_PROXY)
    if no_proxy is not None and websocket_bypasses(no_proxy.value, target.host, target.port):
        return Route(RouteKind.DIRECT, None, no_proxy.source)
    chosen = _websocket_variable(env, target)
    if chosen is None:
        return Route(RouteKind.DIRECT, None, _NOT_SET)
    return Route(RouteKind.ENV_PROXY, chosen.value.strip(), chosen.source)


def _websocket_variable(env: CodexEnvironment, target: Target) -> ProxyVariable | None:
    groups = (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY) if target.secure else (HTTP_PROXY, ALL_PROXY)
    for group in groups:
        found = env.first_value(group)
        if found is not None:
            return found
    return None


# --- HTTP ------------------------------------------------------------------------------------


def _http_route(
    env: CodexEnvironment, target: Target, system: SystemProxy | None, platform: str
) -> Route:
    specific = HTTPS_PROXY if target.secure else HTTP_PROXY
    reads_system = system is not None and platform in SYSTEM_PROXY_PLATFORMS
    candidates: list[tuple[str, RouteSource]] = []  # (value, source), in reqwest's order
    variable = env.first_value(specific)
    if variable is not None:
        candidates.append((variable.value, variable.source))
    elif reads_system and system is not None:
        fill = _system_fill(system, target, platform)
        if fill is not None:
            candidates.append((fill, _settings(system)))
    everything = env.first_value(ALL_PROXY)
    if everything is not None:
        candidates.append((everything.value, everything.source))
    chosen = next(
        (
            (url, source)
            for value, source in candidates
            if (url := _reqwest_proxy_url(value)) is not None
        ),
        None,
    )
    if chosen is None:
        return Route(RouteKind.DIRECT, None, _NOT_SET)
    no_proxy, no_source = _http_no_proxy(env, system if reads_system else None, platform)
    if no_proxy and http_bypasses(no_proxy, target.host):
        return Route(RouteKind.DIRECT, None, no_source)
    url, source = chosen
    kind = RouteKind.SYSTEM_PROXY if source.kind is SourceKind.SYSTEM else RouteKind.ENV_PROXY
    return Route(kind, url, source)


def _system_fill(system: SystemProxy, target: Target, platform: str) -> str | None:
    """The system value reqwest puts in an unset HTTPS (or HTTP) slot."""
    specific = system.https if target.secure else system.http
    if platform == "win32":
        return specific or system.socks  # hyper-util: a `socks=` entry serves both schemes
    return specific


def _http_no_proxy(
    env: CodexEnvironment, system: SystemProxy | None, platform: str
) -> tuple[str, RouteSource]:
    variable = env.first_value(NO_PROXY)
    if variable is not None:
        return variable.value, variable.source
    if system is not None and platform == "win32" and system.bypass:
        # hyper-util turns ProxyOverride into a NO_PROXY list: `;` -> `,`, `*.` removed.
        return ",".join(system.bypass).replace("*.", ""), _exceptions(system)
    return "", RouteSource()


def _settings(system: SystemProxy) -> RouteSource:
    return RouteSource(SourceKind.SYSTEM, settings=system.source)


def _exceptions(system: SystemProxy) -> RouteSource:
    return RouteSource(SourceKind.SYSTEM_EXCEPTIONS, settings=system.source)


def _reqwest_proxy_url(value: str) -> str | None:
    """A proxy value as reqwest uses it: no scheme means http://; unknown schemes are skipped."""
    value = value.strip()
    if not value:
        return None
    scheme = scheme_of(value)
    if scheme is None:
        return with_scheme(value, "http")
    if scheme not in HTTP_PROXY_SCHEMES:
        return None
    return with_scheme(value, scheme)


# --- features.respect_system_proxy ------------------------------------------------------------


def _system_resolution_on(platform: str, env: CodexEnvironment) -> bool:
    if platform not in SYSTEM_PROXY_PLATFORMS:
        return False
    switch = env.get("CODEX_SYSTEM_PROXY")  # never from .env: Codex refuses CODEX_* there
    return switch is None or switch.value.strip().lower() not in _OFF_WORDS


def _respecting_system(
    env: CodexEnvironment, target: Target, system: SystemProxy | None, pac_proxy: str | None
) -> Route | None:
    """Codex's platform resolver; None when it gives no usable answer (then: usual rules)."""
    no_proxy = env.first_value(NO_PROXY)
    if no_proxy is not None and http_bypasses(no_proxy.value, target.host):
        return Route(RouteKind.DIRECT, None, no_proxy.source)
    if system is None:
        return Route(RouteKind.DIRECT, None, _NO_SYSTEM_PROXY)
    if system.pac_url and pac_proxy is not None:
        pac_source = RouteSource(SourceKind.PAC, pac_url=system.pac_url)
        if pac_proxy == PAC_DIRECT:
            return Route(RouteKind.DIRECT, None, pac_source)
        if scheme_of(pac_proxy) in ("http", "https"):
            return Route(RouteKind.PAC_PROXY, pac_proxy, pac_source)
    if system.has_static_proxy:
        if system_bypasses(system.bypass, target.host, target.port):
            return Route(RouteKind.DIRECT, None, _exceptions(system))
        specific = system.https if target.secure else system.http
        if specific is not None:
            return Route(RouteKind.SYSTEM_PROXY, specific, _settings(system))
        return None  # SOCKS only: Codex's resolver does not support it
    if system.pac_url:
        return None  # PAC not resolved: Codex falls back to the usual rules
    return Route(RouteKind.DIRECT, None, _NO_SYSTEM_PROXY)


# --- alternatives and findings -----------------------------------------------------------------


def _alternatives(
    http: Route,
    websocket: Route,
    system: SystemProxy | None,
    pac_proxy: str | None,
    ws_target: Target,
) -> tuple[Route, ...]:
    candidates: list[Route] = []
    if (
        websocket.kind is RouteKind.ENV_PROXY
        and websocket.proxy_url is not None
        and scheme_of(websocket.proxy_url) is None
    ):
        candidates.append(
            Route(
                RouteKind.ENV_PROXY,
                with_scheme(websocket.proxy_url, "http"),
                replace(websocket.origin, http_added=True),
            )
        )
    if system is not None:
        static = (system.https if ws_target.secure else system.http) or system.socks
        if static is not None:
            candidates.append(Route(RouteKind.SYSTEM_PROXY, static, _settings(system)))
        if system.pac_url and pac_proxy not in (None, PAC_DIRECT):
            candidates.append(
                Route(
                    RouteKind.PAC_PROXY,
                    pac_proxy,
                    RouteSource(SourceKind.PAC, pac_url=system.pac_url),
                )
            )
    candidates.append(Route(RouteKind.DIRECT, None, RouteSource(SourceKind.DIRECT)))
    taken = {_route_key(http), _route_key(websocket)}
    chosen: list[Route] = []
    seen: set[str | None] = set()
    for route in candidates:
        key = _route_key(route)
        if key in seen or ({key} == taken):
            continue
        seen.add(key)
        chosen.append(route)
    return tuple(chosen)


def _route_key(route: Route) -> str | None:
    if route.proxy_url is None:
        return None
    return route.proxy_url.strip().rstrip("/").lower()


def _findings(
    env: CodexEnvironment,
    websocket: Route,
    http: Route,
    system: SystemProxy | None,
    respect_system_proxy: bool,
    platform: str,
) -> tuple[Finding, ...]:
    findings: list[Finding] = []
    if websocket.kind is RouteKind.ENV_PROXY and websocket.proxy_url is not None:
        findings.extend(_websocket_scheme_findings(websocket))
    for name, in_dotenv, in_env in env.overridden_by_dotenv():
        findings.append(
            Finding(
                "dotenv_overrides_environment",
                Severity.WARNING,
                text(
                    QT_TRANSLATE_NOOP(
                        "CodexLink",
                        "{name} in $CODEX_HOME/.env ({dotenv_value}) "
                        "replaces the value in your environment ({env_value}): "
                        "Codex uses the one in .env.",
                    ),
                    name=name,
                    dotenv_value=redact_url(in_dotenv),
                    env_value=redact_url(in_env),
                ),
            )
        )
    http_only = env.first_value(HTTP_PROXY)
    if (
        http_only is not None
        and env.first_value(HTTPS_PROXY) is None
        and env.first_value(ALL_PROXY) is None
        and http.kind is RouteKind.DIRECT
    ):
        findings.append(
            Finding(
                "http_proxy_not_used_for_https",
                Severity.WARNING,
                text(
                    QT_TRANSLATE_NOOP(
                        "CodexLink",
                        "{name} is set but HTTPS_PROXY is not: Codex's "
                        "WebSocket uses {name}, its HTTPS requests go direct. Set "
                        "HTTPS_PROXY to the same proxy.",
                    ),
                    name=http_only.name,
                ),
            )
        )
    if respect_system_proxy and platform not in SYSTEM_PROXY_PLATFORMS:
        findings.append(
            Finding(
                "respect_system_proxy_no_effect",
                Severity.INFO,
                text(
                    QT_TRANSLATE_NOOP(
                        "CodexLink",
                        "features.respect_system_proxy changes nothing on "
                        "Linux: Codex still uses only environment variables such as "
                        "HTTPS_PROXY.",
                    )
                ),
            )
        )
    if system is not None and system.has_static_proxy and not respect_system_proxy:
        if websocket.kind is RouteKind.DIRECT and websocket.origin.kind is SourceKind.NOT_SET:
            findings.append(
                Finding(
                    "websocket_ignores_system_proxy",
                    Severity.INFO,
                    text(
                        QT_TRANSLATE_NOOP(
                            "CodexLink",
                            "Codex does not use the proxy in {source} for "
                            "WebSocket: only HTTPS_PROXY, HTTP_PROXY and ALL_PROXY.",
                        ),
                        source=system.source.text(),
                    ),
                )
            )
        if (
            platform not in SYSTEM_PROXY_PLATFORMS
            and http.kind is RouteKind.DIRECT
            and http.origin.kind is SourceKind.NOT_SET
        ):
            findings.append(
                Finding(
                    "linux_system_proxy_ignored",
                    Severity.INFO,
                    text(
                        QT_TRANSLATE_NOOP(
                            "CodexLink",
                            "Codex on Linux does not read the proxy in "
                            "{source}: it uses only environment variables such as "
                            "HTTPS_PROXY.",
                        ),
                        source=system.source.text(),
                    ),
                )
            )
    return tuple(findings)


def _websocket_scheme_findings(websocket: Route) -> list[Finding]:
    assert websocket.proxy_url is not None
    scheme = scheme_of(websocket.proxy_url)
    variable = websocket.origin.variable  # the route came from this variable
    shown = redact_url(websocket.proxy_url)
    if scheme is None:
        return [
            Finding(
                "websocket_proxy_without_scheme",
                Severity.WARNING,
                text(
                    QT_TRANSLATE_NOOP(
                        "CodexLink",
                        "{variable} is {proxy} without http:// in front: "
                        "Codex's HTTP requests use it, but its WebSocket refuses it and "
                        "falls back to HTTP after its retries. Write http://{proxy}.",
                    ),
                    variable=variable,
                    proxy=shown,
                ),
            )
        ]
    if scheme == "https":
        return [
            Finding(
                "websocket_https_proxy",
                Severity.WARNING,
                text(
                    QT_TRANSLATE_NOOP(
                        "CodexLink",
                        "Codex's WebSocket cannot use the https:// proxy in "
                        "{variable} ({proxy}): it falls back to HTTP after its retries.",
                    ),
                    variable=variable,
                    proxy=shown,
                ),
            )
        ]
    if scheme not in WEBSOCKET_PROXY_SCHEMES:
        return [
            Finding(
                "websocket_proxy_scheme_unsupported",
                Severity.WARNING,
                text(
                    QT_TRANSLATE_NOOP(
                        "CodexLink",
                        "Codex's WebSocket cannot use the {scheme}:// proxy "
                        "in {variable} ({proxy}): only http://, socks5:// and socks5h:// "
                        "work.",
                    ),
                    scheme=scheme,
                    variable=variable,
                    proxy=shown,
                ),
            )
        ]
    return []
