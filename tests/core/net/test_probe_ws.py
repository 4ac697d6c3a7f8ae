"""The WebSocket probe against the real loopback endpoint and real proxies."""

from __future__ import annotations

from pathlib import Path

import pytest

from codex_link.core.model.probe import Failure, ProbeResult, Route, Stage, Transport
from codex_link.core.net.probe_ws import (
    RESPONSES_WEBSOCKETS_BETA,
    codex_ws_headers,
    probe_ws,
)
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
from tests.harness.endpoint import Behaviour, FakeEndpoint, wait_until
from tests.harness.proxies import MicroSocks, TinyProxy, dead_port

pytestmark = [pytest.mark.timeout(20), pytest.mark.proxies]

VERSION = "0.169.0"


@pytest.fixture(params=ROUTE_NAMES)
def route(request: pytest.FixtureRequest, http_proxy: TinyProxy, socks_proxy: MicroSocks) -> Route:
    return route_named(request.param, http_proxy, socks_proxy)


async def _probe(
    endpoint: FakeEndpoint,
    route: Route,
    *,
    timeout_s: float = 5.0,
    url: str | None = None,
    headers: dict[str, str] | None = None,
) -> ProbeResult:
    assert endpoint.ca_pem_path is not None
    return await probe_ws(
        url or endpoint.ws_url,
        route,
        trust=os_trusts(endpoint.ca_pem_path),
        timeout_s=timeout_s,
        headers=headers or codex_ws_headers(VERSION),
    )


def _closed_with(endpoint: FakeEndpoint, codes: list[int]) -> bool:
    return wait_until(lambda: endpoint.stats.close_codes_received == codes, 3.0)


async def test_a_working_route_opens_then_closes_with_1000(
    endpoint: FakeEndpoint, route: Route
) -> None:
    result = await _probe(endpoint, route)

    assert (result.reachable, result.failure, result.status) == (True, None, 101)
    assert result.transport is Transport.WEBSOCKET and result.stage is Stage.DONE
    timings = result.timings
    assert {Stage.DNS, Stage.TCP, Stage.TLS, Stage.RESPONSE, Stage.POST_UPGRADE} <= set(timings)
    assert (Stage.PROXY in timings) == (route.proxy_url is not None)
    assert _closed_with(endpoint, [1000]), endpoint.stats.close_codes_received


async def test_the_upgrade_carries_codex_headers_and_no_login(endpoint: FakeEndpoint) -> None:
    result = await _probe(endpoint, DIRECT)

    seen = endpoint.stats.last_ws_headers
    assert result.reachable and not result.authenticated
    assert seen["openai-beta"] == RESPONSES_WEBSOCKETS_BETA
    assert seen["originator"] == "codex_cli_rs"
    assert seen["version"] == VERSION
    assert seen["user-agent"].startswith(f"codex_cli_rs/{VERSION} (")
    assert "authorization" not in seen and "chatgpt-account-id" not in seen


async def test_the_deep_check_sends_the_login_and_a_refusal_is_a_failure(
    endpoint: FakeEndpoint,
) -> None:
    """Codex counts a 401 to its login as a failed connect (7 attempts, then HTTP)."""
    endpoint.ws_behaviour = Behaviour.UPGRADE_401
    secret = "sk-test-not-a-real-token"
    headers = codex_ws_headers(
        VERSION, login={"Authorization": f"Bearer {secret}", "ChatGPT-Account-ID": "acct-1"}
    )

    result = await _probe(endpoint, DIRECT, headers=headers)

    assert endpoint.stats.last_ws_headers["authorization"] == f"Bearer {secret}"
    assert endpoint.stats.last_ws_headers["chatgpt-account-id"] == "acct-1"
    assert result.authenticated and not result.reachable
    assert (result.failure, result.status) == (Failure.UPGRADE_STATUS, 401)
    assert "refused the login Codex sends" in str(result.reason)
    assert secret not in str(result.reason) and secret not in repr(result)


@pytest.mark.parametrize(
    ("behaviour", "status", "reachable"),
    [
        (Behaviour.UPGRADE_401, 401, True),
        (Behaviour.UPGRADE_403, 403, True),
        (Behaviour.UPGRADE_426, 426, False),
    ],
)
async def test_an_upgrade_answered_with_a_status(
    endpoint: FakeEndpoint, route: Route, behaviour: Behaviour, status: int, reachable: bool
) -> None:
    endpoint.ws_behaviour = behaviour

    result = await _probe(endpoint, route)

    assert (result.failure, result.status, result.reachable) == (
        Failure.UPGRADE_STATUS,
        status,
        reachable,
    )
    assert result.stage is Stage.RESPONSE and result.timings.get(Stage.RESPONSE) is not None
    assert str(status) in str(result.reason)


async def test_a_close_right_after_the_101_is_a_policy_close(
    endpoint: FakeEndpoint, route: Route
) -> None:
    endpoint.ws_behaviour = Behaviour.CLOSE_1008

    result = await _probe(endpoint, route)

    assert (result.failure, result.stage, result.reachable) == (
        Failure.POLICY_CLOSE,
        Stage.POST_UPGRADE,
        False,
    )
    assert (result.status, result.close_code, result.close_reason) == (
        101,
        1008,
        "policy violation",
    )
    assert "1008" in str(result.reason)


@pytest.mark.parametrize(
    ("behaviour", "failure"),
    [
        (Behaviour.BLACKHOLE, Failure.UPGRADE_TIMEOUT),
        (Behaviour.RESET, Failure.RESET),
        (Behaviour.GARBAGE, Failure.PROTOCOL),
    ],
)
async def test_server_faults_during_the_upgrade(
    endpoint: FakeEndpoint, route: Route, behaviour: Behaviour, failure: Failure
) -> None:
    endpoint.ws_behaviour = behaviour

    result = await _probe(endpoint, route, timeout_s=0.6)

    assert (result.failure, result.stage, result.reachable) == (failure, Stage.RESPONSE, False)
    assert result.timings.get(Stage.TLS) is not None
    assert result.elapsed_ms < 4000  # bounded by the 0.6 s timeout, with room for a loaded machine


async def test_an_https_proxy_is_refused_for_websocket_without_connecting(
    endpoint: FakeEndpoint,
) -> None:
    # Nothing listens there: a connection attempt would say proxy_refused instead.
    result = await _probe(endpoint, via(f"https://user:hunter2@127.0.0.1:{dead_port()}"))

    assert (result.failure, result.stage, result.reachable) == (
        Failure.PROXY_SCHEME,
        Stage.PROXY,
        False,
    )
    assert "hunter2" not in str(result.reason)
    assert endpoint.stats.connections == 0


async def test_a_proxy_without_a_scheme_is_refused_for_websocket_as_codex_does(
    endpoint: FakeEndpoint,
) -> None:
    # Codex's WebSocket client rejects "127.0.0.1:7890" although its HTTP client reads it as
    # http://: a common Clash set-up that breaks only the WebSocket.
    result = await _probe(endpoint, via(f"127.0.0.1:{dead_port()}"))

    assert (result.failure, result.stage, result.reachable) == (
        Failure.PROXY_SCHEME,
        Stage.PROXY,
        False,
    )


async def test_failures_before_the_upgrade(
    endpoint: FakeEndpoint, http_proxy_deny: TinyProxy, http_proxy_auth: TinyProxy
) -> None:
    """Each class met on the way to the server, once each over the WebSocket probe."""
    dead = dead_port()
    cases: list[tuple[Route, str, Failure, Stage]] = [
        (DIRECT, f"wss://{UNRESOLVABLE}/v1/responses", Failure.DNS, Stage.DNS),
        (DIRECT, f"wss://127.0.0.1:{dead}/v1/responses", Failure.TCP_REFUSED, Stage.TCP),
        (via(f"http://127.0.0.1:{dead}"), endpoint.ws_url, Failure.PROXY_REFUSED, Stage.TCP),
        (via(f"socks5h://127.0.0.1:{dead}"), endpoint.ws_url, Failure.PROXY_REFUSED, Stage.TCP),
        (via(http_proxy_deny.url), endpoint.ws_url, Failure.PROXY_REJECTED, Stage.PROXY),
        (via(http_proxy_auth.url), endpoint.ws_url, Failure.PROXY_AUTH, Stage.PROXY),
    ]
    for route, url, failure, stage in cases:
        result = await _probe(endpoint, route, url=url)
        assert (result.failure, result.stage, result.reachable) == (failure, stage, False), url
    assert endpoint.stats.ws_upgrade_attempts == 0


async def test_a_listener_that_never_accepts_is_a_tcp_timeout(endpoint: FakeEndpoint) -> None:
    with full_backlog_port() as port:
        result = await _probe(
            endpoint, DIRECT, timeout_s=0.3, url=f"wss://127.0.0.1:{port}/v1/responses"
        )

    assert (result.failure, result.stage) == (Failure.TCP_TIMEOUT, Stage.TCP)


async def test_tls_failures(endpoint: FakeEndpoint, route: Route) -> None:
    untrusted = await probe_ws(endpoint.ws_url, route, trust=codex_trust({}), timeout_s=5.0)

    assert (untrusted.failure, untrusted.stage) == (Failure.TLS_UNTRUSTED, Stage.TLS)
    assert endpoint.stats.ws_upgrade_attempts == 0


async def test_tls_to_a_plain_http_port_is_another_tls_failure(endpoint: FakeEndpoint) -> None:
    async with plain_http_port() as port:
        result = await _probe(endpoint, DIRECT, url=f"wss://127.0.0.1:{port}/v1/responses")

    assert (result.failure, result.stage) == (Failure.TLS_OTHER, Stage.TLS)


async def test_interception_is_flagged_and_the_websocket_still_closes_cleanly(
    endpoint: FakeEndpoint, harness_ca_pem: Path, route: Route
) -> None:
    trust = codex_trust({"CODEX_CA_CERTIFICATE": str(harness_ca_pem)})

    result = await probe_ws(endpoint.ws_url, route, trust=trust, timeout_s=5.0)

    assert result.reachable and result.tls_intercepted
    assert "Codex's WebSocket may reject it" in str(result.reason)
    assert _closed_with(endpoint, [1000])


async def test_plain_ws_and_an_https_url_work_too(plain_endpoint: FakeEndpoint) -> None:
    plain = await probe_ws(plain_endpoint.ws_url, DIRECT, trust=codex_trust({}), timeout_s=5.0)
    swapped = await probe_ws(
        plain_endpoint.responses_url, DIRECT, trust=codex_trust({}), timeout_s=5.0
    )

    for result in (plain, swapped):
        assert result.reachable and result.timings.get(Stage.TLS) is None
    assert _closed_with(plain_endpoint, [1000, 1000])


async def test_injected_delays_land_in_their_phase(endpoint: FakeEndpoint) -> None:
    endpoint.ws_behaviour = Behaviour.SLOW
    endpoint.delay_s = 0.2
    response_ms, _ = await least_phase(
        lambda: _probe(endpoint, DIRECT), lambda r: r.timings.get(Stage.RESPONSE)
    )
    endpoint.ws_behaviour = Behaviour.OK
    endpoint.tls_delay_s = 0.2
    tls_ms, slow_tls = await least_phase(
        lambda: _probe(endpoint, DIRECT), lambda r: r.timings.get(Stage.TLS)
    )

    assert 200 <= response_ms <= 210
    assert 200 <= tls_ms <= 210
    assert slow_tls.timings[Stage.RESPONSE] < 50


async def test_a_login_in_the_url_is_never_sent_as_basic_auth(endpoint: FakeEndpoint) -> None:
    """Codex sends no `Authorization: Basic` built from `user:password@` in its base URL."""
    url = endpoint.ws_url.replace("wss://", "wss://someone:url-secret@")

    result = await _probe(endpoint, DIRECT, url=url)

    assert result.reachable
    assert "authorization" not in endpoint.stats.last_ws_headers
    assert "url-secret" not in str(endpoint.stats.seen)
