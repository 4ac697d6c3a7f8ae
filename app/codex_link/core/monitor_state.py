"""The monitor's decisions as a pure state machine: an event in, the next state and what the
loop must do out. No asyncio, no clock, no files: times come in the events, the loop
(codex_link.core.monitor) owns tasks, sleeping, wake detection and the history file.

What it decides, and why:
- Requests that arrive while a check runs are coalesced: a user's "Check now" is answered by
  the running check; a config, network or wake event (which may make the running check's
  answer stale) earns one more check right after it.
- Hysteresis (codex_link.core.hysteresis) keeps one odd result from flipping the tray; a
  problem makes checks come faster, so it is confirmed (or cleared) within seconds.
- Codex's config changing (the HTTP-only switch above all) makes the running check's answer
  one to an old question: its verdict is not shown (its network facts still go to the
  history), the first result after the change shows at once, and a flipped switch shows
  `checking` until then and has the running check dropped.
- A provisional verdict (HTTP answered, WebSocket still silent) is shown only where it cannot
  mislead: nothing was shown yet, or the tray is green and one more agreeing result would
  turn it amber anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import assert_never

from codex_link.core.codex.switch.status import SwitchStatus
from codex_link.core.hysteresis import Hysteresis
from codex_link.core.model.probe import Transport
from codex_link.core.model.report import CheckReport
from codex_link.core.model.snapshot import HistoryPoint, Snapshot
from codex_link.core.model.text import QT_TRANSLATE_NOOP, Text, text
from codex_link.core.model.verdict import Health, Verdict
from codex_link.core.prefs import MAX_INTERVAL_S, MIN_INTERVAL_S, Prefs
from codex_link.core.verdict import ws_works

# The states in which something is wrong: checks come faster until it is confirmed or cleared.
_HEALTHY = frozenset({Health.READY_WS, Health.READY_HTTP_ONLY})
_PROBLEMS = frozenset({Health.WS_BLOCKED, Health.DOWN, Health.OFFLINE})
# States from which a provisional amber may be shown (DESIGN: "Verdicts", brief: monitor).
_PROVISIONAL_FROM = frozenset({Health.CHECKING, Health.READY_WS})


class Reason(StrEnum):
    """Why a check runs. Everything but the timer also probes the alternative routes."""

    START = "start"
    TIMER = "timer"
    USER = "user"  # answered by a running check (coalesced)
    CONFIG = "config"
    NETWORK = "network"
    WAKE = "wake"


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

    def clamp_interval(self, seconds: float) -> float:
        return min(max(float(seconds), self.min_interval_s), MAX_INTERVAL_S)


def checking_verdict() -> Verdict:
    checking = text(QT_TRANSLATE_NOOP("CodexLink", "Checking…"))
    return Verdict(Health.CHECKING, checking, title=checking)


def could_not_check(
    started_at: float, finished_at: float, error: str | None, schedule: Schedule
) -> CheckReport:
    """The result of a check that raised `error` (an exception's name) or, with None, did
    not end within the schedule's time limit: `checking`, with the reason, and no probes."""
    if error is None:
        problem = text(
            QT_TRANSLATE_NOOP("CodexLink", "no answer within {seconds} s"),
            seconds=round(schedule.check_timeout_s),
        )
    else:
        problem = text(QT_TRANSLATE_NOOP("CodexLink", "internal error {error}"), error=error)
    return CheckReport(
        started_at=started_at,
        finished_at=finished_at,
        primary=(),
        alternatives=(),
        verdict=_could_not_check(problem),
    )


def _could_not_check(problem: Text) -> Verdict:
    headline = text(
        QT_TRANSLATE_NOOP(
            "CodexLink", "Codex Link could not finish its check ({problem}); it will try again."
        ),
        problem=problem,
    )
    return Verdict(
        Health.CHECKING,
        headline,
        title=text(QT_TRANSLATE_NOOP("CodexLink", "Could not check")),
        why=headline,
    )


# --- events (`at`: wall clock, epoch seconds) -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Requested:
    """Check now, for `reason` (user, network change, wake)."""

    at: float
    reason: Reason


@dataclass(frozen=True, slots=True)
class ConfigChanged:
    """Codex's config changed; `switch`: the switch read once from it (None: unreadable)."""

    at: float
    switch: SwitchStatus | None


@dataclass(frozen=True, slots=True)
class PrefsChanged:
    at: float
    prefs: Prefs


@dataclass(frozen=True, slots=True)
class IntervalChanged:
    at: float
    seconds: float


@dataclass(frozen=True, slots=True)
class CheckStarted:
    """A check begins; `switch`: from the settings this check runs with (None: unreadable)."""

    at: float
    reason: Reason
    switch: SwitchStatus | None


@dataclass(frozen=True, slots=True)
class CheckProvisional:
    """The check numbered `serial` reported early (HTTP answered, WebSocket not yet)."""

    at: float
    serial: int
    report: CheckReport


@dataclass(frozen=True, slots=True)
class CheckEnded:
    """The check numbered `serial` ended; None: it was dropped (stopped, or overtaken by a
    switch flip) and has nothing to say."""

    at: float
    serial: int
    report: CheckReport | None


type Event = (
    Requested
    | ConfigChanged
    | PrefsChanged
    | IntervalChanged
    | CheckStarted
    | CheckProvisional
    | CheckEnded
)


# --- state -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RunningCheck:
    """What the loop passes to the runner, and what the state needs to judge its answer."""

    serial: int
    generation: int  # the config generation it started in: a later one makes it stale
    deep: bool
    include_alternatives: bool
    ws_healthy_streak: int  # complete checks in a row before this one with a working WebSocket


@dataclass(frozen=True, slots=True)
class Effects:
    """What the loop must do after a step."""

    publish: bool = False  # hand a new snapshot to the listeners
    record: CheckReport | None = None  # append to the history (every ended check)
    wake: bool = False  # a check is wanted now: end the sleep between checks
    reschedule: bool = False  # the interval changed: compute the next check's time again
    cancel_check: bool = False  # the running check answers an old question: drop it


@dataclass(frozen=True, slots=True)
class MonitorState:
    at: float  # wall clock of the latest event
    schedule: Schedule
    interval_s: float  # clamped to the schedule's bounds
    deep_check: bool
    hysteresis: Hysteresis
    provisional: Verdict | None = None  # shown over the hysteresis during a check
    report: CheckReport | None = None  # the latest complete (or provisional) check
    last_complete: CheckReport | None = None  # with probe results, for re-checks
    http_only: bool | None = None  # None until the switch was first read
    ours: bool = False
    check: RunningCheck | None = None
    checks_started: int = 0
    at_once: bool = False  # the next result is shown without waiting for agreement
    generation: int = 0  # results of checks started before a change are stale
    ws_streak: int = 0
    timed_checks: int = 0
    last_health: Health | None = None  # of the latest current check's own verdict
    pending: Reason | None = None  # a requested check, taken when the next check starts

    @classmethod
    def initial(cls, prefs: Prefs, schedule: Schedule, at: float) -> MonitorState:
        return cls(
            at=at,
            schedule=schedule,
            interval_s=schedule.clamp_interval(prefs.check_interval_s),
            deep_check=prefs.deep_check,
            hysteresis=Hysteresis(checking_verdict(), required=prefs.confirm_checks),
        )

    @property
    def checking(self) -> bool:
        return self.check is not None

    @property
    def check_is_stale(self) -> bool:
        """The running check started before Codex's config last changed."""
        return self.check is not None and self.check.generation != self.generation

    def base_delay(self) -> float:
        """Seconds from the end of a check to the next timed one, before jitter."""
        base = self.interval_s
        problem = self.hysteresis.shown.health in _PROBLEMS
        if problem or (self.last_health is not None and self.last_health not in _HEALTHY):
            base = min(base, self.schedule.problem_interval_s)
        return base

    def snapshot(self, history: tuple[HistoryPoint, ...]) -> Snapshot:
        return Snapshot(
            at=self.at,
            verdict=self.provisional or self.hysteresis.shown,
            report=self.report,
            http_only=bool(self.http_only),
            switch_is_ours=self.ours,
            checking=self.checking,
            history=history,
            last_complete=self.last_complete,
        )

    # --- parts of steps ---------------------------------------------------------------------

    def _with_switch(self, switch: SwitchStatus | None) -> tuple[MonitorState, bool]:
        """The state with the switch as read; True if HTTP-only flipped (the tray then shows
        `checking` until the next result). An unreadable switch changes nothing."""
        if switch is None:
            return self, False
        flipped = self.http_only is not None and switch.http_only != self.http_only
        state = replace(self, http_only=switch.http_only, ours=switch.ours)
        if flipped and state.last_health is not None:
            state = replace(
                state, hysteresis=state.hysteresis.reset(checking_verdict()), provisional=None
            )
        return state, flipped

    def _request(self, reason: Reason) -> tuple[MonitorState, bool]:
        if self.checking and reason is Reason.USER:
            return self, False  # coalesced: the running check answers this request
        if self.pending is None or self.pending is Reason.USER:
            return replace(self, pending=reason), True
        return self, True

    def _wants_alternatives(self, reason: Reason) -> tuple[MonitorState, bool]:
        """Other routes only explain and advise, so a healthy loop probes them at every 5th
        timed check. While a problem is open they go into every check: they carry the route
        advice ("WebSocket works through your system proxy") and tell `offline` from `down`,
        which would otherwise come and go between checks."""
        if reason is not Reason.TIMER:
            return self, True
        state = replace(self, timed_checks=self.timed_checks + 1)
        if state.last_health is not None and state.last_health not in _HEALTHY:
            return state, True
        return state, state.timed_checks % max(1, self.schedule.alternatives_every) == 0

    def _provisional(self, report: CheckReport) -> MonitorState:
        state = replace(self, report=report)
        verdict = report.verdict
        shown = self.hysteresis.shown.health
        if verdict.health is not Health.CHECKING and (
            self.at_once
            or (shown in _PROVISIONAL_FROM and self.hysteresis.would_switch(verdict.health))
        ):
            state = replace(state, provisional=verdict)
        return state

    def _ended(self, report: CheckReport, stale: bool) -> MonitorState:
        state = replace(self, last_complete=report) if report.primary else self
        if stale:
            # Codex's config changed while this check ran: its verdict answers an old
            # question. The network facts still go to the history; a new check follows.
            return state
        ws = report.primary_for(Transport.WEBSOCKET)
        return replace(
            state,
            report=report,
            provisional=None,
            ws_streak=state.ws_streak + 1 if ws is not None and ws_works(ws) else 0,
            at_once=False,
            hysteresis=state.hysteresis.feed(report.verdict, at_once=state.at_once),
            last_health=report.verdict.health,
        )


def step(state: MonitorState, event: Event) -> tuple[MonitorState, Effects]:
    """The next state after `event`, and what the loop must do."""
    state = replace(state, at=event.at)
    match event:
        case Requested(reason=reason):
            state, wanted = state._request(reason)
            return state, Effects(wake=wanted)
        case ConfigChanged(switch=switch):
            state = replace(state, generation=state.generation + 1, at_once=True)
            state, flipped = state._with_switch(switch)
            # A flipped switch drops the running check, so the tray has the new state's
            # answer in seconds instead of after a 15 s WebSocket timeout.
            cancel = flipped and state.checking
            state, _ = state._request(Reason.CONFIG)
            return state, Effects(publish=True, wake=True, cancel_check=cancel)
        case PrefsChanged(prefs=prefs):
            state = replace(
                state,
                deep_check=prefs.deep_check,
                hysteresis=state.hysteresis.with_required(prefs.confirm_checks),
                interval_s=state.schedule.clamp_interval(prefs.check_interval_s),
            )
            return state, Effects(wake=True, reschedule=True)
        case IntervalChanged(seconds=seconds):
            state = replace(state, interval_s=state.schedule.clamp_interval(seconds))
            return state, Effects(wake=True, reschedule=True)
        case CheckStarted(reason=reason, switch=switch):
            state, flipped = state._with_switch(switch)
            if flipped:  # edited behind our back (no config_changed call)
                state = replace(state, generation=state.generation + 1, at_once=True)
            state, alternatives = state._wants_alternatives(reason)
            serial = state.checks_started + 1
            check = RunningCheck(
                serial=serial,
                generation=state.generation,
                deep=state.deep_check,
                include_alternatives=alternatives,
                ws_healthy_streak=state.ws_streak,
            )
            state = replace(state, check=check, checks_started=serial, pending=None)
            return state, Effects(publish=True)
        case CheckProvisional(serial=serial, report=report):
            if state.check is None or state.check.serial != serial or state.check_is_stale:
                return state, Effects()
            return state._provisional(report), Effects(publish=True)
        case CheckEnded(serial=serial, report=report):
            if state.check is None or state.check.serial != serial:
                return state, Effects()
            stale = state.check_is_stale
            state = replace(state, check=None)
            if report is None:
                return state, Effects(publish=True)
            return state._ended(report, stale), Effects(publish=True, record=report)
        case _:
            assert_never(event)
