"""Which route fix is proposed for which verified route: Codex's own rules decide."""

from __future__ import annotations

from codex_link.core.model.probe import (
    Failure,
    ProbeResult,
    Route,
    RouteKind,
    RouteSource,
    SourceKind,
    SystemSettings,
    Transport,
)
from codex_link.core.model.route_fix import RouteMethod, RouteProposal
from codex_link.core.model.urls import ProxyKind
from codex_link.core.net.discovery import Address, listening_route
from codex_link.core.net.proxy_settings import SystemProxy
from codex_link.core.net.route_proposals import RouteInputs, propose_routes
from tests.factories import HTTP_URL, WS_URL, probe

HTTP_7890 = listening_route(Address("127.0.0.1", 7890), ProxyKind.HTTP)
SOCKS_7890 = listening_route(Address("127.0.0.1", 7890), ProxyKind.SOCKS5H)
SYSTEM_URL = "http://127.0.0.1:7897"
MACOS = SystemProxy(
    http=SYSTEM_URL,
    https=SYSTEM_URL,
    socks=None,
    bypass=(),
    pac_url=None,
    source=SystemSettings.MACOS,
)
SYSTEM_ROUTE = Route(
    RouteKind.SYSTEM_PROXY,
    SYSTEM_URL,
    RouteSource(SourceKind.SYSTEM, settings=SystemSettings.MACOS),
)
DEAD = "http://10.0.0.9:3128"
DEAD_ROUTE = Route(
    RouteKind.ENV_PROXY, DEAD, RouteSource(SourceKind.ENVIRONMENT, variable="HTTPS_PROXY")
)


def inputs(
    *,
    env: dict[str, str] | None = None,
    platform: str = "linux",
    system: SystemProxy | None = None,
    respect: bool = False,
    http_url: str = HTTP_URL,
    ws_url: str = WS_URL,
) -> RouteInputs:
    return RouteInputs(
        http_url=http_url,
        ws_url=ws_url,
        env=env or {},
        dotenv={},
        system=system,
        respect_system_proxy=respect,
        platform=platform,
    )


def blocked_direct() -> list[ProbeResult]:
    """Codex's own route: direct, HTTP answers, the WebSocket is swallowed."""
    return [probe(Transport.HTTP), probe(Transport.WEBSOCKET, Failure.UPGRADE_TIMEOUT)]


def through(route: Route, *, ws: bool = True, http: bool | None = None) -> list[ProbeResult]:
    found = [probe(Transport.WEBSOCKET, None if ws else Failure.UPGRADE_TIMEOUT, route=route)]
    if http is not None:
        found.append(probe(Transport.HTTP, None if http else Failure.PROXY_REJECTED, route=route))
    return found


def test_an_http_proxy_that_carries_both_gets_https_proxy() -> None:
    fixes = propose_routes(inputs(), [*blocked_direct(), *through(HTTP_7890, http=True)])
    assert fixes == (RouteProposal(RouteMethod.DOTENV, "http://127.0.0.1:7890", ("HTTPS_PROXY",)),)


def test_an_http_proxy_whose_http_fails_carries_the_websocket_only() -> None:
    fixes = propose_routes(inputs(), [*blocked_direct(), *through(HTTP_7890, http=False)])
    assert fixes == (RouteProposal(RouteMethod.DOTENV, "http://127.0.0.1:7890", ("HTTP_PROXY",)),)


def test_a_socks_proxy_carries_the_websocket_only() -> None:
    fixes = propose_routes(inputs(), [*blocked_direct(), *through(SOCKS_7890)])
    assert fixes == (
        RouteProposal(RouteMethod.DOTENV, "socks5h://127.0.0.1:7890", ("HTTP_PROXY",)),
    )


def test_a_proxy_whose_websocket_failed_is_never_proposed() -> None:
    assert (
        propose_routes(inputs(), [*blocked_direct(), *through(HTTP_7890, ws=False, http=True)])
        == ()
    )


def test_https_proxy_set_to_the_failing_proxy_needs_https_proxy_to_win() -> None:
    """Codex's WebSocket reads HTTPS_PROXY before HTTP_PROXY: HTTP_PROXY alone would change
    nothing, so only an http:// proxy that carries HTTP as well can be proposed."""
    env = {"https_proxy": DEAD}
    own = [
        probe(Transport.HTTP, route=DEAD_ROUTE),
        probe(Transport.WEBSOCKET, Failure.UPGRADE_TIMEOUT, route=DEAD_ROUTE),
    ]
    assert propose_routes(inputs(env=env), [*own, *through(SOCKS_7890)]) == ()
    assert propose_routes(inputs(env=env), [*own, *through(HTTP_7890, http=False)]) == ()
    assert propose_routes(inputs(env=env), [*own, *through(HTTP_7890, http=True)]) == (
        RouteProposal(RouteMethod.DOTENV, "http://127.0.0.1:7890", ("HTTPS_PROXY",)),
    )


def test_the_system_proxy_on_macos_is_followed_first() -> None:
    results = [
        probe(Transport.HTTP, route=SYSTEM_ROUTE),
        probe(Transport.WEBSOCKET, Failure.UPGRADE_TIMEOUT),
        *through(SYSTEM_ROUTE),
    ]
    fixes = propose_routes(inputs(platform="darwin", system=MACOS), results)
    assert fixes == (
        RouteProposal(RouteMethod.SYSTEM_PROXY, SYSTEM_URL),
        RouteProposal(RouteMethod.DOTENV, SYSTEM_URL, ("HTTPS_PROXY",)),
    )
    assert (
        propose_routes(inputs(platform="darwin", system=MACOS, respect=True), results)[0].method
        is RouteMethod.DOTENV
    )  # it is on already


def test_linux_has_no_system_proxy_fix() -> None:
    gnome = SystemProxy(
        http=SYSTEM_URL,
        https=SYSTEM_URL,
        socks=None,
        bypass=(),
        pac_url=None,
        source=SystemSettings.GNOME,
    )
    route = Route(
        RouteKind.SYSTEM_PROXY,
        SYSTEM_URL,
        RouteSource(SourceKind.SYSTEM, settings=SystemSettings.GNOME),
    )
    fixes = propose_routes(inputs(system=gnome), [*blocked_direct(), *through(route, http=True)])
    assert [f.method for f in fixes] == [RouteMethod.DOTENV]


def test_no_fix_for_a_loopback_server_which_no_proxy_keeps_direct() -> None:
    """The fix writes NO_PROXY=localhost,127.0.0.1,::1: Codex would still go direct."""
    fixes = propose_routes(
        inputs(
            http_url="https://127.0.0.1:8443/v1/responses",
            ws_url="wss://127.0.0.1:8443/v1/responses",
        ),
        [*blocked_direct(), *through(HTTP_7890, http=True)],
    )
    assert fixes == ()


def test_the_same_proxy_found_twice_is_proposed_once() -> None:
    twice = [*through(HTTP_7890, http=True), *through(HTTP_7890, http=True)]
    assert len(propose_routes(inputs(), [*blocked_direct(), *twice])) == 1
