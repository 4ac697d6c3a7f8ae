"""Each OS reader on recorded settings: what a user set in their proxy panel comes out right."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codex_link.core.model.probe import SystemSettings
from codex_link.core.net.proxy_linux import (
    parse_gnome_gsettings,
    parse_gsettings_listing,
    parse_kde_kioslaverc,
)
from codex_link.core.net.proxy_macos import parse_scutil_proxy
from codex_link.core.net.proxy_windows import parse_windows_internet_settings
from codex_link.core.net.system_proxy import SystemProxy

RECORDED = Path(__file__).parent / "recorded"
WINDOWS = json.loads((RECORDED / "windows_registry.json").read_text())


def recorded(name: str) -> str:
    return (RECORDED / name).read_text()


def proxies(found: SystemProxy | None) -> tuple[str | None, str | None, str | None, str | None]:
    assert found is not None
    return found.http, found.https, found.socks, found.pac_url


# --- Windows Internet Options ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("clash_bare", ("http://127.0.0.1:7890", "http://127.0.0.1:7890", None, None)),
        (
            "per_scheme_with_socks",
            (
                "http://proxy.corp.example:8080",
                "http://proxy.corp.example:8443",
                "socks5://proxy.corp.example:1080",
                None,
            ),
        ),
        ("socks_only", (None, None, "socks5://127.0.0.1:10808", None)),
        ("http_and_socks", ("http://127.0.0.1:8080", None, "socks5://127.0.0.1:1080", None)),
        ("pac_only", (None, None, None, "http://127.0.0.1:33331/pac?t=20260412")),
        (
            "pac_and_static",
            (
                "http://10.1.2.3:3128",
                "http://10.1.2.3:3128",
                None,
                "http://wpad.corp.example/wpad.dat",
            ),
        ),
    ],
)
def test_windows_settings_give_the_proxies_the_user_set(
    case: str, expected: tuple[str | None, ...]
) -> None:
    found = parse_windows_internet_settings(WINDOWS[case])
    assert proxies(found) == expected
    assert found is not None and found.source is SystemSettings.WINDOWS


@pytest.mark.parametrize("case", ["disabled_with_leftover_server", "enabled_but_empty", "nothing"])
def test_windows_without_an_active_proxy_reads_as_none(case: str) -> None:
    assert parse_windows_internet_settings(WINDOWS[case]) is None


def test_windows_bypass_list_keeps_local_and_wildcards() -> None:
    found = parse_windows_internet_settings(WINDOWS["clash_bare"])
    assert found is not None
    assert found.bypass == (
        "localhost",
        "127.*",
        "10.*",
        "172.16.*",
        "172.17.*",
        "192.168.*",
        "<local>",
    )


def test_windows_values_of_the_wrong_type_are_ignored() -> None:
    assert parse_windows_internet_settings({"ProxyEnable": "1", "ProxyServer": 7890}) is None
    found = parse_windows_internet_settings({"ProxyEnable": "1", "ProxyServer": "h:1"})
    assert proxies(found) == ("http://h:1", "http://h:1", None, None)


# --- macOS scutil --proxy ------------------------------------------------------------------------


def test_macos_clashx_settings_use_the_top_level_not_the_scoped_copy() -> None:
    found = parse_scutil_proxy(recorded("scutil_clashx.txt"))
    assert proxies(found) == (
        "http://127.0.0.1:7890",
        "http://127.0.0.1:7890",
        "socks5://127.0.0.1:7890",
        None,
    )
    assert found is not None
    assert found.bypass == (
        "127.0.0.1",
        "192.168.0.0/16",
        "10.0.0.0/8",
        "172.16.0.0/12",
        "localhost",
        "*.local",
        "*.crashlytics.com",
    )
    assert found.source is SystemSettings.MACOS


def test_macos_pac_url_is_read_when_enabled() -> None:
    found = parse_scutil_proxy(recorded("scutil_pac.txt"))
    assert proxies(found) == (None, None, None, "http://127.0.0.1:33331/proxy.pac")


def test_macos_https_only_with_an_ipv6_proxy_gets_brackets() -> None:
    found = parse_scutil_proxy(recorded("scutil_https_only_ipv6.txt"))
    assert proxies(found) == (None, "http://[fd00::1]:3128", None, None)


@pytest.mark.parametrize("output", [recorded("scutil_none.txt"), "", "garbage without colons"])
def test_macos_nothing_enabled_reads_as_none(output: str) -> None:
    assert parse_scutil_proxy(output) is None


# --- GNOME gsettings -----------------------------------------------------------------------------


def gnome(name: str) -> SystemProxy | None:
    return parse_gnome_gsettings(parse_gsettings_listing(recorded(name)))


def test_gnome_manual_with_use_same_proxy_serves_https_through_the_http_proxy() -> None:
    found = gnome("gsettings_manual.txt")
    assert proxies(found) == (
        "http://127.0.0.1:7890",
        "http://127.0.0.1:7890",
        "socks5://127.0.0.1:7891",
        None,
    )
    assert found is not None
    assert found.bypass == ("localhost", "127.0.0.0/8", "::1", "*.corp.example")
    assert found.source is SystemSettings.GNOME


def test_gnome_credentials_are_kept_encoded_and_https_stays_separate() -> None:
    found = gnome("gsettings_auth_separate_https.txt")
    assert proxies(found) == (
        "http://alice:p%40ss%3Aword@proxy.corp.example:8080",
        "http://secure.corp.example:8443",
        None,
        None,
    )
    assert found is not None and found.bypass == ()


def test_gnome_auto_mode_gives_the_pac_url() -> None:
    assert proxies(gnome("gsettings_auto.txt")) == (
        None,
        None,
        None,
        "http://127.0.0.1:33331/proxy.pac",
    )


def test_gnome_mode_none_ignores_leftover_hosts() -> None:
    assert gnome("gsettings_none_with_leftovers.txt") is None


def test_gnome_auto_mode_without_url_means_wpad_which_is_not_resolved() -> None:
    assert parse_gnome_gsettings({"mode": "'auto'", "autoconfig-url": "''"}) is None


def test_gnome_quoted_values_with_escapes() -> None:
    found = parse_gnome_gsettings(
        {
            "mode": "'manual'",
            "http.host": "'it\\'s.example'",
            "http.port": "3128",
            "ignore-hosts": "['a\\'b', \"c\"]",
        }
    )
    assert found is not None
    assert found.http == "http://it's.example:3128"
    assert found.bypass == ("a'b", "c")


# --- KDE kioslaverc ------------------------------------------------------------------------------


def test_kde_plasma6_manual_proxy_with_space_separated_ports() -> None:
    found = parse_kde_kioslaverc(recorded("kioslaverc_manual_plasma6"))
    assert proxies(found) == (
        "http://127.0.0.1:7890",
        "http://127.0.0.1:7890",
        "socks5://127.0.0.1:7891",
        None,
    )
    assert found is not None
    assert found.bypass == ("localhost", "127.0.0.1", ".corp.example")
    assert found.source is SystemSettings.KDE


def test_kde_manual_proxy_with_colon_port() -> None:
    found = parse_kde_kioslaverc(recorded("kioslaverc_manual_colon"))
    assert proxies(found) == ("http://proxy.corp.example:3128", None, None, None)


def test_kde_pac_mode() -> None:
    found = parse_kde_kioslaverc(recorded("kioslaverc_pac"))
    assert proxies(found) == (None, None, None, "http://127.0.0.1:33331/proxy.pac")


def test_kde_environment_mode_reads_the_named_variables() -> None:
    env = {
        "HTTP_PROXY": "http://10.0.0.1:3128",
        "HTTPS_PROXY": "10.0.0.2:3129",
        "NO_PROXY": "localhost,.lan",
    }
    found = parse_kde_kioslaverc(recorded("kioslaverc_env"), env)
    assert proxies(found) == ("http://10.0.0.1:3128", "http://10.0.0.2:3129", None, None)
    assert found is not None and found.bypass == ("localhost", ".lan")
    assert parse_kde_kioslaverc(recorded("kioslaverc_env"), {}) is None


@pytest.mark.parametrize(
    "content", [recorded("kioslaverc_none"), "", "[Other]\na=b\n", "no section header\nProxyType=1"]
)
def test_kde_without_a_proxy_reads_as_none(content: str) -> None:
    assert parse_kde_kioslaverc(content) is None
