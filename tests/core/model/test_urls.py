"""The one URL module: targets, proxy URLs, schemes as people write them, shown URLs."""

from __future__ import annotations

import pytest

from codex_link.core.model.urls import (
    BadUrlError,
    ProxyKind,
    ProxySchemeError,
    as_http_url,
    parse_proxy,
    parse_target,
    proxy_address,
    redact_url,
    scheme_of,
    split_scheme,
    websocket_url,
    with_scheme,
)

ALL_KINDS = frozenset(ProxyKind)


def test_a_target_gets_its_scheme_port_and_keeps_path_and_query() -> None:
    target = parse_target("https://api.example/v1/responses?api-version=1")
    assert (target.host, target.port, target.secure) == ("api.example", 443, True)
    assert target.path == "/v1/responses?api-version=1"
    assert target.host_header == "api.example"
    plain = parse_target("ws://[::1]:8080")
    assert (plain.port, plain.secure, plain.path) == (8080, False, "/")
    assert plain.authority == "[::1]:8080" and plain.host_header == "[::1]:8080"


@pytest.mark.parametrize("url", ["ftp://host/", "https://", "https://host:99999/", "host:443"])
def test_anything_but_an_http_or_ws_url_with_a_host_is_a_bad_url(url: str) -> None:
    with pytest.raises(BadUrlError):
        parse_target(url)


def test_a_proxy_url_gives_kind_address_and_unquoted_login() -> None:
    spec = parse_proxy("SOCKS5H://me:p%40ss@127.0.0.1", ALL_KINDS)
    assert (spec.kind, spec.host, spec.port) == (ProxyKind.SOCKS5H, "127.0.0.1", 1080)
    assert (spec.username, spec.password) == ("me", "p@ss")
    assert "p@ss" not in repr(spec) and spec.display == "127.0.0.1:1080"
    assert parse_proxy("proxy.lan", ALL_KINDS).port == 8080  # bare means http://
    assert parse_proxy("https://proxy.lan", ALL_KINDS).port == 443


def test_a_proxy_scheme_the_route_cannot_use_names_the_scheme() -> None:
    websocket = frozenset({ProxyKind.HTTP, ProxyKind.SOCKS5, ProxyKind.SOCKS5H})
    with pytest.raises(ProxySchemeError) as refused:
        parse_proxy("https://proxy.lan:443", websocket)
    assert refused.value.scheme == "https"
    with pytest.raises(ProxySchemeError) as bare:
        parse_proxy("127.0.0.1:7890", websocket, bare_is_http=False)
    assert bare.value.scheme == ""
    with pytest.raises(ProxySchemeError) as broken:
        parse_proxy("HTTP://proxy.lan:port", ALL_KINDS)
    assert broken.value.scheme == "HTTP"  # as written


def test_schemes_are_read_in_lower_case_and_a_bare_host_port_has_none() -> None:
    assert split_scheme("HTTP://h:1/x") == ("http", "h:1/x")
    assert split_scheme("127.0.0.1:7890") == (None, "127.0.0.1:7890")
    assert scheme_of("  Socks5://h:1 ") == "socks5"
    assert scheme_of("h:1") is None
    assert with_scheme("SOCKS://h:1", "socks5") == "socks5://h:1"
    assert with_scheme("h:1", "http") == "http://h:1"


def test_the_websocket_url_swaps_only_http_schemes_and_back() -> None:
    assert websocket_url("https://chatgpt.com/backend-api/codex/responses") == (
        "wss://chatgpt.com/backend-api/codex/responses"
    )
    assert websocket_url("HTTP://127.0.0.1:8080/v1/responses") == (
        "ws://127.0.0.1:8080/v1/responses"
    )
    assert websocket_url("ftp://host/x") == "ftp://host/x"
    assert websocket_url("no scheme") == "no scheme"
    assert as_http_url("wss://h/x?y=1") == "https://h/x?y=1"
    assert as_http_url("ws://h") == "http://h"
    assert as_http_url("https://h") == "https://h"


def test_a_proxy_address_for_sentences_has_no_scheme_login_or_path() -> None:
    assert proxy_address(" http://me:pw@127.0.0.1:7890/ ") == "127.0.0.1:7890"
    assert proxy_address("proxy.lan:3128") == "proxy.lan:3128"
    assert proxy_address("socks5h://[::1]:1080") == "[::1]:1080"


def test_a_shown_url_loses_its_login_and_query_values_and_a_non_url_stays() -> None:
    assert redact_url("https://me:pw@h:8443/v1?api-key=k&api-version=1&flag") == (
        "https://***@h:8443/v1?api-key=***&api-version=1&flag"
    )
    assert redact_url("user:pw@proxy:3128") == "***@proxy:3128"
    assert redact_url("plain text") == "plain text"
    assert redact_url("http://[::1@x/") == "***"
