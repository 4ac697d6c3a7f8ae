"""The always-on watcher: runs checks on a schedule and turns their verdicts into what the tray
shows, as immutable `Snapshot`s handed to listeners.

Why it is built this way:
- One loop, one check at a time. Requests that arrive while a check runs are coalesced: a
  user's "Check now" is answered by the running check; a config, network or wake event (which
  may make the running check's answer stale) earns one more check right after it.
- Nothing a check does can stop the loop: an exception or a hang (bounded by a timeout)
  becomes a "could not check" result, and the next check comes as scheduled.
- Hysteresis (codex_link.core.hysteresis) keeps one odd result from flipping the tray; a problem
  makes checks come faster, so it is confirmed (or cleared) within seconds, not minutes.
- All time comes in through `clock` (monotonic), `wall` and `sleep`, so tests drive the loop
  in virtual time. Sleeps are taken in short slices and the wall clock is compared with the
  monotonic one after each: if the wall clock ran far ahead, the machine was asleep (the
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
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from codex_link.core.history import HistoryStore, point_from_report
from codex_link.core.hysteresis import Hysteresis
from codex_link.core.model.probe import Transport
from codex_link.core.model.report import CheckReport
from codex_link.core.model.snapshot import Snapshot
from codex_link.core.model.text import QT_TRANSLATE_NOOP, Text, text
from codex_link.core.model.verdict import Health, Verdict
from codex_link.core.prefs import MAX_INTERVAL_S, MIN_INTERVAL_S, Prefs
from codex_link.core.verdict import ws_works

log = logging.getLogger(__name__)

type Listener = Callable[[Snapshot], None]
type Sleep = Callable[[float], Awaitable[object]]

# The states in which something is wrong: checks come faster until it is confirmed or cleared.
_HEALTHY = frozenset({Health.READY_WS, Health.READY_HTTP_ONLY})
# States from which a provisional amber may be shown (DESIGN: "Verdicts", brief: monitor).
_PROVISIONAL_FROM = frozenset({Health.CHECKING, Health.READY_WS})

# Why a check runs. Everything but the timer also probes the alternative routes.
REASON_START = "start"
REASON_TIMER = "timer"
REASON_USER = "user"
REASON_CONFIG = "config"
REASON_NETWORK = "network"
REASON_WAKE = "wake"


class CheckRunner(Protocol):
    """What the monitor needs from a check (codex_link.core.check.Checker fits)."""

    async def run(
        self,
        *,
        deep: bool = False,
        on_provisional: Callable[[CheckReport], None] | None = None,
        include_alternatives: bool = True,
        ws_healthy_streak: int = 0,
    ) -> CheckReport: ...


class SwitchStatusLike(Protocol):
    """What the monitor reads of the HTTP-only switch (core.codex.toggle.SwitchStatus)."""

    @property
    def http_only(self) -> bool: ...

    @property
    def ours(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class Schedule:
    """Timing of the loop. The regular interval itself comes from `Prefs`."""

    problem_interval_s: float = 15.0  # while something is wrong (or about to be confirmed)
    jitter: float = 0.10  # +-10 %, so many machines behind one proxy do not check in step
    alternatives_every: int = 5  # healthy: other routes are probed at every 5th timed check
    check_timeout_s: float = 60.0  # Codex's 15 s connect timeout, alternatives, deep check
    # Every probe is capped below check_timeout_s, so a provider with a longer WebSocket
    # connect timeout is still judged (no answer for this long means blocked all the same).
    probe_timeout_cap_s: float = 40.0
    cancel_grace_s: float = 2.0  # how long a timed-out check gets to clean up after cancel
    sleep_slice_s: float = 5.0  # a wake from sleep is noticed within this
    wake_jump_s: float = 30.0  # wall clock ahead of monotonic by more: the machine slept
    min_interval_s: float = MIN_INTERVAL_S  # lower only in benchmarks


def _checking_verdict() -> Verdict:
    checking = text(QT_TRANSLATE_NOOP("CodexLink", "Checking…"))
    return Verdict(Health.CHECKING, checking, title=checking)


def _could_not_check(problem: Text) -> Verdict:
    headline = text(QT_TRANSLATE_NOOP(
        "CodexLink", "Codex Link could not finish its check ({problem}); it will try again."),
        problem=problem)
    return Verdict(Health.CHECKING, headline,
                   title=text(QT_TRANSLATE_NOOP("CodexLink", "Could not check")), why=headline)


class Monitor:
    def __init__(
        self,
        runner: CheckRunner,
        *,
        switch_status: Callable[[], SwitchStatusLike],
        history: HistoryStore,
        prefs: Prefs,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        sleep: Sleep = asyncio.sleep,
        schedule: Schedule | None = None,
    ) -> None:
        self._runner = runner
        self._switch_status = switch_status
        self._history = history
        self._prefs = prefs
        self._schedule = schedule or Schedule()
        self._interval = self._clamp_interval(prefs.check_interval_s)
        self._clock = clock
        self._wall = wall
        self._rng = rng or random.Random()
        self._sleep = sleep

        self._hysteresis = Hysteresis(_checking_verdict(), required=prefs.confirm_checks)
        self._provisional: Verdict | None = None  # shown over the hysteresis during a check
        self._report: CheckReport | None = None
        self._last_complete: CheckReport | None = None  # with probe results, for re-checks
        self._http_only = False
        self._ours = False
        self._checking = False
        self._at_once = False  # the next result is shown without waiting for agreement
        self._config_generation = 0  # results of checks started before a change are stale
        self._ws_streak = 0
        self._timed_checks = 0
        self._last_health: Health | None = None

        self._listeners: list[Listener] = []
        self._trigger = asyncio.Event()
        self._pending: str | None = None  # reason of a requested check
        self._reschedule = False
        self._last_end = clock()
        self._running = False
        self._stopping = False
        self._finished = asyncio.Event()
        self._check_task: asyncio.Future[CheckReport] | None = None
        self._stragglers: set[asyncio.Future[CheckReport]] = set()
        self._snapshot = self._build_snapshot()

    # --- what the UI reads and calls -------------------------------------------------------

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    @property
    def ws_healthy_streak(self) -> int:
        """Complete checks in a row (the latest included) in which the WebSocket worked."""
        return self._ws_streak

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Calls `listener` with every new snapshot; returns the function that unsubscribes."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unsubscribe

    def check_now(self, reason: str = REASON_USER) -> None:
        """Checks at once; while a check runs, that check is the answer."""
        self._request(reason, rerun_if_busy=False)

    def config_changed(self) -> None:
        """Codex's config changed: show the switch state now, and check again at once."""
        self._config_generation += 1
        self._at_once = True
        if self._refresh_switch() and self._check_task is not None:
            # The running check answers for the old setting: drop it, so the tray has the
            # new state's answer in seconds instead of after a 15 s WebSocket timeout.
            self._check_task.cancel()
        self._publish()
        self._request(REASON_CONFIG, rerun_if_busy=True)

    def network_changed(self) -> None:
        self._request(REASON_NETWORK, rerun_if_busy=True)

    def woke_up(self) -> None:
        self._request(REASON_WAKE, rerun_if_busy=True)

    def set_interval(self, seconds: float) -> None:
        self._interval = self._clamp_interval(seconds)
        self._reschedule = True
        self._trigger.set()

    def set_prefs(self, prefs: Prefs) -> None:
        """New settings: interval and deep check apply from the next check."""
        self._prefs = prefs
        self._hysteresis.required = max(1, prefs.confirm_checks)
        self.set_interval(prefs.check_interval_s)

    # --- the loop --------------------------------------------------------------------------

    async def run(self) -> None:
        """Checks until `stop()`. Call once; the owner keeps a reference to its task."""
        if self._running:
            raise RuntimeError("the monitor is already running")
        self._running = True
        self._stopping = False
        self._finished.clear()
        try:
            self._refresh_switch()
            reason = self._take_pending() or REASON_START
            while not self._stopping:
                await self._check(reason)
                if self._stopping:
                    break
                reason = await self._wait_for_next()
        finally:
            self._running = False
            self._checking = False
            self._finished.set()

    async def stop(self) -> None:
        """Ends the loop and waits for it; cancels a running check. Leaves no task behind."""
        self._stopping = True
        self._trigger.set()
        if self._check_task is not None:
            self._check_task.cancel()
        if self._running:
            await self._finished.wait()
        for task in list(self._stragglers):
            task.cancel()
        if self._stragglers:
            await asyncio.wait(set(self._stragglers), timeout=self._schedule.cancel_grace_s)

    # --- inside the loop -------------------------------------------------------------------

    def _request(self, reason: str, *, rerun_if_busy: bool) -> None:
        if self._checking and not rerun_if_busy:
            return  # coalesced: the running check answers this request
        if self._pending is None or self._pending == REASON_USER:
            self._pending = reason
        self._trigger.set()

    def _take_pending(self) -> str | None:
        reason, self._pending = self._pending, None
        return reason

    def _next_delay(self) -> float:
        base = self._interval
        problem = self._hysteresis.shown.health in {Health.WS_BLOCKED, Health.DOWN,
                                                     Health.OFFLINE}
        if problem or (self._last_health is not None and self._last_health not in _HEALTHY):
            base = min(base, self._schedule.problem_interval_s)
        jitter = self._schedule.jitter
        return base * self._rng.uniform(1.0 - jitter, 1.0 + jitter)

    async def _wait_for_next(self) -> str:
        """Sleeps until the next timed check, a request, or a detected wake; returns why."""
        deadline = self._last_end + self._next_delay()
        while not self._stopping:
            reason = self._take_pending()
            if reason is not None:
                return reason
            if self._reschedule:
                self._reschedule = False
                deadline = self._last_end + self._next_delay()
            remaining = deadline - self._clock()
            if remaining <= 0:
                return REASON_TIMER
            self._trigger.clear()
            mono_before, wall_before = self._clock(), self._wall()
            await self._sleep_or_trigger(min(remaining, self._schedule.sleep_slice_s))
            slept_mono = self._clock() - mono_before
            slept_wall = self._wall() - wall_before
            if slept_wall - slept_mono > self._schedule.wake_jump_s:
                log.info("monitor: woke from sleep (wall clock %.0f s ahead)",
                         slept_wall - slept_mono)
                return REASON_WAKE
        return REASON_TIMER

    async def _sleep_or_trigger(self, seconds: float) -> None:
        if self._trigger.is_set():
            return
        sleeper = asyncio.ensure_future(self._sleep(seconds))
        waiter = asyncio.ensure_future(self._trigger.wait())
        try:
            await asyncio.wait({sleeper, waiter}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeper.cancel()
            waiter.cancel()
            await asyncio.gather(sleeper, waiter, return_exceptions=True)

    def _wants_alternatives(self, reason: str) -> bool:
        """Other routes only explain and advise, so a healthy loop probes them at every 5th
        timed check. While a problem is open they go into every check: they carry the route
        advice ("WebSocket works through your system proxy") and tell `offline` from `down`,
        which would otherwise come and go between checks."""
        if reason != REASON_TIMER:
            return True
        self._timed_checks += 1
        if self._last_health is not None and self._last_health not in _HEALTHY:
            return True
        return self._timed_checks % max(1, self._schedule.alternatives_every) == 0

    async def _check(self, reason: str) -> None:
        if self._refresh_switch():  # edited behind our back (no config_changed call)
            self._config_generation += 1
            self._at_once = True
        include_alternatives = self._wants_alternatives(reason)
        generation = self._config_generation
        self._checking = True
        self._publish()
        try:
            report = await self._run_bounded(include_alternatives, generation)
        finally:
            self._checking = False
            self._last_end = self._clock()
        if report is None:  # stopped
            self._publish()
            return
        self._accept(report, generation)

    async def _run_bounded(self, include_alternatives: bool,
                           generation: int) -> CheckReport | None:
        started = self._wall()

        def on_provisional(report: CheckReport) -> None:
            try:
                self._accept_provisional(report, generation)
            except Exception:  # a bug here must not break the check that reported it
                log.exception("monitor: a provisional report could not be shown")

        try:
            coro = self._runner.run(
                deep=self._prefs.deep_check,
                on_provisional=on_provisional,
                include_alternatives=include_alternatives,
                ws_healthy_streak=self._ws_streak,
            )
            task: asyncio.Future[CheckReport] = asyncio.ensure_future(coro)
        except Exception as exc:
            log.exception("monitor: the check could not start")
            return self._failed_report(started, type(exc).__name__)
        self._check_task = task
        try:
            await asyncio.wait({task}, timeout=self._schedule.check_timeout_s)
        finally:
            self._check_task = None
            if not task.done():
                await self._cancel(task)
        if task.cancelled():
            if self._stopping or generation != self._config_generation:
                return None  # stopped, or dropped because the HTTP-only switch flipped
            return self._failed_report(started, None)
        error = task.exception()
        if error is not None:
            log.error("monitor: the check failed", exc_info=error)
            return self._failed_report(started, type(error).__name__)
        return task.result()

    async def _cancel(self, task: asyncio.Future[CheckReport]) -> None:
        """Cancels a check that ran out of time; one that ignores it is kept and awaited later."""
        task.cancel()
        await asyncio.wait({task}, timeout=self._schedule.cancel_grace_s)
        if not task.done():
            log.error("monitor: a check ignored its cancellation; it will be dropped later")
            self._stragglers.add(task)
            task.add_done_callback(self._forget_straggler)

    def _forget_straggler(self, task: asyncio.Future[CheckReport]) -> None:
        self._stragglers.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: asyncio would otherwise log it as never retrieved

    def _failed_report(self, started: float, error: str | None) -> CheckReport:
        if error is None:
            problem = text(QT_TRANSLATE_NOOP("CodexLink", "no answer within {seconds} s"),
                           seconds=round(self._schedule.check_timeout_s))
        else:
            problem = text(QT_TRANSLATE_NOOP("CodexLink", "internal error {error}"),
                           error=error)
        return CheckReport(started_at=started, finished_at=self._wall(), primary=(),
                           alternatives=(), verdict=_could_not_check(problem))

    def _accept_provisional(self, report: CheckReport, generation: int) -> None:
        if generation != self._config_generation or self._stopping or not self._checking:
            return
        self._report = report
        verdict = report.verdict
        shown = self._hysteresis.shown.health
        if (verdict.health is not Health.CHECKING
                and (self._at_once
                     or (shown in _PROVISIONAL_FROM
                         and self._hysteresis.would_switch(verdict.health)))):
            self._provisional = verdict
        self._publish()

    def _accept(self, report: CheckReport, generation: int) -> None:
        self._history.append(point_from_report(report))
        if report.primary:
            self._last_complete = report
        if generation != self._config_generation:
            # Codex's config changed while this check ran: its verdict answers an old
            # question. The network facts still go to the history; a new check follows.
            self._publish()
            return
        self._report = report
        self._provisional = None
        ws = report.primary_for(Transport.WEBSOCKET)
        self._ws_streak = self._ws_streak + 1 if ws is not None and ws_works(ws) else 0
        at_once, self._at_once = self._at_once, False
        self._hysteresis.feed(report.verdict, at_once=at_once)
        self._last_health = report.verdict.health
        self._publish()

    def _refresh_switch(self) -> bool:
        """Re-reads the HTTP-only switch; True if it flipped (the tray then shows `checking`
        until the next result, which shows at once)."""
        try:
            status = self._switch_status()
            http_only, ours = bool(status.http_only), bool(status.ours)
        except Exception:
            log.exception("monitor: cannot read the HTTP-only switch")
            return False
        flipped = http_only != self._http_only
        self._http_only, self._ours = http_only, ours
        if flipped and self._last_health is not None:
            self._hysteresis.reset(_checking_verdict())
            self._provisional = None
        return flipped

    def _build_snapshot(self) -> Snapshot:
        return Snapshot(
            at=self._wall(),
            verdict=self._provisional or self._hysteresis.shown,
            report=self._report,
            http_only=self._http_only,
            switch_is_ours=self._ours,
            checking=self._checking,
            history=self._history.points(),
            last_complete=self._last_complete,
        )

    def _publish(self) -> None:
        self._snapshot = self._build_snapshot()
        for listener in list(self._listeners):
            try:
                listener(self._snapshot)
            except Exception:
                log.exception("monitor: a listener failed")

    def _clamp_interval(self, seconds: float) -> float:
        return min(max(float(seconds), self._schedule.min_interval_s), MAX_INTERVAL_S)
