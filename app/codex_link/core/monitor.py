"""The always-on watcher: runs checks on a schedule and hands what the tray shows, as
immutable `Snapshot`s, to its listeners.

It consists of three parts:
- the decisions, a pure state machine (codex_link.core.monitor_state): what to show, when a
  result is stale, whether a request waits for the running check, what the next check probes;
- this thin async loop: it owns the check task and its time limit, the sleep between checks,
  wake detection and the history file, and turns what happens into events for the machine;
- a small list of listeners, each handed every new snapshot.

Why the loop is built this way:
- One loop, one check at a time. Nothing a check does can stop the loop: an exception or a
  hang (bounded by a timeout) becomes a "could not check" result, and the next check comes
  as scheduled. A check that ignores its cancellation is awaited at `stop()`.
- One reading of Codex's settings per check: the loop reads them, derives the HTTP-only
  switch from them (codex_link.core.codex.switch.status) and passes the same reading to the
  check, so the tray's switch and the verdict cannot disagree. `config_changed` reads them
  once more, to show the switch before the next check.
- All time comes in through `clock` (monotonic), `wall` and `wait` (returns when one of some
  futures is done or a number of seconds has passed), so tests drive the loop in virtual time
  without real waiting. Sleeps are taken in short slices and the wall clock is compared with
  the monotonic one after each: if the wall clock ran far ahead, the machine was asleep (the
  monotonic clock stops during suspend on Linux and macOS) and the network must be checked
  again at once. Where the monotonic clock runs on through suspend (Windows), the check that
  was due during the sleep runs at the end of the current slice, a few seconds after waking.
  The UI may also call `woke_up()` / `network_changed()` when the OS tells it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable, Collection
from pathlib import Path
from typing import Any

from codex_link.core.check import CheckRunner
from codex_link.core.codex.switch.state import SwitchRecord
from codex_link.core.codex.switch.status import SwitchStatus, switch_status
from codex_link.core.history import HistoryStore, point_from_report
from codex_link.core.model.codex_settings import CodexSettings
from codex_link.core.model.report import CheckReport
from codex_link.core.model.snapshot import Snapshot
from codex_link.core.monitor_state import (
    CheckEnded,
    CheckProvisional,
    CheckStarted,
    ConfigChanged,
    Event,
    IntervalChanged,
    MonitorState,
    PrefsChanged,
    Reason,
    Requested,
    RunningCheck,
    Schedule,
    could_not_check,
    step,
)
from codex_link.core.prefs import Prefs

__all__ = ["Listener", "Monitor", "Reason", "RecordReader", "Schedule", "Wait", "wait_first"]

log = logging.getLogger(__name__)

type Listener = Callable[[Snapshot], None]
type RecordReader = Callable[[Path], SwitchRecord | None]  # SwitchStateStore.load
type Wait = Callable[[Collection[asyncio.Future[Any]], float], Awaitable[object]]


async def wait_first(futures: Collection[asyncio.Future[Any]], seconds: float) -> None:
    """Returns when one of `futures` is done or `seconds` have passed (the loop's clock)."""
    await asyncio.wait(futures, timeout=max(0.0, seconds), return_when=asyncio.FIRST_COMPLETED)


class Listeners:
    """Who gets each new snapshot; a listener that raises is logged and keeps its place."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def add(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)

        def remove() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return remove

    def tell(self, snapshot: Snapshot) -> None:
        for listener in list(self._listeners):
            try:
                listener(snapshot)
            except Exception:
                log.exception("monitor: a listener failed")


class Monitor:
    def __init__(
        self,
        runner: CheckRunner,
        *,
        read_record: RecordReader,
        history: HistoryStore,
        prefs: Prefs,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        wait: Wait = wait_first,
        rng: random.Random | None = None,
        schedule: Schedule | None = None,
    ) -> None:
        """`runner` reads Codex's settings and checks; `read_record` reads the HTTP-only
        switch's record of a config file (`SwitchStateStore.load`)."""
        self._runner = runner
        self._read_record = read_record
        self._history = history
        self._schedule = schedule or Schedule()
        self._clock = clock
        self._wall = wall
        self._wait = wait
        self._rng = rng or random.Random()

        self._state = MonitorState.initial(prefs, self._schedule, at=wall())
        self._listeners = Listeners()
        self._snapshot = self._state.snapshot(history.points())
        # What the sleep between checks waits on: done when a check is wanted (or the loop
        # must stop). Only the sleep creates it: anything that happens before is seen by the
        # checks that precede the sleep.
        self._waker: asyncio.Future[None] | None = None
        self._reschedule = False
        self._last_end = clock()
        self._running = False
        self._stopping = False
        self._finished: asyncio.Future[None] | None = None
        self._check_task: asyncio.Future[CheckReport] | None = None
        self._stragglers: set[asyncio.Future[CheckReport]] = set()

    # --- what the UI reads and calls -------------------------------------------------------

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    @property
    def ws_healthy_streak(self) -> int:
        """Complete checks in a row (the latest included) in which the WebSocket worked."""
        return self._state.ws_streak

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Calls `listener` with every new snapshot; returns the function that unsubscribes."""
        return self._listeners.add(listener)

    def check_now(self) -> None:
        """Checks at once; while a check runs, that check is the answer."""
        self._feed(Requested(self._wall(), Reason.USER))

    def config_changed(self) -> None:
        """Codex's config changed: show the switch state now, and check again at once."""
        _settings, switch = self._read_switch()
        self._feed(ConfigChanged(self._wall(), switch))

    def network_changed(self) -> None:
        self._feed(Requested(self._wall(), Reason.NETWORK))

    def woke_up(self) -> None:
        self._feed(Requested(self._wall(), Reason.WAKE))

    def set_interval(self, seconds: float) -> None:
        self._feed(IntervalChanged(self._wall(), seconds))

    def set_prefs(self, prefs: Prefs) -> None:
        """New settings: interval and deep check apply from the next check."""
        self._feed(PrefsChanged(self._wall(), prefs))

    # --- the loop --------------------------------------------------------------------------

    async def run(self) -> None:
        """Checks until `stop()`. Call once; the owner keeps a reference to its task."""
        if self._running:
            raise RuntimeError("the monitor is already running")
        self._running = True
        self._stopping = False
        self._finished = asyncio.get_running_loop().create_future()
        try:
            reason = self._state.pending or Reason.START
            while not self._stopping:
                await self._check(reason)
                if self._stopping:
                    break
                reason = await self._wait_for_next()
        finally:
            self._running = False
            if self._state.check is not None:  # cancelled from outside: no snapshot follows
                self._state, _ = step(
                    self._state, CheckEnded(self._wall(), self._state.check.serial, None)
                )
            if not self._finished.done():
                self._finished.set_result(None)

    async def stop(self) -> None:
        """Ends the loop and waits for it; cancels a running check. Leaves no task behind."""
        self._stopping = True
        self._wake()
        if self._check_task is not None:
            self._check_task.cancel()
        if self._running and self._finished is not None:
            await asyncio.shield(self._finished)
        for task in list(self._stragglers):
            task.cancel()
        if self._stragglers:
            ended = asyncio.gather(*self._stragglers, return_exceptions=True)
            await self._wait({ended}, self._schedule.cancel_grace_s)

    # --- inside the loop -------------------------------------------------------------------

    def _feed(self, event: Event) -> None:
        """One step of the state machine, and what it asks for."""
        self._state, effects = step(self._state, event)
        if effects.record is not None:
            self._history.append(point_from_report(effects.record))
        if effects.cancel_check and self._check_task is not None:
            self._check_task.cancel()
        if effects.reschedule:
            self._reschedule = True
        if effects.wake:
            self._wake()
        if effects.publish:
            self._snapshot = self._state.snapshot(self._history.points())
            self._listeners.tell(self._snapshot)

    def _wake(self) -> None:
        if self._waker is not None and not self._waker.done():
            self._waker.set_result(None)

    def _read_switch(self) -> tuple[CodexSettings | None, SwitchStatus | None]:
        """Codex's settings, read once, and the HTTP-only switch in them (None: unreadable;
        the check then reads them itself, and fails as a check)."""
        try:
            settings = self._runner.read_settings()
            return settings, switch_status(settings, self._read_record(settings.home.config_path))
        except Exception:
            log.exception("monitor: cannot read Codex's settings and the HTTP-only switch")
            return None, None

    def _next_delay(self) -> float:
        jitter = self._schedule.jitter
        return self._state.base_delay() * self._rng.uniform(1.0 - jitter, 1.0 + jitter)

    async def _wait_for_next(self) -> Reason:
        """Sleeps until the next timed check, a request, or a detected wake; returns why."""
        deadline = self._last_end + self._next_delay()
        loop = asyncio.get_running_loop()
        while not self._stopping:
            if self._state.pending is not None:
                return self._state.pending
            if self._reschedule:
                self._reschedule = False
                deadline = self._last_end + self._next_delay()
            remaining = deadline - self._clock()
            if remaining <= 0:
                return Reason.TIMER
            self._waker = loop.create_future()
            mono_before, wall_before = self._clock(), self._wall()
            try:
                await self._wait({self._waker}, min(remaining, self._schedule.sleep_slice_s))
            finally:
                self._waker = None
            slept_mono = self._clock() - mono_before
            slept_wall = self._wall() - wall_before
            if slept_wall - slept_mono > self._schedule.wake_jump_s:
                log.info(
                    "monitor: woke from sleep (wall clock %.0f s ahead)", slept_wall - slept_mono
                )
                return Reason.WAKE
        return Reason.TIMER

    async def _check(self, reason: Reason) -> None:
        settings, switch = self._read_switch()
        self._feed(CheckStarted(self._wall(), reason, switch))
        check = self._state.check
        assert check is not None
        try:
            report = await self._run_bounded(check, settings)
        finally:
            self._last_end = self._clock()
        self._feed(CheckEnded(self._wall(), check.serial, report))

    async def _run_bounded(
        self, check: RunningCheck, settings: CodexSettings | None
    ) -> CheckReport | None:
        started = self._wall()

        def on_provisional(report: CheckReport) -> None:
            if self._stopping:
                return
            try:
                self._feed(CheckProvisional(self._wall(), check.serial, report))
            except Exception:  # a bug here must not break the check that reported it
                log.exception("monitor: a provisional report could not be shown")

        try:
            task: asyncio.Future[CheckReport] = asyncio.ensure_future(
                self._runner.run(
                    settings=settings,
                    deep=check.deep,
                    on_provisional=on_provisional,
                    include_alternatives=check.include_alternatives,
                    ws_healthy_streak=check.ws_healthy_streak,
                )
            )
        except Exception as exc:
            log.exception("monitor: the check could not start")
            return could_not_check(started, self._wall(), type(exc).__name__, self._schedule)
        self._check_task = task
        try:
            await self._wait({task}, self._schedule.check_timeout_s)
        finally:
            self._check_task = None
            if not task.done():
                await self._cancel(task)
        if task.cancelled() or not task.done():  # not done: it ignored its cancellation
            if self._stopping or self._state.check_is_stale:
                return None  # stopped, or dropped because the HTTP-only switch flipped
            return could_not_check(started, self._wall(), None, self._schedule)
        error = task.exception()
        if error is not None:
            log.error("monitor: the check failed", exc_info=error)
            return could_not_check(started, self._wall(), type(error).__name__, self._schedule)
        return task.result()

    async def _cancel(self, task: asyncio.Future[CheckReport]) -> None:
        """Cancels a check that ran out of time; one that ignores it is kept and awaited later."""
        task.cancel()
        await self._wait({task}, self._schedule.cancel_grace_s)
        if not task.done():
            log.error("monitor: a check ignored its cancellation; it will be dropped later")
            self._stragglers.add(task)
            task.add_done_callback(self._forget_straggler)

    def _forget_straggler(self, task: asyncio.Future[CheckReport]) -> None:
        self._stragglers.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: asyncio would otherwise log it as never retrieved
