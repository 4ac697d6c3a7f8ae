"""The monitor with the real Checker against the loopback TLS endpoint: the tray goes from
green to amber when the WebSocket is blackholed, after two agreeing results, in real time."""

from __future__ import annotations

import asyncio
from pathlib import Path

from codex_link.core.check import build_checker
from codex_link.core.codex.home import resolve_codex_home
from codex_link.core.codex.switch.toggle import HttpOnlySwitch
from codex_link.core.history import HistoryStore
from codex_link.core.model.probe import Failure, Transport
from codex_link.core.model.snapshot import Snapshot
from codex_link.core.model.verdict import Health
from codex_link.core.monitor import Monitor, Schedule
from codex_link.core.prefs import Prefs
from tests.harness.endpoint import Behaviour, FakeEndpoint


async def test_blackholed_websocket_turns_the_tray_amber_after_two_results(
    isolated_home: Path, harness_ca_pem: Path, endpoint: FakeEndpoint, tmp_path: Path
) -> None:
    codex_home = isolated_home / ".codex"
    codex_home.mkdir()
    (codex_home / "config.toml").write_text(
        f'openai_base_url = "{endpoint.base_url}"\n', encoding="utf-8"
    )
    env = {
        "HOME": str(isolated_home),
        "CODEX_HOME": str(codex_home),
        "CODEX_CA_CERTIFICATE": str(harness_ca_pem),
    }
    # Probes capped at 1.5 s so a blackholed WebSocket costs 1.5 s per check, not Codex's 15 s.
    checker = build_checker(
        env, system_proxy=lambda: None, platform="linux", max_timeout_s=1.5, local_proxy_ports=()
    )  # the machine's own ports are not the test's
    switch = HttpOnlySwitch(resolve_codex_home(env), tmp_path / "state")
    monitor = Monitor(
        checker,
        read_record=switch.store.load,
        history=HistoryStore(tmp_path),
        prefs=Prefs(check_interval_s=0.2),
        schedule=Schedule(min_interval_s=0.05, problem_interval_s=0.2, check_timeout_s=10.0),
    )
    finals: asyncio.Queue[Snapshot] = asyncio.Queue()
    was_checking = False

    def on_snapshot(snap: Snapshot) -> None:
        nonlocal was_checking
        if was_checking and not snap.checking:
            finals.put_nowait(snap)
        was_checking = snap.checking

    monitor.subscribe(on_snapshot)
    task = asyncio.create_task(monitor.run())
    try:
        async with asyncio.timeout(30):
            first = await finals.get()
            assert first.verdict.health is Health.READY_WS
            assert not first.http_only and not first.switch_is_ours
            assert (await finals.get()).verdict.health is Health.READY_WS

            endpoint.ws_behaviour = Behaviour.BLACKHOLE
            # a check may have started before the switch: wait for the first blocked result
            snap = await finals.get()
            while snap.report is not None and snap.report.verdict.health is Health.READY_WS:
                snap = await finals.get()
            assert snap.report is not None
            assert snap.report.verdict.health is Health.WS_BLOCKED
            ws = snap.report.primary_for(Transport.WEBSOCKET)
            assert ws is not None and ws.failure is Failure.UPGRADE_TIMEOUT
            assert snap.verdict.health is Health.READY_WS  # one result does not turn it amber

            snap = await finals.get()
            assert snap.verdict.health is Health.WS_BLOCKED  # the second one does
            assert snap.verdict.expected_wait_s is not None and snap.verdict.expected_wait_s > 0

            endpoint.ws_behaviour = Behaviour.OK
            snap = await finals.get()
            while snap.verdict.health is not Health.READY_WS:
                snap = await finals.get()
            history = snap.history
            assert {Health.READY_WS, Health.WS_BLOCKED} <= {p.health for p in history}
    finally:
        await monitor.stop()
        await task
