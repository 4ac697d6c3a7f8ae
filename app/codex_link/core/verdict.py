"""From probe results to what the user is told: Health, one headline, advice (DESIGN "Verdicts").

Pure functions: the same results always give the same verdict, so the rules are table-tested
and the monitor can re-decide with its own streak counts (hysteresis lives in the monitor).
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from codex_link.core.codex.findings import is_loopback_url
from codex_link.core.model.codex_settings import ProviderInfo
from codex_link.core.model.findings import Finding, Severity
from codex_link.core.model.probe import Failure, ProbeResult, RouteKind, Transport
from codex_link.core.model.text import QT_TRANSLATE_NOOP, Text, text
from codex_link.core.model.verdict import Advice, AdviceKind, Health, Verdict
from codex_link.core.wait_estimate import (
    UPGRADE_REQUIRED,
    fallback_wait_seconds,
    provisional_deadline_s,
)

__all__ = [
    "decide",
    "failure_words",
    "fallback_wait_seconds",
    "provisional_deadline_s",
    "ws_works",
]

# Proxy URL schemes Codex's WebSocket client accepts from HTTPS_PROXY (CODEX_FACTS §5).
_WS_PROXY_SCHEMES = frozenset({"http", "socks5", "socks5h"})


def ws_works(result: ProbeResult) -> bool:
    """The WebSocket route works for Codex: a 101, or a 401/403 answer to an upgrade sent
    without a login (the probe marks it reachable; to the deep check's login it is a failure,
    as Codex counts it a failed connect)."""
    return result.reachable


def login_unchecked(result: ProbeResult) -> bool:
    """The route works, but the server turned the unsigned upgrade down: the login Codex
    sends was not tried, so it may still be refused."""
    return result.reachable and result.failure is Failure.UPGRADE_STATUS


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


def failure_words(result: ProbeResult) -> Text:
    """The failed stage in plain words: what broke, for someone who is not a network person."""
    proxy = result.route.display()
    host = _host(result.url)
    match result.failure:
        case Failure.DNS:
            return text(QT_TRANSLATE_NOOP(
                "CodexLink", "the name {host} could not be looked up (DNS)"), host=host)
        case Failure.TCP_REFUSED:
            return text(QT_TRANSLATE_NOOP(
                "CodexLink", "{host} refused the connection"), host=host)
        case Failure.TCP_TIMEOUT:
            return text(QT_TRANSLATE_NOOP(
                "CodexLink", "{host} did not answer the connection"), host=host)
        case Failure.PROXY_REFUSED:
            return text(QT_TRANSLATE_NOOP(
                "CodexLink", "the proxy {proxy} is not running (connection refused)"),
                proxy=proxy)
        case Failure.PROXY_REJECTED:
            return text(QT_TRANSLATE_NOOP(
                "CodexLink", "the proxy {proxy} refused to connect to {host}"),
                proxy=proxy, host=host)
        case Failure.PROXY_AUTH:
            return text(QT_TRANSLATE_NOOP(
                "CodexLink", "the proxy {proxy} asks for a user name and password (407)"),
                proxy=proxy)
        case Failure.PROXY_SCHEME:
            return text(QT_TRANSLATE_NOOP(
                "CodexLink", "Codex cannot use a proxy address of this kind: {proxy}"),
                proxy=proxy)
        case Failure.TLS_UNTRUSTED:
            return text(QT_TRANSLATE_NOOP(
                "CodexLink",
                "the certificate of {host} is not trusted (a proxy may be inspecting secure "
                "connections)"), host=host)
        case Failure.TLS_OTHER:
            return text(QT_TRANSLATE_NOOP(
                "CodexLink", "the secure connection (TLS) to {host} failed"), host=host)
        case Failure.UPGRADE_TIMEOUT | Failure.HTTP_TIMEOUT:
            return text(QT_TRANSLATE_NOOP(
                "CodexLink", "{host} did not answer in time"), host=host)
        case Failure.UPGRADE_STATUS | Failure.HTTP_STATUS:
            return text(QT_TRANSLATE_NOOP(
                "CodexLink", "{host} answered with error {status}"),
                host=host, status=result.status if result.status is not None else "?")
        case Failure.POLICY_CLOSE:
            return text(QT_TRANSLATE_NOOP(
                "CodexLink", "{host} closed the WebSocket right after opening it (code {code})"),
                host=host, code=result.close_code if result.close_code is not None else "?")
        case Failure.RESET:
            return text(QT_TRANSLATE_NOOP(
                "CodexLink", "the connection to {host} was cut"), host=host)
        case Failure.PROTOCOL:
            return text(QT_TRANSLATE_NOOP(
                "CodexLink", "{host} answered with something that is not HTTP"), host=host)
        case None:
            return text(QT_TRANSLATE_NOOP("CodexLink", "it works"))


def _config_advice(findings: Sequence[Finding]) -> tuple[Advice, ...]:
    return tuple(Advice(AdviceKind.FIX_CONFIG, f.message)
                 for f in findings if f.severity is Severity.ERROR)


def _is_offline(http: ProbeResult, ws: ProbeResult | None,
                alternatives: Sequence[ProbeResult]) -> bool:
    """Nothing resolves anywhere: every probe that ran stopped at DNS."""
    ran = [http, *([ws] if ws is not None else []), *alternatives]
    return all(r.failure is Failure.DNS for r in ran)


def _route_fixes(ws: ProbeResult, alternatives: Sequence[ProbeResult], *,
                 respect_system_proxy: bool) -> tuple[Advice, ...]:
    """When another route carries the WebSocket, tell how to give it to Codex."""
    working = [a for a in alternatives
               if a.transport is Transport.WEBSOCKET and ws_works(a) and a.route != ws.route]
    advice: list[Advice] = []
    for alt in working:
        shown = alt.route.display()
        if alt.route.kind in (RouteKind.SYSTEM_PROXY, RouteKind.PAC_PROXY):
            if not respect_system_proxy:
                advice.append(Advice(AdviceKind.RESPECT_SYSTEM_PROXY, text(QT_TRANSLATE_NOOP(
                    "CodexLink",
                    "WebSocket works through your system proxy {proxy}, but Codex does not use "
                    "it for WebSocket: turn on features.respect_system_proxy in Codex's "
                    "config.toml."), proxy=shown)))
            scheme = (alt.route.proxy_url or "").partition("://")[0].lower()
            if scheme in _WS_PROXY_SCHEMES:
                advice.append(Advice(AdviceKind.SET_ENV_PROXY, text(QT_TRANSLATE_NOOP(
                    "CodexLink", "Or set HTTPS_PROXY={proxy} for Codex."), proxy=shown)))
        elif alt.route.kind is RouteKind.DIRECT and ws.route.kind is RouteKind.ENV_PROXY:
            advice.append(Advice(AdviceKind.SET_ENV_PROXY, text(QT_TRANSLATE_NOOP(
                "CodexLink",
                "WebSocket works without your proxy {proxy}: add {host} to NO_PROXY for Codex."),
                proxy=ws.route.display(), host=_host(ws.url))))
        elif alt.route.kind is RouteKind.ENV_PROXY:
            advice.append(Advice(AdviceKind.SET_ENV_PROXY, text(QT_TRANSLATE_NOOP(
                "CodexLink", "WebSocket works through {proxy}: set HTTPS_PROXY={proxy} for Codex."),
                proxy=shown)))
    seen: set[tuple[AdviceKind, Text]] = set()
    unique = []
    for a in advice:  # two alternatives through the same proxy give the same advice once
        if (a.kind, a.message) not in seen:
            seen.add((a.kind, a.message))
            unique.append(a)
    return tuple(unique)


# Warnings about Codex's files that explain why HTTP fails (shown first when it does).
_DOWN_EXPLAINERS = frozenset({"loopback_base_url"})


def _down_hints(http: ProbeResult, findings: Sequence[Finding]) -> tuple[Advice, ...]:
    if http.failure not in (Failure.TCP_REFUSED, Failure.TCP_TIMEOUT):
        return ()  # a proxy or TLS failure is explained by the action itself
    return tuple(Advice(AdviceKind.FIX_CONFIG, f.message) for f in findings
                 if f.severity is Severity.WARNING and f.code in _DOWN_EXPLAINERS)


def _down_action(http: ProbeResult) -> Text:
    """What to do when HTTP itself fails, by the stage that broke (the switch cannot help)."""
    match http.failure:
        case Failure.PROXY_REFUSED:
            action = text(QT_TRANSLATE_NOOP(
                "CodexLink",
                "Start your proxy program (Clash, V2Ray…), or remove the proxy setting "
                "{source} if you no longer use a proxy."),
                source=http.route.source or http.route.display())
        case Failure.PROXY_AUTH:
            action = text(QT_TRANSLATE_NOOP(
                "CodexLink",
                "Put your proxy user name and password into the proxy address, like "
                "http://user:password@host:port."))
        case Failure.PROXY_SCHEME if http.route.display().lower().startswith("socks"):
            action = text(QT_TRANSLATE_NOOP(
                "CodexLink",
                "Codex's HTTP requests cannot use a SOCKS proxy: set HTTPS_PROXY to an "
                "http:// proxy for Codex (a SOCKS proxy is fine for its WebSocket only)."))
        case Failure.PROXY_REJECTED | Failure.PROXY_SCHEME:
            action = text(QT_TRANSLATE_NOOP(
                "CodexLink", "Check the proxy setting {source}, or ask who runs the proxy."),
                source=http.route.source or http.route.display())
        case Failure.DNS:
            action = text(QT_TRANSLATE_NOOP(
                "CodexLink", "Check that this computer is online and that names resolve."))
        case Failure.TLS_UNTRUSTED:
            action = text(QT_TRANSLATE_NOOP(
                "CodexLink",
                "Let Codex trust the program that inspects connections (CODEX_CA_CERTIFICATE), "
                "or ask your IT department."))
        case Failure.TCP_REFUSED | Failure.TCP_TIMEOUT if is_loopback_url(http.url):
            action = text(QT_TRANSLATE_NOOP(
                "CodexLink",
                "Start the local proxy or gateway at {host}, or point Codex back at its own "
                "server."), host=urlsplit(http.url).netloc)
        case _:
            action = text(QT_TRANSLATE_NOOP(
                "CodexLink", "Check your network and proxy settings, then check again."))
    return text(QT_TRANSLATE_NOOP(
        "CodexLink", "{action} HTTP only would not help: HTTP itself fails."), action=action)


_SWITCH_ADVICE = Advice(AdviceKind.SWITCH_TO_HTTP_ONLY, text(QT_TRANSLATE_NOOP(
    "CodexLink", "Use HTTP only: Codex skips WebSocket and answers at once.")))


def _blocked(ws: ProbeResult | None, alternatives: Sequence[ProbeResult], *,
             provider: ProviderInfo, respect_system_proxy: bool,
             config: tuple[Advice, ...]) -> Verdict:
    if ws is None:  # provisional: silent so far, which is how a blackhole looks
        wait = fallback_wait_seconds(provider, Failure.UPGRADE_TIMEOUT)
        return Verdict(
            Health.WS_BLOCKED,
            text(QT_TRANSLATE_NOOP(
                "CodexLink",
                "WebSocket has not answered yet: Codex would likely wait about {seconds} s at "
                "each start before it falls back to HTTP."), seconds=round(wait)),
            (*config, _SWITCH_ADVICE),
            provisional=True,
            expected_wait_s=wait,
            title=text(QT_TRANSLATE_NOOP("CodexLink", "Codex may start slowly")),
            why=text(QT_TRANSLATE_NOOP(
                "CodexLink",
                "WebSocket has not answered yet: Codex may wait about {seconds} s at each "
                "start."), seconds=round(wait)),
        )
    wait = fallback_wait_seconds(provider, ws.failure, status=ws.status)
    fixes = _route_fixes(ws, alternatives, respect_system_proxy=respect_system_proxy)
    if ws.failure is Failure.UPGRADE_STATUS and ws.status == UPGRADE_REQUIRED:
        headline = text(QT_TRANSLATE_NOOP(
            "CodexLink",
            "The server turns WebSocket down (426): Codex falls back to HTTP at once, "
            "without waiting."))
        title = text(QT_TRANSLATE_NOOP("CodexLink", "Codex uses HTTP instead"))
        why = text(QT_TRANSLATE_NOOP(
            "CodexLink", "The server turns WebSocket down, so Codex uses HTTP without waiting."))
    else:
        title = text(QT_TRANSLATE_NOOP("CodexLink", "Codex will start slowly"))
        why = text(QT_TRANSLATE_NOOP(
            "CodexLink",
            "WebSocket is blocked on this network: Codex would wait about {seconds} s at each "
            "start."), seconds=round(wait))
        headline = text(QT_TRANSLATE_NOOP(
            "CodexLink",
            "WebSocket is blocked on Codex's route ({problem}): Codex would wait about "
            "{seconds} s at each start before it falls back to HTTP."),
            problem=failure_words(ws), seconds=round(wait))
    return Verdict(Health.WS_BLOCKED, headline, (*config, _SWITCH_ADVICE, *fixes),
                   expected_wait_s=wait, title=title, why=why)


def _ws_only(http: ProbeResult, problem: Text, config: tuple[Advice, ...]) -> Verdict:
    """HTTP fails on Codex's route while the WebSocket works (e.g. a SOCKS proxy, which only
    Codex's WebSocket client can use): the real Codex CLI answers over WebSocket, so it starts
    fast, but it has no fallback, and HTTP only would leave it without any way out."""
    headline = text(QT_TRANSLATE_NOOP(
        "CodexLink",
        "WebSocket works, so Codex will start fast, but its HTTP requests fail ({problem}): "
        "Codex has no fallback if WebSocket stops, and HTTP only would not work."),
        problem=problem)
    return Verdict(
        Health.READY_WS, headline,
        (*config, Advice(AdviceKind.FIX_NETWORK, _down_action(http))),
        expected_wait_s=0.0,
        title=text(QT_TRANSLATE_NOOP("CodexLink", "Codex will start fast")),
        why=text(QT_TRANSLATE_NOOP(
            "CodexLink", "WebSocket works here; HTTP, Codex's fallback, does not.")))


def decide(
    http: ProbeResult | None,
    ws: ProbeResult | None,
    alternatives: Sequence[ProbeResult] = (),
    *,
    provider: ProviderInfo,
    http_only: bool,
    ws_pending: bool = False,
    respect_system_proxy: bool = False,
    ws_healthy_streak: int = 0,
    switch_back_after: int = 3,
    findings: Sequence[Finding] = (),
) -> Verdict:
    """The verdict of one check.

    `http`/`ws`: the probes on Codex's own routes (None: no answer yet). `ws_pending`: HTTP
    has answered and the WebSocket has been silent past the provisional deadline, so the
    verdict is given early and marked provisional. `http_only`: Codex will not use WebSocket
    (the provider has `supports_websockets = false`). `ws_healthy_streak`: checks in a row,
    this one included, in which the WebSocket worked; after `switch_back_after` of them an
    HTTP-only user is offered the way back. Findings of severity ERROR come first as
    FIX_CONFIG advice: nothing else helps while Codex cannot load its config.
    """
    config = _config_advice(findings)
    checking = text(QT_TRANSLATE_NOOP("CodexLink", "Checking…"))
    if http is None:
        return Verdict(Health.CHECKING, checking, config, title=checking)
    provisional = ws is None and ws_pending
    if not http.reachable:
        if _is_offline(http, ws, alternatives):
            headline = text(QT_TRANSLATE_NOOP(
                "CodexLink", "No network: {host} cannot be looked up."), host=_host(http.url))
            return Verdict(Health.OFFLINE, headline, config, provisional=provisional,
                           title=text(QT_TRANSLATE_NOOP("CodexLink", "No network")),
                           why=headline)
        problem = failure_words(http)
        if not http_only and ws is not None and ws_works(ws):
            return _ws_only(http, problem, config)
        headline = text(QT_TRANSLATE_NOOP(
            "CodexLink",
            "Codex cannot reach its server: {problem}. Codex would hang, retrying "
            "(\"waiting for network\"), and not answer."), problem=problem)
        return Verdict(
            Health.DOWN,
            headline,
            (*config, *_down_hints(http, findings),
             Advice(AdviceKind.FIX_NETWORK, _down_action(http))),
            provisional=provisional,
            title=text(QT_TRANSLATE_NOOP("CodexLink", "Codex cannot connect")),
            why=headline,
        )
    if http_only:
        advice = config
        if ws is not None and ws_works(ws) and ws_healthy_streak >= max(switch_back_after, 1):
            advice = (*config, Advice(AdviceKind.SWITCH_BACK, text(QT_TRANSLATE_NOOP(
                "CodexLink", "WebSocket works again; switch back?"))))
        return Verdict(Health.READY_HTTP_ONLY, text(QT_TRANSLATE_NOOP(
            "CodexLink", "Codex uses HTTP only, and HTTP works: Codex will start fast.")),
            advice, provisional=provisional, expected_wait_s=0.0,
            title=text(QT_TRANSLATE_NOOP("CodexLink", "Codex will start fast (HTTP only)")),
            why=text(QT_TRANSLATE_NOOP(
                "CodexLink", "Codex skips WebSocket and uses HTTP, which works here.")))
    if ws is None:
        if not ws_pending:
            return Verdict(Health.CHECKING, text(QT_TRANSLATE_NOOP(
                "CodexLink", "HTTP works; still checking WebSocket…")), config, title=checking)
        return _blocked(None, alternatives, provider=provider,
                        respect_system_proxy=respect_system_proxy, config=config)
    if login_unchecked(ws):
        return Verdict(Health.READY_WS, text(QT_TRANSLATE_NOOP(
            "CodexLink",
            "The WebSocket route and HTTP work: Codex will start fast if the server accepts "
            "your login, which was not checked (the deep check does).")), config,
            expected_wait_s=0.0,
            title=text(QT_TRANSLATE_NOOP("CodexLink", "Codex will start fast")),
            why=text(QT_TRANSLATE_NOOP(
                "CodexLink", "WebSocket and HTTP both reach the server; your login was not "
                             "checked.")))
    if ws_works(ws):
        return Verdict(Health.READY_WS, text(QT_TRANSLATE_NOOP(
            "CodexLink", "WebSocket and HTTP work: Codex will start fast.")), config,
            expected_wait_s=0.0,
            title=text(QT_TRANSLATE_NOOP("CodexLink", "Codex will start fast")),
            why=text(QT_TRANSLATE_NOOP(
                "CodexLink", "WebSocket and HTTP both work on this network.")))
    return _blocked(ws, alternatives, provider=provider,
                    respect_system_proxy=respect_system_proxy, config=config)
