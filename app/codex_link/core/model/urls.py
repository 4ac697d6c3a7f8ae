"""URLs as Codex Link reads them: the URL to probe, a proxy URL, schemes, and shown URLs.

One place for every look at a URL's parts, so that the probes, Codex's route rules, the OS
proxy readers and the provider endpoints split a URL the same way: `parse_target` and
`parse_proxy` for what a probe connects to, `split_scheme` and `with_scheme` for the
`scheme://` prefix of values people write (`127.0.0.1:7890` has none), `websocket_url` for
Codex's http(s) -> ws(s) swap, and `redact_url` for a URL about to be shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import unquote, urlsplit, urlunsplit

MASK = "***"

_DEFAULT_PORTS = {"https": 443, "wss": 443, "http": 80, "ws": 80}
_SECURE = frozenset({"https", "wss"})
_SEPARATOR = "://"

# Query parameters known to carry no secret (Azure's API version); every other value in a
# shown URL is masked: a provider's `query_params` often hold its key.
_PLAIN_QUERY_NAMES = frozenset({"api-version", "api_version"})

# Codex derives its WebSocket URL from the Responses URL by swapping the scheme; a PAC file
# is asked about a WebSocket URL as the http(s) URL browsers would ask it for.
_TO_WEBSOCKET = {"https": "wss", "http": "ws"}
_TO_HTTP = {"wss": "https", "ws": "http"}


class BadUrlError(ValueError):
    """The URL to probe is not an http(s)/ws(s) URL with a host."""


class ProxySchemeError(Exception):
    """The proxy URL uses a scheme this route cannot use (e.g. https:// for WebSocket)."""

    def __init__(self, scheme: str) -> None:
        super().__init__(f"unsupported proxy scheme {scheme!r}")
        self.scheme = scheme


@dataclass(frozen=True, slots=True)
class Target:
    """Where a URL points: host, port, and whether TLS runs on top."""

    host: str
    port: int
    secure: bool
    path: str  # path and query, for the request line

    @property
    def authority(self) -> str:
        """host:port as HTTP writes it (IPv6 literals in brackets)."""
        return f"{_bracketed(self.host)}:{self.port}"

    @property
    def host_header(self) -> str:
        scheme_port = 443 if self.secure else 80
        host = _bracketed(self.host)
        return host if self.port == scheme_port else f"{host}:{self.port}"


class ProxyKind(StrEnum):
    HTTP = "http"
    HTTPS = "https"  # TLS to the proxy itself: Codex's HTTP client takes it, its WebSocket not
    SOCKS5 = "socks5"  # the client resolves the target name
    SOCKS5H = "socks5h"  # the proxy resolves the target name


@dataclass(frozen=True, slots=True)
class ProxySpec:
    kind: ProxyKind
    host: str
    port: int
    username: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)

    @property
    def display(self) -> str:
        """host:port of the proxy; never the credentials."""
        return f"{_bracketed(self.host)}:{self.port}"


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def split_scheme(value: str) -> tuple[str | None, str]:
    """(scheme in lower case, what follows `://`); (None, value) when there is no `://`."""
    scheme, separator, rest = value.partition(_SEPARATOR)
    if not separator:
        return None, value
    return scheme.lower(), rest


def scheme_of(value: str) -> str | None:
    """The scheme of a value as written in a setting (surrounding blanks ignored), in lower
    case; None for a bare `host:port`."""
    return split_scheme(value.strip())[0]


def with_scheme(value: str, scheme: str) -> str:
    """`value` with `scheme` in front instead of its own (or in front of a bare host:port)."""
    return f"{scheme}{_SEPARATOR}{split_scheme(value)[1]}"


def _swapped(url: str, table: dict[str, str]) -> str:
    scheme, rest = split_scheme(url)
    if scheme is None or scheme not in table:
        return url
    return f"{table[scheme]}{_SEPARATOR}{rest}"


def websocket_url(http_url: str) -> str:
    """Codex's scheme swap for the WebSocket transport: https -> wss, http -> ws; other
    schemes stay as they are."""
    return _swapped(http_url, _TO_WEBSOCKET)


def as_http_url(url: str) -> str:
    """The reverse swap, wss -> https and ws -> http; other schemes stay as they are."""
    return _swapped(url, _TO_HTTP)


def parse_target(url: str) -> Target:
    """Where an http(s) or ws(s) URL points; anything else raises BadUrlError."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise BadUrlError("not a URL") from exc
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise BadUrlError("not an http(s) or ws(s) URL with a host")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(
        host=parts.hostname,
        port=port or _DEFAULT_PORTS[scheme],
        secure=scheme in _SECURE,
        path=path,
    )


def parse_proxy(url: str, allowed: frozenset[ProxyKind], *, bare_is_http: bool = True) -> ProxySpec:
    """Reads a proxy URL; a scheme outside `allowed` raises ProxySchemeError.

    A value without a scheme means http:// to reqwest and curl (`bare_is_http`); Codex's
    WebSocket client refuses it instead, so the WebSocket probe passes False.
    """
    if split_scheme(url)[0] is None:
        if not bare_is_http:
            raise ProxySchemeError("")
        url = with_scheme(url, ProxyKind.HTTP.value)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:  # e.g. a port that is not a number: name the scheme as written
        raise ProxySchemeError(url.partition(_SEPARATOR)[0]) from exc
    scheme = parts.scheme.lower()
    kind = next((k for k in ProxyKind if k.value == scheme), None)
    if kind is None or kind not in allowed or not parts.hostname:
        raise ProxySchemeError(scheme)
    default_port = {ProxyKind.HTTP: 8080, ProxyKind.HTTPS: 443}.get(kind, 1080)
    return ProxySpec(
        kind=kind,
        host=parts.hostname,
        port=port or default_port,
        username=unquote(parts.username) if parts.username is not None else None,
        password=unquote(parts.password) if parts.password is not None else None,
    )


def proxy_address(value: str) -> str:
    """host:port of a proxy value for sentences: no scheme, no credentials, no path."""
    after_scheme = split_scheme(value.strip())[1]
    return after_scheme.rpartition("@")[2].split("/", 1)[0]


def redact_url(value: str) -> str:
    """`http://user:secret@host:3128/?key=k` -> `http://***@host:3128/?key=***`; a value
    that is not a URL comes back unchanged."""
    if "@" not in value and "?" not in value:
        return value
    has_scheme = split_scheme(value)[0] is not None
    try:
        parts = urlsplit(value if has_scheme else f"//{value}")
    except ValueError:
        return MASK
    netloc = parts.netloc
    if parts.username is not None or parts.password is not None:
        netloc = f"{MASK}@" + netloc.rpartition("@")[2]
    query = _masked_query(parts.query)
    redacted = urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    return redacted if has_scheme else redacted.removeprefix("//")


def _masked_query(query: str) -> str:
    if not query:
        return query
    pairs = []
    for pair in query.split("&"):
        name, sep, _value = pair.partition("=")
        keep = not sep or name.lower() in _PLAIN_QUERY_NAMES
        pairs.append(pair if keep else f"{name}={MASK}")
    return "&".join(pairs)
