"""Phase timings read the same in the window, the diagnostics report and `codex-link check`."""

from __future__ import annotations

import dataclasses

from codex_link.commands.check import report_to_text
from codex_link.core.diagnostics import build_report
from codex_link.core.model.probe import PHASES, PhaseTimings, Stage
from codex_link.core.model.timings import PHASE_NAMES, phases_text
from tests import factories as f

TIMINGS = PhaseTimings.of({Stage.RESPONSE: 78, Stage.DNS: 2.4, Stage.TCP: 10, Stage.TLS: 30})
SHOWN = "DNS 2 ms · connect 10 ms · TLS 30 ms · answer 78 ms"


def test_phases_are_named_in_the_order_a_probe_goes_through_them() -> None:
    assert phases_text(TIMINGS) == SHOWN
    assert phases_text(PhaseTimings()) == "no timings"
    assert tuple(PHASE_NAMES) == PHASES  # every timed stage has its name


def test_the_report_and_the_check_output_show_the_same_phases() -> None:
    snapshot = f.ready_ws()
    report = snapshot.report
    assert report is not None
    timed = tuple(dataclasses.replace(r, timings=TIMINGS) for r in report.primary)
    report = dataclasses.replace(report, primary=timed)
    snapshot = dataclasses.replace(snapshot, report=report)

    assert f"[{SHOWN}]" in build_report(snapshot, None)
    assert f"[{SHOWN}]" in report_to_text(report)
