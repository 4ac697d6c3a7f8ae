"""What one probe found: the stage it reached, the failure class, timings, plain words.

These types are the contract between the probes, the verdict and the UI.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from codex_link.core.model.text import QT_TRANSLATE_NOOP, Text, text
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
    LOCAL_PROXY = "local_proxy"  # a proxy found listening (core.net.discovery), not set anywhere


class SystemSettings(StrEnum):
    """The OS settings a system proxy was read from."""

    WINDOWS = "windows"  # Internet Options (the registry)
    MACOS = "macos"  # the network settings (`scutil --proxy`)
    GNOME = "gnome"  # gsettings org.gnome.system.proxy
    KDE = "kde"  # kioslaverc

    def text(self) -> Text:
        """The settings' name for people."""
        return _SETTINGS_NAMES[self]


_SETTINGS_NAMES = {
    SystemSettings.WINDOWS: text(QT_TRANSLATE_NOOP("CodexLink", "Windows Internet Options")),
    SystemSettings.MACOS: text(QT_TRANSLATE_NOOP("CodexLink", "macOS network settings")),
    SystemSettings.GNOME: text(QT_TRANSLATE_NOOP("CodexLink", "GNOME settings")),
    SystemSettings.KDE: text(QT_TRANSLATE_NOOP("CodexLink", "KDE settings")),
}


class SourceKind(StrEnum):
    """Where a route's proxy, or the lack of one, comes from."""

    UNSTATED = "unstated"  # a route made without saying why (a test, a self-check)
    ENVIRONMENT = "environment"  # the variable `variable` in the environment Codex starts with
    DOTENV = "dotenv"  # the variable `variable` in $CODEX_HOME/.env
    SYSTEM = "system"  # the OS proxy settings `settings`
    SYSTEM_EXCEPTIONS = "system_exceptions"  # the exception list of the OS settings `settings`
    PAC = "pac"  # the answer of the PAC file at `pac_url`
    NOT_SET = "not_set"  # nothing Codex reads names a proxy
    NO_SYSTEM_PROXY = "no_system_proxy"  # Codex asks the OS, which has no proxy set
    DIRECT = "direct"  # the direct route, probed beside Codex's own
    LISTENING = "listening"  # a proxy found listening at `address` (host:port)


@dataclass(frozen=True, slots=True)
class RouteSource:
    """Where a route comes from, as data: Codex's rules decide on `kind`; people read
    `text()` (the UI translates it, the command line shows the English)."""

    kind: SourceKind = SourceKind.UNSTATED
    variable: str = ""  # ENVIRONMENT, DOTENV: the name as spelled, e.g. "https_proxy"
    settings: SystemSettings | None = None  # SYSTEM, SYSTEM_EXCEPTIONS
    pac_url: str = ""  # PAC
    address: str = ""  # LISTENING: host:port, e.g. "127.0.0.1:7890"
    http_added: bool = False  # the variable's value with http:// put in front (an alternative)

    def text(self) -> Text:
        """ "HTTPS_PROXY (environment)", "GNOME settings (exceptions)", "no proxy set"..."""
        words = self._words()
        if self.http_added:
            return text(
                QT_TRANSLATE_NOOP("CodexLink", "{source}, with http:// added"), source=words
            )
        return words

    def _words(self) -> Text:
        settings = self.settings.text() if self.settings is not None else Text("")
        match self.kind:
            case SourceKind.ENVIRONMENT:
                return text(
                    QT_TRANSLATE_NOOP("CodexLink", "{name} (environment)"), name=self.variable
                )
            case SourceKind.DOTENV:
                return text(
                    QT_TRANSLATE_NOOP("CodexLink", "{name} ($CODEX_HOME/.env)"), name=self.variable
                )
            case SourceKind.SYSTEM:
                return settings
            case SourceKind.SYSTEM_EXCEPTIONS:
                return text(
                    QT_TRANSLATE_NOOP("CodexLink", "{settings} (exceptions)"), settings=settings
                )
            case SourceKind.PAC:
                return text(QT_TRANSLATE_NOOP("CodexLink", "PAC file {url}"), url=self.pac_url)
            case SourceKind.NOT_SET:
                return text(QT_TRANSLATE_NOOP("CodexLink", "no proxy set"))
            case SourceKind.NO_SYSTEM_PROXY:
                return text(QT_TRANSLATE_NOOP("CodexLink", "no system proxy"))
            case SourceKind.DIRECT:
                return text(QT_TRANSLATE_NOOP("CodexLink", "direct"))
            case SourceKind.LISTENING:
                return text(
                    QT_TRANSLATE_NOOP("CodexLink", "found listening on {address}"),
                    address=self.address,
                )
            case SourceKind.UNSTATED:
                return Text("")


@dataclass(frozen=True, slots=True)
class Route:
    """One way to reach a URL: directly or through one proxy."""

    kind: RouteKind
    proxy_url: str | None = None  # may hold credentials: show `display()` instead
    origin: RouteSource = RouteSource()  # where the proxy (or going direct) comes from

    @property
    def source(self) -> str:
        """Where the route comes from in English, e.g. "HTTPS_PROXY (environment)"; "" when
        unstated. For the command line and the report; the UI translates `origin.text()`."""
        return self.origin.text().render()

    def display(self) -> str:
        """The route for people: the proxy with any user:password removed."""
        if self.proxy_url is None:
            return "direct"
        return redact_url(self.proxy_url)


# The stages a probe is timed in, in the order it goes through them.
PHASES: tuple[Stage, ...] = tuple(stage for stage in Stage if stage is not Stage.DONE)
_PHASE_ORDER: dict[Stage, int] = {stage: index for index, stage in enumerate(PHASES)}


@dataclass(frozen=True, slots=True)
class PhaseTimings(Mapping[Stage, float]):
    """Milliseconds per phase a probe went through, by stage and in the order of `PHASES`,
    all measured on one monotonic clock; a phase not reached has no entry."""

    phases: tuple[tuple[Stage, float], ...] = ()

    @classmethod
    def of(cls, ms: Mapping[Stage, float]) -> PhaseTimings:
        return cls(tuple(sorted(ms.items(), key=lambda item: _PHASE_ORDER[item[0]])))

    def __getitem__(self, stage: Stage) -> float:
        for timed, ms in self.phases:
            if timed is stage:
                return ms
        raise KeyError(stage)

    def __iter__(self) -> Iterator[Stage]:
        return (stage for stage, _ in self.phases)

    def __len__(self) -> int:
        return len(self.phases)


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
