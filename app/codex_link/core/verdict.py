"""From probe results to what the user is told: Health, one headline, advice (DESIGN "Verdicts").

Pure functions: the same results always give the same verdict, so the rules are table-tested
and the monitor can re-decide with its own streak counts (hysteresis lives in the monitor).
Every sentence is in the `SENTENCES` table below; what is said about one failure class (its
clause, its fix) comes from `core.model.failures`.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum, auto
from urllib.parse import urlsplit

from codex_link.core.codex.findings import is_loopback_url
from codex_link.core.model.codex_settings import ProviderInfo
from codex_link.core.model.codex_versions import DEFAULT, CodexFacts
from codex_link.core.model.failures import CHECK_NETWORK, FAILURES, UPGRADE_REQUIRED
from codex_link.core.model.findings import Finding, Severity
from codex_link.core.model.probe import (
    Failure,
    ProbeResult,
    RouteKind,
    SourceKind,
    Stage,
    Transport,
)
from codex_link.core.model.route_fix import RouteMethod, RouteProposal
from codex_link.core.model.text import QT_TRANSLATE_NOOP, Text, TextArg, text
from codex_link.core.model.urls import redact_url, scheme_of
from codex_link.core.model.verdict import Advice, AdviceKind, Health, Verdict
from codex_link.core.net.discovery import route_key
from codex_link.core.wait_estimate import fallback_wait_seconds, provisional_deadline_s

__all__ = [
    "decide",
    "failure_words",
    "fallback_wait_seconds",
    "provisional_deadline_s",
    "ws_works",
]

# Proxy URL schemes Codex's WebSocket client accepts from HTTPS_PROXY (CODEX_FACTS §5).
_WS_PROXY_SCHEMES = frozenset({"http", "socks5", "socks5h"})


class Tell(StrEnum):
    IT_WORKS = auto()
    CHECKING = auto()
    HTTP_WORKS_CHECKING_WS = auto()
    OFFLINE = auto()
    OFFLINE_TITLE = auto()
    DOWN = auto()
    DOWN_TITLE = auto()
    DOWN_ACTION = auto()
    SOCKS_FOR_HTTP = auto()
    START_LOCAL_GATEWAY = auto()
    WS_ONLY = auto()
    WS_ONLY_WHY = auto()
    FAST_TITLE = auto()
    HTTP_ONLY = auto()
    HTTP_ONLY_TITLE = auto()
    HTTP_ONLY_WHY = auto()
    SWITCH_BACK = auto()
    LOGIN_UNCHECKED = auto()
    LOGIN_UNCHECKED_WHY = auto()
    READY = auto()
    READY_WHY = auto()
    WS_SILENT = auto()
    WS_SILENT_TITLE = auto()
    WS_SILENT_WHY = auto()
    WS_REFUSED = auto()
    WS_REFUSED_TITLE = auto()
    WS_REFUSED_WHY = auto()
    WS_BLOCKED = auto()
    WS_BLOCKED_TITLE = auto()
    WS_BLOCKED_WHY = auto()
    USE_HTTP_ONLY = auto()
    RESPECT_SYSTEM_PROXY = auto()
    OR_SET_ENV_PROXY = auto()
    ADD_NO_PROXY = auto()
    SET_ENV_PROXY = auto()
    ROUTE_FIX = auto()
    ROUTE_FIX_SYSTEM = auto()
    STALE_PROXY = auto()
    STALE_WS_PROXY = auto()
    UNDO_ROUTE_FIX = auto()


SENTENCES: dict[Tell, str] = {
    Tell.IT_WORKS: QT_TRANSLATE_NOOP("CodexLink", "it works"),
    Tell.CHECKING: QT_TRANSLATE_NOOP("CodexLink", "Checking…"),
    Tell.HTTP_WORKS_CHECKING_WS: QT_TRANSLATE_NOOP(
        "CodexLink", "HTTP works; still checking WebSocket…"
    ),
    Tell.OFFLINE: QT_TRANSLATE_NOOP("CodexLink", "No network: {host} cannot be looked up."),
    Tell.OFFLINE_TITLE: QT_TRANSLATE_NOOP("CodexLink", "No network"),
    Tell.DOWN: QT_TRANSLATE_NOOP(
        "CodexLink",
        "Codex cannot reach its server: {problem}. Codex would hang, retrying "
        '("waiting for network"), and not answer.',
    ),
    Tell.DOWN_TITLE: QT_TRANSLATE_NOOP("CodexLink", "Codex cannot connect"),
    Tell.DOWN_ACTION: QT_TRANSLATE_NOOP(
        "CodexLink", "{action} HTTP only would not help: HTTP itself fails."
    ),
    Tell.SOCKS_FOR_HTTP: QT_TRANSLATE_NOOP(
        "CodexLink",
        "Codex's HTTP requests cannot use a SOCKS proxy: set HTTPS_PROXY to an "
        "http:// proxy for Codex (a SOCKS proxy is fine for its WebSocket only).",
    ),
    Tell.START_LOCAL_GATEWAY: QT_TRANSLATE_NOOP(
        "CodexLink",
        "Start the local proxy or gateway at {host}, or point Codex back at its own server.",
    ),
    Tell.WS_ONLY: QT_TRANSLATE_NOOP(
        "CodexLink",
        "WebSocket works, so Codex will start fast, but its HTTP requests fail ({problem}): "
        "Codex has no fallback if WebSocket stops, and HTTP only would not work.",
    ),
    Tell.WS_ONLY_WHY: QT_TRANSLATE_NOOP(
        "CodexLink", "WebSocket works here; HTTP, Codex's fallback, does not."
    ),
    Tell.FAST_TITLE: QT_TRANSLATE_NOOP("CodexLink", "Codex will start fast"),
    Tell.HTTP_ONLY: QT_TRANSLATE_NOOP(
        "CodexLink", "Codex uses HTTP only, and HTTP works: Codex will start fast."
    ),
    Tell.HTTP_ONLY_TITLE: QT_TRANSLATE_NOOP("CodexLink", "Codex will start fast (HTTP only)"),
    Tell.HTTP_ONLY_WHY: QT_TRANSLATE_NOOP(
        "CodexLink", "Codex skips WebSocket and uses HTTP, which works here."
    ),
    Tell.SWITCH_BACK: QT_TRANSLATE_NOOP("CodexLink", "WebSocket works again; switch back?"),
    Tell.LOGIN_UNCHECKED: QT_TRANSLATE_NOOP(
        "CodexLink",
        "The WebSocket route and HTTP work: Codex will start fast if the server accepts "
        "your login, which was not checked (the deep check does).",
    ),
    Tell.LOGIN_UNCHECKED_WHY: QT_TRANSLATE_NOOP(
        "CodexLink", "WebSocket and HTTP both reach the server; your login was not checked."
    ),
    Tell.READY: QT_TRANSLATE_NOOP("CodexLink", "WebSocket and HTTP work: Codex will start fast."),
    Tell.READY_WHY: QT_TRANSLATE_NOOP("CodexLink", "WebSocket and HTTP both work on this network."),
    Tell.WS_SILENT: QT_TRANSLATE_NOOP(
        "CodexLink",
        "WebSocket has not answered yet: Codex would likely wait about {seconds} s at "
        "each start before it falls back to HTTP.",
    ),
    Tell.WS_SILENT_TITLE: QT_TRANSLATE_NOOP("CodexLink", "Codex may start slowly"),
    Tell.WS_SILENT_WHY: QT_TRANSLATE_NOOP(
        "CodexLink",
        "WebSocket has not answered yet: Codex may wait about {seconds} s at each start.",
    ),
    Tell.WS_REFUSED: QT_TRANSLATE_NOOP(
        "CodexLink",
        "The server turns WebSocket down (426): Codex falls back to HTTP at once, without waiting.",
    ),
    Tell.WS_REFUSED_TITLE: QT_TRANSLATE_NOOP("CodexLink", "Codex uses HTTP instead"),
    Tell.WS_REFUSED_WHY: QT_TRANSLATE_NOOP(
        "CodexLink", "The server turns WebSocket down, so Codex uses HTTP without waiting."
    ),
    Tell.WS_BLOCKED: QT_TRANSLATE_NOOP(
        "CodexLink",
        "WebSocket is blocked on Codex's route ({problem}): Codex would wait about "
        "{seconds} s at each start before it falls back to HTTP.",
    ),
    Tell.WS_BLOCKED_TITLE: QT_TRANSLATE_NOOP("CodexLink", "Codex will start slowly"),
    Tell.WS_BLOCKED_WHY: QT_TRANSLATE_NOOP(
        "CodexLink",
        "WebSocket is blocked on this network: Codex would wait about {seconds} s at each start.",
    ),
    Tell.USE_HTTP_ONLY: QT_TRANSLATE_NOOP(
        "CodexLink", "Use HTTP only: Codex skips WebSocket and answers at once."
    ),
    Tell.RESPECT_SYSTEM_PROXY: QT_TRANSLATE_NOOP(
        "CodexLink",
        "WebSocket works through your system proxy {proxy}, but Codex does not use "
        "it for WebSocket: turn on features.respect_system_proxy in Codex's "
        "config.toml.",
    ),
    Tell.OR_SET_ENV_PROXY: QT_TRANSLATE_NOOP("CodexLink", "Or set HTTPS_PROXY={proxy} for Codex."),
    Tell.ADD_NO_PROXY: QT_TRANSLATE_NOOP(
        "CodexLink", "WebSocket works without your proxy {proxy}: add {host} to NO_PROXY for Codex."
    ),
    Tell.SET_ENV_PROXY: QT_TRANSLATE_NOOP(
        "CodexLink", "WebSocket works through {proxy}: set HTTPS_PROXY={proxy} for Codex."
    ),
    Tell.ROUTE_FIX: QT_TRANSLATE_NOOP("CodexLink", "Send Codex through {proxy} (keeps WebSocket)"),
    Tell.ROUTE_FIX_SYSTEM: QT_TRANSLATE_NOOP(
        "CodexLink", "Send Codex through your system proxy {proxy} (keeps WebSocket)"
    ),
    Tell.STALE_PROXY: QT_TRANSLATE_NOOP(
        "CodexLink",
        "The proxy {proxy} that Codex is set to use ({source}) is not answering: every "
        "Codex request fails until it is back.",
    ),
    Tell.STALE_WS_PROXY: QT_TRANSLATE_NOOP(
        "CodexLink",
        "The proxy {proxy} that Codex is set to use for WebSocket ({source}) is not "
        "answering: Codex would wait about {seconds} s at each start before it falls back "
        "to HTTP.",
    ),
    Tell.UNDO_ROUTE_FIX: QT_TRANSLATE_NOOP(
        "CodexLink",
        "Take {name}={proxy} out of $CODEX_HOME/.env, so that Codex goes its own way again "
        "(or start the proxy again).",
    ),
}


def tell(key: Tell, **args: TextArg) -> Text:
    return text(SENTENCES[key], **args)


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
    if result.failure is None:
        return tell(Tell.IT_WORKS)
    return text(
        FAILURES[result.failure].phrase,
        host=_host(result.url),
        proxy=result.route.display(),
        status=result.status if result.status is not None else "?",
        code=result.close_code if result.close_code is not None else "?",
    )


def _config_advice(findings: Sequence[Finding]) -> tuple[Advice, ...]:
    return tuple(
        Advice(AdviceKind.FIX_CONFIG, f.message) for f in findings if f.severity is Severity.ERROR
    )


def _is_offline(
    http: ProbeResult, ws: ProbeResult | None, alternatives: Sequence[ProbeResult]
) -> bool:
    """Nothing resolves anywhere: every probe that ran stopped at DNS."""
    ran = [http, *([ws] if ws is not None else []), *alternatives]
    return all(r.failure is Failure.DNS for r in ran)


def _proposal_advice(proposals: Sequence[RouteProposal]) -> tuple[Advice, ...]:
    """One click per verified route fix: "Send Codex through <proxy> (keeps WebSocket)"."""
    said = {RouteMethod.SYSTEM_PROXY: Tell.ROUTE_FIX_SYSTEM, RouteMethod.DOTENV: Tell.ROUTE_FIX}
    return tuple(
        Advice(
            AdviceKind.ROUTE_FIX,
            tell(said[p.method], proxy=redact_url(p.proxy_url or "")),
            proposal=p,
        )
        for p in proposals
    )


def _route_fixes(
    ws: ProbeResult,
    alternatives: Sequence[ProbeResult],
    *,
    respect_system_proxy: bool,
    proposals: Sequence[RouteProposal] = (),
) -> tuple[Advice, ...]:
    """When another route carries the WebSocket, tell how to give it to Codex: the verified
    fixes first (one click each), then, for working routes no fix covers, what to set."""
    proposed = {route_key(p.proxy_url) for p in proposals}
    working = [
        a
        for a in alternatives
        if a.transport is Transport.WEBSOCKET
        and ws_works(a)
        and a.route != ws.route
        and (a.route.proxy_url is None or route_key(a.route.proxy_url) not in proposed)
    ]
    advice: list[Advice] = []
    for alt in working:
        shown = alt.route.display()
        if alt.route.kind in (RouteKind.SYSTEM_PROXY, RouteKind.PAC_PROXY):
            if not respect_system_proxy:
                advice.append(
                    Advice(
                        AdviceKind.RESPECT_SYSTEM_PROXY,
                        tell(Tell.RESPECT_SYSTEM_PROXY, proxy=shown),
                    )
                )
            if scheme_of(alt.route.proxy_url or "") in _WS_PROXY_SCHEMES:
                advice.append(
                    Advice(AdviceKind.SET_ENV_PROXY, tell(Tell.OR_SET_ENV_PROXY, proxy=shown))
                )
        elif alt.route.kind is RouteKind.DIRECT and ws.route.kind is RouteKind.ENV_PROXY:
            advice.append(
                Advice(
                    AdviceKind.SET_ENV_PROXY,
                    tell(Tell.ADD_NO_PROXY, proxy=ws.route.display(), host=_host(ws.url)),
                )
            )
        elif alt.route.kind is RouteKind.ENV_PROXY:
            advice.append(Advice(AdviceKind.SET_ENV_PROXY, tell(Tell.SET_ENV_PROXY, proxy=shown)))
    seen: set[tuple[AdviceKind, Text]] = set()
    unique = []
    for a in advice:  # two alternatives through the same proxy give the same advice once
        if (a.kind, a.message) not in seen:
            seen.add((a.kind, a.message))
            unique.append(a)
    return tuple(unique)


# Warnings about Codex's files that explain why HTTP fails (shown first when it does).
_DOWN_EXPLAINERS = frozenset({"loopback_base_url"})


def _no_connection(result: ProbeResult) -> bool:
    return result.failure is not None and FAILURES[result.failure].no_connection


def _down_hints(http: ProbeResult, findings: Sequence[Finding]) -> tuple[Advice, ...]:
    if not _no_connection(http):
        return ()  # a proxy or TLS failure is explained by the action itself
    return tuple(
        Advice(AdviceKind.FIX_CONFIG, f.message)
        for f in findings
        if f.severity is Severity.WARNING and f.code in _DOWN_EXPLAINERS
    )


def _down_action(http: ProbeResult) -> Text:
    """What to do when HTTP itself fails, by the stage that broke (the switch cannot help)."""
    if http.failure is Failure.PROXY_SCHEME and http.route.display().lower().startswith("socks"):
        action = tell(Tell.SOCKS_FOR_HTTP)
    elif _no_connection(http) and is_loopback_url(http.url):
        action = tell(Tell.START_LOCAL_GATEWAY, host=urlsplit(http.url).netloc)
    else:
        fix = FAILURES[http.failure].fix if http.failure is not None else CHECK_NETWORK
        source = http.route.origin.text() if http.route.source else http.route.display()
        action = text(fix, source=source)
    return tell(Tell.DOWN_ACTION, action=action)


_SWITCH_ADVICE = Advice(AdviceKind.SWITCH_TO_HTTP_ONLY, tell(Tell.USE_HTTP_ONLY))
_SET_IN = frozenset({SourceKind.DOTENV, SourceKind.ENVIRONMENT})


def stale_proxy(result: ProbeResult) -> bool:
    """Codex's route goes through a proxy set in its environment or .env, and that proxy takes
    no connection (refused, or silent): the proxy program was quit, and every request Codex
    sends along this route fails until it is back (openai/codex #38885)."""
    if result.route.proxy_url is None or result.route.origin.kind not in _SET_IN:
        return False
    # With a proxy, the TCP stage is the connect to the proxy itself.
    return result.failure is Failure.PROXY_REFUSED or (
        result.failure is Failure.TCP_TIMEOUT and result.stage is Stage.TCP
    )


def _undo_advice(result: ProbeResult) -> tuple[Advice, ...]:
    """Taking a stale proxy out of .env, first: the UI makes it one click when the route fix
    record says Codex Link wrote it."""
    origin = result.route.origin
    if origin.kind is not SourceKind.DOTENV:
        return ()
    return (
        Advice(
            AdviceKind.UNDO_ROUTE_FIX,
            tell(Tell.UNDO_ROUTE_FIX, name=origin.variable, proxy=result.route.display()),
        ),
    )


def _stale_words(result: ProbeResult, key: Tell, **args: TextArg) -> Text:
    return tell(key, proxy=result.route.display(), source=result.route.origin.text(), **args)


def _blocked(
    ws: ProbeResult | None,
    alternatives: Sequence[ProbeResult],
    *,
    provider: ProviderInfo,
    respect_system_proxy: bool,
    config: tuple[Advice, ...],
    proposals: Sequence[RouteProposal] = (),
    facts: CodexFacts = DEFAULT,
) -> Verdict:
    if ws is None:  # provisional: silent so far, which is how a blackhole looks
        wait = fallback_wait_seconds(provider, Failure.UPGRADE_TIMEOUT, facts=facts)
        return Verdict(
            Health.WS_BLOCKED,
            tell(Tell.WS_SILENT, seconds=round(wait)),
            (*config, _SWITCH_ADVICE),
            provisional=True,
            expected_wait_s=wait,
            title=tell(Tell.WS_SILENT_TITLE),
            why=tell(Tell.WS_SILENT_WHY, seconds=round(wait)),
        )
    wait = fallback_wait_seconds(provider, ws.failure, status=ws.status, facts=facts)
    explained = _route_fixes(
        ws, alternatives, respect_system_proxy=respect_system_proxy, proposals=proposals
    )
    fixes = _proposal_advice(proposals)
    if stale_proxy(ws):
        # Only the WebSocket goes through it (e.g. HTTP_PROXY in .env): HTTP still works.
        headline = _stale_words(ws, Tell.STALE_WS_PROXY, seconds=round(wait))
        return Verdict(
            Health.WS_BLOCKED,
            headline,
            (*config, *_undo_advice(ws), *fixes, _SWITCH_ADVICE, *explained),
            expected_wait_s=wait,
            title=tell(Tell.WS_BLOCKED_TITLE),
            why=headline,
        )
    if ws.failure is Failure.UPGRADE_STATUS and ws.status == UPGRADE_REQUIRED:
        headline = tell(Tell.WS_REFUSED)
        title = tell(Tell.WS_REFUSED_TITLE)
        why = tell(Tell.WS_REFUSED_WHY)
    else:
        title = tell(Tell.WS_BLOCKED_TITLE)
        why = tell(Tell.WS_BLOCKED_WHY, seconds=round(wait))
        headline = tell(Tell.WS_BLOCKED, problem=failure_words(ws), seconds=round(wait))
    return Verdict(
        Health.WS_BLOCKED,
        headline,
        (*config, *fixes, _SWITCH_ADVICE, *explained),
        expected_wait_s=wait,
        title=title,
        why=why,
    )


def _ws_only(http: ProbeResult, problem: Text, config: tuple[Advice, ...]) -> Verdict:
    """HTTP fails on Codex's route while the WebSocket works (e.g. a SOCKS proxy, which only
    Codex's WebSocket client can use): the real Codex CLI answers over WebSocket, so it starts
    fast, but it has no fallback, and HTTP only would leave it without any way out."""
    return Verdict(
        Health.READY_WS,
        tell(Tell.WS_ONLY, problem=problem),
        (*config, Advice(AdviceKind.FIX_NETWORK, _down_action(http))),
        expected_wait_s=0.0,
        title=tell(Tell.FAST_TITLE),
        why=tell(Tell.WS_ONLY_WHY),
    )


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
    proposals: Sequence[RouteProposal] = (),
    facts: CodexFacts = DEFAULT,
) -> Verdict:
    """The verdict of one check.

    `http`/`ws`: the probes on Codex's own routes (None: no answer yet). `ws_pending`: HTTP
    has answered and the WebSocket has been silent past the provisional deadline, so the
    verdict is given early and marked provisional. `http_only`: Codex will not use WebSocket
    (the provider has `supports_websockets = false`). `ws_healthy_streak`: checks in a row,
    this one included, in which the WebSocket worked; after `switch_back_after` of them an
    HTTP-only user is offered the way back. Findings of severity ERROR come first as
    FIX_CONFIG advice: nothing else helps while Codex cannot load its config. `proposals`:
    route fixes verified to carry Codex's WebSocket (`net.route_proposals`), offered first,
    before HTTP only, when the WebSocket is blocked. `facts`: how the installed Codex release
    retries (`model.codex_versions`), for how long it would wait.
    """
    config = _config_advice(findings)
    checking = tell(Tell.CHECKING)
    if http is None:
        return Verdict(Health.CHECKING, checking, config, title=checking)
    provisional = ws is None and ws_pending
    if not http.reachable:
        if _is_offline(http, ws, alternatives):
            headline = tell(Tell.OFFLINE, host=_host(http.url))
            return Verdict(
                Health.OFFLINE,
                headline,
                config,
                provisional=provisional,
                title=tell(Tell.OFFLINE_TITLE),
                why=headline,
            )
        problem = failure_words(http)
        if not http_only and ws is not None and ws_works(ws):
            return _ws_only(http, problem, config)
        action = Advice(AdviceKind.FIX_NETWORK, _down_action(http))
        if stale_proxy(http):
            headline = _stale_words(http, Tell.STALE_PROXY)
            return Verdict(
                Health.DOWN,
                headline,
                (*config, *_undo_advice(http), action),
                provisional=provisional,
                title=tell(Tell.DOWN_TITLE),
                why=headline,
            )
        headline = tell(Tell.DOWN, problem=problem)
        return Verdict(
            Health.DOWN,
            headline,
            (*config, *_down_hints(http, findings), action),
            provisional=provisional,
            title=tell(Tell.DOWN_TITLE),
            why=headline,
        )
    if http_only:
        advice = config
        if ws is not None and ws_works(ws) and ws_healthy_streak >= max(switch_back_after, 1):
            advice = (*config, Advice(AdviceKind.SWITCH_BACK, tell(Tell.SWITCH_BACK)))
        return Verdict(
            Health.READY_HTTP_ONLY,
            tell(Tell.HTTP_ONLY),
            advice,
            provisional=provisional,
            expected_wait_s=0.0,
            title=tell(Tell.HTTP_ONLY_TITLE),
            why=tell(Tell.HTTP_ONLY_WHY),
        )
    if ws is None:
        if not ws_pending:
            return Verdict(
                Health.CHECKING, tell(Tell.HTTP_WORKS_CHECKING_WS), config, title=checking
            )
        return _blocked(
            None,
            alternatives,
            provider=provider,
            respect_system_proxy=respect_system_proxy,
            config=config,
            facts=facts,
        )
    if login_unchecked(ws):
        return Verdict(
            Health.READY_WS,
            tell(Tell.LOGIN_UNCHECKED),
            config,
            expected_wait_s=0.0,
            title=tell(Tell.FAST_TITLE),
            why=tell(Tell.LOGIN_UNCHECKED_WHY),
        )
    if ws_works(ws):
        return Verdict(
            Health.READY_WS,
            tell(Tell.READY),
            config,
            expected_wait_s=0.0,
            title=tell(Tell.FAST_TITLE),
            why=tell(Tell.READY_WHY),
        )
    return _blocked(
        ws,
        alternatives,
        provider=provider,
        respect_system_proxy=respect_system_proxy,
        config=config,
        proposals=proposals,
        facts=facts,
    )
