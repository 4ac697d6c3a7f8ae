"""Complete checks on the rules where Codex's own behaviour decides the verdict: what the deep
check sends to a custom provider, a refused login, SOCKS on the HTTP route, HTTP-only.

Each rule was seen with the real Codex CLI 0.169.0 (tests/e2e/test_codex_agrees.py runs the
same scenarios against it)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from codex_link.core.model.probe import Failure, Transport
from codex_link.core.model.verdict import Health
from tests.core.check_support import checker, custom_provider, openai_at, write_config
from tests.harness.endpoint import Behaviour, FakeEndpoint
from tests.harness.proxies import MicroSocks

pytestmark = pytest.mark.proxies

OPENAI_TOKEN = "eyJ-openai-SECRET-token"
PROVIDER_TOKEN = "provider-SECRET-token"


def chatgpt_login(env: dict[str, str]) -> None:
    (Path(env["CODEX_HOME"]) / "auth.json").write_text(
        json.dumps(
            {"auth_mode": "chatgpt", "tokens": {"access_token": OPENAI_TOKEN, "account_id": "a-1"}}
        )
    )


async def test_deep_check_sends_a_custom_provider_its_own_token_only(
    env: dict[str, str], endpoint: FakeEndpoint
) -> None:
    chatgpt_login(env)
    write_config(
        env,
        custom_provider(endpoint.base_url) + f'experimental_bearer_token = "{PROVIDER_TOKEN}"\n'
        'http_headers = { "X-Team" = "blue" }\n',
    )

    report = await checker({**env, "CODEX_API_KEY": "sk-SECRET-codex"}).run(deep=True)

    upgrades = [seen for seen in endpoint.stats.seen if seen.websocket]
    assert upgrades and all(
        s.headers.get("authorization") == f"Bearer {PROVIDER_TOKEN}"
        and s.headers.get("x-team") == "blue"
        for s in upgrades
    )
    everything = json.dumps([s.headers for s in endpoint.stats.seen])
    assert OPENAI_TOKEN not in everything and "sk-SECRET-codex" not in everything
    assert "a-1" not in everything
    assert report.verdict.health is Health.READY_WS


async def test_deep_check_that_cannot_know_the_login_sends_nothing_and_says_why(
    env: dict[str, str], endpoint: FakeEndpoint
) -> None:
    chatgpt_login(env)
    write_config(env, custom_provider(endpoint.base_url) + 'env_key = "CORP_KEY"\n')

    report = await checker(env).run(deep=True)

    assert not any("authorization" in s.headers for s in endpoint.stats.seen)
    reasons = [str(f.message) for f in report.findings if f.code == "deep_check_not_run"]
    assert reasons and "CORP_KEY" in reasons[0]


async def test_a_401_to_the_real_login_is_a_failed_connect_not_a_working_route(
    env: dict[str, str], endpoint: FakeEndpoint
) -> None:
    endpoint.ws_behaviour = Behaviour.UPGRADE_401
    chatgpt_login(env)
    write_config(env, openai_at(endpoint.base_url))

    deep = await checker(env).run(deep=True)
    plain = await checker(env).run()

    ws = deep.primary_for(Transport.WEBSOCKET)
    assert ws is not None and ws.authenticated and not ws.reachable
    assert deep.verdict.health is Health.WS_BLOCKED
    assert "route works" not in str(deep.verdict.headline)
    assert deep.verdict.expected_wait_s is not None and deep.verdict.expected_wait_s < 10
    assert plain.verdict.health is Health.READY_WS
    assert "not checked" in str(plain.verdict.headline)


async def test_http_only_gives_its_verdict_without_waiting_for_the_websocket(
    env: dict[str, str], endpoint: FakeEndpoint
) -> None:
    endpoint.ws_behaviour = Behaviour.BLACKHOLE
    write_config(env, custom_provider(endpoint.base_url, websockets=False))
    provisional_at: list[float] = []
    started = time.monotonic()

    report = await checker(env).run(
        on_provisional=lambda _r: provisional_at.append(time.monotonic() - started)
    )

    took = time.monotonic() - started
    assert report.verdict.health is Health.READY_HTTP_ONLY
    assert provisional_at and provisional_at[0] < 1.0  # HTTP decides: said at once
    assert took < 5.0  # never Codex's 15 s WebSocket timeout


@pytest.mark.parametrize("variable", ["ALL_PROXY", "HTTPS_PROXY"])
@pytest.mark.parametrize("scheme", ["socks5", "socks5h"])
async def test_socks_carries_codex_websocket_but_not_its_http(
    env: dict[str, str], endpoint: FakeEndpoint, socks_proxy: MicroSocks, variable: str, scheme: str
) -> None:
    proxy = socks_proxy.url.replace("socks5://", f"{scheme}://")
    write_config(env, openai_at(endpoint.base_url))

    report = await checker({**env, variable: proxy}).run(include_alternatives=False)

    http, ws = report.primary_for(Transport.HTTP), report.primary_for(Transport.WEBSOCKET)
    assert http is not None and http.failure is Failure.PROXY_SCHEME
    assert ws is not None and ws.reachable
    # Codex answers over the WebSocket, and has no HTTP fallback: green, never "use HTTP only"
    assert report.verdict.health is Health.READY_WS
    assert "HTTP only would not work" in str(report.verdict.headline)
    words = " ".join(str(a.message) for a in report.verdict.advice)
    assert "http://" in words and "Use HTTP only" not in words
    assert endpoint.stats.http_requests == 0  # like Codex: no HTTP request ever arrives


async def test_http_only_through_socks_is_down_not_ready(
    env: dict[str, str], endpoint: FakeEndpoint, socks_proxy: MicroSocks
) -> None:
    """After its own switch the app must not show green while Codex cannot answer at all."""
    write_config(env, custom_provider(endpoint.base_url, websockets=False))

    report = await checker({**env, "ALL_PROXY": socks_proxy.url}).run()

    assert report.verdict.health is Health.DOWN
    assert "hang" in str(report.verdict.headline)


async def test_socks_for_http_with_the_websocket_blocked_is_down_not_use_http_only(
    env: dict[str, str], endpoint: FakeEndpoint, socks_proxy: MicroSocks
) -> None:
    """Neither transport gets through for Codex: the switch must not be advised."""
    endpoint.ws_behaviour = Behaviour.RESET
    write_config(env, openai_at(endpoint.base_url))

    report = await checker({**env, "ALL_PROXY": socks_proxy.url}).run()

    assert report.verdict.health is Health.DOWN
    assert "Use HTTP only" not in " ".join(str(a.message) for a in report.verdict.advice)
