"""Windows: the per-user Internet Options proxy (what Settings > Proxy and Clash/v2rayN write).

Values live in `HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings`:
`ProxyEnable` (DWORD), `ProxyServer` (`host:port` for every scheme, or
`http=h:p;https=h:p;socks=h:p`), `ProxyOverride` (`;`-separated, `<local>` = dot-less names),
`AutoConfigURL` (a PAC file; used even when `ProxyEnable` is 0). "Automatically detect
settings" (WPAD) sits in a binary blob and is not read: it needs network discovery.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from codex_link.core.model.probe import SystemSettings
from codex_link.core.net.proxy_settings import SOCKS_SCHEME, SystemProxy, proxy_url

REGISTRY_KEY = r"Software\Microsoft\Windows\CurrentVersion\Internet Settings"
VALUE_NAMES = ("ProxyEnable", "ProxyServer", "ProxyOverride", "AutoConfigURL")


def parse_windows_internet_settings(values: Mapping[str, object]) -> SystemProxy | None:
    """The proxy the registry values describe; None when no proxy and no PAC file is set."""
    enabled = _as_int(values.get("ProxyEnable")) != 0
    server = _as_str(values.get("ProxyServer"))
    pac_url = _as_str(values.get("AutoConfigURL")) or None
    http = https = socks = None
    if enabled and server:
        http, https, socks = _parse_proxy_server(server)
    if not (http or https or socks or pac_url):
        return None
    override = _as_str(values.get("ProxyOverride"))
    bypass = tuple(entry.strip() for entry in override.split(";") if entry.strip())
    return SystemProxy(
        http=http,
        https=https,
        socks=socks,
        bypass=bypass,
        pac_url=pac_url,
        source=SystemSettings.WINDOWS,
    )


def _parse_proxy_server(server: str) -> tuple[str | None, str | None, str | None]:
    """`ProxyServer` as (http, https, socks) proxy URLs.

    A bare `host:port` serves every scheme. Per-scheme entries are HTTP CONNECT proxies
    (`https=h:p` is `http://h:p`: the proxy is reached in plain HTTP); `socks=` is SOCKS.
    Entries without `=` in a per-scheme list are ignored, as reqwest ignores them.
    """
    entries = [entry.strip() for entry in server.split(";") if entry.strip()]
    if not any("=" in entry for entry in entries):
        url = proxy_url(entries[0]) if entries else None
        return url, url, None
    http = https = socks = None
    for entry in entries:
        scheme, sep, address = entry.partition("=")
        if not sep:
            continue
        match scheme.strip().lower():
            case "http":
                http = proxy_url(address)
            case "https":
                https = proxy_url(address)
            case "socks":
                socks = proxy_url(address, SOCKS_SCHEME)
            case _:
                pass  # ftp= and unknown schemes do not matter to Codex
    return http, https, socks


def _as_int(value: object) -> int:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return 0


def _as_str(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def read_internet_settings_registry() -> dict[str, object] | None:
    """The registry values (only on Windows); None when the key cannot be opened."""
    try:
        winreg: Any = importlib.import_module("winreg")
    except ImportError:
        return None
    values: dict[str, object] = {}
    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, REGISTRY_KEY) as key:
            for name in VALUE_NAMES:
                try:
                    values[name] = winreg.QueryValueEx(key, name)[0]
                except OSError:
                    continue
    except OSError:
        return None
    return values
