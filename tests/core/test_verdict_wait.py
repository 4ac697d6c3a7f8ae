"""How long Codex would wait before falling back, and when a silent WebSocket turns amber."""

from __future__ import annotations

import pytest

from codex_link.core.model.codex_settings import ProviderInfo
from codex_link.core.model.probe import Failure
from codex_link.core.verdict import fallback_wait_seconds, provisional_deadline_s
from codex_link.core.wait_estimate import connect_attempts

DEFAULTS = ProviderInfo(
    id="openai", name="OpenAI", builtin=True, base_url=None, supports_websockets=True
)


def test_blackhole_with_defaults_matches_the_112_s_measured_with_codex() -> None:
    # 7 connects (warm-up, first try, 5 retries) of 15 s, plus 6.2 s of backoff sleeps.
    assert connect_attempts(DEFAULTS) == 7
    wait = fallback_wait_seconds(DEFAULTS, Failure.UPGRADE_TIMEOUT)
    assert wait == pytest.approx(111.2)
    assert abs(wait - 112) <= 2


@pytest.mark.parametrize(
    "failure",
    [
        Failure.TCP_REFUSED,
        Failure.PROXY_REFUSED,
        Failure.PROXY_REJECTED,
        Failure.PROXY_AUTH,
        Failure.TLS_UNTRUSTED,
        Failure.RESET,
        Failure.POLICY_CLOSE,
        Failure.PROXY_SCHEME,
    ],
)
def test_fast_failures_cost_only_the_backoff(failure: Failure) -> None:
    assert fallback_wait_seconds(DEFAULTS, failure) == pytest.approx(6.2)


def test_426_means_no_wait_and_a_working_route_means_none() -> None:
    assert fallback_wait_seconds(DEFAULTS, Failure.UPGRADE_STATUS, status=426) == 0.0
    assert fallback_wait_seconds(DEFAULTS, None) == 0.0


def test_provider_settings_change_the_estimate() -> None:
    short = ProviderInfo(
        id="corp",
        name="Corp",
        builtin=False,
        base_url="https://x",
        supports_websockets=True,
        websocket_connect_timeout_ms=2_000,
        stream_max_retries=1,
    )
    # 1 warm-up + 1 + 1 retry = 3 connects of 2 s, plus one 0.2 s sleep.
    assert fallback_wait_seconds(short, Failure.TCP_TIMEOUT) == pytest.approx(6.2)
    no_retries = ProviderInfo(
        id="corp", name="Corp", builtin=False, base_url="https://x", stream_max_retries=0
    )
    assert fallback_wait_seconds(no_retries, Failure.TCP_REFUSED) == 0.0


@pytest.mark.parametrize(
    ("http_s", "deadline"), [(0.0, 3.0), (0.05, 3.0), (0.3, 3.0), (0.5, 5.0), (2.0, 20.0)]
)
def test_provisional_deadline(http_s: float, deadline: float) -> None:
    assert provisional_deadline_s(http_s) == pytest.approx(deadline)
