"""One complete check: the probes on Codex's routes, the alternatives, and the verdict."""

from __future__ import annotations

from dataclasses import dataclass

from codex_link.core.model.findings import Finding
from codex_link.core.model.probe import ProbeResult, Transport
from codex_link.core.model.verdict import Verdict


@dataclass(frozen=True, slots=True)
class CheckReport:
    started_at: float  # wall clock, epoch seconds
    finished_at: float
    primary: tuple[ProbeResult, ...]  # on the routes Codex itself uses, one per transport
    # Other routes (system proxy, PAC, direct, proxies found listening on loopback), to advise.
    alternatives: tuple[ProbeResult, ...]
    verdict: Verdict  # the verdict of this check alone (the monitor adds hysteresis)
    findings: tuple[Finding, ...] = ()  # what Codex's files and routes need the user to hear

    def primary_for(self, transport: Transport) -> ProbeResult | None:
        return next((r for r in self.primary if r.transport is transport), None)
