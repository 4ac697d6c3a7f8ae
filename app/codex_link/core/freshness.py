"""When the shown result is too old to trust: the tray dims and says how old it is.

Checks come every interval (60 s by default) or sooner; a result older than two intervals
plus a margin means checks stopped (the machine slept, a check hung): the network may have
changed since, so the last verdict is shown as out of date rather than as the truth.
"""

from __future__ import annotations

from codex_link.core.model.snapshot import Snapshot

STALE_MARGIN_S = 30.0


def last_checked_at(snapshot: Snapshot) -> float | None:
    """Wall-clock time of the latest complete check with probe results, if any."""
    report = snapshot.last_complete
    return None if report is None else report.finished_at


def is_stale(snapshot: Snapshot, now: float, interval_s: float) -> bool:
    checked = last_checked_at(snapshot)
    if checked is None:
        return False  # nothing shown yet: "checking" says it all
    return now - checked > 2 * interval_s + STALE_MARGIN_S
