"""Phase timings read the same in the window, the diagnostics report and `codex-link check`."""

from __future__ import annotations

import dataclasses

from codex_link.commands.check import report_to_text
from codex_link.core.diagnostics import build_report
from codex_link.core.model.probe import PhaseTimings
from codex_link.core.model.timings import phases_text
from tests.ui import factories as f

TIMINGS = PhaseTimings(dns_ms=2.4, tcp_ms=10, tls_ms=30, response_ms=78)
SHOWN = "DNS 2 ms · connect 10 ms · TLS 30 ms · answer 78 ms"


def test_phases_are_named_in_the_order_a_probe_goes_through_them() -> None:
    assert phases_text(TIMINGS) == SHOWN
    assert phases_text(PhaseTimings()) == "no timings"


def test_the_report_and_the_check_output_show_the_same_phases() -> None:
    snapshot = f.ready_ws()
    report = snapshot.report
    assert report is not None
    timed = tuple(dataclasses.replace(r, timings=TIMINGS) for r in report.primary)
    report = dataclasses.replace(report, primary=timed)
    snapshot = dataclasses.replace(snapshot, report=report)

    assert f"[{SHOWN}]" in build_report(snapshot, None)
    assert f"[{SHOWN}]" in report_to_text(report)
