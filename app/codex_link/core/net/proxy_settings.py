"""The OS proxy settings as one value, whatever desktop they were read from.

The per-OS readers (`proxy_windows`, `proxy_macos`, `proxy_linux`) all return a `SystemProxy`;
`system_proxy.read_system_proxy` picks the reader. Kept apart from the dispatcher so that the
readers can import it without an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

from codex_link.core.model.probe import SystemSettings
from codex_link.core.model.urls import split_scheme, with_scheme

# Proxy URL schemes as Codex's clients spell them. A Windows `socks=` entry, a KDE `socks://` and
# a macOS/GNOME SOCKS host all become `socks5://`, as reqwest (hyper-util) normalises them.
SOCKS_SCHEME = "socks5"


@dataclass(frozen=True, slots=True)
class SystemProxy:
    """Proxies configured in the OS settings. URLs may hold credentials: show them redacted."""

    http: str | None  # proxy for http:// targets, e.g. "http://127.0.0.1:7890"
    https: str | None  # proxy for https:// (and wss://) targets
    socks: str | None  # e.g. "socks5://127.0.0.1:7891"
    bypass: tuple[str, ...]  # the exception list as written ("<local>", "*.corp", "10.0.0.0/8")
    pac_url: str | None  # automatic configuration script, if one is set
    source: SystemSettings  # where it came from: Windows Internet Options, GNOME...

    @property
    def has_static_proxy(self) -> bool:
        return any((self.http, self.https, self.socks))


def proxy_url(value: str, default_scheme: str = "http") -> str | None:
    """`host:port` or `scheme://host:port` as a URL; None for an empty value.

    A value without a scheme gets `default_scheme`, as reqwest does for its own settings;
    `socks://` (KDE, Python's urllib) becomes `socks5://`.
    """
    value = value.strip()
    if not value:
        return None
    scheme = split_scheme(value)[0]
    if scheme is None:
        return with_scheme(value, default_scheme)
    return with_scheme(value, SOCKS_SCHEME if scheme == "socks" else scheme)


def host_port(host: str, port: int | None) -> str:
    """`host:port`, with IPv6 literals in brackets; no port when it is unset (0 or None)."""
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{host}:{port}" if port else host
