"""Keep Codex fast automatically: carries out what core/auto_mode decides.

Every snapshot is counted (the streaks run even while auto mode is off, so turning it on acts
on what was already seen); with auto mode on, each complete check gets one decision. The
change goes through the same engines as a click, which plan again from the files as they are
now: when that plan is the change decided on it is applied without asking, and announced
(`applied`); otherwise the user is asked (`ask`), as after a click. A refusal is told once
(`failed`) and that change is not tried again until WebSocket has worked again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal

from codex_link.core.auto_mode import (
    AutoAction,
    AutoState,
    FixChange,
    FixState,
    as_decided,
    decide,
)
from codex_link.core.codex.route_fix.fix import RouteFix, RouteFixPlan
from codex_link.core.codex.route_fix.status import RouteFixStatus
from codex_link.core.codex.switch.toggle import HttpOnlySwitch, SwitchPlan
from codex_link.core.model.snapshot import Snapshot
from codex_link.core.model.text import Text
from codex_link.ui.i18n import render

log = logging.getLogger(__name__)


class AutoFixer(QObject):
    applied = Signal(object, str)  # FixChange, what happened in plain words
    ask = Signal(object)  # AutoAction: the plan is not the one decided on; the user decides
    failed = Signal(object, str)  # FixChange, why nothing was changed

    def __init__(
        self,
        *,
        switch: HttpOnlySwitch,
        route_fix: RouteFix,
        running_codex: Callable[[], Sequence[str]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._switch = switch
        self._route_fix = route_fix
        self._running_codex = running_codex
        self.state = AutoState()
        self._decided_at: float | None = None  # the check the last decision was made on

    def observe(self, snapshot: Snapshot, route_status: RouteFixStatus) -> None:
        self.state = self.state.seen(snapshot, route_fix_active=route_status.active)

    def declined(self, change: FixChange) -> None:
        """The user undid or would not confirm `change`: auto mode does not choose it again
        until WebSocket has worked again."""
        self.state = self.state.declining(change)

    def act(self, snapshot: Snapshot, route_status: RouteFixStatus) -> None:
        """One decision per complete check, carried out."""
        report = snapshot.report
        if (
            report is None
            or snapshot.checking
            or report.verdict.provisional
            or report.finished_at == self._decided_at
        ):
            return
        self._decided_at = report.finished_at
        situation = self.state.situation(
            report.verdict,
            codex_running=False,  # asked below, only when there is something to do
            http_only=FixState(snapshot.http_only, snapshot.switch_is_ours),
            route_fix=FixState(route_status.active, route_status.active),
        )
        action = decide(situation)
        if action is None:
            return
        try:
            running = self._running_codex()
        except Exception:  # cannot tell whether Codex runs: never change its files then
            log.exception("auto mode: could not list running Codex processes")
            return
        if running:
            log.info(
                "auto mode: %s waits until Codex is closed (%s)", action.kind, ", ".join(running)
            )
            return
        self._carry_out(action, route_status)

    def _carry_out(self, action: AutoAction, route_status: RouteFixStatus) -> None:
        enable = action.kind.enable
        plan: SwitchPlan | RouteFixPlan
        try:
            if action.kind.route_fix:
                plan = self._route_fix.plan(enable, action.proposal)
            else:
                plan = self._switch.plan(enable)
            if not as_decided(action, plan, changed_by_user=route_status.changed_by_user):
                log.info(
                    "auto mode: the plan for %s is not the one decided on: asking", action.kind
                )
                self.ask.emit(action)
                return
            message: Text
            if isinstance(plan, RouteFixPlan):
                route_result = self._route_fix.apply(plan)
                changed, message = route_result.changed, route_result.message
            else:
                switch_result = self._switch.apply(plan)
                changed, message = switch_result.changed, switch_result.message
        except Exception as exc:
            # Imported only now: the flows' module loads the confirmation dialogs, which an
            # idle tray (auto mode on or off) would otherwise hold in memory all its life.
            from codex_link.ui.change_flow import refusal_words

            words = refusal_words(exc)
            if words is None:
                raise
            log.warning("auto mode: %s refused: %s", action.kind, words)
            self.declined(action.kind)
            self.failed.emit(action.kind, words)
            return
        if changed:
            said = render(message)
            log.info("auto mode: %s: %s", action.kind, said)
            self.applied.emit(action.kind, said)
