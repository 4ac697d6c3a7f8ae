"""The confirmation before Codex Link edits Codex's config.toml for the HTTP-only switch.

The shared confirmation (ui/change_dialog.py) in the switch's words. When core sees a reason
to think twice (WebSocket works, HTTP itself fails, WebSocket is still blocked), that comes
first, in bold, and "Cancel" is the default button.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from codex_link.core.switch_guard import SwitchConcern
from codex_link.ui.change_dialog import ChangeDialog, PlanShown, Wording


class SwitchDialog(ChangeDialog):
    def __init__(
        self,
        shown: PlanShown,
        *,
        concern: SwitchConcern | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(shown, parent)
        self.concern = concern
        enable = shown.enable
        self._build(
            Wording(
                title=self.tr("Use HTTP only?") if enable else self.tr("Switch back to WebSocket?"),
                warning=self._warning(concern),
                intro=self.tr(
                    "Codex will skip WebSocket and talk to its server over HTTP only, so it "
                    "starts without waiting on a network that blocks WebSocket."
                )
                if enable
                else self.tr(
                    "Codex will use WebSocket again, as it is built to: a little faster "
                    "where WebSocket works."
                ),
                adds=self.tr("Codex Link will change one setting in {file}.").format(
                    file=shown.path.name
                ),
                undo=self.tr(
                    "A backup copy is kept next to it, and you can undo this at any time "
                    "with the same menu item."
                ),
                # Core's notes: profiles that keep their own provider, and (when turning it
                # on) that conversations are listed per provider. Turning it off needs the
                # mirror sentence.
                notes=[]
                if enable
                else [
                    self.tr(
                        "Conversations started while HTTP only was on are kept, but Codex lists "
                        "them separately: they show up again if you turn HTTP only on again."
                    )
                ],
                confirm=self.tr("Use HTTP only") if enable else self.tr("Switch back"),
            ),
            cancel_is_default=concern is not None,  # something speaks against it: stay
        )

    def _warning(self, concern: SwitchConcern | None) -> str:
        if concern is SwitchConcern.WEBSOCKET_WORKS:
            return self.tr(
                "WebSocket works on this network right now. HTTP only is meant for "
                "networks that block WebSocket; with it Codex may be a little "
                "slower."
            )
        if concern is SwitchConcern.HTTP_DOWN:
            return self.tr(
                "HTTP itself fails on this network right now, so HTTP only would "
                "not help: Codex could not connect either way. Fix the connection "
                "first (see the status window)."
            )
        if concern is SwitchConcern.WEBSOCKET_BLOCKED:
            return self.tr(
                "WebSocket is still blocked on this network. After switching back, "
                "Codex would again wait at every start before it falls back to "
                "HTTP."
            )
        return ""
