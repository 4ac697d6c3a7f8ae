"""The confirmation before Codex Link sends Codex through a proxy (the route fix), or undoes it.

The shared confirmation (ui/change_dialog.py) in the route fix's words: what Codex will do
afterwards, which file changes, that a backup is kept and how to undo it, that Codex must be
restarted; first, when the fix's proxy stopped answering, that every request fails now.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from codex_link.core.model.route_fix import RouteMethod
from codex_link.ui.change_dialog import ChangeDialog, PlanShown, Wording


class RouteDialog(ChangeDialog):
    def __init__(
        self,
        shown: PlanShown,
        *,
        method: RouteMethod,
        proxy: str,  # shown to people: a login already masked
        stale: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(shown, parent)
        if not shown.enable:
            intro = self.tr("Codex will connect the way it did before, without {proxy}.").format(
                proxy=proxy
            )
        elif method is RouteMethod.SYSTEM_PROXY:
            intro = self.tr(
                "Codex will follow the system proxy ({proxy}), which carries its "
                "WebSocket: it starts without waiting and keeps WebSocket."
            ).format(proxy=proxy)
        else:
            intro = self.tr(
                "Codex will send its WebSocket through {proxy}, which was checked "
                "to carry it: Codex starts without waiting and keeps WebSocket."
            ).format(proxy=proxy)
        self._build(
            Wording(
                title=self.tr("Send Codex through {proxy}?").format(proxy=proxy)
                if shown.enable
                else self.tr("Undo the route fix?"),
                warning=self.tr(
                    "The proxy {proxy} is not answering: every Codex request fails until it is "
                    "back or the route fix is undone."
                ).format(proxy=proxy)
                if stale
                else "",
                intro=intro,
                adds=self.tr(
                    "Codex Link will add the proxy to {file}; the rest of the file stays as it is."
                ).format(file=shown.path.name),
                undo=self.tr(
                    "A backup copy is kept next to it, and you can undo this at any time "
                    'with "Undo the route fix".'
                ),
                notes=[
                    self.tr(
                        "Codex needs this proxy from now on: if it is closed, Codex "
                        "cannot connect. Codex Link watches it and says so at once."
                    )
                ]
                if shown.enable
                else [],
                confirm=self.tr("Send through the proxy")
                if shown.enable
                else self.tr("Undo the route fix"),
            )
        )
