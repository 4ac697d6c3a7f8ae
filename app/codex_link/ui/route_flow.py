"""A click on "Send Codex through <proxy>" (or "Undo the route fix"): plan, confirm, apply,
tell the monitor. The shared flow (ui/change_flow.py) with the route fix's plan and dialog.

All the deciding is core's (`RouteFix.plan/apply`); this shows the plan, asks, and reports.
A refusal (a file that cannot be read, a read-only .env, the other method already on, a failed
write) is shown in plain words; core has then written nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from codex_link.core.codex.file_edit.transaction import EditResult
from codex_link.core.codex.route_fix.fix import RouteFix, RouteFixPlan
from codex_link.core.model.route_fix import RouteProposal
from codex_link.core.model.urls import redact_url
from codex_link.ui.change_flow import ChangeFlow
from codex_link.ui.i18n import join_sentences, render
from codex_link.ui.route_dialog import RouteDialog

log = logging.getLogger(__name__)


class RouteFlow(ChangeFlow[RouteFixPlan, RouteDialog]):
    declined = Signal(bool)  # the confirmation of turning it on (True) or off was cancelled
    _what = "route fix"

    def __init__(
        self,
        fix: RouteFix,
        *,
        running_codex: Callable[[], Sequence[str]],
        on_applied: Callable[[bool], None],  # the fix was turned on (True) or off
        dialog_parent: Callable[[], QWidget | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(
            fix, running_codex=running_codex, dialog_parent=dialog_parent, parent=parent
        )
        self._fix = fix
        self._on_applied = on_applied

    def request(
        self, enable: bool, proposal: RouteProposal | None = None, *, stale: bool = False
    ) -> None:
        """Asks before turning the fix on along `proposal` (or off). `stale`: the fix's proxy
        stopped answering, which the dialog says first."""
        if self._bring_back():
            return
        try:
            plan = self._fix.plan(enable, proposal)
            status = self._fix.status()
        except Exception as exc:
            self._refused(exc)
            return
        if plan.noop:
            said = join_sentences([render(change) for change in plan.changes])
            self.finished.emit(said)
            return
        shown = self._shown(plan)
        proxy_url = proposal.proxy_url if enable and proposal else status.proxy_url
        dialog = RouteDialog(
            shown,
            method=plan.method,
            proxy=redact_url(proxy_url or "") or self.tr("the system proxy"),
            stale=stale,
            parent=self._dialog_parent(),
        )
        self._open(dialog, plan)

    def _declined(self, plan: RouteFixPlan) -> None:
        self.declined.emit(plan.enable)

    def _applied(self, plan: RouteFixPlan, result: EditResult) -> str:
        if result.changed:
            self._on_applied(plan.enable)
        said = render(result.message)
        log.info("route fix applied: %s", said)
        return said
