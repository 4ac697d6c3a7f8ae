"""The HTTP probe against the real loopback endpoint and real proxies: every failure class."""

from __future__ import annotations

from pathlib import Path

import pytest

from codex_link.core.model.probe import Failure, ProbeResult, Route, Stage, Transport
from codex_link.core.net.probe_http import probe_http
from codex_link.core.net.reasons import SENTENCES, Say
from codex_link.core.net.tls import codex_trust
from tests.core.net.probe_support import (
    DIRECT,
    ROUTE_NAMES,
    UNRESOLVABLE,
    full_backlog_port,
    least_phase,
    os_trusts,
    plain_http_port,
    route_named,
    via,
)
from tests.harness.endpoint import Behaviour, FakeEndpoint
from tests.harness.proxies import MicroSocks, TinyProxy, TlsProxy, dead_port

pytestmark = [pytest.mark.timeout(20), pytest.mark.proxies]


# Codex's HTTP client gets through direct and http:// routes; SOCKS it cannot use (below).
CODEX_HTTP_ROUTES = tuple(name for name in ROUTE_NAMES if not name.startswith("socks"))


@pytest.fixture(params=CODEX_HTTP_ROUTES)
def route(request: pytest.FixtureRequest, http_proxy: TinyProxy, socks_proxy: MicroSocks) -> Route:
    return route_named(request.param, http_proxy, socks_proxy)


async def _probe(
    endpoint: FakeEndpoint, route: Route, *, timeout_s: float = 5.0, url: str | None = None
) -> ProbeResult:
    assert endpoint.ca_pem_path is not None
    return await probe_http(
        url or endpoint.responses_url,
        route,
        trust=os_trusts(endpoint.ca_pem_path),
        timeout_s=timeout_s,
    )


async def test_any_route_that_works_gives_the_status_and_every_phase(
    endpoint: FakeEndpoint, route: Route
) -> None:
    result = await _probe(endpoint, route)

    assert (result.reachable, result.failure, result.status) == (True, None, 200)
    assert result.transport is Transport.HTTP and result.stage is Stage.DONE
    timings = result.timings
    assert {Stage.DNS, Stage.TCP, Stage.TLS, Stage.RESPONSE} <= set(timings)
    assert (Stage.PROXY in timings) == (route.proxy_url is not None)
    assert "HEAD /v1/responses" in endpoint.stats.requests
    assert endpoint.stats.posts == 0  # never a request body


@pytest.mark.parametrize(
    "behaviour", [Behaviour.UPGRADE_401, Behaviour.UPGRADE_403, Behaviour.UPGRADE_426]
)
async def test_any_http_status_proves_the_path(
    endpoint: FakeEndpoint, behaviour: Behaviour
) -> None:
    endpoint.http_behaviour = behaviour

    result = await _probe(endpoint, DIRECT)

    assert result.reachable and result.failure is None
    assert (
        result.status
        == {Behaviour.UPGRADE_401: 401, Behaviour.UPGRADE_403: 403, Behaviour.UPGRADE_426: 426}[
            behaviour
        ]
    )


async def test_a_gateway_error_is_an_http_failure_on_every_route(
    endpoint: FakeEndpoint, route: Route
) -> None:
    # 503 comes from something that could not reach the server; Codex's POST would get the
    # same answer, so the path does not work.
    endpoint.http_behaviour = Behaviour.GATEWAY_503

    result = await _probe(endpoint, route)

    assert (result.reachable, result.failure, result.status, result.stage) == (
        False,
        Failure.HTTP_STATUS,
        503,
        Stage.RESPONSE,
    )
    assert "could not reach the server" in str(result.reason)
    assert result.timings.get(Stage.RESPONSE) is not None


# What each route makes of a name that does not resolve: direct resolves it here (dns); an
# HTTP proxy answers 500.
_UNRESOLVABLE_BY_ROUTE = {
    "direct": (Failure.DNS, Stage.DNS, None),
    "http": (Failure.PROXY_REJECTED, Stage.PROXY, 500),
}


async def test_a_name_that_does_not_resolve(
    endpoint: FakeEndpoint, route: Route, request: pytest.FixtureRequest
) -> None:
    name = request.node.callspec.params["route"]

    result = await _probe(endpoint, route, url=f"https://{UNRESOLVABLE}/v1/responses")

    assert (result.failure, result.stage, result.status) == _UNRESOLVABLE_BY_ROUTE[name]
    assert not result.reachable
    assert UNRESOLVABLE in str(result.reason)


async def test_a_dead_port_is_refused_directly_and_rejected_by_proxies(
    endpoint: FakeEndpoint, route: Route
) -> None:
    url = f"https://127.0.0.1:{dead_port()}/v1/responses"

    result = await _probe(endpoint, route, url=url)

    if route.proxy_url is None:
        assert (result.failure, result.stage) == (Failure.TCP_REFUSED, Stage.TCP)
    else:
        assert (result.failure, result.stage) == (Failure.PROXY_REJECTED, Stage.PROXY)
        assert "refused" in str(result.reason) or "500" in str(result.reason)


async def test_a_listener_that_never_accepts_is_a_tcp_timeout(endpoint: FakeEndpoint) -> None:
    with full_backlog_port() as port:
        result = await _probe(
            endpoint, DIRECT, timeout_s=0.3, url=f"https://127.0.0.1:{port}/v1/responses"
        )

    assert (result.failure, result.stage) == (Failure.TCP_TIMEOUT, Stage.TCP)
    assert 300 <= result.elapsed_ms < 3000  # the timeout ended it (room for a loaded machine)


async def test_a_proxy_that_never_accepts_is_a_tcp_timeout_at_the_proxy(
    endpoint: FakeEndpoint,
) -> None:
    with full_backlog_port() as port:
        result = await _probe(endpoint, via(f"http://127.0.0.1:{port}"), timeout_s=0.3)

    assert (result.failure, result.stage) == (Failure.TCP_TIMEOUT, Stage.TCP)
    assert "proxy" in str(result.reason)


async def test_a_dead_proxy_port_is_proxy_refused(endpoint: FakeEndpoint) -> None:
    result = await _probe(endpoint, via(f"http://127.0.0.1:{dead_port()}"))

    assert (result.failure, result.stage) == (Failure.PROXY_REFUSED, Stage.TCP)
    assert endpoint.stats.connections == 0


@pytest.mark.parametrize("scheme", ["socks5", "socks5h"])
async def test_a_working_socks_proxy_fails_as_it_does_for_codex_http(
    endpoint: FakeEndpoint, socks_proxy: MicroSocks, scheme: str
) -> None:
    """Codex's HTTP client never gets a request through SOCKS: neither does the probe, and it
    says what to use instead."""
    result = await _probe(endpoint, via(socks_proxy.url.replace("socks5://", f"{scheme}://")))

    assert (result.reachable, result.failure, result.stage) == (
        False,
        Failure.PROXY_SCHEME,
        Stage.PROXY,
    )
    assert result.reason.template == SENTENCES[Say.PROXY_SOCKS_HTTP]
    assert "http://" in str(result.reason)
    assert endpoint.stats.connections == 0


async def test_a_proxy_that_denies_connect_is_proxy_rejected_with_its_answer(
    endpoint: FakeEndpoint, http_proxy_deny: TinyProxy
) -> None:
    result = await _probe(endpoint, via(http_proxy_deny.url))

    assert (result.failure, result.stage, result.status) == (
        Failure.PROXY_REJECTED,
        Stage.PROXY,
        403,
    )
    assert "403" in str(result.reason)


async def test_a_proxy_login_is_sent_from_the_proxy_url_and_never_shown(
    endpoint: FakeEndpoint, http_proxy_auth: TinyProxy
) -> None:
    without = await _probe(endpoint, via(http_proxy_auth.url))
    with_login = await _probe(endpoint, via(http_proxy_auth.url_with_auth))
    wrong = await _probe(
        endpoint,
        via(http_proxy_auth.url_with_auth.replace(http_proxy_auth.password, "wrong-secret")),
    )

    assert (without.failure, without.status) == (Failure.PROXY_AUTH, 407)
    assert wrong.failure is Failure.PROXY_AUTH  # tinyproxy answers a wrong password with 401
    assert with_login.reachable and with_login.status == 200
    for result in (without, with_login, wrong):
        assert http_proxy_auth.password not in str(result.reason)
        assert "wrong-secret" not in str(result.reason)
        assert "wrong-secret" not in result.route.display()


async def test_a_proxy_scheme_the_probe_cannot_use_connects_nowhere(endpoint: FakeEndpoint) -> None:
    result = await _probe(endpoint, via(f"socks4://127.0.0.1:{dead_port()}"))

    assert (result.failure, result.stage) == (Failure.PROXY_SCHEME, Stage.PROXY)
    assert endpoint.stats.connections == 0


async def test_a_certificate_outside_codex_trust_is_untrusted(
    endpoint: FakeEndpoint, route: Route
) -> None:
    result = await probe_http(endpoint.responses_url, route, trust=codex_trust({}), timeout_s=5.0)

    assert (result.failure, result.stage) == (Failure.TLS_UNTRUSTED, Stage.TLS)
    assert not result.reachable and not result.tls_intercepted


async def test_tls_to_a_plain_http_port_is_another_tls_failure(endpoint: FakeEndpoint) -> None:
    async with plain_http_port() as port:
        result = await _probe(endpoint, DIRECT, url=f"https://127.0.0.1:{port}/v1/responses")

    assert (result.failure, result.stage) == (Failure.TLS_OTHER, Stage.TLS)


async def test_plain_http_needs_no_tls(plain_endpoint: FakeEndpoint, route: Route) -> None:
    result = await probe_http(
        plain_endpoint.responses_url, route, trust=codex_trust({}), timeout_s=5.0
    )

    assert result.reachable and result.status == 200
    assert result.timings.get(Stage.TLS) is None


async def test_a_chain_verified_only_by_the_added_ca_is_flagged_as_intercepted(
    endpoint: FakeEndpoint, harness_ca_pem: Path, route: Route
) -> None:
    trust = codex_trust({"CODEX_CA_CERTIFICATE": str(harness_ca_pem)})

    result = await probe_http(endpoint.responses_url, route, trust=trust, timeout_s=5.0)

    assert result.reachable and result.status == 200
    assert result.tls_intercepted
    assert "WebSocket may reject it" in str(result.reason)


async def test_a_chain_the_os_trusts_is_not_flagged(endpoint: FakeEndpoint) -> None:
    result = await _probe(endpoint, DIRECT)

    assert result.reachable and not result.tls_intercepted


@pytest.mark.parametrize(
    ("behaviour", "failure"),
    [
        (Behaviour.BLACKHOLE, Failure.HTTP_TIMEOUT),
        (Behaviour.RESET, Failure.RESET),
        (Behaviour.GARBAGE, Failure.PROTOCOL),
    ],
)
async def test_server_faults_after_the_request(
    endpoint: FakeEndpoint, route: Route, behaviour: Behaviour, failure: Failure
) -> None:
    endpoint.http_behaviour = behaviour

    result = await _probe(endpoint, route, timeout_s=0.6)

    assert (result.failure, result.stage) == (failure, Stage.RESPONSE)
    assert not result.reachable
    assert result.timings.get(Stage.TLS) is not None  # everything before the answer worked
    assert result.elapsed_ms < 4000  # bounded by the timeout, plus closing and a loaded machine


async def test_an_injected_response_delay_is_measured_in_the_response_phase(
    endpoint: FakeEndpoint,
) -> None:
    endpoint.http_behaviour = Behaviour.SLOW
    endpoint.delay_s = 0.2

    response_ms, result = await least_phase(
        lambda: _probe(endpoint, DIRECT), lambda r: r.timings.get(Stage.RESPONSE)
    )

    assert 200 <= response_ms <= 210
    assert result.timings[Stage.TLS] < 50


async def test_an_injected_tls_delay_is_measured_in_the_tls_phase(endpoint: FakeEndpoint) -> None:
    endpoint.tls_delay_s = 0.2

    tls_ms, result = await least_phase(
        lambda: _probe(endpoint, DIRECT), lambda r: r.timings.get(Stage.TLS)
    )

    assert 200 <= tls_ms <= 210
    assert result.timings[Stage.RESPONSE] < 50


@pytest.mark.parametrize("url", ["", "not a url", "ftp://example.invalid/x", "https://"])
async def test_a_bad_url_becomes_a_result_not_an_exception(
    endpoint: FakeEndpoint, url: str
) -> None:
    result = await _probe(endpoint, DIRECT, url=url or " ")

    assert result.failure is Failure.PROTOCOL and not result.reachable
    assert "not a web address" in str(result.reason)


async def test_an_https_proxy_is_followed_as_codex_http_client_does(
    endpoint: FakeEndpoint, https_proxy: TlsProxy, harness_ca_pem: Path
) -> None:
    # reqwest (Codex's HTTP client) speaks TLS to an https:// proxy, CONNECT inside it, then
    # TLS to the server inside the tunnel; the probe must reach the server the same way.
    route = via(https_proxy.url)
    trust = codex_trust({"CODEX_CA_CERTIFICATE": str(harness_ca_pem)})

    result = await probe_http(endpoint.responses_url, route, trust=trust, timeout_s=5.0)

    assert (result.reachable, result.failure, result.status) == (True, None, 200)
    assert {Stage.PROXY, Stage.TLS} <= set(result.timings)
    assert endpoint.stats.requests[-1] == "HEAD /v1/responses"


async def test_an_https_proxy_with_an_untrusted_certificate_is_a_tls_failure(
    endpoint: FakeEndpoint, https_proxy: TlsProxy
) -> None:
    result = await probe_http(
        endpoint.responses_url, via(https_proxy.url), trust=codex_trust({}), timeout_s=5.0
    )

    assert (result.reachable, result.failure) == (False, Failure.TLS_UNTRUSTED)
    assert endpoint.stats.connections == 0
