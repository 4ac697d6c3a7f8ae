"""macOS: the system proxy as `scutil --proxy` prints it (the SCDynamicStore Codex reads).

The output is a property-list dump:

    <dictionary> {
      ExceptionsList : <array> {
        0 : *.local
      }
      HTTPEnable : 1
      HTTPPort : 7890
      HTTPProxy : 127.0.0.1
      ProxyAutoConfigEnable : 1
      ProxyAutoConfigURLString : http://127.0.0.1:7890/proxy.pac
    }

Nested dictionaries (`__SCOPED__` per-interface copies) are skipped: the top level is what
applies. `ProxyAutoDiscoveryEnable` (WPAD) needs network discovery and is not resolved.
"""

from __future__ import annotations

import re

from codex_link.core.model.probe import SystemSettings
from codex_link.core.net.proxy_settings import SOCKS_SCHEME, SystemProxy, host_port, proxy_url

COMMAND = ("scutil", "--proxy")

_ENTRY = re.compile(r"^\s*(?P<key>[^:{}]+?)\s*:\s*(?P<value>.*?)\s*$")


def parse_scutil_proxy(output: str) -> SystemProxy | None:
    """The proxy `scutil --proxy` describes; None when nothing is enabled."""
    scalars, arrays = _top_level(output)

    def enabled_proxy(prefix: str, scheme: str) -> str | None:
        if scalars.get(f"{prefix}Enable") != "1":
            return None
        host = scalars.get(f"{prefix}Proxy", "")
        if not host:
            return None
        port = scalars.get(f"{prefix}Port", "")
        return proxy_url(host_port(host, int(port) if port.isdigit() else None), scheme)

    http = enabled_proxy("HTTP", "http")
    https = enabled_proxy("HTTPS", "http")  # an HTTPS proxy is a CONNECT proxy reached in HTTP
    socks = enabled_proxy("SOCKS", SOCKS_SCHEME)
    pac_url = None
    if scalars.get("ProxyAutoConfigEnable") == "1":
        pac_url = scalars.get("ProxyAutoConfigURLString") or None
    if not (http or https or socks or pac_url):
        return None
    return SystemProxy(
        http=http,
        https=https,
        socks=socks,
        bypass=tuple(arrays.get("ExceptionsList", ())),
        pac_url=pac_url,
        source=SystemSettings.MACOS,
    )


def _top_level(output: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Scalars and arrays of the outermost dictionary."""
    scalars: dict[str, str] = {}
    arrays: dict[str, list[str]] = {}
    depth = 0
    current_array: list[str] | None = None
    for line in output.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped == "}":
            depth -= 1
            if depth <= 1:
                current_array = None
            continue
        match = _ENTRY.match(line)
        opens = stripped.endswith("{")
        if match is None:
            depth += 1 if opens else 0
            continue
        key, value = match["key"], match["value"]
        if opens:
            depth += 1
            if depth == 2 and value.startswith("<array>"):
                current_array = arrays.setdefault(key, [])
            continue
        if depth == 1:
            scalars[key] = value
        elif depth == 2 and current_array is not None:
            current_array.append(value)
    return scalars, arrays
