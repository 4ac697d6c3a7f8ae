"""Which verdict the tray shows, given the verdicts of single checks.

One odd result (a proxy hiccup, a slow Wi-Fi moment) must not flip the tray between green and
amber, so a new state is shown only after `required` results agree on it (DESIGN.md: 2 by
default). Two exceptions show a result at once: the first result after `checking` (nothing is
shown yet, so there is nothing to protect), and the first result after Codex's config changed
(the HTTP-only switch changes what a healthy state even is).

Results of the state already shown replace the shown verdict at once: same colour, fresher
words (latency, advice).
"""

from __future__ import annotations

from dataclasses import dataclass

from codex_link.core.model.verdict import Health, Verdict


@dataclass(slots=True)
class Hysteresis:
    shown: Verdict
    required: int = 2
    _candidate: Health | None = None
    _count: int = 0

    def __post_init__(self) -> None:
        self.required = max(1, self.required)

    @property
    def pending(self) -> tuple[Health | None, int]:
        """The state waiting for confirmation and how many results agreed on it so far."""
        return self._candidate, self._count

    def would_switch(self, health: Health) -> bool:
        """True if one more result of `health` would be shown (used for provisional verdicts)."""
        if health is self.shown.health or self.shown.health is Health.CHECKING:
            return True
        count = self._count if health is self._candidate else 0
        return count + 1 >= self.required

    def feed(self, verdict: Verdict, *, at_once: bool = False) -> Verdict:
        """Takes one final result; returns the verdict to show now."""
        health = verdict.health
        if at_once or health is self.shown.health or self.shown.health is Health.CHECKING:
            self._accept(verdict)
            return self.shown
        if health is self._candidate:
            self._count += 1
        else:
            self._candidate, self._count = health, 1
        if self._count >= self.required:
            self._accept(verdict)
        return self.shown

    def reset(self, verdict: Verdict) -> None:
        """Shows `verdict` (normally `checking`) and forgets any pending state."""
        self._accept(verdict)

    def _accept(self, verdict: Verdict) -> None:
        self.shown = verdict
        self._candidate, self._count = None, 0
