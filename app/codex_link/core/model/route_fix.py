"""The route fix: sending Codex through a proxy that carries WebSocket, so it keeps WebSocket.

Codex's WebSocket follows the proxy environment variables only (CODEX_FACTS §5), so a working
local proxy (Clash, v2rayN, a company proxy) or the OS system proxy can carry it while
Codex's own route cannot. The check finds such a route (`RouteProposal`), the verdict offers
it, and the route fix writes it where Codex reads it at every start: proxy lines in
`$CODEX_HOME/.env`, or `features.respect_system_proxy = true` in config.toml.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RouteMethod(StrEnum):
    DOTENV = "dotenv"  # proxy variables in $CODEX_HOME/.env (loaded at start, over the shell's)
    SYSTEM_PROXY = "system_proxy"  # features.respect_system_proxy = true (Windows, macOS)


@dataclass(frozen=True, slots=True)
class RouteProposal:
    """A route verified to carry Codex's WebSocket (and its HTTP, where it takes that too).

    `variables`: the proxy variables a DOTENV fix writes, in order. HTTPS_PROXY moves both
    transports onto the proxy; HTTP_PROXY alone moves only the WebSocket (Codex's HTTPS
    requests ignore it), which is what a SOCKS proxy needs: Codex's HTTP client cannot use
    SOCKS. Empty for SYSTEM_PROXY.
    """

    method: RouteMethod
    proxy_url: str | None  # may hold a login: show it through model.urls.redact_url
    variables: tuple[str, ...] = ()
    no_proxy: str = "localhost,127.0.0.1,::1"  # written beside the proxy: local servers stay direct
