"""The monitor's loop, driven in virtual time with a scripted check runner.

Everything here is what a user of the tray would notice: how often checks run, when the
colour changes, that "Check now" answers at once, that nothing the check does can stop the
watching, and that quitting leaves nothing running. (The decisions alone, event by event, are
in test_monitor_state.py.)

Time is virtual: the monitor's `wait` is `FakeTime.wait`, and `advance` moves the clocks only
once the monitor is parked, that is waiting with nothing it waits on done, and every running
scripted check is blocked on its gate. So no test waits for real time or yields a guessed
number of times: each awaits the state it needs.
"""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
import itertools
import random
from collections.abc import Callable, Collection, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from codex_link.core.codex.switch.state import SwitchRecord
from codex_link.core.history import HistoryStore
from codex_link.core.hysteresis import Hysteresis
from codex_link.core.model.codex_home import CodexHome
from codex_link.core.model.codex_settings import (
    CodexSettings,
    Endpoints,
    LoginMode,
    ProviderInfo,
)
from codex_link.core.model.report import CheckReport
from codex_link.core.model.snapshot import Snapshot
from codex_link.core.model.text import Text
from codex_link.core.model.verdict import Health, Verdict
from codex_link.core.monitor import Monitor, Schedule
from codex_link.core.prefs import Prefs
from tests import factories as f

H = Health
PARK_TIMEOUT_S = 5.0  # real seconds: only a broken test waits this long


@dataclass
class Waiting:
    deadline: float
    futures: tuple[asyncio.Future[Any], ...]
    timer: asyncio.Future[None]

    def pending(self) -> bool:
        return not self.timer.done() and not any(f.done() for f in self.futures)


class FakeTime:
    """Virtual monotonic and wall clocks and the monitor's `wait`, which returns only when
    one of its futures is done or the test advances time past its deadline."""

    def __init__(self) -> None:
        self.mono = 1000.0
        self.wall_offset = 1_700_000_000.0 - 1000.0
        self.waits: list[Waiting] = []
        self.others_blocked: Callable[[], bool] = lambda: True
        self._changed: asyncio.Event | None = None

    def clock(self) -> float:
        return self.mono

    def wall(self) -> float:
        return self.mono + self.wall_offset

    def changed(self, _future: object = None) -> None:
        if self._changed is not None:
            self._changed.set()

    def watch(self, future: asyncio.Future[Any]) -> None:
        """`future` being done may end the parking: look again then."""
        future.add_done_callback(self.changed)

    async def wait(self, futures: Collection[asyncio.Future[Any]], seconds: float) -> None:
        timer: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = Waiting(self.mono + seconds, tuple(futures), timer)
        for future in (*entry.futures, timer):
            self.watch(future)
        self.waits.append(entry)
        self.changed()
        try:
            await asyncio.wait({*entry.futures, timer}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            self.waits.remove(entry)
            self.changed()

    def is_parked(self) -> bool:
        return len(self.waits) == 1 and self.waits[0].pending() and self.others_blocked()

    async def parked(self) -> None:
        """Returns once the monitor can go on only if time passes or the test acts."""
        if self._changed is None:
            self._changed = asyncio.Event()
        async with asyncio.timeout(PARK_TIMEOUT_S):
            while not self.is_parked():
                self._changed.clear()
                await self._changed.wait()

    async def advance(self, seconds: float) -> None:
        """Moves time forward, ending the monitor's waits in deadline order."""
        target = self.mono + seconds
        while True:
            await self.parked()
            entry = self.waits[0]
            if entry.deadline > target:
                break
            self.mono = max(self.mono, entry.deadline)
            entry.timer.set_result(None)
        self.mono = target


class Gate:
    """Holds scripted checks until `set()`; `clear()` holds the next ones again."""

    def __init__(self) -> None:
        self._open = False
        self._waiters: list[asyncio.Future[None]] = []

    def set(self) -> None:
        self._open = True
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    def clear(self) -> None:
        self._open = False

    def closed(self) -> asyncio.Future[None] | None:
        """A future done when the gate opens; None if it is open."""
        if self._open:
            return None
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        return waiter


@dataclass
class Call:
    at: float
    deep: bool
    include_alternatives: bool
    ws_healthy_streak: int
    settings: CodexSettings | None
    coro: Coroutine[Any, Any, CheckReport] | None = None
    blocker: asyncio.Future[Any] | None = None  # what its check waits on, while it waits

    def blocked(self) -> bool:
        assert self.coro is not None
        state = inspect.getcoroutinestate(self.coro)
        if state == inspect.CORO_CLOSED:
            return True  # ended: nothing more to come from it
        return (
            state == inspect.CORO_SUSPENDED and self.blocker is not None and not self.blocker.done()
        )


def settings_for(http_only: bool, home: Path = Path("/codex")) -> CodexSettings:
    provider = ProviderInfo(
        id="proxy" if http_only else "openai",
        name="P",
        builtin=False,
        base_url="https://localhost/v1",
        supports_websockets=not http_only,
    )
    return CodexSettings(
        home=CodexHome(home, from_env=False),
        config_exists=True,
        config_error=None,
        provider=provider,
        login_mode=LoginMode.API_KEY,
        login_source="env",
        endpoints=Endpoints("https://localhost/v1/responses", "wss://localhost/v1/responses"),
        openai_base_url=None,
        respect_system_proxy=False,
        dotenv_proxies=(),
        profiles=(),
        findings=(),
    )


@dataclass
class FakeCodex:
    """Codex's config as the monitor reads it: HTTP-only or not, switched by us or not."""

    http_only: bool = False
    ours: bool = False
    reads: int = 0

    def settings(self) -> CodexSettings:
        self.reads += 1
        return settings_for(self.http_only)

    def record(self, config_path: Path) -> SwitchRecord | None:
        if not self.ours:
            return None
        return SwitchRecord(
            config_path=str(config_path),
            active=True,
            switched_at="",
            provider_id=settings_for(self.http_only).provider.id,
            previous_provider_id="openai",
            before_sha256=None,
            after_sha256=None,
        )


@dataclass
class FakeRunner:
    """Plays a script: a Health gives that result, an exception is raised, "hang" never ends.
    The last step repeats. `provisional` health is reported before the final one."""

    time: FakeTime
    codex: FakeCodex
    script: list[Health | BaseException | str]
    provisional: dict[int, Health] = field(default_factory=dict)  # call index -> health
    gate: Gate | None = None  # when closed, calls wait for it before answering
    calls: list[Call] = field(default_factory=list)
    release: asyncio.Future[None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )

    def read_settings(self) -> CodexSettings:
        return self.codex.settings()

    def run(
        self,
        *,
        settings: CodexSettings | None = None,
        deep: bool = False,
        on_provisional: Callable[[CheckReport], None] | None = None,
        include_alternatives: bool = True,
        ws_healthy_streak: int = 0,
    ) -> Coroutine[Any, Any, CheckReport]:
        # Recorded at the call, so a check not yet started counts as running (not blocked).
        call = Call(self.time.mono, deep, include_alternatives, ws_healthy_streak, settings)
        self.calls.append(call)
        call.coro = self._play(call, len(self.calls) - 1, on_provisional)
        self.time.changed()
        return call.coro

    def all_blocked(self) -> bool:
        return all(call.blocked() for call in self.calls)

    async def _block(self, call: Call, future: asyncio.Future[Any]) -> None:
        call.blocker = future
        self.time.watch(future)
        self.time.changed()
        try:
            await future
        finally:
            call.blocker = None

    async def _play(
        self, call: Call, index: int, on_provisional: Callable[[CheckReport], None] | None
    ) -> CheckReport:
        step = self.script[min(index, len(self.script) - 1)]
        if index in self.provisional and on_provisional is not None:
            on_provisional(f.report_of(self.provisional[index], provisional=True))
        closed = self.gate.closed() if self.gate is not None else None
        if closed is not None:
            await self._block(call, closed)
        if step == "hang":
            await self._block(call, asyncio.get_running_loop().create_future())
        if step == "stubborn":  # hangs, and takes a cancel only once `release` is done
            try:
                await self._block(call, asyncio.get_running_loop().create_future())
            except asyncio.CancelledError:
                await self._block(call, self.release)
                raise
        if isinstance(step, BaseException):
            raise step
        assert isinstance(step, Health)
        return f.report_of(step, at=self.time.wall())


@dataclass
class Rig:
    time: FakeTime
    runner: FakeRunner
    switch: FakeCodex
    history: HistoryStore
    monitor: Monitor
    seen: list[Snapshot]
    task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.task = asyncio.create_task(self.monitor.run())
        await self.time.advance(0)

    async def stop(self) -> None:
        await self.monitor.stop()
        assert self.task is not None
        await asyncio.wait_for(self.task, 5)

    def shown(self) -> Health:
        return self.monitor.snapshot.verdict.health

    def final_healths(self) -> list[Health]:
        """What the tray showed after each check ended."""
        out: list[Health] = []
        for before, after in itertools.pairwise(self.seen):
            if before.checking and not after.checking:
                out.append(after.verdict.health)
        return out


@pytest.fixture
def make_rig(tmp_path: Path) -> Callable[..., Rig]:
    def make(
        script: list[Health | BaseException | str],
        *,
        prefs: Prefs | None = None,
        schedule: Schedule | None = None,
        seed: int = 7,
        **runner_kw: object,
    ) -> Rig:
        time = FakeTime()
        codex = FakeCodex()
        runner = FakeRunner(time, codex, script, **runner_kw)  # type: ignore[arg-type]
        time.others_blocked = runner.all_blocked
        history = HistoryStore(tmp_path, maxlen=100)
        monitor = Monitor(
            runner,
            read_record=codex.record,
            history=history,
            prefs=prefs or Prefs(),
            clock=time.clock,
            wall=time.wall,
            rng=random.Random(seed),
            wait=time.wait,
            schedule=schedule or Schedule(),
        )
        seen: list[Snapshot] = []
        monitor.subscribe(seen.append)
        return Rig(time, runner, codex, history, monitor, seen)

    return make


def gaps(calls: list[Call]) -> list[float]:
    return [b.at - a.at for a, b in itertools.pairwise(calls)]


async def test_checks_at_start_then_every_minute_with_jitter(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig([H.READY_WS])
    await rig.start()
    assert len(rig.runner.calls) == 1  # the first check runs at once
    assert rig.shown() is H.READY_WS  # and shows at once: nothing was shown before
    await rig.time.advance(3600)
    await rig.stop()
    intervals = gaps(rig.runner.calls)
    assert 54 <= len(intervals) <= 66
    assert all(54.0 <= g <= 66.0 for g in intervals), intervals
    assert max(intervals) - min(intervals) > 3.0  # jittered, not in lock-step


async def test_checks_come_faster_while_a_problem_is_open(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig([H.READY_WS, H.READY_WS, *[H.WS_BLOCKED] * 6, H.READY_WS])
    await rig.start()
    await rig.time.advance(1000)
    await rig.stop()
    intervals = gaps(rig.runner.calls)
    assert all(54 <= g <= 66 for g in intervals[:2])  # healthy: every minute
    assert all(13.5 <= g <= 16.5 for g in intervals[2:8])  # blocked: every 15 s
    assert all(54 <= g <= 66 for g in intervals[9:])  # back to normal once confirmed healthy


async def test_colour_changes_after_two_agreeing_results(make_rig: Callable[..., Rig]) -> None:
    script = [
        H.READY_WS,
        H.WS_BLOCKED,
        H.READY_WS,
        H.WS_BLOCKED,
        H.WS_BLOCKED,
        H.READY_WS,
        H.READY_WS,
    ]
    rig = make_rig(script)
    await rig.start()
    while len(rig.runner.calls) < len(script):
        await rig.time.advance(10)
    await rig.stop()
    assert rig.final_healths()[:7] == [
        H.READY_WS,
        H.READY_WS,
        H.READY_WS,
        H.READY_WS,
        H.WS_BLOCKED,
        H.WS_BLOCKED,
        H.READY_WS,
    ]


async def test_required_agreement_is_configurable(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig([H.READY_WS, H.DOWN], prefs=Prefs(confirm_checks=3))
    await rig.start()
    while len(rig.runner.calls) < 4:
        await rig.time.advance(10)
    await rig.stop()
    assert rig.final_healths()[:4] == [H.READY_WS, H.READY_WS, H.READY_WS, H.DOWN]


def test_hysteresis_rules() -> None:
    def v(h: Health) -> Verdict:
        return Verdict(h, Text(str(h)))

    hy = Hysteresis(v(H.CHECKING), required=2).feed(v(H.WS_BLOCKED))
    assert hy.shown.health is H.WS_BLOCKED  # from checking: at once
    hy = hy.feed(v(H.READY_WS))
    assert hy.shown.health is H.WS_BLOCKED
    assert hy.pending == (H.READY_WS, 1)
    assert hy.would_switch(H.READY_WS) and not hy.would_switch(H.DOWN)
    hy = hy.feed(v(H.DOWN))
    assert hy.shown.health is H.WS_BLOCKED  # disagreeing results start over
    hy = hy.feed(v(H.READY_WS))
    assert hy.shown.health is H.WS_BLOCKED
    hy = hy.feed(v(H.READY_WS))
    assert hy.shown.health is H.READY_WS
    hy = hy.feed(v(H.DOWN), at_once=True)
    assert hy.shown.health is H.DOWN  # after a config change
    fresher = Verdict(H.DOWN, Text("new words"))
    assert hy.feed(fresher).shown is fresher  # same state: the newest words are shown
    assert Hysteresis(v(H.CHECKING), required=0).required == 1
    pending = hy.feed(v(H.READY_WS))
    assert pending.with_required(1).feed(v(H.READY_WS)).shown.health is H.READY_WS


async def test_check_now_runs_at_once_and_is_coalesced(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig([H.READY_WS])
    await rig.start()
    await rig.time.advance(20)
    assert len(rig.runner.calls) == 1
    rig.monitor.check_now()
    await rig.time.advance(0)
    assert len(rig.runner.calls) == 2
    assert rig.runner.calls[1].at == rig.runner.calls[0].at + 20
    assert rig.runner.calls[1].include_alternatives  # a user asking gets the full picture

    rig.runner.gate = Gate()  # the next check is slow
    rig.monitor.check_now()
    await rig.time.advance(0)
    assert len(rig.runner.calls) == 3 and rig.monitor.snapshot.checking
    for _ in range(5):
        rig.monitor.check_now()  # the user keeps clicking: the running check answers
    rig.runner.gate.set()
    await rig.time.advance(30)
    assert len(rig.runner.calls) == 3
    await rig.stop()


async def test_network_change_and_wake_check_at_once(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig([H.READY_WS])
    await rig.start()
    await rig.time.advance(10)
    rig.monitor.network_changed()
    await rig.time.advance(0)
    assert len(rig.runner.calls) == 2
    assert rig.runner.calls[1].include_alternatives
    rig.monitor.woke_up()
    await rig.time.advance(0)
    assert len(rig.runner.calls) == 3
    await rig.stop()


async def test_wake_from_sleep_is_noticed_by_the_clocks(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig([H.READY_WS])
    await rig.start()
    await rig.time.advance(12)
    rig.time.wall_offset += 3 * 3600  # suspended 3 h: wall clock moved, monotonic did not
    await rig.time.advance(5)
    await rig.stop()
    assert len(rig.runner.calls) == 2
    assert rig.runner.calls[1].at - rig.runner.calls[0].at <= 12 + 5


async def test_config_change_shows_switch_at_once(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig([H.WS_BLOCKED, H.READY_HTTP_ONLY, H.WS_BLOCKED])
    await rig.start()
    assert rig.shown() is H.WS_BLOCKED
    rig.runner.gate = Gate()
    rig.switch.http_only, rig.switch.ours = True, True
    rig.monitor.config_changed()
    snap = rig.monitor.snapshot
    # before any check: the switch shows, and the old advice ("use HTTP only") is gone
    assert snap.http_only and snap.switch_is_ours
    assert snap.verdict.health is H.CHECKING
    rig.runner.gate.set()
    await rig.time.advance(0)
    assert rig.shown() is H.READY_HTTP_ONLY  # the first result after the change: at once

    rig.switch.http_only = False  # turned off again, this time by editing the file
    await rig.time.advance(70)
    assert rig.shown() is H.WS_BLOCKED  # noticed at the timed check, shown at once
    await rig.stop()


async def test_result_of_a_check_overtaken_by_a_config_change_is_not_shown(
    make_rig: Callable[..., Rig],
) -> None:
    rig = make_rig([H.READY_WS, H.WS_BLOCKED, H.READY_HTTP_ONLY])
    await rig.start()
    rig.runner.gate = Gate()
    rig.monitor.check_now()
    await rig.time.advance(0)  # check 2 is running (old config)
    rig.switch.http_only = True
    rig.monitor.config_changed()
    rig.runner.gate.set()
    await rig.time.advance(0)
    assert len(rig.runner.calls) == 3  # a fresh check followed at once
    assert [s.verdict.health for s in rig.seen if not s.checking][-1] is H.READY_HTTP_ONLY
    assert H.WS_BLOCKED not in [s.verdict.health for s in rig.seen]
    # The switch flipped: the overtaken check was dropped at once (no 15 s wait for its
    # WebSocket), so only the checks before and after the flip are in the history.
    assert len(rig.history) == 2
    await rig.stop()


async def test_an_edit_that_keeps_the_switch_lets_the_running_check_finish(
    make_rig: Callable[..., Rig],
) -> None:
    rig = make_rig([H.READY_WS, H.WS_BLOCKED, H.READY_WS])
    await rig.start()
    rig.runner.gate = Gate()
    rig.monitor.check_now()
    await rig.time.advance(0)  # check 2 is running
    rig.monitor.config_changed()  # e.g. a model change: HTTP-only stays off
    rig.runner.gate.set()
    await rig.time.advance(0)
    assert len(rig.runner.calls) == 3
    assert len(rig.history) == 3  # the overtaken check's network facts are still kept
    assert H.WS_BLOCKED not in [s.verdict.health for s in rig.seen]
    await rig.stop()


async def test_last_complete_check_stays_in_the_snapshot_during_the_next(
    make_rig: Callable[..., Rig],
) -> None:
    rig = make_rig([H.READY_WS, H.READY_WS], provisional={1: H.WS_BLOCKED})
    await rig.start()
    first = rig.monitor.snapshot.report
    rig.runner.gate = Gate()
    rig.monitor.check_now()
    await rig.time.advance(0)
    during = rig.monitor.snapshot
    assert during.checking and during.last_complete is first
    rig.runner.gate.set()
    await rig.time.advance(0)
    assert rig.monitor.snapshot.last_complete is rig.monitor.snapshot.report
    await rig.stop()


async def test_a_failing_runner_becomes_a_result(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig([H.READY_WS, RuntimeError("boom"), ValueError("bad"), H.READY_WS])
    await rig.start()
    while len(rig.runner.calls) < 4:
        await rig.time.advance(5)
    await rig.stop()
    shown = rig.final_healths()
    assert shown[:4] == [H.READY_WS, H.READY_WS, H.CHECKING, H.READY_WS]
    failed = [s for s in rig.seen if s.report is not None and not s.report.primary]
    assert failed and "could not finish" in str(failed[0].report.verdict.headline)  # type: ignore[union-attr]
    assert "RuntimeError" in str(failed[0].report.verdict.headline)  # type: ignore[union-attr]
    # failed checks retry soon (15 s), not a minute later
    assert all(g <= 16.5 for g in gaps(rig.runner.calls)[1:3])


async def test_a_hanging_runner_is_bounded(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig([H.READY_WS, "hang", H.READY_WS], schedule=Schedule(check_timeout_s=60))
    await rig.start()
    await rig.time.advance(66)
    assert len(rig.runner.calls) == 2 and rig.monitor.snapshot.checking
    started = rig.runner.calls[1].at
    await rig.time.advance(started + 59.9 - rig.time.mono)
    assert rig.monitor.snapshot.checking  # not given up before its time
    await rig.time.advance(0.1)
    snap = rig.monitor.snapshot
    assert not snap.checking  # the 60 s bound ended the hung check
    assert snap.report is not None and not snap.report.primary
    assert "60 s" in str(snap.report.verdict.headline)
    assert snap.report.finished_at - snap.report.started_at == pytest.approx(60)
    await rig.time.advance(20)
    assert len(rig.runner.calls) == 3  # and the loop goes on
    await rig.stop()


async def test_a_check_that_ignores_cancellation_is_dropped_and_awaited_at_stop(
    make_rig: Callable[..., Rig],
) -> None:
    rig = make_rig([H.READY_WS, "stubborn", H.READY_WS], schedule=Schedule(check_timeout_s=60))
    await rig.start()
    await rig.time.advance(66)
    started = rig.runner.calls[1].at
    await rig.time.advance(started + 60 - rig.time.mono)  # it hangs and shrugs off its cancel
    assert rig.monitor.snapshot.checking  # the grace period for cleaning up runs
    await rig.time.advance(2)
    assert not rig.monitor.snapshot.checking  # given up on: the loop goes on without it
    await rig.time.advance(20)
    assert len(rig.runner.calls) == 3
    stopping = asyncio.create_task(rig.stop())
    await rig.time.advance(2)  # stop() gives the straggler its grace period once more
    rig.runner.release.set_result(None)
    await stopping
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_stop_during_a_hung_check_leaves_nothing_running(
    make_rig: Callable[..., Rig],
) -> None:
    rig = make_rig(["hang"], schedule=Schedule(check_timeout_s=60))
    await rig.start()
    assert rig.monitor.snapshot.checking
    async with asyncio.timeout(5):
        await rig.stop()
    assert asyncio.all_tasks() == {asyncio.current_task()}
    assert not rig.monitor.snapshot.checking


async def test_stop_while_sleeping_leaves_nothing_running(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig([H.READY_WS])
    await rig.start()
    await rig.time.advance(30)
    async with asyncio.timeout(5):
        await rig.stop()
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_listeners_get_snapshots_and_one_failing_does_not_hurt(
    make_rig: Callable[..., Rig],
) -> None:
    rig = make_rig([H.READY_WS])

    def broken(_: Snapshot) -> None:
        raise RuntimeError("listener bug")

    rig.monitor.subscribe(broken)
    later: list[Snapshot] = []
    unsubscribe = rig.monitor.subscribe(later.append)
    await rig.start()
    await rig.time.advance(65)
    assert [s.checking for s in later] == [True, False, True, False]
    assert later[-1].verdict.health is H.READY_WS
    with pytest.raises(dataclasses.FrozenInstanceError):
        later[-1].checking = True  # type: ignore[misc]
    unsubscribe()
    unsubscribe()  # twice is harmless
    await rig.time.advance(65)
    assert len(later) == 4
    assert len(rig.runner.calls) == 3  # the broken listener never stopped the loop
    await rig.stop()


async def test_history_gets_one_point_per_check(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig([H.READY_WS, H.WS_BLOCKED])
    await rig.start()
    await rig.time.advance(70)
    await rig.stop()
    history = rig.monitor.snapshot.history
    assert [p.health for p in history] == [H.READY_WS, H.WS_BLOCKED]
    assert history[1].http_ok and not history[1].ws_ok
    reloaded = HistoryStore(rig.history.path.parent)  # type: ignore[union-attr]
    reloaded.load()
    assert reloaded.points() == history


async def test_alternatives_every_fifth_timed_check_and_while_a_problem_is_open(
    make_rig: Callable[..., Rig],
) -> None:
    rig = make_rig(
        [*[H.READY_WS] * 7, H.WS_BLOCKED, H.WS_BLOCKED, H.READY_WS, H.READY_WS, H.READY_WS]
    )
    await rig.start()
    while len(rig.runner.calls) < 12:
        await rig.time.advance(10)
    await rig.stop()
    alts = [c.include_alternatives for c in rig.runner.calls[:12]]
    # start: yes; timed 1-4: no; 5th: yes; 6th, 7th: no. The 7th found a problem, so the 8th
    # and 9th probe them too; the 9th is healthy again: back to every 5th (the 10th), 11th no
    assert alts == [True, False, False, False, False, True, False, False, True, True, True, False]


async def test_ws_streak_is_passed_to_the_check(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig(
        [H.READY_HTTP_ONLY, H.READY_HTTP_ONLY, H.READY_HTTP_ONLY, H.DOWN, H.READY_HTTP_ONLY]
    )
    await rig.start()
    while len(rig.runner.calls) < 6:
        await rig.time.advance(10)
    await rig.stop()
    assert [c.ws_healthy_streak for c in rig.runner.calls[:6]] == [0, 1, 2, 3, 0, 1]


async def test_prefs_reach_the_check(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig([H.READY_WS], prefs=Prefs(deep_check=True, check_interval_s=120))
    await rig.start()
    await rig.time.advance(150)
    assert [c.deep for c in rig.runner.calls] == [True, True]
    assert 108 <= gaps(rig.runner.calls)[0] <= 132
    rig.monitor.set_prefs(Prefs(deep_check=False, check_interval_s=30))
    await rig.time.advance(40)
    assert rig.runner.calls[-1].deep is False
    rig.monitor.set_interval(600)
    await rig.time.advance(300)
    last = len(rig.runner.calls)
    await rig.time.advance(400)
    assert len(rig.runner.calls) == last + 1
    await rig.stop()


async def test_provisional_amber_shows_while_nothing_is_shown_yet(
    make_rig: Callable[..., Rig],
) -> None:
    rig = make_rig([H.WS_BLOCKED], provisional={0: H.WS_BLOCKED})
    rig.runner.gate = Gate()
    await rig.start()
    snap = rig.monitor.snapshot
    assert snap.checking and snap.verdict.health is H.WS_BLOCKED and snap.verdict.provisional
    assert snap.report is not None and snap.report.verdict.provisional
    rig.runner.gate.set()
    await rig.time.advance(0)
    snap = rig.monitor.snapshot
    assert snap.verdict.health is H.WS_BLOCKED and not snap.verdict.provisional
    await rig.stop()


async def test_provisional_amber_from_green_needs_an_earlier_agreeing_result(
    make_rig: Callable[..., Rig],
) -> None:
    rig = make_rig(
        [H.READY_WS, H.WS_BLOCKED, H.WS_BLOCKED], provisional={1: H.WS_BLOCKED, 2: H.WS_BLOCKED}
    )
    await rig.start()
    assert rig.shown() is H.READY_WS
    rig.runner.gate = Gate()
    await rig.time.advance(66)
    # first sign of trouble: the report is there, but one result does not turn the tray amber
    snap = rig.monitor.snapshot
    assert snap.checking and snap.report is not None and snap.report.verdict.provisional
    assert snap.verdict.health is H.READY_WS
    rig.runner.gate.set()
    await rig.time.advance(0)
    assert rig.shown() is H.READY_WS
    rig.runner.gate.clear()
    await rig.time.advance(16)
    snap = rig.monitor.snapshot
    assert snap.checking and snap.verdict.health is H.WS_BLOCKED and snap.verdict.provisional
    rig.runner.gate.set()
    await rig.time.advance(0)
    assert rig.shown() is H.WS_BLOCKED and not rig.monitor.snapshot.verdict.provisional
    await rig.stop()


def test_the_tray_probe_cap_keeps_every_check_inside_its_bound() -> None:
    """A provider may set a WebSocket timeout above the monitor's bound (e.g. 90 s): the tray's
    probes are capped so its checks still end with a verdict, not "could not finish"."""
    from codex_link.core.check import ALTERNATIVE_TIMEOUT_S, PAC_TIMEOUT_S

    schedule = Schedule()
    # Probes run side by side after the routes (PAC) are known.
    worst_check_s = PAC_TIMEOUT_S + max(schedule.probe_timeout_cap_s, ALTERNATIVE_TIMEOUT_S)
    assert worst_check_s < schedule.check_timeout_s


async def test_one_reading_of_codex_settings_per_check(make_rig: Callable[..., Rig]) -> None:
    """The check runs with the settings the tray's switch was read from: they cannot disagree."""
    rig = make_rig([H.READY_WS, H.READY_HTTP_ONLY])
    await rig.start()
    assert rig.switch.reads == 1
    first = rig.runner.calls[0].settings
    assert first is not None and first.websockets_enabled
    assert not rig.monitor.snapshot.http_only
    rig.switch.http_only = True  # edited behind our back, before the next timed check
    await rig.time.advance(66)
    assert len(rig.runner.calls) == 2 and rig.switch.reads == 2
    second = rig.runner.calls[1].settings
    assert second is not None and not second.websockets_enabled
    assert rig.monitor.snapshot.http_only and rig.shown() is H.READY_HTTP_ONLY
    rig.monitor.config_changed()  # between checks the monitor reads them once itself
    assert rig.switch.reads == 3
    await rig.stop()
