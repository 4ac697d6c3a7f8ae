"""Keep Codex fast automatically: when to apply or undo a fix without asking (opt-in).

The decision is pure: what the checks saw (`AutoState.seen`, fed every snapshot), where each
fix stands, and whether a Codex program runs go in; one `AutoAction` or none comes out. The
UI carries the action out through the same engines as a click (which re-plan from the files
as they are now) and asks instead when the plan is not the one decided on.

The rules, in order:
- Never while Codex runs: it reads its settings only at start, and a change under a running
  Codex would leave it on the old route until a restart the user did not ask for.
- The proxy our route fix wrote into .env stopped answering (the verdict's UNDO_ROUTE_FIX):
  every Codex request fails until it is back, so undo the fix at once.
- WebSocket has worked on the route Codex has without the fix for `WORKING_CHECKS` checks:
  undo the fix (ours only), it is no longer needed. For HTTP only that route is Codex's own
  (the check still probes WebSocket on it); for the route fix it is the direct route, which
  the check probes beside Codex's (now proxied) one as an alternative.
- The check's own verdict was ws_blocked `BLOCKED_CHECKS` times in a row and no fix is on:
  apply the route fix when the verdict proposes one (Codex keeps WebSocket), else HTTP only.
- A fix the user undid or declined after auto mode chose it is not chosen again until
  WebSocket has worked again (a new network), so auto mode never fights the user.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from codex_link.core.codex.route_fix.fix import RouteFixPlan
from codex_link.core.codex.switch.toggle import SwitchPlan
from codex_link.core.model.probe import RouteKind, Transport
from codex_link.core.model.report import CheckReport
from codex_link.core.model.route_fix import RouteProposal
from codex_link.core.model.snapshot import Snapshot
from codex_link.core.model.verdict import AdviceKind, Health, Verdict
from codex_link.core.verdict import ws_works

BLOCKED_CHECKS = 2  # checks in a row with WebSocket blocked before a fix is applied
WORKING_CHECKS = 3  # checks in a row with WebSocket working without the fix before its undo


class FixChange(StrEnum):
    """A fix turned on or off: what auto mode decides, and what the history records (of a
    click too)."""

    ROUTE_FIX_ON = "route_fix_on"
    HTTP_ONLY_ON = "http_only_on"
    ROUTE_FIX_OFF = "route_fix_off"
    HTTP_ONLY_OFF = "http_only_off"

    @classmethod
    def of(cls, *, route_fix: bool, enable: bool) -> FixChange:
        if route_fix:
            return cls.ROUTE_FIX_ON if enable else cls.ROUTE_FIX_OFF
        return cls.HTTP_ONLY_ON if enable else cls.HTTP_ONLY_OFF

    @property
    def enable(self) -> bool:
        return self in (FixChange.ROUTE_FIX_ON, FixChange.HTTP_ONLY_ON)

    @property
    def route_fix(self) -> bool:
        return self in (FixChange.ROUTE_FIX_ON, FixChange.ROUTE_FIX_OFF)

    @property
    def undo(self) -> FixChange:
        """The change that takes this one back."""
        return FixChange.of(route_fix=self.route_fix, enable=not self.enable)


@dataclass(frozen=True, slots=True)
class AutoAction:
    kind: FixChange
    proposal: RouteProposal | None = None  # the route to write (ROUTE_FIX_ON only)


@dataclass(frozen=True, slots=True)
class FixState:
    """Where one fix stands: on in Codex's files, and on by our hand (our record says so and
    the file still holds what we wrote). Only our own fix is ever undone automatically."""

    active: bool = False
    ours: bool = False


@dataclass(frozen=True, slots=True)
class Situation:
    """Everything one decision needs."""

    verdict: Verdict  # of the latest complete check on its own (before hysteresis)
    blocked_streak: int  # complete checks in a row, that one included, with ws_blocked
    working_streak: int  # ... in which WebSocket worked on the route Codex has without the fix
    codex_running: bool
    http_only: FixState
    route_fix: FixState
    declined: frozenset[FixChange] = frozenset()


def decide(situation: Situation) -> AutoAction | None:
    """The one change auto mode makes now, or None (see the module's rules)."""
    if situation.codex_running:
        return None
    kinds = {advice.kind for advice in situation.verdict.advice}
    route_fix, http_only = situation.route_fix, situation.http_only
    no_longer_needed = situation.working_streak >= WORKING_CHECKS
    if (
        route_fix.active
        and route_fix.ours
        and (AdviceKind.UNDO_ROUTE_FIX in kinds or no_longer_needed)
    ):
        return AutoAction(FixChange.ROUTE_FIX_OFF)
    if http_only.active and http_only.ours and no_longer_needed:
        return AutoAction(FixChange.HTTP_ONLY_OFF)
    if (
        route_fix.active
        or http_only.active
        or situation.verdict.health is not Health.WS_BLOCKED
        or situation.blocked_streak < BLOCKED_CHECKS
    ):
        return None
    proposal = next(
        (
            advice.proposal
            for advice in situation.verdict.advice
            if advice.kind is AdviceKind.ROUTE_FIX and advice.proposal is not None
        ),
        None,
    )
    if proposal is not None and FixChange.ROUTE_FIX_ON not in situation.declined:
        return AutoAction(FixChange.ROUTE_FIX_ON, proposal)
    if AdviceKind.SWITCH_TO_HTTP_ONLY in kinds and FixChange.HTTP_ONLY_ON not in situation.declined:
        return AutoAction(FixChange.HTTP_ONLY_ON)
    return None


def as_decided(
    action: AutoAction, plan: SwitchPlan | RouteFixPlan, *, changed_by_user: bool = False
) -> bool:
    """Whether the engine's plan, made from the files as they are now, is the change auto mode
    decided on; if not, the user is asked. `changed_by_user`: the route fix's status says the
    user edited our lines since (its undo would then keep some: theirs to decide).

    An undo must take back all of ours and leave nothing behind (no note of a kept line, of a
    provider still without WebSocket); "on" must write, and the route fix the route chosen.
    """
    if plan.noop or plan.enable is not action.kind.enable:
        return False
    if isinstance(plan, RouteFixPlan) is not action.kind.route_fix:
        return False
    if not action.kind.enable:
        return not plan.notes and not changed_by_user
    if isinstance(plan, RouteFixPlan):
        return plan.proposal == action.proposal
    return True


def ws_without_fix(report: CheckReport, *, route_fix_active: bool) -> bool | None:
    """Whether WebSocket worked on the route Codex has without the fix (None: not probed).

    With the route fix on, Codex's own route is the fix's proxy: the route without it is the
    direct one, probed as an alternative (not at every check: those checks count for nothing).
    """
    if not route_fix_active:
        ws = report.primary_for(Transport.WEBSOCKET)
        return None if ws is None else ws_works(ws)
    direct = next(
        (
            r
            for r in report.alternatives
            if r.transport is Transport.WEBSOCKET and r.route.kind is RouteKind.DIRECT
        ),
        None,
    )
    return None if direct is None else ws_works(direct)


@dataclass(frozen=True, slots=True)
class AutoState:
    """The streaks over complete checks, and the fixes the user turned down."""

    blocked_streak: int = 0
    working_streak: int = 0
    declined: frozenset[FixChange] = frozenset()
    last_report_at: float | None = None  # each check counts once, however often it is shown
    fixes: tuple[bool, bool] = (False, False)  # (HTTP only, route fix) active when counted

    def seen(self, snapshot: Snapshot, *, route_fix_active: bool) -> AutoState:
        """Counts the snapshot's check if it is complete and new. A fix turned on or off
        starts both streaks again: what was measured before was measured on another route."""
        state = self
        fixes = (snapshot.http_only, route_fix_active)
        if fixes != state.fixes:
            state = replace(state, blocked_streak=0, working_streak=0, fixes=fixes)
        report = snapshot.report
        if (
            report is None
            or report.verdict.provisional
            or report.verdict.health is Health.CHECKING
            or report.finished_at == state.last_report_at
        ):
            return state
        blocked = report.verdict.health is Health.WS_BLOCKED
        working = ws_without_fix(report, route_fix_active=route_fix_active)
        declined = state.declined
        if working:  # WebSocket works again: what the user turned down may be wanted anew
            declined = frozenset()
        return replace(
            state,
            blocked_streak=state.blocked_streak + 1 if blocked else 0,
            working_streak=(
                state.working_streak
                if working is None
                else state.working_streak + 1
                if working
                else 0
            ),
            declined=declined,
            last_report_at=report.finished_at,
        )

    def situation(
        self, verdict: Verdict, *, codex_running: bool, http_only: FixState, route_fix: FixState
    ) -> Situation:
        return Situation(
            verdict,
            self.blocked_streak,
            self.working_streak,
            codex_running,
            http_only,
            route_fix,
            self.declined,
        )

    def declining(self, kind: FixChange) -> AutoState:
        """The user undid (or would not confirm) an automatic `kind`: not again for now."""
        return replace(self, declined=self.declined | {kind})


# --- what the route fix's button and menu item offer (by hand, auto mode or not) ----------------


@dataclass(frozen=True, slots=True)
class RouteOffer:
    """The route fix's one click now: on along `proposal`, or off (our fix is on).
    `urgent`: the fix's proxy stopped answering, so every Codex request fails until undone."""

    enable: bool
    proposal: RouteProposal | None = None
    urgent: bool = False


def route_offer(verdict: Verdict, *, ours_active: bool) -> RouteOffer | None:
    """Our route fix on: its undo. Otherwise the verdict's verified route, if it has one."""
    if ours_active:
        urgent = any(a.kind is AdviceKind.UNDO_ROUTE_FIX for a in verdict.advice)
        return RouteOffer(False, urgent=urgent)
    for advice in verdict.advice:
        if advice.kind is AdviceKind.ROUTE_FIX and advice.proposal is not None:
            return RouteOffer(True, advice.proposal)
    return None


class StaleProxyWatch:
    """Says once per episode that the proxy of our route fix stopped answering: on the check's
    own verdict (no waiting for agreement: every request fails meanwhile), again only after it
    answered in between."""

    def __init__(self) -> None:
        self._told = False

    def consider(self, verdict: Verdict, *, ours_active: bool) -> bool:
        if verdict.health is Health.CHECKING or verdict.provisional:
            return False
        offer = route_offer(verdict, ours_active=ours_active)
        stale = offer is not None and offer.urgent
        newly = stale and not self._told
        self._told = stale
        return newly
