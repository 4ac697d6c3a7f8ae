"""Where a route comes from is data; its English words are what the command line shows."""

from __future__ import annotations

import pytest

from codex_link.core.model.probe import (
    Route,
    RouteKind,
    RouteSource,
    SourceKind,
    SystemSettings,
)

WINDOWS = SystemSettings.WINDOWS


@pytest.mark.parametrize(
    ("source", "english"),
    [
        (RouteSource(SourceKind.ENVIRONMENT, variable="https_proxy"), "https_proxy (environment)"),
        (RouteSource(SourceKind.DOTENV, variable="NO_PROXY"), "NO_PROXY ($CODEX_HOME/.env)"),
        (
            RouteSource(SourceKind.ENVIRONMENT, variable="HTTPS_PROXY", http_added=True),
            "HTTPS_PROXY (environment), with http:// added",
        ),
        (RouteSource(SourceKind.SYSTEM, settings=WINDOWS), "Windows Internet Options"),
        (RouteSource(SourceKind.SYSTEM, settings=SystemSettings.MACOS), "macOS network settings"),
        (RouteSource(SourceKind.SYSTEM, settings=SystemSettings.GNOME), "GNOME settings"),
        (RouteSource(SourceKind.SYSTEM, settings=SystemSettings.KDE), "KDE settings"),
        (
            RouteSource(SourceKind.SYSTEM_EXCEPTIONS, settings=WINDOWS),
            "Windows Internet Options (exceptions)",
        ),
        (
            RouteSource(SourceKind.PAC, pac_url="http://pac.lan/proxy.pac"),
            "PAC file http://pac.lan/proxy.pac",
        ),
        (RouteSource(SourceKind.NOT_SET), "no proxy set"),
        (RouteSource(SourceKind.NO_SYSTEM_PROXY), "no system proxy"),
        (RouteSource(SourceKind.DIRECT), "direct"),
        (RouteSource(), ""),
    ],
)
def test_each_source_reads_as_it_always_did(source: RouteSource, english: str) -> None:
    assert source.text().render() == english
    assert Route(RouteKind.ENV_PROXY, "http://p:1", source).source == english


def test_the_ui_translates_the_sentence_and_keeps_the_variable_name() -> None:
    source = RouteSource(SourceKind.SYSTEM_EXCEPTIONS, settings=WINDOWS)
    assert source.text().render(lambda template: f"<{template}>") == (
        "<<Windows Internet Options> (exceptions)>"
    )
    variable = RouteSource(SourceKind.DOTENV, variable="HTTPS_PROXY")
    assert variable.text().render(lambda template: template.replace(".env", ".ENV")) == (
        "HTTPS_PROXY ($CODEX_HOME/.ENV)"
    )  # the name is an argument, never translated


def test_a_route_made_without_a_source_says_nothing() -> None:
    assert Route(RouteKind.DIRECT).origin == RouteSource(SourceKind.UNSTATED)
    assert Route(RouteKind.DIRECT).source == ""
