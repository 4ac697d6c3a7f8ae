"""Linux desktops: the GNOME (gsettings) and KDE (kioslaverc) proxy settings.

Codex itself never reads these (on Linux reqwest and its WebSocket connector use environment
variables only), but apps started from the desktop, browsers and proxy clients do; so they
are the "system proxy" a user means, and a route worth probing as an alternative.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from configparser import ConfigParser
from configparser import Error as ConfigError
from urllib.parse import quote

from codex_link.core.model.probe import SystemSettings
from codex_link.core.net.proxy_settings import SOCKS_SCHEME, SystemProxy, host_port, proxy_url

GSETTINGS_COMMAND = ("gsettings", "list-recursively", "org.gnome.system.proxy")
_GNOME_SCHEMA = "org.gnome.system.proxy"

# Desktops whose proxy panel writes org.gnome.system.proxy.
GNOME_FAMILY = frozenset(
    {
        "gnome",
        "gnome-classic",
        "gnome-flashback",
        "ubuntu",
        "unity",
        "cinnamon",
        "x-cinnamon",
        "mate",
        "budgie",
        "budgie-desktop",
        "pantheon",
        "pop",
        "cosmic",
        "deepin",
        "ukui",
    }
)

_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"")


def parse_gsettings_listing(output: str) -> dict[str, str]:
    """`gsettings list-recursively org.gnome.system.proxy` as {"mode": "'manual'",
    "http.host": "'127.0.0.1'", ...}: the key names `parse_gnome_gsettings` takes."""
    values: dict[str, str] = {}
    for line in output.splitlines():
        parts = line.strip().split(None, 2)
        if len(parts) < 3 or not parts[0].startswith(_GNOME_SCHEMA):
            continue
        child = parts[0][len(_GNOME_SCHEMA) :].lstrip(".")
        values[f"{child}.{parts[1]}" if child else parts[1]] = parts[2]
    return values


def parse_gnome_gsettings(values: Mapping[str, str]) -> SystemProxy | None:
    """The proxy GNOME's settings describe; values are in gsettings' text form (`'manual'`).

    Mode `manual` gives static proxies (`use-same-proxy` makes the HTTP proxy serve HTTPS
    too when no HTTPS host is set, as GLib's resolver does); mode `auto` gives the PAC URL
    (an empty URL means WPAD, which needs discovery: None).
    """
    mode = _string(values.get("mode", ""))
    if mode == "auto":
        pac_url = _string(values.get("autoconfig-url", ""))
        if not pac_url:
            return None
        return SystemProxy(
            http=None,
            https=None,
            socks=None,
            bypass=_ignore_hosts(values),
            pac_url=pac_url,
            source=SystemSettings.GNOME,
        )
    if mode != "manual":
        return None
    http = _gnome_proxy(values, "http", "http", with_auth=True)
    https = _gnome_proxy(values, "https", "http", with_auth=False)
    socks = _gnome_proxy(values, "socks", SOCKS_SCHEME, with_auth=False)
    same_proxy = _string(values.get("use-same-proxy", "true")) != "false"
    if https is None and http is not None and same_proxy:
        https = http
    if not (http or https or socks):
        return None
    return SystemProxy(
        http=http,
        https=https,
        socks=socks,
        bypass=_ignore_hosts(values),
        pac_url=None,
        source=SystemSettings.GNOME,
    )


def _gnome_proxy(
    values: Mapping[str, str], child: str, scheme: str, *, with_auth: bool
) -> str | None:
    host = _string(values.get(f"{child}.host", ""))
    if not host:
        return None
    port_text = values.get(f"{child}.port", "0").strip()
    port = int(port_text) if port_text.isdigit() else None
    userinfo = ""
    if with_auth and _string(values.get(f"{child}.use-authentication", "false")) == "true":
        user = _string(values.get(f"{child}.authentication-user", ""))
        password = _string(values.get(f"{child}.authentication-password", ""))
        if user:
            secret = ":" + quote(password, safe="") if password else ""
            userinfo = f"{quote(user, safe='')}{secret}@"
    return f"{scheme}://{userinfo}{host_port(host, port)}"


def _ignore_hosts(values: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(_unescape(a or b) for a, b in _QUOTED.findall(values.get("ignore-hosts", "")))


def _string(value: str) -> str:
    """A gsettings value as plain text: quotes removed from strings, others as printed."""
    value = value.strip()
    match = _QUOTED.fullmatch(value)
    if match:
        return _unescape(match.group(1) if match.group(1) is not None else match.group(2))
    return value


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def parse_kde_kioslaverc(text: str, env: Mapping[str, str] | None = None) -> SystemProxy | None:
    """The proxy in KDE's `kioslaverc` `[Proxy Settings]`.

    `ProxyType`: 0 none, 1 manual (`httpProxy=http://host port` or `...host:port`),
    2 PAC (`Proxy Config Script`), 3 WPAD (needs discovery: None), 4 "use environment
    variables" (the entries name variables, looked up in `env`).
    """
    parser = ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        parser.read_string(text)
    except ConfigError:
        return None
    if not parser.has_section("Proxy Settings"):
        return None
    section = parser["Proxy Settings"]
    proxy_type = section.get("ProxyType", "0").strip()
    bypass = tuple(
        entry.strip()
        for entry in re.split(r"[,\s]+", section.get("NoProxyFor", ""))
        if entry.strip()
    )
    if proxy_type == "2":
        pac_url = section.get("Proxy Config Script", "").strip()
        if not pac_url:
            return None
        return SystemProxy(
            http=None,
            https=None,
            socks=None,
            bypass=bypass,
            pac_url=pac_url,
            source=SystemSettings.KDE,
        )
    if proxy_type not in ("1", "4"):
        return None

    def entry(key: str, scheme: str) -> str | None:
        value = section.get(key, "").strip()
        if proxy_type == "4":
            value = (env or {}).get(value, "").strip() if value else ""
        return _kde_proxy(value, scheme)

    http = entry("httpProxy", "http")
    https = entry("httpsProxy", "http")
    socks = entry("socksProxy", SOCKS_SCHEME)
    if proxy_type == "4" and bypass:
        bypass = tuple(
            part.strip() for part in (env or {}).get(bypass[0], "").split(",") if part.strip()
        )
    if not (http or https or socks):
        return None
    return SystemProxy(
        http=http, https=https, socks=socks, bypass=bypass, pac_url=None, source=SystemSettings.KDE
    )


def _kde_proxy(value: str, scheme: str) -> str | None:
    """KDE writes `http://host 8080` (space before the port) or `http://host:8080`."""
    value = value.strip()
    if not value:
        return None
    address, _, port = value.rpartition(" ")
    if address and port.isdigit():
        value = f"{address.strip()}:{port}"
    return proxy_url(value, scheme)


def desktop_names(env: Mapping[str, str]) -> frozenset[str]:
    """The desktops named by XDG_CURRENT_DESKTOP (`ubuntu:GNOME`) and DESKTOP_SESSION."""
    names = [*env.get("XDG_CURRENT_DESKTOP", "").split(":"), env.get("DESKTOP_SESSION", "")]
    return frozenset(name.strip().lower() for name in names if name.strip())
