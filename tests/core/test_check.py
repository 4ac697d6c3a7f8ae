"""One complete check against the loopback harness: real TLS endpoint, real proxies, real probes.

Codex is pointed at the harness the way a user would do it: `openai_base_url` (or a provider
table) in the config.toml of an isolated CODEX_HOME, and CODEX_CA_CERTIFICATE for the
harness CA; proxies come in through the environment mapping or an injected system proxy.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import asdict
from pathlib import Path

import pytest

from codex_link.core.model.probe import Failure, RouteKind, Stage, SystemSettings, Transport
from codex_link.core.model.report import CheckReport
from codex_link.core.model.route_fix import RouteMethod, RouteProposal
from codex_link.core.model.verdict import AdviceKind, Health
from codex_link.core.net.proxy_settings import SystemProxy
from tests.core.check_support import (
    checker,
    custom_provider,
    openai_at,
    write_config,
)
from tests.core.test_check_firewall import ProxyOnlyGate
from tests.harness.endpoint import Behaviour, FakeEndpoint
from tests.harness.proxies import TinyProxy, dead_port

pytestmark = pytest.mark.proxies


async def test_healthy_endpoint_is_ready_ws(env: dict[str, str], endpoint: FakeEndpoint) -> None:
    write_config(env, openai_at(endpoint.base_url))
    report = await checker(env).run()
    assert report.verdict.health is Health.READY_WS
    assert report.verdict.advice == ()
    http, ws = report.primary_for(Transport.HTTP), report.primary_for(Transport.WEBSOCKET)
    assert http is not None and http.reachable and http.url == endpoint.responses_url
    assert ws is not None and ws.reachable and ws.url == endpoint.ws_url
    assert {Stage.TLS, Stage.RESPONSE} <= set(ws.timings)
    assert endpoint.stats.ws_upgrade_attempts == 1
    assert endpoint.stats.last_ws_headers["openai-beta"].startswith("responses_websockets=")
    assert "authorization" not in endpoint.stats.last_ws_headers  # no deep check asked


async def test_blackholed_ws_turns_amber_early_then_final_at_codex_timeout(
    env: dict[str, str], endpoint: FakeEndpoint
) -> None:
    endpoint.ws_behaviour = Behaviour.BLACKHOLE
    write_config(env, custom_provider(endpoint.base_url, timeout_ms=5_000))
    provisional: list[tuple[float, CheckReport]] = []
    start = time.monotonic()
    report = await checker(env).run(
        on_provisional=lambda r: provisional.append((time.monotonic() - start, r))
    )
    final_s = time.monotonic() - start
    assert len(provisional) == 1
    at, early = provisional[0]
    assert at <= 3.5  # max(3 s, 10x the HTTP time) with a fast loopback HTTP answer
    assert early.verdict.health is Health.WS_BLOCKED and early.verdict.provisional
    assert early.primary_for(Transport.WEBSOCKET) is None
    assert report.verdict.health is Health.WS_BLOCKED and not report.verdict.provisional
    assert 4.8 <= final_s <= 7.0  # the provider's own 5 s connect timeout
    ws = report.primary_for(Transport.WEBSOCKET)
    assert ws is not None and ws.failure is Failure.UPGRADE_TIMEOUT
    # 7 connects of 5 s plus 6.2 s of backoff: what Codex would make the user wait.
    assert report.verdict.expected_wait_s == pytest.approx(7 * 5 + 6.2)
    assert [a.kind for a in report.verdict.advice] == [AdviceKind.SWITCH_TO_HTTP_ONLY]


async def test_the_provisional_verdict_counts_from_the_start_of_the_check(
    env: dict[str, str], endpoint: FakeEndpoint
) -> None:
    """Reading the desktop's proxy settings can be slow (a gsettings call, a PAC file): the
    user still sees amber 3 s after the check began, not 3 s after that reading."""
    endpoint.ws_behaviour = Behaviour.BLACKHOLE
    write_config(env, custom_provider(endpoint.base_url, timeout_ms=5_000))

    def slow_desktop_proxy() -> None:
        time.sleep(0.5)

    provisional: list[float] = []
    start = time.monotonic()
    await checker(env, system_proxy=slow_desktop_proxy).run(
        on_provisional=lambda _r: provisional.append(time.monotonic() - start)
    )
    assert len(provisional) == 1 and 2.9 <= provisional[0] <= 3.25


async def test_system_proxy_works_but_codex_ws_goes_direct_into_a_firewall(
    env: dict[str, str], endpoint: FakeEndpoint, http_proxy: TinyProxy
) -> None:
    """THE case users hit on macOS/Windows: HTTP rides the system proxy, WebSocket does not."""
    with ProxyOnlyGate(endpoint.port, http_proxy.port) as gate:
        write_config(env, openai_at(gate.base_url()))
        system = SystemProxy(
            http=http_proxy.url,
            https=http_proxy.url,
            socks=None,
            bypass=(),
            pac_url=None,
            source=SystemSettings.MACOS,
        )
        report = await checker(
            env, system_proxy=lambda: system, platform="darwin", max_timeout_s=3.0
        ).run()
        assert gate.forwarded >= 2 and gate.blackholed >= 1
    http, ws = report.primary_for(Transport.HTTP), report.primary_for(Transport.WEBSOCKET)
    assert http is not None and http.reachable and http.route.kind is RouteKind.SYSTEM_PROXY
    assert ws is not None and not ws.reachable and ws.route.kind is RouteKind.DIRECT
    via_proxy = [
        a
        for a in report.alternatives
        if a.transport is Transport.WEBSOCKET and a.route.kind is RouteKind.SYSTEM_PROXY
    ]
    assert via_proxy and via_proxy[0].reachable
    verdict = report.verdict
    assert verdict.health is Health.WS_BLOCKED
    # Following the system proxy is verified to carry the WebSocket: one click, first. A
    # .env fix is not offered: its NO_PROXY=localhost,127.0.0.1 keeps this loopback server
    # direct, so Codex would not take the proxy.
    assert [a.kind for a in verdict.advice] == [
        AdviceKind.ROUTE_FIX,
        AdviceKind.SWITCH_TO_HTTP_ONLY,
    ]
    assert verdict.advice[0].proposal == RouteProposal(RouteMethod.SYSTEM_PROXY, http_proxy.url)
    assert str(verdict.advice[0].message) == (
        f"Send Codex through your system proxy {http_proxy.url} (keeps WebSocket)"
    )


async def test_http_through_a_dead_proxy_is_down_and_names_the_proxy(
    env: dict[str, str], endpoint: FakeEndpoint, dead_proxy_url: str
) -> None:
    env["HTTPS_PROXY"] = dead_proxy_url
    write_config(env, openai_at(endpoint.base_url))
    report = await checker(env).run()
    http = report.primary_for(Transport.HTTP)
    assert http is not None and http.failure is Failure.PROXY_REFUSED
    assert http.stage is Stage.TCP or http.stage is Stage.PROXY
    assert report.verdict.health is Health.DOWN
    assert "proxy" in str(report.verdict.headline)
    kinds = {a.kind for a in report.verdict.advice}
    assert kinds == {AdviceKind.FIX_NETWORK}  # the toggle would not help: not offered
    # The alternatives show the network itself is fine: only the proxy is the problem.
    direct = [a for a in report.alternatives if a.route.kind is RouteKind.DIRECT]
    assert direct and all(a.reachable for a in direct)


async def test_a_gateway_that_cannot_reach_the_server_is_down_not_a_switch(
    env: dict[str, str], endpoint: FakeEndpoint
) -> None:
    endpoint.http_behaviour = endpoint.ws_behaviour = Behaviour.GATEWAY_503
    write_config(env, openai_at(endpoint.base_url))
    report = await checker(env).run()
    http = report.primary_for(Transport.HTTP)
    assert http is not None and (http.failure, http.status) == (Failure.HTTP_STATUS, 503)
    assert report.verdict.health is Health.DOWN
    assert "503" in str(report.verdict.headline)
    assert {a.kind for a in report.verdict.advice} == {AdviceKind.FIX_NETWORK}


async def test_426_means_codex_falls_back_at_once(
    env: dict[str, str], endpoint: FakeEndpoint
) -> None:
    endpoint.ws_behaviour = Behaviour.UPGRADE_426
    write_config(env, openai_at(endpoint.base_url))
    report = await checker(env).run()
    assert report.verdict.health is Health.WS_BLOCKED
    assert report.verdict.expected_wait_s == 0.0
    assert "at once" in str(report.verdict.headline)


async def test_a_check_runs_with_the_settings_it_is_given(
    env: dict[str, str], endpoint: FakeEndpoint
) -> None:
    """The monitor reads the settings once and passes them: the check reads no second copy."""
    write_config(env, custom_provider(endpoint.base_url, websockets=False))
    runner = checker(env)
    settings = runner.read_settings()
    assert not settings.websockets_enabled
    write_config(env, openai_at(endpoint.base_url))  # changed after the reading
    report = await runner.run(settings=settings)
    assert report.verdict.health is Health.READY_HTTP_ONLY  # judged by the reading it got
    assert (await runner.run()).verdict.health is Health.READY_WS  # none given: read now


@pytest.mark.parametrize("behaviour", [Behaviour.UPGRADE_401, Behaviour.UPGRADE_403])
async def test_unsigned_upgrade_refused_with_401_or_403_is_a_working_route(
    env: dict[str, str], endpoint: FakeEndpoint, behaviour: Behaviour
) -> None:
    endpoint.ws_behaviour = behaviour
    write_config(env, openai_at(endpoint.base_url))
    report = await checker(env).run()
    assert report.verdict.health is Health.READY_WS


async def test_http_only_user_hears_when_websocket_works_again(
    env: dict[str, str], endpoint: FakeEndpoint
) -> None:
    write_config(env, custom_provider(endpoint.base_url, websockets=False))
    first = await checker(env).run(ws_healthy_streak=0)
    assert first.verdict.health is Health.READY_HTTP_ONLY and first.verdict.advice == ()
    ws = first.primary_for(Transport.WEBSOCKET)
    assert ws is not None and ws.reachable  # probed although Codex has it off
    third = await checker(env).run(ws_healthy_streak=2)
    assert [a.kind for a in third.verdict.advice] == [AdviceKind.SWITCH_BACK]


async def test_settings_are_read_again_at_each_check(
    env: dict[str, str], endpoint: FakeEndpoint
) -> None:
    write_config(env, openai_at(endpoint.base_url))
    running = checker(env)
    assert (await running.run()).verdict.health is Health.READY_WS
    write_config(env, custom_provider(endpoint.base_url, websockets=False))
    assert (await running.run()).verdict.health is Health.READY_HTTP_ONLY


async def test_broken_config_is_advised_first(env: dict[str, str], endpoint: FakeEndpoint) -> None:
    write_config(env, openai_at(endpoint.base_url) + "[model_providers.openai]\nname = 'x'\n")
    report = await checker(env).run()
    assert report.verdict.advice and report.verdict.advice[0].kind is AdviceKind.FIX_CONFIG
    assert any(f.code for f in report.findings)


SECRET = "sk-test-SECRET-0123456789abcdef"
ACCOUNT = "acct-SECRET-42"


async def test_deep_check_sends_the_login_only_to_codexs_host_and_keeps_nothing(
    env: dict[str, str], endpoint: FakeEndpoint, http_proxy: TinyProxy
) -> None:
    write_config(env, openai_at(endpoint.base_url))
    (Path(env["CODEX_HOME"]) / "auth.json").write_text(
        json.dumps(
            {
                "auth_mode": "chatgpt",
                "tokens": {
                    "access_token": SECRET,
                    "refresh_token": "r-SECRET",
                    "account_id": ACCOUNT,
                },
            }
        )
    )
    system = SystemProxy(
        http=None,
        https=http_proxy.url,
        socks=None,
        bypass=(),
        pac_url=None,
        source=SystemSettings.GNOME,
    )
    report = await checker(env, system_proxy=lambda: system).run(deep=True)
    ws = report.primary_for(Transport.WEBSOCKET)
    assert ws is not None and ws.authenticated and ws.reachable
    alternatives = [a for a in report.alternatives if a.transport is Transport.WEBSOCKET]
    assert alternatives and not any(a.authenticated for a in alternatives)
    assert report.verdict.health is Health.READY_WS
    dump = repr(report) + json.dumps(asdict(report), default=str)
    assert SECRET not in dump and ACCOUNT not in dump


async def test_deep_check_header_reaches_the_endpoint(
    env: dict[str, str], endpoint: FakeEndpoint
) -> None:
    write_config(env, openai_at(endpoint.base_url))
    (Path(env["CODEX_HOME"]) / "auth.json").write_text(
        json.dumps({"auth_mode": "apikey", "OPENAI_API_KEY": SECRET})
    )
    await checker(env).run(deep=True)
    assert endpoint.stats.last_ws_headers.get("authorization") == f"Bearer {SECRET}"


async def test_deep_check_policy_close_is_blocked(
    env: dict[str, str], endpoint: FakeEndpoint
) -> None:
    endpoint.ws_behaviour = Behaviour.CLOSE_1008
    write_config(env, openai_at(endpoint.base_url))
    report = await checker(env).run(deep=True)
    ws = report.primary_for(Transport.WEBSOCKET)
    assert ws is not None and ws.failure is Failure.POLICY_CLOSE and ws.close_code == 1008
    assert report.verdict.health is Health.WS_BLOCKED
    assert "1008" in str(report.verdict.headline)


async def test_a_cancelled_check_leaves_no_probe_behind(
    env: dict[str, str], endpoint: FakeEndpoint
) -> None:
    """The monitor cancels a check that runs out of time: the probes must end with it."""
    endpoint.ws_behaviour = Behaviour.BLACKHOLE
    write_config(env, openai_at(endpoint.base_url))
    task = asyncio.ensure_future(checker(env).run())
    await asyncio.sleep(1.0)
    task.cancel()
    start = time.monotonic()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 10.0)
    assert time.monotonic() - start < 5.0  # not the blackholed WebSocket's 15 s timeout
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert not [t for t in others if "probe" in repr(t.get_coro())]


# --- route fixes: proxies found listening, and a proxy in .env that stopped answering -------


async def test_a_proxy_found_listening_is_offered_first_when_codexs_route_swallows_ws(
    env: dict[str, str],
    named_endpoint: FakeEndpoint,
    found_proxy: TinyProxy,
    codex_proxy: TinyProxy,
) -> None:
    """HTTPS_PROXY names a proxy that carries HTTP but whose WebSockets go nowhere; another
    proxy listens on loopback (as Clash does). Codex's WebSocket reads HTTPS_PROXY first, so
    only HTTPS_PROXY in .env would win: that is proposed, verified for both transports."""
    env["HTTPS_PROXY"] = codex_proxy.url
    write_config(env, custom_provider(named_endpoint.base_url, timeout_ms=2_000))
    start = time.monotonic()
    report = await checker(env, local_proxy_ports=(found_proxy.port, dead_port())).run()
    assert time.monotonic() - start < 2.0 + 5.0  # Codex's own timeout, then the bounded look
    found = [a for a in report.alternatives if a.route.kind is RouteKind.LOCAL_PROXY]
    assert {(a.transport, a.route.proxy_url, a.reachable) for a in found} == {
        (Transport.WEBSOCKET, found_proxy.url, True),
        (Transport.HTTP, found_proxy.url, True),
    }
    verdict = report.verdict
    assert verdict.health is Health.WS_BLOCKED
    assert [a.kind for a in verdict.advice][:2] == [
        AdviceKind.ROUTE_FIX,
        AdviceKind.SWITCH_TO_HTTP_ONLY,
    ]
    assert verdict.advice[0].proposal == RouteProposal(
        RouteMethod.DOTENV, found_proxy.url, ("HTTPS_PROXY",)
    )
    assert str(verdict.advice[0].message) == (
        f"Send Codex through {found_proxy.url} (keeps WebSocket)"
    )


async def test_no_proxy_is_looked_for_while_codexs_websocket_works(
    env: dict[str, str], endpoint: FakeEndpoint, http_proxy: TinyProxy
) -> None:
    write_config(env, openai_at(endpoint.base_url))
    report = await checker(env, local_proxy_ports=(http_proxy.port,)).run()
    assert report.verdict.health is Health.READY_WS
    assert not [a for a in report.alternatives if a.route.kind is RouteKind.LOCAL_PROXY]


async def test_a_proxy_in_dotenv_that_stopped_answering_is_said_at_once_with_its_undo(
    env: dict[str, str], endpoint: FakeEndpoint, dead_proxy_url: str
) -> None:
    """The proxy client was quit after a route fix wrote it into .env (openai/codex #38885)."""
    (Path(env["CODEX_HOME"]) / ".env").write_text(f"HTTPS_PROXY={dead_proxy_url}\n")
    write_config(env, openai_at(endpoint.base_url))
    provisional: list[CheckReport] = []
    start = time.monotonic()
    report = await checker(env).run(on_provisional=provisional.append)
    assert time.monotonic() - start < 3.0  # a refused connect: no timeout to wait out
    verdict = report.verdict
    assert verdict.health is Health.DOWN
    assert str(verdict.headline) == (
        f"The proxy {dead_proxy_url} that Codex is set to use (HTTPS_PROXY ($CODEX_HOME/.env)) "
        "is not answering: every Codex request fails until it is back."
    )
    assert [a.kind for a in verdict.advice] == [AdviceKind.UNDO_ROUTE_FIX, AdviceKind.FIX_NETWORK]
