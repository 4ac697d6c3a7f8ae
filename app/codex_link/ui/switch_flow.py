"""A click on "Use HTTP only" (or "Switch back"): plan, confirm, apply, tell the monitor.
The shared flow (ui/change_flow.py) with the switch's plan and dialog.

All the deciding is core's (`HttpOnlySwitch.plan/apply`); this only shows the plan, asks, and
reports. A refusal (malformed TOML, a folder that does not exist, a failed write) is shown in
plain words; core has then written nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from codex_link.core.codex.switch.toggle import HttpOnlySwitch, SwitchPlan, SwitchResult
from codex_link.core.switch_guard import SwitchConcern
from codex_link.ui.change_flow import ChangeFlow
from codex_link.ui.i18n import join_sentences, render
from codex_link.ui.switch_dialog import SwitchDialog

log = logging.getLogger(__name__)


class SwitchFlow(ChangeFlow[SwitchPlan, SwitchDialog]):
    _what = "switch"

    def __init__(
        self,
        switch: HttpOnlySwitch,
        *,
        running_codex: Callable[[], Sequence[str]],
        on_applied: Callable[[], None],
        dialog_parent: Callable[[], QWidget | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(
            switch, running_codex=running_codex, dialog_parent=dialog_parent, parent=parent
        )
        self._switch = switch
        self._on_applied = on_applied

    def request(self, enable: bool, *, concern: SwitchConcern | None = None) -> None:
        if self._bring_back():
            return
        try:
            plan = self._switch.plan(enable)
        except Exception as exc:
            self._refused(exc)
            return
        if plan.noop:
            self._on_applied()  # the file already says so: make sure the tray does too
            said = join_sentences([render(change) for change in plan.changes])
            self.finished.emit(
                said
                or (
                    self.tr("HTTP only is already on.")
                    if enable
                    else self.tr("Codex already uses WebSocket.")
                )
            )
            return
        dialog = SwitchDialog(self._shown(plan), concern=concern, parent=self._dialog_parent())
        self._open(dialog, plan)

    def _applied(self, plan: SwitchPlan, result: SwitchResult) -> str:
        self._on_applied()
        log.info("switch applied: %s", render(result.message))
        return self._done(plan, result)

    def _done(self, plan: SwitchPlan, result: SwitchResult) -> str:
        """What happened and the one thing left to do, in the words of the dialog."""
        done = (
            self.tr("Done: Codex now uses HTTP only.")
            if plan.enable
            else self.tr("Done: Codex uses WebSocket again.")
        )
        backup = (
            self.tr("Backup of the old file: {backup}").format(backup=str(result.backup))
            if result.backup is not None
            else ""
        )
        return join_sentences([done, self.tr("Restart Codex to start using it."), backup])
