"""What one probe found: the stage it reached, the failure class, timings, plain words.

These types are the contract between the probes, the verdict and the UI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from codex_link.core.model.text import Text
from codex_link.core.model.urls import redact_url


class Transport(StrEnum):
    HTTP = "http"
    WEBSOCKET = "websocket"


class Stage(StrEnum):
    """How far a probe got; a failed probe names the stage that failed."""

    DNS = "dns"
    TCP = "tcp"
    PROXY = "proxy"
    TLS = "tls"
    RESPONSE = "response"  # the HTTP status, or the WebSocket upgrade answer
    POST_UPGRADE = "post_upgrade"  # the short wait for an immediate close after a 101
    DONE = "done"


class Failure(StrEnum):
    """The failure taxonomy (DESIGN.md). Classified by exception type and cause, never text."""

    DNS = "dns"
    TCP_REFUSED = "tcp_refused"
    TCP_TIMEOUT = "tcp_timeout"
    PROXY_REFUSED = "proxy_refused"
    PROXY_REJECTED = "proxy_rejected"
    PROXY_AUTH = "proxy_auth"
    PROXY_SCHEME = "proxy_scheme"
    TLS_UNTRUSTED = "tls_untrusted"
    TLS_OTHER = "tls_other"
    UPGRADE_TIMEOUT = "upgrade_timeout"
    UPGRADE_STATUS = "upgrade_status"
    POLICY_CLOSE = "policy_close"
    RESET = "reset"
    HTTP_STATUS = "http_status"
    HTTP_TIMEOUT = "http_timeout"
    PROTOCOL = "protocol"  # the server answered with something that is not HTTP


class RouteKind(StrEnum):
    DIRECT = "direct"
    ENV_PROXY = "env_proxy"
    SYSTEM_PROXY = "system_proxy"
    PAC_PROXY = "pac_proxy"


@dataclass(frozen=True, slots=True)
class Route:
    """One way to reach a URL: directly or through one proxy."""

    kind: RouteKind
    proxy_url: str | None = None  # may hold credentials: show `display()` instead
    source: str = ""  # where the proxy came from, e.g. "HTTPS_PROXY (environment)"

    def display(self) -> str:
        """The route for people: the proxy with any user:password removed."""
        if self.proxy_url is None:
            return "direct"
        return redact_url(self.proxy_url)


@dataclass(frozen=True, slots=True)
class PhaseTimings:
    """Milliseconds per phase, all measured on one monotonic clock; None: not reached."""

    dns_ms: float | None = None
    tcp_ms: float | None = None
    proxy_ms: float | None = None
    tls_ms: float | None = None
    response_ms: float | None = None
    close_ms: float | None = None


@dataclass(frozen=True, slots=True)
class ProbeResult:
    transport: Transport
    url: str
    route: Route
    started_at: float  # wall clock (epoch seconds), for history and display
    elapsed_ms: float
    reachable: bool  # the path works for Codex (a 401/403 upgrade answer counts as reachable)
    stage: Stage  # the last stage reached; on failure, the stage that failed
    failure: Failure | None
    reason: Text  # plain words for the user
    status: int | None = None  # HTTP status or upgrade answer
    close_code: int | None = None
    close_reason: str | None = None
    timings: PhaseTimings = field(default_factory=PhaseTimings)
    tls_intercepted: bool = False  # chain verified only with a locally added CA
    authenticated: bool = False  # deep check: the user's credentials were sent
