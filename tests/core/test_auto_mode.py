"""Keep Codex fast automatically: the decision as a table, the streaks it counts, and whether
an engine's plan is the change decided on (real engines on real files)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from codex_link.core.auto_mode import (
    BLOCKED_CHECKS,
    WORKING_CHECKS,
    AutoAction,
    AutoState,
    FixChange,
    FixState,
    RouteOffer,
    Situation,
    StaleProxyWatch,
    as_decided,
    decide,
    route_offer,
)
from codex_link.core.codex.route_fix.fix import RouteFix, proxy_proposal
from codex_link.core.codex.switch.toggle import HttpOnlySwitch
from codex_link.core.model.codex_home import CodexHome
from codex_link.core.model.probe import Failure, Route, RouteKind, Transport
from codex_link.core.model.report import CheckReport
from codex_link.core.model.route_fix import RouteMethod, RouteProposal
from codex_link.core.model.text import Text
from codex_link.core.model.verdict import Advice, AdviceKind, Health, Verdict
from tests import factories as f

PROPOSAL = RouteProposal(RouteMethod.DOTENV, "http://127.0.0.1:7890", ("HTTPS_PROXY",))
ROUTE = Advice(AdviceKind.ROUTE_FIX, Text("Send Codex through it"), PROPOSAL)
HTTP_ONLY = Advice(AdviceKind.SWITCH_TO_HTTP_ONLY, Text("Use HTTP only"))
UNDO = Advice(AdviceKind.UNDO_ROUTE_FIX, Text("Undo the route fix"))
OFF = FixState()
OURS = FixState(active=True, ours=True)
THEIRS = FixState(active=True, ours=False)


def verdict(health: Health, *advice: Advice) -> Verdict:
    return Verdict(health, Text(str(health)), advice)


BLOCKED = verdict(Health.WS_BLOCKED, ROUTE, HTTP_ONLY)
BLOCKED_NO_ROUTE = verdict(Health.WS_BLOCKED, HTTP_ONLY)
READY = verdict(Health.READY_WS)
DEAD_PROXY = verdict(Health.DOWN, UNDO)

ROUTE_ON = AutoAction(FixChange.ROUTE_FIX_ON, PROPOSAL)
ROUTE_OFF = AutoAction(FixChange.ROUTE_FIX_OFF)
HTTP_ON = AutoAction(FixChange.HTTP_ONLY_ON)
HTTP_OFF = AutoAction(FixChange.HTTP_ONLY_OFF)

# verdict, blocked streak, working streak, Codex runs, HTTP only, route fix, declined -> action
TABLE: list[
    tuple[str, Verdict, int, int, bool, FixState, FixState, set[FixChange], AutoAction | None]
] = [
    ("blocked twice: the route fix first", BLOCKED, 2, 0, False, OFF, OFF, set(), ROUTE_ON),
    ("blocked once: wait", BLOCKED, 1, 0, False, OFF, OFF, set(), None),
    ("no route found: HTTP only", BLOCKED_NO_ROUTE, 2, 0, False, OFF, OFF, set(), HTTP_ON),
    ("never while Codex runs", BLOCKED, 5, 0, True, OFF, OFF, set(), None),
    (
        "route fix declined: HTTP only",
        BLOCKED,
        2,
        0,
        False,
        OFF,
        OFF,
        {FixChange.ROUTE_FIX_ON},
        HTTP_ON,
    ),
    (
        "both declined: nothing",
        BLOCKED,
        2,
        0,
        False,
        OFF,
        OFF,
        {FixChange.ROUTE_FIX_ON, FixChange.HTTP_ONLY_ON},
        None,
    ),
    ("HTTP only already on (theirs)", BLOCKED, 2, 0, False, THEIRS, OFF, set(), None),
    ("a route fix already on", BLOCKED, 2, 0, False, OFF, THEIRS, set(), None),
    ("fine: nothing", READY, 0, 5, False, OFF, OFF, set(), None),
    ("down: nothing to fix", verdict(Health.DOWN), 0, 0, False, OFF, OFF, set(), None),
    ("our proxy died: undo at once", DEAD_PROXY, 0, 0, False, OFF, OURS, set(), ROUTE_OFF),
    ("our proxy died, Codex runs: wait", DEAD_PROXY, 0, 0, True, OFF, OURS, set(), None),
    ("their proxy died: not ours to undo", DEAD_PROXY, 0, 0, False, OFF, THEIRS, set(), None),
    (
        "direct works again: undo the route fix",
        READY,
        0,
        WORKING_CHECKS,
        False,
        OFF,
        OURS,
        set(),
        ROUTE_OFF,
    ),
    ("direct worked twice: wait", READY, 0, WORKING_CHECKS - 1, False, OFF, OURS, set(), None),
    (
        "WebSocket back: undo HTTP only",
        verdict(Health.READY_HTTP_ONLY),
        0,
        WORKING_CHECKS,
        False,
        OURS,
        OFF,
        set(),
        HTTP_OFF,
    ),
    (
        "WebSocket back, Codex runs: wait",
        verdict(Health.READY_HTTP_ONLY),
        0,
        9,
        True,
        OURS,
        OFF,
        set(),
        None,
    ),
    (
        "WebSocket back, HTTP only theirs",
        verdict(Health.READY_HTTP_ONLY),
        0,
        9,
        False,
        THEIRS,
        OFF,
        set(),
        None,
    ),
]


@pytest.mark.parametrize(
    ("verdict_", "blocked", "working", "running", "http_only", "route_fix", "declined", "expected"),
    [row[1:] for row in TABLE],
    ids=[row[0] for row in TABLE],
)
def test_decision_table(
    verdict_: Verdict,
    blocked: int,
    working: int,
    running: bool,
    http_only: FixState,
    route_fix: FixState,
    declined: set[FixChange],
    expected: AutoAction | None,
) -> None:
    situation = Situation(
        verdict_, blocked, working, running, http_only, route_fix, frozenset(declined)
    )
    assert decide(situation) == expected


def test_the_constants_are_the_issue_s() -> None:
    assert (BLOCKED_CHECKS, WORKING_CHECKS) == (2, 3)


def test_changes_name_their_undo() -> None:
    for change in FixChange:
        assert change.undo.undo is change
        assert change.undo.enable is not change.enable
        assert change.undo.route_fix is change.route_fix
        assert FixChange.of(route_fix=change.route_fix, enable=change.enable) is change


# --- the streaks -------------------------------------------------------------------------------


def blocked_check(at: float) -> CheckReport:
    report = f.ws_blocked().report
    assert report is not None
    return dataclasses.replace(report, finished_at=at)


def fed(
    state: AutoState, report: CheckReport, *, http_only: bool = False, route_fix: bool = False
) -> AutoState:
    return state.seen(f.snapshot_of(report, http_only=http_only), route_fix_active=route_fix)


def test_each_complete_check_counts_once() -> None:
    state = AutoState()
    first = blocked_check(1.0)
    state = fed(fed(state, first), first)  # shown twice (the window, a retranslation)
    assert state.blocked_streak == 1
    state = fed(state, f.report_of(Health.WS_BLOCKED, provisional=True, at=2.0))
    assert state.blocked_streak == 1  # a provisional verdict is not the check's last word
    state = fed(state, blocked_check(3.0))
    assert state.blocked_streak == 2
    state = fed(state, f.report_of(Health.READY_WS, at=4.0))
    assert (state.blocked_streak, state.working_streak) == (0, 1)


def test_a_fix_turned_on_starts_the_streaks_again() -> None:
    state = fed(fed(AutoState(), blocked_check(1.0)), blocked_check(2.0))
    assert state.blocked_streak == 2
    state = fed(state, f.report_of(Health.READY_HTTP_ONLY, at=3.0), http_only=True)
    assert (state.blocked_streak, state.working_streak) == (0, 1)


def with_direct(report: CheckReport, *, works: bool, at: float) -> CheckReport:
    direct = f.probe(
        Transport.WEBSOCKET,
        None if works else Failure.UPGRADE_TIMEOUT,
        route=Route(RouteKind.DIRECT),
    )
    return dataclasses.replace(report, alternatives=(direct,), finished_at=at)


def test_with_the_route_fix_on_the_direct_route_is_what_counts() -> None:
    """Codex's own WebSocket works through the fix's proxy: that says nothing about whether
    the fix is still needed. The direct alternative does, when a check probed it."""
    proxied = f.report_of(Health.READY_WS)
    state = AutoState()
    for at in (1.0, 2.0, 3.0, 4.0):
        state = fed(state, dataclasses.replace(proxied, finished_at=at), route_fix=True)
    assert state.working_streak == 0
    for at in (5.0, 6.0):
        state = fed(state, with_direct(proxied, works=True, at=at), route_fix=True)
    state = fed(state, dataclasses.replace(proxied, finished_at=7.0), route_fix=True)
    assert state.working_streak == 2  # a check without the alternative neither counts nor ends
    state = fed(state, with_direct(proxied, works=False, at=8.0), route_fix=True)
    assert state.working_streak == 0


def test_what_the_user_turned_down_is_offered_again_once_websocket_works() -> None:
    state = AutoState().declining(FixChange.ROUTE_FIX_ON)
    state = fed(state, blocked_check(1.0))
    assert FixChange.ROUTE_FIX_ON in state.declined
    situation = state.situation(BLOCKED, codex_running=False, http_only=OFF, route_fix=OFF)
    assert situation.declined == frozenset({FixChange.ROUTE_FIX_ON})
    state = fed(state, f.report_of(Health.READY_WS, at=2.0))
    assert state.declined == frozenset()


# --- the engines' plans ---------------------------------------------------------------------


@pytest.fixture
def home(codex_home: Path) -> CodexHome:
    (codex_home / "config.toml").write_text('model = "gpt-5-codex"\n', encoding="utf-8")
    return CodexHome(codex_home, from_env=True)


def test_plans_as_decided_for_the_route_fix(home: CodexHome, tmp_path: Path) -> None:
    fix = RouteFix(home, tmp_path / "state")
    proposal = proxy_proposal("http://127.0.0.1:7890")
    on = AutoAction(FixChange.ROUTE_FIX_ON, proposal)
    plan = fix.plan(True, proposal)
    assert as_decided(on, plan)
    other = AutoAction(FixChange.ROUTE_FIX_ON, proxy_proposal("http://127.0.0.1:3128"))
    assert not as_decided(other, plan)  # the engine would write another route: ask
    assert not as_decided(HTTP_ON, plan)
    fix.apply(plan)
    assert not as_decided(on, fix.plan(True, proposal))  # already on: nothing to do
    off = fix.plan(False)
    assert as_decided(ROUTE_OFF, off)
    assert not as_decided(ROUTE_OFF, off, changed_by_user=True)


def test_an_undo_that_keeps_a_user_s_line_is_asked(home: CodexHome, tmp_path: Path) -> None:
    fix = RouteFix(home, tmp_path / "state")
    proposal = proxy_proposal("http://127.0.0.1:7890")
    fix.apply(fix.plan(True, proposal))
    dotenv = home.dotenv_path
    dotenv.write_text(
        dotenv.read_text(encoding="utf-8").replace("7890", "8080"), encoding="utf-8"
    )  # the user points our line elsewhere
    status = fix.status()
    assert not as_decided(ROUTE_OFF, fix.plan(False), changed_by_user=status.changed_by_user)


def test_plans_as_decided_for_http_only(home: CodexHome, tmp_path: Path) -> None:
    switch = HttpOnlySwitch(home, tmp_path / "state")
    plan = switch.plan(True)
    assert as_decided(HTTP_ON, plan)
    assert not as_decided(HTTP_OFF, plan)
    assert not as_decided(ROUTE_ON, plan)
    switch.apply(plan)
    assert as_decided(HTTP_OFF, switch.plan(False))
    assert not as_decided(HTTP_ON, switch.plan(True))


# --- the route fix's one click ----------------------------------------------------------------


def test_the_route_fix_offers_its_undo_when_ours_else_the_verdict_s_route() -> None:
    assert route_offer(BLOCKED, ours_active=False) == RouteOffer(True, PROPOSAL)
    assert route_offer(BLOCKED_NO_ROUTE, ours_active=False) is None
    assert route_offer(READY, ours_active=True) == RouteOffer(False)
    assert route_offer(DEAD_PROXY, ours_active=True) == RouteOffer(False, urgent=True)
    assert route_offer(DEAD_PROXY, ours_active=False) is None  # not ours: no undo to offer


def test_a_dead_proxy_is_told_once_per_episode() -> None:
    watch = StaleProxyWatch()
    assert watch.consider(DEAD_PROXY, ours_active=True)
    assert not watch.consider(DEAD_PROXY, ours_active=True)
    assert not watch.consider(dataclasses.replace(DEAD_PROXY, provisional=True), ours_active=True)
    assert not watch.consider(READY, ours_active=True)
    assert watch.consider(DEAD_PROXY, ours_active=True)
    assert not StaleProxyWatch().consider(DEAD_PROXY, ours_active=False)
