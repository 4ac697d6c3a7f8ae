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

from dataclasses import dataclass, replace

from codex_link.core.model.verdict import Health, Verdict


@dataclass(frozen=True, slots=True)
class Hysteresis:
    """Immutable: `feed` and `reset` return the next value (the monitor's state holds one)."""

    shown: Verdict
    required: int = 2
    candidate: Health | None = None  # the state waiting for confirmation
    count: int = 0  # how many results agreed on it so far

    def __post_init__(self) -> None:
        object.__setattr__(self, "required", max(1, self.required))

    @property
    def pending(self) -> tuple[Health | None, int]:
        """The state waiting for confirmation and how many results agreed on it so far."""
        return self.candidate, self.count

    def would_switch(self, health: Health) -> bool:
        """True if one more result of `health` would be shown (used for provisional verdicts)."""
        if health is self.shown.health or self.shown.health is Health.CHECKING:
            return True
        count = self.count if health is self.candidate else 0
        return count + 1 >= self.required

    def feed(self, verdict: Verdict, *, at_once: bool = False) -> Hysteresis:
        """Takes one final result; `.shown` of the answer is the verdict to show now."""
        health = verdict.health
        if at_once or health is self.shown.health or self.shown.health is Health.CHECKING:
            return self.reset(verdict)
        count = self.count + 1 if health is self.candidate else 1
        if count >= self.required:
            return self.reset(verdict)
        return replace(self, candidate=health, count=count)

    def reset(self, verdict: Verdict) -> Hysteresis:
        """Shows `verdict` (normally `checking`) and forgets any pending state."""
        return replace(self, shown=verdict, candidate=None, count=0)

    def with_required(self, required: int) -> Hysteresis:
        """New setting: a state already pending keeps its count."""
        return replace(self, required=required)
