"""Does a NO_PROXY list (or a system bypass list) send a host around the proxy?

Codex has three different matchers, and they disagree; each is reproduced here because a user's
list can bypass the proxy for HTTP and not for WebSocket (or the other way round).

- WebSocket (`openai-oss-forks/tungstenite-rs`, `src/proxy.rs` `should_bypass_proxy`): the whole
  value `*` bypasses everything (a `*` inside a list does not); entries are split on `,` and
  trimmed; an entry may carry a port (`host:443`, `[::1]:443`) which must then equal the
  target's; `.example.com` and `example.com` both match the domain and its subdomains; the
  comparison is case-sensitive; `*.example.com` and CIDR ranges are not understood.
- HTTP (reqwest through `hyper-util` `client/proxy/matcher.rs` `NoProxy`): entries split on `,`
  and trimmed; IP addresses and CIDR networks match IP targets; `*` anywhere matches all;
  any other entry is a domain matching itself and its subdomains, case-insensitively; ports
  are not understood (`host:443` never matches) and neither is `*.example.com`.
- The system bypass list Codex applies with `features.respect_system_proxy`
  (`codex-client/src/outbound_proxy.rs` `no_proxy_entry_matches_origin` and the Windows
  `proxy_bypass_matches_origin`): `<local>` matches dot-less hosts, `*` glob patterns, a
  leading dot, an optional port, and an optional `http://`/`https://` prefix.

Checked against the real Codex CLI 0.169.0 (`codex doctor` through listening loopback ports):
`*.openai.com` and `OPENAI.COM` do not bypass the WebSocket; `api.openai.com:443` does, `:80`
does not; `foo,*` bypasses HTTP but not the WebSocket; `chatgpt.com:443` does not bypass HTTP.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable


def websocket_bypasses(no_proxy: str, host: str, port: int) -> bool:
    """True when Codex's WebSocket connector connects to `host:port` without the proxy."""
    value = no_proxy.strip()
    if not value:
        return False
    if value == "*":
        return True
    host = _strip_brackets(host)
    for raw in value.split(","):
        token = raw.strip()
        if not token:
            continue
        token_host, token_port = _split_ws_port(token)
        if token_port is not None and token_port != port:
            continue
        token_host = _strip_brackets(token_host)
        if host == token_host:
            return True
        suffix = token_host[1:] if token_host.startswith(".") else token_host
        if token_host.startswith(".") and host == suffix:
            return True
        if host.endswith("." + suffix):
            return True
    return False


def _split_ws_port(token: str) -> tuple[str, int | None]:
    """`host:port` or `[v6]:port`; a bare IPv6 address (several colons) has no port."""
    if token.startswith("["):
        close = token.find("]")
        if close < 0:
            return token, None
        rest = token[close + 1 :]
        return token[: close + 1], _port(rest[1:]) if rest.startswith(":") else None
    if token.count(":") == 1:
        name, _, port = token.rpartition(":")
        return name, _port(port)
    return token, None


def _port(text: str) -> int | None:
    return int(text) if text.isdigit() and int(text) <= 65535 else None


def _strip_brackets(host: str) -> str:
    if host.startswith("[") and host.endswith("]"):
        return host[1:-1]
    return host


def http_bypasses(no_proxy: str, host: str) -> bool:
    """True when Codex's HTTP client (reqwest) reaches `host` without the proxy."""
    host = _strip_brackets(host)
    try:
        address: ipaddress.IPv4Address | ipaddress.IPv6Address | None = ipaddress.ip_address(host)
    except ValueError:
        address = None
    for raw in no_proxy.split(","):
        entry = raw.strip()
        if not entry:
            continue
        network = _network(entry)
        if network is not None:
            if address is not None and address.version == network.version and address in network:
                return True
            continue
        if address is not None:
            continue  # an IP target is compared with IP entries only
        if _reqwest_domain_match(entry, host):
            return True
    return False


def _network(entry: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(entry, strict=False)
    except ValueError:
        return None


def _reqwest_domain_match(entry: str, host: str) -> bool:
    lowered_entry, lowered_host = entry.lower(), host.lower()
    if lowered_entry == lowered_host or lowered_entry.removeprefix(".") == lowered_host:
        return True
    if lowered_host.endswith(lowered_entry):
        if lowered_entry.startswith("."):
            return True
        before = len(lowered_host) - len(lowered_entry) - 1
        return before >= 0 and lowered_host[before] == "."
    return entry == "*"


def system_bypasses(entries: Iterable[str], host: str, port: int) -> bool:
    """True when a Windows ProxyOverride / macOS exception list sends `host:port` direct.

    Used for Codex's own system-proxy resolution (`features.respect_system_proxy`).
    """
    host = _strip_brackets(host).lower()
    for raw in entries:
        entry = raw.strip()
        if not entry:
            continue
        if entry.lower() == "<local>":
            if "." not in host and ":" not in host:
                return True
            continue
        if _system_entry_matches(entry, host, port):
            return True
    return False


def _system_entry_matches(entry: str, host: str, port: int) -> bool:
    if entry == "*":
        return True
    for prefix in ("http://", "https://"):
        if entry.lower().startswith(prefix):
            entry = entry[len(prefix) :]
    name, entry_port = _split_ws_port(entry.lower())
    if entry_port is not None and entry_port != port:
        return False
    entry = _strip_brackets(name)
    if entry.startswith("."):
        suffix = entry[1:]
        return host == suffix or host.endswith("." + suffix)
    if "*" in entry:
        return _glob(entry, host)
    return host == entry


def _glob(pattern: str, host: str) -> bool:
    """`*` matches any run of characters, as Codex's `wildcard_host_match` does."""
    parts = pattern.split("*")
    if not host.startswith(parts[0]):
        return False
    position = len(parts[0])
    for part in parts[1:-1]:
        found = host.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    last = parts[-1]
    return host.endswith(last) and len(host) - len(last) >= position
