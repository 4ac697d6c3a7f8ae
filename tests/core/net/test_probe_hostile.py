"""Hostile servers: each one is judged at once, with the right failure class and a plain
reason, never as a timeout and never as a working route; a probe under attack does not skew
the timing of the probe running beside it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest
import trustme

from codex_link.core.model.probe import Failure, ProbeResult, Stage
from codex_link.core.net.probe_http import probe_http
from codex_link.core.net.probe_ws import codex_ws_headers, probe_ws
from codex_link.core.net.reasons import SENTENCES, Say
from tests.core.net.probe_support import DIRECT, os_trusts, via
from tests.harness.endpoint import Behaviour, CertMode, FakeEndpoint
from tests.harness.proxies import TinyProxy

pytestmark = [pytest.mark.timeout(60), pytest.mark.proxies]

# Far below the probes' own bounds (15 s for the WebSocket, 10 s for HTTP): a server that
# talks garbage is a failure as soon as its bytes arrive.
AT_ONCE_MS = 2000.0
HOSTILE_HEADS = (Behaviour.ENDLESS_HEADERS, Behaviour.BAD_STATUS_LINE, Behaviour.HUGE_HEADER)
AFTER_101 = (
    Behaviour.HUGE_FRAME,
    Behaviour.GARBAGE_AFTER_101,
    Behaviour.RANDOM_AFTER_101,
    Behaviour.PING_FLOOD,
)


async def _ws(endpoint: FakeEndpoint, *, via_proxy: TinyProxy | None = None) -> ProbeResult:
    assert endpoint.ca_pem_path is not None
    route = DIRECT if via_proxy is None else via(via_proxy.url)
    return await probe_ws(
        endpoint.ws_url,
        route,
        trust=os_trusts(endpoint.ca_pem_path),
        timeout_s=15.0,
        headers=codex_ws_headers("0.169.0"),
    )


async def _http(endpoint: FakeEndpoint) -> ProbeResult:
    assert endpoint.ca_pem_path is not None
    return await probe_http(
        endpoint.responses_url, DIRECT, trust=os_trusts(endpoint.ca_pem_path), timeout_s=10.0
    )


def _says(result: ProbeResult, key: Say) -> bool:
    return result.reason.template == SENTENCES[key]


@pytest.mark.parametrize("behaviour", HOSTILE_HEADS)
async def test_a_broken_answer_head_is_not_http_at_once(
    endpoint: FakeEndpoint, http_proxy: TinyProxy, behaviour: Behaviour
) -> None:
    endpoint.ws_behaviour = endpoint.http_behaviour = behaviour

    for result in (
        await _ws(endpoint),
        await _ws(endpoint, via_proxy=http_proxy),
        await _http(endpoint),
    ):
        assert (result.reachable, result.failure) == (False, Failure.PROTOCOL), result
        assert result.stage is Stage.RESPONSE
        assert _says(result, Say.PROTOCOL), result.reason
        assert result.elapsed_ms < AT_ONCE_MS


@pytest.mark.parametrize("behaviour", AFTER_101)
async def test_bytes_after_the_101_that_are_no_websocket_fail_at_once(
    endpoint: FakeEndpoint, behaviour: Behaviour
) -> None:
    endpoint.ws_behaviour = behaviour

    result = await _ws(endpoint)

    assert (result.reachable, result.failure, result.status) == (False, Failure.PROTOCOL, 101)
    assert result.stage is Stage.POST_UPGRADE
    assert _says(result, Say.PROTOCOL_WS), result.reason
    assert "WebSocket traffic" in str(result.reason)
    assert result.elapsed_ms < AT_ONCE_MS


async def test_random_bytes_after_the_101_are_never_a_working_websocket(
    endpoint: FakeEndpoint,
) -> None:
    endpoint.ws_behaviour = Behaviour.RANDOM_AFTER_101
    verdicts = []
    for seed in range(24):
        endpoint.random_seed = seed
        result = await _ws(endpoint)
        verdicts.append((seed, result.reachable, result.failure))
    assert all(
        not reachable and failure is Failure.PROTOCOL for _seed, reachable, failure in verdicts
    ), verdicts


async def test_a_ping_flood_does_not_slow_the_http_probe_beside_it(endpoint: FakeEndpoint) -> None:
    """Measured as the least of three: load can only lengthen a phase (the flooding server
    runs in this very process, so it competes for the interpreter too)."""
    quiet = min([(await _http(endpoint)).elapsed_ms for _ in range(3)])
    endpoint.ws_behaviour = Behaviour.PING_FLOOD
    flooded: list[float] = []
    for _ in range(3):
        ws, http = await asyncio.gather(_ws(endpoint), _http(endpoint))
        assert ws.failure is Failure.PROTOCOL and http.reachable
        flooded.append(http.elapsed_ms)
    assert min(flooded) < quiet + 60.0, (quiet, flooded)


@pytest.fixture(scope="module", params=[CertMode.EXPIRED, CertMode.WRONG_HOST])
def badly_certified(
    request: pytest.FixtureRequest, harness_ca: trustme.CA
) -> Iterator[FakeEndpoint]:
    """An endpoint whose certificate comes from the trusted CA but is expired or misnamed."""
    with FakeEndpoint(tls=True, ca=harness_ca, cert=request.param) as server:
        yield server


async def test_a_trusted_but_expired_or_misnamed_certificate_is_not_called_interception(
    badly_certified: FakeEndpoint,
) -> None:
    expected = Say.TLS_EXPIRED if badly_certified.cert is CertMode.EXPIRED else (Say.TLS_WRONG_HOST)
    started = time.monotonic()

    for result in (await _ws(badly_certified), await _http(badly_certified)):
        assert (result.reachable, result.failure, result.stage) == (
            False,
            Failure.TLS_OTHER,
            Stage.TLS,
        ), result
        assert _says(result, expected), result.reason
        assert "intercept" not in str(result.reason)
    assert time.monotonic() - started < 2 * AT_ONCE_MS / 1000
