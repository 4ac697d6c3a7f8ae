"""Every sentence the probes say to people, in one table.

Sentences are `Text` (translated by the UI, rendered in English by the command line). They
name the host, the proxy (host:port only: proxy credentials never appear) and the facts the
probe saw, and never any header value.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum, auto

from codex_link.core.model.failures import REACHABLE_UPGRADE_STATUSES, UPGRADE_REQUIRED
from codex_link.core.model.probe import Failure, Stage, Transport
from codex_link.core.model.text import QT_TRANSLATE_NOOP, Text, text
from codex_link.core.model.urls import BadUrlError, ProxySchemeError
from codex_link.core.net.classify import CertificateProblem, Classified, certificate_problem
from codex_link.core.net.connect import SocksAuthError, SocksReplyError


class Say(StrEnum):
    OK_HTTP = auto()
    OK_WS = auto()
    INTERCEPTED = auto()
    DNS = auto()
    DNS_PROXY = auto()
    TCP_REFUSED = auto()
    TCP_TIMEOUT = auto()
    TCP_TIMEOUT_PROXY = auto()
    PROXY_TIMEOUT = auto()
    PROXY_REFUSED = auto()
    PROXY_REJECTED = auto()
    PROXY_REJECTED_SOCKS = auto()
    PROXY_AUTH = auto()
    PROXY_AUTH_SOCKS = auto()
    PROXY_SCHEME_WS = auto()
    PROXY_SCHEME_HTTP = auto()
    PROXY_SOCKS_HTTP = auto()
    TLS_UNTRUSTED = auto()
    TLS_OTHER = auto()
    TLS_EXPIRED = auto()
    TLS_WRONG_HOST = auto()
    TLS_TIMEOUT = auto()
    UPGRADE_TIMEOUT = auto()
    HTTP_TIMEOUT = auto()
    UPGRADE_NO_LOGIN = auto()
    UPGRADE_LOGIN_REFUSED = auto()
    UPGRADE_426 = auto()
    UPGRADE_OTHER = auto()
    POLICY_CLOSE = auto()
    RESET = auto()
    RESET_PROXY = auto()
    PROTOCOL = auto()
    PROTOCOL_PROXY = auto()
    PROTOCOL_WS = auto()
    HTTP_STATUS = auto()
    BAD_URL = auto()
    UNEXPECTED = auto()
    CA_UNREADABLE = auto()
    CA_NOT_PEM = auto()


SENTENCES: dict[Say, str] = {
    Say.OK_HTTP: QT_TRANSLATE_NOOP(
        "CodexLink", "{host} answered with HTTP {status}: the route works."
    ),
    Say.OK_WS: QT_TRANSLATE_NOOP(
        "CodexLink", "The WebSocket to {host} opened and stayed open: the route works."
    ),
    Say.INTERCEPTED: QT_TRANSLATE_NOOP(
        "CodexLink",
        "{result} The certificate is trusted only because of the added CA file {path}: "
        "something on the way (a company proxy or security software) re-signs the "
        "connection, and Codex's WebSocket may reject it.",
    ),
    Say.DNS: QT_TRANSLATE_NOOP("CodexLink", "The name {host} could not be found (DNS)."),
    Say.DNS_PROXY: QT_TRANSLATE_NOOP(
        "CodexLink", "The name of the proxy {proxy} could not be found (DNS)."
    ),
    Say.TCP_REFUSED: QT_TRANSLATE_NOOP(
        "CodexLink", "{target} refused the connection: nothing is listening there."
    ),
    Say.TCP_TIMEOUT: QT_TRANSLATE_NOOP(
        "CodexLink", "{target} did not accept a connection within {seconds} s."
    ),
    Say.TCP_TIMEOUT_PROXY: QT_TRANSLATE_NOOP(
        "CodexLink", "The proxy at {proxy} did not accept a connection within {seconds} s."
    ),
    Say.PROXY_TIMEOUT: QT_TRANSLATE_NOOP(
        "CodexLink", "The proxy at {proxy} did not get through to {target} within {seconds} s."
    ),
    Say.PROXY_REFUSED: QT_TRANSLATE_NOOP(
        "CodexLink",
        "The proxy at {proxy} refused the connection: it is not running or the port is wrong.",
    ),
    Say.PROXY_REJECTED: QT_TRANSLATE_NOOP(
        "CodexLink",
        "The proxy at {proxy} would not connect to {target}: it answered {status} {phrase}.",
    ),
    Say.PROXY_REJECTED_SOCKS: QT_TRANSLATE_NOOP(
        "CodexLink", "The SOCKS proxy at {proxy} would not connect to {target}: {phrase}."
    ),
    Say.PROXY_AUTH: QT_TRANSLATE_NOOP(
        "CodexLink",
        "The proxy at {proxy} wants a user name and password ({status}): the proxy address "
        "has none, or a wrong one.",
    ),
    Say.PROXY_AUTH_SOCKS: QT_TRANSLATE_NOOP(
        "CodexLink",
        "The SOCKS proxy at {proxy} did not accept the user name and password (or wants one).",
    ),
    Say.PROXY_SCHEME_WS: QT_TRANSLATE_NOOP(
        "CodexLink",
        "Codex cannot use the proxy {proxy} for WebSocket: only http://, socks5:// and "
        "socks5h:// proxies work there.",
    ),
    Say.PROXY_SCHEME_HTTP: QT_TRANSLATE_NOOP(
        "CodexLink",
        "The proxy {proxy} uses a kind of address Codex cannot use for HTTP (only http:// "
        "and https://).",
    ),
    Say.PROXY_SOCKS_HTTP: QT_TRANSLATE_NOOP(
        "CodexLink",
        "Codex's HTTP requests cannot go through the SOCKS proxy {proxy}: they never leave, "
        "and Codex waits for the network without end. Give Codex an http:// proxy in "
        'HTTPS_PROXY (most proxy programs offer one beside SOCKS, e.g. a "mixed" port).',
    ),
    Say.TLS_UNTRUSTED: QT_TRANSLATE_NOOP(
        "CodexLink",
        "The certificate of {host} is not trusted: a company proxy or security software may be "
        "intercepting the connection.",
    ),
    Say.TLS_OTHER: QT_TRANSLATE_NOOP("CodexLink", "The secure connection (TLS) to {host} failed."),
    Say.TLS_EXPIRED: QT_TRANSLATE_NOOP(
        "CodexLink",
        "The certificate of {host} has expired (or is not valid yet): check the computer's "
        "date and time; otherwise the server must renew it.",
    ),
    Say.TLS_WRONG_HOST: QT_TRANSLATE_NOOP(
        "CodexLink",
        "The certificate that {host} presents was issued for another name: the address "
        "points at the wrong server.",
    ),
    Say.TLS_TIMEOUT: QT_TRANSLATE_NOOP(
        "CodexLink", "The secure connection (TLS) to {host} did not complete within {seconds} s."
    ),
    Say.UPGRADE_TIMEOUT: QT_TRANSLATE_NOOP(
        "CodexLink",
        "{host} did not answer the WebSocket request within {seconds} s: Codex would wait, "
        "then fall back to HTTP.",
    ),
    Say.HTTP_TIMEOUT: QT_TRANSLATE_NOOP(
        "CodexLink", "{host} did not answer the HTTP request within {seconds} s."
    ),
    Say.UPGRADE_NO_LOGIN: QT_TRANSLATE_NOOP(
        "CodexLink",
        "The server answered the WebSocket upgrade with {status}: the route works. Your login "
        "was not sent, so it was not checked (the deep check does).",
    ),
    Say.UPGRADE_LOGIN_REFUSED: QT_TRANSLATE_NOOP(
        "CodexLink",
        "The server refused the login Codex sends on the WebSocket upgrade ({status}): Codex "
        "counts that as a failed connect, retries, then falls back to HTTP. Sign in again "
        "(codex login) or check the provider's key.",
    ),
    Say.UPGRADE_426: QT_TRANSLATE_NOOP(
        "CodexLink",
        "The server answered the WebSocket upgrade with 426: Codex switches to HTTP at once.",
    ),
    Say.UPGRADE_OTHER: QT_TRANSLATE_NOOP(
        "CodexLink",
        "The server answered the WebSocket upgrade with {status} {phrase} instead of opening "
        "the WebSocket.",
    ),
    Say.POLICY_CLOSE: QT_TRANSLATE_NOOP(
        "CodexLink",
        "The WebSocket opened, then the server closed it at once (code {code}: {close_reason}).",
    ),
    Say.RESET: QT_TRANSLATE_NOOP(
        "CodexLink", "The connection to {host} was cut off during the {stage} step."
    ),
    Say.RESET_PROXY: QT_TRANSLATE_NOOP(
        "CodexLink", "The proxy at {proxy} cut the connection off during the {stage} step."
    ),
    Say.PROTOCOL: QT_TRANSLATE_NOOP(
        "CodexLink",
        "{host} answered with something that is not HTTP: a proxy or security software may be "
        "in the way.",
    ),
    Say.PROTOCOL_PROXY: QT_TRANSLATE_NOOP(
        "CodexLink", "The proxy at {proxy} answered with something that is not a proxy answer."
    ),
    Say.PROTOCOL_WS: QT_TRANSLATE_NOOP(
        "CodexLink",
        "The WebSocket to {host} opened, then the server sent data that is not WebSocket "
        "traffic: a proxy or security software may be in the way, and Codex cannot use it.",
    ),
    Say.HTTP_STATUS: QT_TRANSLATE_NOOP(
        "CodexLink",
        "{host} answered with HTTP {status}: something on the way (a proxy or gateway) could "
        "not reach the server, and Codex's requests would fail the same way.",
    ),
    Say.BAD_URL: QT_TRANSLATE_NOOP(
        "CodexLink", "The address {url} is not a web address that Codex could use."
    ),
    Say.UNEXPECTED: QT_TRANSLATE_NOOP(
        "CodexLink", "The check of {host} failed in an unexpected way during the {stage} step."
    ),
    Say.CA_UNREADABLE: QT_TRANSLATE_NOOP(
        "CodexLink",
        "The CA file named by {variable} ({path}) could not be read; only the system's "
        "certificates are trusted.",
    ),
    Say.CA_NOT_PEM: QT_TRANSLATE_NOOP(
        "CodexLink",
        "The CA file named by {variable} ({path}) holds no PEM certificate; only the system's "
        "certificates are trusted.",
    ),
}

STAGE_WORDS: dict[Stage, str] = {
    Stage.DNS: QT_TRANSLATE_NOOP("CodexLink", "name lookup"),
    Stage.TCP: QT_TRANSLATE_NOOP("CodexLink", "connection"),
    Stage.PROXY: QT_TRANSLATE_NOOP("CodexLink", "proxy"),
    Stage.TLS: QT_TRANSLATE_NOOP("CodexLink", "secure handshake (TLS)"),
    Stage.RESPONSE: QT_TRANSLATE_NOOP("CodexLink", "request"),
    Stage.POST_UPGRADE: QT_TRANSLATE_NOOP("CodexLink", "WebSocket"),
    Stage.DONE: QT_TRANSLATE_NOOP("CodexLink", "closing"),
}


@dataclass(frozen=True, slots=True)
class Scene:
    """What a sentence about one probe may name."""

    transport: Transport
    url: str
    host: str
    target: str  # host:port
    proxy: str  # proxy host:port, "" when direct
    timeout_s: float
    authenticated: bool = False


def say(key: Say, **args: str | int | float | Text) -> Text:
    return text(SENTENCES[key], **args)


def success_reason(scene: Scene, status: int | None) -> Text:
    if scene.transport is Transport.WEBSOCKET:
        return say(Say.OK_WS, host=scene.host)
    return say(Say.OK_HTTP, host=scene.host, status=status or 0)


def intercepted_reason(result: Text, ca_path: str) -> Text:
    return say(Say.INTERCEPTED, result=result, path=ca_path)


def upgrade_reachable(status: int | None, *, authenticated: bool) -> bool:
    """Without a login, 401/403 to the upgrade still proves DNS, TCP, proxy and TLS; to the
    login Codex sends, it is what Codex gets: a failed connect."""
    return status in REACHABLE_UPGRADE_STATUSES and not authenticated


def failure_reason(found: Classified, scene: Scene) -> Text:
    key = _choose(found, scene)
    stage = text(STAGE_WORDS[found.stage])
    return say(
        key,
        host=scene.host,
        target=scene.target,
        proxy=scene.proxy,
        seconds=_seconds(scene.timeout_s),
        status=found.status or 0,
        phrase=found.phrase or "",
        code=found.close_code or 0,
        close_reason=found.close_reason or "-",
        stage=stage,
        url=scene.url,
    )


def _seconds(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 1)


def _choose(found: Classified, scene: Scene) -> Say:
    cause, failure, at_proxy = found.decided_by, found.failure, found.at_proxy
    simple = _SIMPLE.get(failure)
    if simple is not None:
        return simple
    if failure is Failure.DNS:
        return Say.DNS_PROXY if at_proxy else Say.DNS
    if failure is Failure.TCP_TIMEOUT:
        if found.stage is Stage.PROXY:
            return Say.PROXY_TIMEOUT
        return Say.TCP_TIMEOUT_PROXY if at_proxy else Say.TCP_TIMEOUT
    if failure is Failure.PROXY_REJECTED:
        return (
            Say.PROXY_REJECTED_SOCKS if isinstance(cause, SocksReplyError) else (Say.PROXY_REJECTED)
        )
    if failure is Failure.PROXY_AUTH:
        return Say.PROXY_AUTH_SOCKS if isinstance(cause, SocksAuthError) else Say.PROXY_AUTH
    if failure is Failure.PROXY_SCHEME:
        if scene.transport is Transport.WEBSOCKET:
            return Say.PROXY_SCHEME_WS
        socks = isinstance(cause, ProxySchemeError) and cause.scheme.startswith("socks")
        return Say.PROXY_SOCKS_HTTP if socks else Say.PROXY_SCHEME_HTTP
    if failure in (Failure.UPGRADE_TIMEOUT, Failure.HTTP_TIMEOUT):
        if found.stage is Stage.TLS:
            return Say.TLS_TIMEOUT
        return Say.UPGRADE_TIMEOUT if failure is Failure.UPGRADE_TIMEOUT else Say.HTTP_TIMEOUT
    if failure is Failure.UPGRADE_STATUS:
        if found.status in REACHABLE_UPGRADE_STATUSES:
            return Say.UPGRADE_LOGIN_REFUSED if scene.authenticated else Say.UPGRADE_NO_LOGIN
        return Say.UPGRADE_426 if found.status == UPGRADE_REQUIRED else Say.UPGRADE_OTHER
    if failure is Failure.RESET:
        return Say.RESET_PROXY if at_proxy else Say.RESET
    if failure is Failure.TLS_OTHER:
        problem = certificate_problem(cause)
        if problem is CertificateProblem.EXPIRED:
            return Say.TLS_EXPIRED
        return Say.TLS_WRONG_HOST if problem is CertificateProblem.WRONG_HOST else Say.TLS_OTHER
    if failure is Failure.PROTOCOL:
        if isinstance(cause, BadUrlError):
            return Say.BAD_URL
        if cause is None:
            return Say.UNEXPECTED
        if at_proxy:
            return Say.PROTOCOL_PROXY
        return Say.PROTOCOL_WS if found.stage is Stage.POST_UPGRADE else Say.PROTOCOL
    return Say.UNEXPECTED


_SIMPLE: dict[Failure, Say] = {
    Failure.TCP_REFUSED: Say.TCP_REFUSED,
    Failure.PROXY_REFUSED: Say.PROXY_REFUSED,
    Failure.TLS_UNTRUSTED: Say.TLS_UNTRUSTED,
    Failure.POLICY_CLOSE: Say.POLICY_CLOSE,
    Failure.HTTP_STATUS: Say.HTTP_STATUS,
}
