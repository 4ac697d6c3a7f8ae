"""The monitor's decisions, event by event: each row is an event, what the tray shows after
it, and what the loop is asked to do. No loop, no clock: the state machine alone."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from codex_link.core.codex.switch.status import SwitchStatus
from codex_link.core.model.verdict import Health
from codex_link.core.monitor_state import (
    CheckEnded,
    CheckProvisional,
    CheckStarted,
    ConfigChanged,
    Effects,
    Event,
    IntervalChanged,
    MonitorState,
    PrefsChanged,
    Reason,
    Requested,
    Schedule,
    could_not_check,
    step,
)
from codex_link.core.prefs import Prefs
from tests import factories as f

H = Health
WS_ON = SwitchStatus(False, "openai", False, None, ())
HTTP_ONLY_OURS = SwitchStatus(True, "openai_http", True, None, ())


def start(serial: int, reason: Reason = Reason.TIMER, switch: SwitchStatus = WS_ON) -> Event:
    return CheckStarted(0.0, reason, switch)


def end(serial: int, health: Health | None) -> Event:
    return CheckEnded(0.0, serial, None if health is None else f.report_of(health))


def provisional(serial: int, health: Health) -> Event:
    return CheckProvisional(0.0, serial, f.report_of(health, provisional=True))


@dataclass(frozen=True)
class Row:
    event: Event
    shown: Health  # what the tray shows after the event
    effects: Effects = field(default_factory=Effects)
    checking: bool = False
    http_only: bool = False


PUBLISH = Effects(publish=True)


def ended(health: Health) -> Effects:
    return Effects(publish=True, record=f.report_of(health))


TABLES: dict[str, list[Row]] = {
    "a new state shows after two agreeing results": [
        Row(start(1, Reason.START), H.CHECKING, PUBLISH, checking=True),
        Row(end(1, H.READY_WS), H.READY_WS, ended(H.READY_WS)),  # first result: at once
        Row(start(2), H.READY_WS, PUBLISH, checking=True),
        Row(end(2, H.WS_BLOCKED), H.READY_WS, ended(H.WS_BLOCKED)),  # one odd result
        Row(start(3), H.READY_WS, PUBLISH, checking=True),
        Row(end(3, H.WS_BLOCKED), H.WS_BLOCKED, ended(H.WS_BLOCKED)),  # the second agrees
    ],
    "check now while a check runs is answered by it; other requests earn one more": [
        Row(Requested(0.0, Reason.USER), H.CHECKING, Effects(wake=True)),
        Row(start(1, Reason.USER), H.CHECKING, PUBLISH, checking=True),
        Row(Requested(0.0, Reason.USER), H.CHECKING, Effects(), checking=True),  # coalesced
        Row(Requested(0.0, Reason.NETWORK), H.CHECKING, Effects(wake=True), checking=True),
        Row(Requested(0.0, Reason.USER), H.CHECKING, Effects(), checking=True),
        Row(end(1, H.READY_WS), H.READY_WS, ended(H.READY_WS)),
    ],
    "a switch flipped by a config change drops the running check": [
        Row(start(1, Reason.START), H.CHECKING, PUBLISH, checking=True),
        Row(end(1, H.WS_BLOCKED), H.WS_BLOCKED, ended(H.WS_BLOCKED)),
        Row(start(2), H.WS_BLOCKED, PUBLISH, checking=True),
        Row(
            ConfigChanged(0.0, HTTP_ONLY_OURS),
            H.CHECKING,  # the old advice ("use HTTP only") is gone at once
            Effects(publish=True, wake=True, cancel_check=True),
            checking=True,
            http_only=True,
        ),
        Row(provisional(2, H.WS_BLOCKED), H.CHECKING, Effects(), checking=True, http_only=True),
        Row(end(2, None), H.CHECKING, PUBLISH, http_only=True),  # dropped: nothing recorded
        Row(start(3, Reason.CONFIG, HTTP_ONLY_OURS), H.CHECKING, PUBLISH, True, True),
        Row(end(3, H.READY_HTTP_ONLY), H.READY_HTTP_ONLY, ended(H.READY_HTTP_ONLY), False, True),
    ],
    "an edit that keeps the switch: the running check's verdict is not shown": [
        Row(start(1, Reason.START), H.CHECKING, PUBLISH, checking=True),
        Row(end(1, H.READY_WS), H.READY_WS, ended(H.READY_WS)),
        Row(start(2), H.READY_WS, PUBLISH, checking=True),
        Row(ConfigChanged(0.0, WS_ON), H.READY_WS, Effects(publish=True, wake=True), True),
        Row(end(2, H.WS_BLOCKED), H.READY_WS, ended(H.WS_BLOCKED)),  # recorded, not shown
        Row(start(3, Reason.CONFIG), H.READY_WS, PUBLISH, checking=True),
        Row(end(3, H.DOWN), H.DOWN, ended(H.DOWN)),  # the first result after it: at once
    ],
    "a switch flipped behind our back is noticed when the next check reads it": [
        Row(start(1, Reason.START), H.CHECKING, PUBLISH, checking=True),
        Row(end(1, H.WS_BLOCKED), H.WS_BLOCKED, ended(H.WS_BLOCKED)),
        Row(start(2, Reason.TIMER, HTTP_ONLY_OURS), H.CHECKING, PUBLISH, True, True),
        Row(end(2, H.READY_HTTP_ONLY), H.READY_HTTP_ONLY, ended(H.READY_HTTP_ONLY), False, True),
    ],
    "provisional amber shows from green only if one more result would turn it amber": [
        Row(start(1, Reason.START), H.CHECKING, PUBLISH, checking=True),
        Row(end(1, H.READY_WS), H.READY_WS, ended(H.READY_WS)),
        Row(start(2), H.READY_WS, PUBLISH, checking=True),
        Row(provisional(2, H.WS_BLOCKED), H.READY_WS, PUBLISH, checking=True),
        Row(end(2, H.WS_BLOCKED), H.READY_WS, ended(H.WS_BLOCKED)),
        Row(start(3), H.READY_WS, PUBLISH, checking=True),
        Row(provisional(3, H.WS_BLOCKED), H.WS_BLOCKED, PUBLISH, checking=True),
        Row(provisional(2, H.DOWN), H.WS_BLOCKED, Effects(), checking=True),  # an old check's
        Row(end(3, H.WS_BLOCKED), H.WS_BLOCKED, ended(H.WS_BLOCKED)),
    ],
    "new prefs and intervals reschedule the next check": [
        Row(
            PrefsChanged(0.0, Prefs(check_interval_s=30)),
            H.CHECKING,
            Effects(wake=True, reschedule=True),
        ),
        Row(IntervalChanged(0.0, 120), H.CHECKING, Effects(wake=True, reschedule=True)),
    ],
}


@pytest.mark.parametrize("name", list(TABLES))
def test_events_in_order(name: str) -> None:
    state = MonitorState.initial(Prefs(), Schedule(), at=0.0)
    for number, row in enumerate(TABLES[name], 1):
        state, effects = step(state, row.event)
        snapshot = state.snapshot(())
        where = f"{name}, row {number}"
        assert snapshot.verdict.health is row.shown, where
        assert effects == row.effects, where
        assert snapshot.checking is row.checking, where
        assert snapshot.http_only is row.http_only, where


def run(events: list[Event], prefs: Prefs | None = None) -> MonitorState:
    state = MonitorState.initial(prefs or Prefs(), Schedule(), at=0.0)
    for event in events:
        state, _ = step(state, event)
    return state


def test_the_running_check_gets_the_streak_the_prefs_and_the_alternatives() -> None:
    state = run([start(1, Reason.START), end(1, H.READY_WS)], Prefs(deep_check=True))
    state, _ = step(state, start(2))
    assert state.check is not None
    assert state.check.ws_healthy_streak == 1 and state.check.deep
    assert not state.check.include_alternatives  # healthy: every 5th timed check only
    state, _ = step(state, end(2, H.DOWN))
    state, _ = step(state, start(3))
    assert state.check is not None
    assert state.check.ws_healthy_streak == 0 and state.check.include_alternatives


def test_problems_make_checks_come_faster() -> None:
    state = run([start(1, Reason.START), end(1, H.READY_WS)])
    assert state.base_delay() == 60
    state = run([start(1, Reason.START), end(1, H.READY_WS), start(2), end(2, H.WS_BLOCKED)])
    assert state.base_delay() == 15  # a problem to be confirmed
    assert run([PrefsChanged(0.0, Prefs(check_interval_s=1))]).base_delay() == 10  # clamped


def test_a_failed_check_shows_checking_with_its_reason() -> None:
    failed = could_not_check(10.0, 70.0, None, Schedule())
    assert "no answer within 60 s" in str(failed.verdict.headline)
    assert "RuntimeError" in str(could_not_check(1.0, 2.0, "RuntimeError", Schedule()).verdict.why)
    state = run([start(1, Reason.START), CheckEnded(0.0, 1, failed)])
    assert state.snapshot(()).verdict.health is H.CHECKING
    assert state.last_complete is None  # no probes in it: the last word stays on screen


def test_times_come_in_the_events() -> None:
    state = run([Requested(123.0, Reason.USER)])
    assert state.snapshot(()).at == 123.0
