"""Codex's proxy rules per transport, table-tested.

Rows marked "(Codex 0.169.0)" were observed with the real CLI: `codex doctor` run with the
variables set and listening loopback ports recording which CONNECTs each client sent.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pytest

from codex_link.core.model.probe import Route, RouteKind, RouteSource, SourceKind, SystemSettings
from codex_link.core.net.proxy_pac import PAC_DIRECT
from codex_link.core.net.proxy_windows import parse_windows_internet_settings
from codex_link.core.net.routes import CodexRoutes, codex_routes
from codex_link.core.net.system_proxy import SystemProxy

HTTP_URL = "https://chatgpt.com/backend-api/codex/responses"
WS_URL = "wss://chatgpt.com/backend-api/codex/responses"
RECORDED = Path(__file__).parent / "recorded"
WINDOWS = json.loads((RECORDED / "windows_registry.json").read_text())


WINDOWS_SETTINGS = RouteSource(SourceKind.SYSTEM, settings=SystemSettings.WINDOWS)
WINDOWS_EXCEPTIONS = RouteSource(SourceKind.SYSTEM_EXCEPTIONS, settings=SystemSettings.WINDOWS)
NOT_SET = RouteSource(SourceKind.NOT_SET)
DIRECT_ALTERNATIVE = Route(RouteKind.DIRECT, None, RouteSource(SourceKind.DIRECT))


def variable(name: str, *, dotenv: bool = False) -> RouteSource:
    return RouteSource(SourceKind.DOTENV if dotenv else SourceKind.ENVIRONMENT, variable=name)


def pac_file(url: str) -> RouteSource:
    return RouteSource(SourceKind.PAC, pac_url=url)


def windows(case: str) -> SystemProxy:
    found = parse_windows_internet_settings(WINDOWS[case])
    assert found is not None
    return found


GNOME = SystemProxy(
    http="http://127.0.0.1:7890",
    https="http://127.0.0.1:7890",
    socks="socks5://127.0.0.1:7891",
    bypass=("localhost",),
    pac_url=None,
    source=SystemSettings.GNOME,
)
MAC_SOCKS_ONLY = SystemProxy(
    http=None,
    https=None,
    socks="socks5://127.0.0.1:7891",
    bypass=(),
    pac_url=None,
    source=SystemSettings.MACOS,
)


def routes(
    env: Mapping[str, str] | None = None,
    *,
    dotenv: Mapping[str, str] | None = None,
    system: SystemProxy | None = None,
    respect: bool = False,
    pac: str | None = None,
    platform: str = "linux",
    http_url: str = HTTP_URL,
    ws_url: str = WS_URL,
) -> CodexRoutes:
    return codex_routes(
        http_url=http_url,
        ws_url=ws_url,
        env=env or {},
        dotenv=dotenv or {},
        system=system,
        respect_system_proxy=respect,
        pac_proxy=pac,
        platform=platform,
    )


def codes(found: CodexRoutes) -> set[str]:
    return {finding.code for finding in found.findings}


def rendered(found: CodexRoutes) -> str:
    return "\n".join(str(finding.message) for finding in found.findings)


# --- which variable each transport reads ------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "ws", "http"),
    [
        pytest.param(
            {"HTTPS_PROXY": "http://a:1"},
            ("http://a:1", "HTTPS_PROXY (environment)"),
            ("http://a:1", "HTTPS_PROXY (environment)"),
            id="https_proxy",
        ),
        pytest.param(
            {"https_proxy": "http://a:1"},
            ("http://a:1", "https_proxy (environment)"),
            ("http://a:1", "https_proxy (environment)"),
            id="lowercase",
        ),
        pytest.param(
            {"HTTPS_PROXY": "http://a:1", "https_proxy": "http://b:2"},
            ("http://a:1", "HTTPS_PROXY (environment)"),
            ("http://a:1", "HTTPS_PROXY (environment)"),
            id="uppercase-wins (Codex 0.169.0)",
        ),
        pytest.param(
            {"HTTP_PROXY": "http://a:1"},
            ("http://a:1", "HTTP_PROXY (environment)"),
            (None, "no proxy set"),
            id="http_proxy-only-ws (Codex 0.169.0)",
        ),
        pytest.param(
            {"ALL_PROXY": "socks5h://a:1"},
            ("socks5h://a:1", "ALL_PROXY (environment)"),
            ("socks5h://a:1", "ALL_PROXY (environment)"),
            id="all_proxy",
        ),
        pytest.param(
            {"HTTP_PROXY": "http://a:1", "ALL_PROXY": "http://b:2"},
            ("http://a:1", "HTTP_PROXY (environment)"),
            ("http://b:2", "ALL_PROXY (environment)"),
            id="split (Codex 0.169.0)",
        ),
        pytest.param(
            {"HTTPS_PROXY": "", "https_proxy": "http://b:2", "HTTP_PROXY": "http://c:3"},
            ("http://c:3", "HTTP_PROXY (environment)"),
            (None, "no proxy set"),
            id="empty-uppercase-hides-lowercase (Codex 0.169.0)",
        ),
        pytest.param(
            {"HTTPS_PROXY": "ftp://a:1", "ALL_PROXY": "http://b:2"},
            ("ftp://a:1", "HTTPS_PROXY (environment)"),
            ("http://b:2", "ALL_PROXY (environment)"),
            id="unusable-scheme-skipped-by-http",
        ),
        pytest.param({}, (None, "no proxy set"), (None, "no proxy set"), id="nothing"),
    ],
)
def test_each_transport_reads_its_own_variables(
    env: dict[str, str], ws: tuple[str | None, str], http: tuple[str | None, str]
) -> None:
    found = routes(env)
    assert (found.websocket.proxy_url, found.websocket.source) == ws
    assert (found.http.proxy_url, found.http.source) == http
    assert found.websocket.kind is (RouteKind.ENV_PROXY if ws[0] else RouteKind.DIRECT)


def test_http_proxy_alone_is_reported_because_https_requests_go_direct() -> None:
    found = routes({"HTTP_PROXY": "http://a:1"})
    assert "http_proxy_not_used_for_https" in codes(found)
    assert "HTTPS_PROXY" in rendered(found)


def test_plain_ws_target_skips_https_proxy() -> None:
    found = routes(
        {"HTTPS_PROXY": "http://a:1", "ALL_PROXY": "http://b:2"},
        http_url="http://llm.lan:8000/v1/responses",
        ws_url="ws://llm.lan:8000/v1/responses",
    )
    assert found.websocket.proxy_url == "http://b:2"
    assert found.http.proxy_url == "http://b:2"


# --- proxy URL schemes ------------------------------------------------------------------------


def test_value_without_scheme_works_for_http_but_not_websocket() -> None:
    """(Codex 0.169.0) HTTPS_PROXY=127.0.0.1:port: reqwest CONNECTs, the WebSocket never does."""
    found = routes({"HTTPS_PROXY": "127.0.0.1:7890"})
    assert found.http == Route(
        RouteKind.ENV_PROXY, "http://127.0.0.1:7890", variable("HTTPS_PROXY")
    )
    assert found.websocket.proxy_url == "127.0.0.1:7890"  # what Codex tries, and fails with
    assert "websocket_proxy_without_scheme" in codes(found)
    assert "http://127.0.0.1:7890" in rendered(found)
    fixed = [r for r in found.alternatives if r.proxy_url == "http://127.0.0.1:7890"]
    assert fixed and fixed[0].kind is RouteKind.ENV_PROXY
    assert fixed[0].source == "HTTPS_PROXY (environment), with http:// added"


def test_https_proxy_is_kept_as_codex_route_with_a_finding() -> None:
    found = routes({"HTTPS_PROXY": "https://proxy.example:443"})
    assert found.websocket == Route(
        RouteKind.ENV_PROXY, "https://proxy.example:443", variable("HTTPS_PROXY")
    )
    assert found.http.proxy_url == "https://proxy.example:443"  # reqwest can use it
    assert codes(found) == {"websocket_https_proxy"}


@pytest.mark.parametrize("value", ["http://a:1", "socks5://a:1", "socks5h://a:1", "HTTP://a:1"])
def test_usable_websocket_schemes_raise_no_finding(value: str) -> None:
    assert codes(routes({"HTTPS_PROXY": value})) == set()


def test_other_schemes_are_unsupported_for_websocket() -> None:
    found = routes({"ALL_PROXY": "socks4://a:1"})
    assert codes(found) == {"websocket_proxy_scheme_unsupported"}
    assert found.http.proxy_url == "socks4://a:1"


def test_credentials_never_appear_in_routes_or_messages() -> None:
    for value in ("http://user:s3cret@p:1", "user:s3cret@p:1", "https://user:s3cret@p:1"):
        found = routes({"HTTPS_PROXY": value}, dotenv={"HTTPS_PROXY": value + "0"})
        assert "s3cret" not in found.websocket.display()
        assert "s3cret" not in found.http.display()
        assert "s3cret" not in rendered(found)
        assert all("s3cret" not in r.display() for r in found.alternatives)


# --- NO_PROXY ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("no_proxy", "ws_direct", "http_direct"),
    [
        ("chatgpt.com", True, True),
        (".chatgpt.com", True, True),
        ("com", True, True),  # a parent domain (Codex 0.169.0: "openai.com" for api.openai.com)
        ("*.chatgpt.com", False, False),  # (Codex 0.169.0) wildcard form understood by neither
        ("CHATGPT.COM", False, True),  # (Codex 0.169.0) the WebSocket compares case-sensitively
        ("chatgpt.com:443", True, False),  # (Codex 0.169.0) only the WebSocket knows ports
        ("chatgpt.com:80", False, False),
        ("*", True, True),
        ("foo,*", False, True),  # (Codex 0.169.0) `*` inside a list: HTTP only
        ("gpt.com", False, False),
        (" localhost , chatgpt.com ", True, True),
    ],
)
def test_no_proxy_forms(no_proxy: str, ws_direct: bool, http_direct: bool) -> None:
    found = routes({"HTTPS_PROXY": "http://p:1", "NO_PROXY": no_proxy})
    assert (found.websocket.kind is RouteKind.DIRECT) is ws_direct
    assert (found.http.kind is RouteKind.DIRECT) is http_direct
    if ws_direct:
        assert found.websocket.source == "NO_PROXY (environment)"


def test_no_proxy_ip_ranges_apply_to_http_only() -> None:
    env = {"ALL_PROXY": "http://p:1", "no_proxy": "10.0.0.0/8,::1"}
    found = routes(
        env, http_url="http://10.1.2.3:8000/v1/responses", ws_url="ws://10.1.2.3:8000/v1/responses"
    )
    assert found.http.kind is RouteKind.DIRECT
    assert found.http.source == "no_proxy (environment)"
    assert found.websocket.proxy_url == "http://p:1"
    v6 = routes(env, http_url="http://[::1]:8000/v1/responses", ws_url="ws://[::1]:8000/x")
    assert v6.http.kind is RouteKind.DIRECT and v6.websocket.kind is RouteKind.DIRECT


# --- $CODEX_HOME/.env -------------------------------------------------------------------------


def test_dotenv_replaces_the_process_value() -> None:
    """(Codex 0.169.0) both clients went to the proxy named in .env."""
    found = routes(
        {"HTTPS_PROXY": "http://127.0.0.1:2222"}, dotenv={"HTTPS_PROXY": "http://127.0.0.1:1111"}
    )
    expected = Route(
        RouteKind.ENV_PROXY, "http://127.0.0.1:1111", variable("HTTPS_PROXY", dotenv=True)
    )
    assert found.websocket == expected and found.http == expected
    assert "dotenv_overrides_environment" in codes(found)
    assert "127.0.0.1:2222" in rendered(found)


def test_dotenv_alone_applies_and_same_value_is_not_reported() -> None:
    found = routes(
        {"HTTPS_PROXY": "http://a:1"},
        dotenv={"HTTPS_PROXY": "http://a:1", "NO_PROXY": "chatgpt.com"},
    )
    assert found.websocket == Route(RouteKind.DIRECT, None, variable("NO_PROXY", dotenv=True))
    assert codes(found) == set()


def test_dotenv_lowercase_loses_to_uppercase_from_the_environment() -> None:
    found = routes({"HTTPS_PROXY": "http://env:1"}, dotenv={"https_proxy": "http://dotenv:2"})
    assert found.websocket.source == "HTTPS_PROXY (environment)"


def test_dotenv_cannot_set_codex_variables() -> None:
    found = routes(
        {"HTTPS_PROXY": "http://env:1"},
        dotenv={"CODEX_SYSTEM_PROXY": "off"},
        system=windows("clash_bare"),
        respect=True,
        platform="win32",
    )
    assert found.http.kind is RouteKind.SYSTEM_PROXY  # the switch in .env was ignored


# --- the OS proxy without respect_system_proxy ------------------------------------------------


def test_windows_static_proxy_serves_http_but_not_websocket() -> None:
    found = routes(system=windows("clash_bare"), platform="win32")
    assert found.http == Route(RouteKind.SYSTEM_PROXY, "http://127.0.0.1:7890", WINDOWS_SETTINGS)
    assert found.websocket == Route(RouteKind.DIRECT, None, NOT_SET)
    assert "websocket_ignores_system_proxy" in codes(found)
    assert (
        Route(RouteKind.SYSTEM_PROXY, "http://127.0.0.1:7890", WINDOWS_SETTINGS)
        in found.alternatives
    )


def test_windows_socks_entry_serves_https_requests() -> None:
    assert (
        routes(system=windows("socks_only"), platform="win32").http.proxy_url
        == "socks5://127.0.0.1:10808"
    )
    assert (
        routes(system=windows("http_and_socks"), platform="win32").http.proxy_url
        == "socks5://127.0.0.1:1080"
    )


def test_macos_socks_only_is_not_used_for_http() -> None:
    assert routes(system=MAC_SOCKS_ONLY, platform="darwin").http.kind is RouteKind.DIRECT


def test_environment_beats_the_system_proxy() -> None:
    found = routes({"HTTPS_PROXY": "http://env:1"}, system=windows("clash_bare"), platform="win32")
    assert found.http.proxy_url == "http://env:1"


def test_windows_system_https_proxy_beats_all_proxy() -> None:
    """reqwest fills the empty HTTPS slot from the registry before falling back to ALL_PROXY."""
    found = routes({"ALL_PROXY": "http://env:1"}, system=windows("clash_bare"), platform="win32")
    assert found.http.kind is RouteKind.SYSTEM_PROXY
    assert found.websocket.proxy_url == "http://env:1"


def test_windows_exceptions_act_as_no_proxy_for_http() -> None:
    found = routes(
        system=windows("per_scheme_with_socks"),
        platform="win32",
        http_url="https://llm.corp.example/v1/responses",
        ws_url="wss://llm.corp.example/v1/responses",
    )
    assert found.http == Route(RouteKind.DIRECT, None, WINDOWS_EXCEPTIONS)
    assert found.http.source == "Windows Internet Options (exceptions)"


def test_linux_desktop_proxy_is_only_an_alternative() -> None:
    found = routes(system=GNOME, platform="linux")
    assert found.http.kind is RouteKind.DIRECT and found.websocket.kind is RouteKind.DIRECT
    assert codes(found) == {"linux_system_proxy_ignored", "websocket_ignores_system_proxy"}
    assert found.alternatives == (
        Route(
            RouteKind.SYSTEM_PROXY,
            "http://127.0.0.1:7890",
            RouteSource(SourceKind.SYSTEM, settings=SystemSettings.GNOME),
        ),
    )
    assert found.alternatives[0].source == "GNOME settings"


# --- features.respect_system_proxy ------------------------------------------------------------


def test_respect_system_proxy_sends_both_transports_through_the_static_proxy() -> None:
    found = routes(
        {"HTTPS_PROXY": "http://env:1"},
        system=windows("clash_bare"),
        respect=True,
        platform="win32",
    )
    expected = Route(RouteKind.SYSTEM_PROXY, "http://127.0.0.1:7890", WINDOWS_SETTINGS)
    assert found.http == expected and found.websocket == expected
    assert found.http.source == "Windows Internet Options"
    assert DIRECT_ALTERNATIVE in found.alternatives


@pytest.mark.parametrize(
    ("pac", "expected"),
    [
        (
            "http://10.0.0.9:8080",
            Route(
                RouteKind.PAC_PROXY,
                "http://10.0.0.9:8080",
                pac_file("http://127.0.0.1:33331/pac?t=20260412"),
            ),
        ),
        (
            PAC_DIRECT,
            Route(RouteKind.DIRECT, None, pac_file("http://127.0.0.1:33331/pac?t=20260412")),
        ),
    ],
)
def test_respect_system_proxy_follows_the_pac_answer(pac: str, expected: Route) -> None:
    found = routes(
        {"HTTPS_PROXY": "http://env:1"},
        system=windows("pac_only"),
        respect=True,
        pac=pac,
        platform="darwin",
    )
    assert found.http == expected and found.websocket == expected
    assert found.http.source == "PAC file http://127.0.0.1:33331/pac?t=20260412"


def test_unresolved_pac_or_socks_only_falls_back_to_the_usual_rules() -> None:
    found = routes(
        {"HTTPS_PROXY": "http://env:1"},
        system=windows("pac_only"),
        respect=True,
        pac=None,
        platform="win32",
    )
    assert found.http.proxy_url == "http://env:1" and found.websocket.proxy_url == "http://env:1"
    socks = routes(system=windows("socks_only"), respect=True, platform="win32")
    assert socks.http.proxy_url == "socks5://127.0.0.1:10808"  # reqwest's own system reading
    assert socks.websocket.kind is RouteKind.DIRECT


def test_respect_system_proxy_without_any_system_proxy_goes_direct() -> None:
    found = routes({"HTTPS_PROXY": "http://env:1"}, system=None, respect=True, platform="win32")
    assert found.http == Route(RouteKind.DIRECT, None, RouteSource(SourceKind.NO_SYSTEM_PROXY))
    assert found.http.source == "no system proxy"
    assert found.websocket == found.http
    assert DIRECT_ALTERNATIVE not in found.alternatives


def test_respect_system_proxy_honours_no_proxy_and_the_exception_list() -> None:
    by_env = routes(
        {"NO_PROXY": "chatgpt.com"}, system=windows("clash_bare"), respect=True, platform="win32"
    )
    assert by_env.http.kind is RouteKind.DIRECT and by_env.websocket.kind is RouteKind.DIRECT
    local = routes(
        system=windows("clash_bare"),
        respect=True,
        platform="win32",
        http_url="https://gpu-box/v1/responses",
        ws_url="wss://gpu-box/v1/responses",
    )
    assert local.websocket == Route(RouteKind.DIRECT, None, WINDOWS_EXCEPTIONS)


def test_codex_system_proxy_off_restores_the_usual_rules() -> None:
    found = routes(
        {"CODEX_SYSTEM_PROXY": "off", "HTTPS_PROXY": "http://env:1"},
        system=windows("clash_bare"),
        respect=True,
        platform="win32",
    )
    assert found.websocket.proxy_url == "http://env:1"


def test_respect_system_proxy_changes_nothing_on_linux() -> None:
    found = routes({"HTTPS_PROXY": "http://env:1"}, system=GNOME, respect=True)
    assert found.websocket.proxy_url == "http://env:1" and found.http.proxy_url == "http://env:1"
    assert "respect_system_proxy_no_effect" in codes(found)


# --- alternatives -----------------------------------------------------------------------------


def test_alternatives_skip_what_codex_already_uses_and_repeat_nothing() -> None:
    same = SystemProxy(
        http="http://p:1",
        https="http://p:1",
        socks=None,
        bypass=(),
        pac_url="http://pac.lan/proxy.pac",
        source=SystemSettings.GNOME,
    )
    found = routes({"HTTPS_PROXY": "http://p:1/"}, system=same, pac="http://p:1")
    assert found.alternatives == (DIRECT_ALTERNATIVE,)


def test_alternatives_offer_a_route_that_differs_from_one_transport() -> None:
    found = routes({"HTTP_PROXY": "http://p:1"})  # WebSocket proxied, HTTP direct
    assert found.alternatives == (DIRECT_ALTERNATIVE,)


def test_pac_answer_is_an_alternative() -> None:
    pac_system = SystemProxy(
        http=None,
        https=None,
        socks=None,
        bypass=(),
        pac_url="http://pac.lan/proxy.pac",
        source=SystemSettings.KDE,
    )
    found = routes(system=pac_system, pac="http://10.0.0.9:3128")
    assert found.alternatives == (
        Route(RouteKind.PAC_PROXY, "http://10.0.0.9:3128", pac_file("http://pac.lan/proxy.pac")),
    )
