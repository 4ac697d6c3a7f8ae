"""Phase timings on one monotonic clock, and which stage (and hop) a probe is in.

A probe walks DNS -> TCP -> proxy -> TLS -> response -> post-upgrade. The recorder is told
when each phase begins; the one running when an exception arrives is the stage that failed,
so classification never has to guess it from the exception.
"""

from __future__ import annotations

from collections.abc import Callable

from codex_link.core.model.probe import PHASES, PhaseTimings, Stage


class PhaseRecorder:
    """Records completed phases in milliseconds; `stage` is the phase now running."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._start = clock()
        self._phase_start = self._start
        self._end: float | None = None
        self.stage = Stage.DNS  # where a failure before the first phase is reported
        self._running = False
        self.at_proxy = False  # the running phase talks to the proxy, not to the target
        self._done: dict[Stage, float] = {}

    def begin(self, stage: Stage, *, at_proxy: bool = False) -> None:
        """Ends the running phase (if it was under way) and starts `stage`."""
        now = self._clock()
        self._close_running(now)
        self.stage = stage
        self.at_proxy = at_proxy
        self._phase_start = now
        self._running = True

    def add(self, stage: Stage, *, at_proxy: bool = False) -> None:
        """Continues the running phase under the same stage, now against another hop.

        Used when one phase covers two hops (local DNS for the proxy and then the target).
        """
        self.stage = stage
        self.at_proxy = at_proxy

    def finish(self) -> None:
        """Ends the running phase: the probe completed it."""
        now = self._clock()
        self._close_running(now)
        self.stage = Stage.DONE
        self._running = False
        self._end = now

    def credit(self) -> None:
        """Ends the running phase as completed but stays at its stage (an answer arrived,
        and it is the answer that failed: a 401 to the upgrade took this long)."""
        now = self._clock()
        self._close_running(now)
        self._running = False
        self._end = now

    def stop(self) -> None:
        """Stops the clock without crediting the running phase (it failed)."""
        if self._end is None:
            self._end = self._clock()

    def _close_running(self, now: float) -> None:
        if self._running and self.stage in PHASES and self._end is None:
            self._done[self.stage] = self._done.get(self.stage, 0.0) + (now - self._phase_start)

    def completed(self, stage: Stage) -> bool:
        return stage in self._done

    @property
    def elapsed_ms(self) -> float:
        end = self._end if self._end is not None else self._clock()
        return (end - self._start) * 1000.0

    def timings(self) -> PhaseTimings:
        return PhaseTimings.of({stage: seconds * 1000.0 for stage, seconds in self._done.items()})
