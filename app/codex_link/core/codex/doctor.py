"""Optional second opinion: Codex's own `codex doctor --json` (CODEX_FACTS §6).

Run only when asked (`codex-link check --with-doctor`): it makes a real WebSocket handshake
that can take Codex's full 15 s connect timeout. Bounded in time, never raises: when the CLI
is missing, hangs or prints something else, the reason says so in plain words.
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codex_link.core.codex.bounded_run import find_codex, run_bounded

WEBSOCKET_CHECK = "network.websocket_reachability"
CONFIG_CHECK = "config.load"


@dataclass(frozen=True, slots=True)
class DoctorCheck:
    id: str
    status: str  # as Codex says it: "ok", "warning", "fail", ...
    summary: str
    details: Mapping[str, str] = field(default_factory=dict)  # list values joined by spaces


@dataclass(frozen=True, slots=True)
class DoctorReport:
    overall_status: str  # "ok", "warning" or "fail"
    codex_version: str | None
    checks: tuple[DoctorCheck, ...]

    def check(self, check_id: str) -> DoctorCheck | None:
        return next((c for c in self.checks if c.id == check_id), None)

    @property
    def websocket(self) -> DoctorCheck | None:
        return self.check(WEBSOCKET_CHECK)

    @property
    def websocket_summary(self) -> str | None:
        row = self.websocket
        return row.summary if row else None

    @property
    def config_loaded(self) -> bool:
        row = self.check(CONFIG_CHECK)
        return row is not None and row.status != "fail"

    @property
    def counts(self) -> Mapping[str, int]:
        """How many checks ended in each status, e.g. {"ok": 9, "warning": 1, "fail": 1}."""
        return dict(Counter(c.status for c in self.checks))


@dataclass(frozen=True, slots=True)
class DoctorRun:
    report: DoctorReport | None
    reason: str | None = None  # why there is no report, in words


def run_doctor(
    codex_bin: Path | None,
    codex_home: Path | None,
    env: Mapping[str, str],
    timeout_s: float,
) -> DoctorRun:
    """`codex doctor --json` with `env` (plus `CODEX_HOME`, and a terminal type it accepts)."""
    binary = find_codex(codex_bin, env)
    if binary is None:
        return DoctorRun(None, "the Codex CLI (codex) was not found")
    child_env = dict(env)
    child_env["TERM"] = "xterm-256color"  # TERM=dumb makes Codex's terminal check fail
    if codex_home is not None:
        child_env["CODEX_HOME"] = str(codex_home)
    try:
        stdout = run_bounded([str(binary), "doctor", "--json"], child_env, timeout_s).stdout
    except subprocess.TimeoutExpired:
        return DoctorRun(None, f"codex doctor did not finish within {timeout_s:g} s")
    except OSError as exc:
        return DoctorRun(None, f"codex doctor could not be started: {exc.strerror or exc}")
    report = parse_doctor_json(stdout)
    if report is None:
        return DoctorRun(None, "codex doctor did not print the JSON report expected")
    return DoctorRun(report)


def run_codex_doctor(
    codex_bin: Path | None,
    codex_home: Path | None,
    env: Mapping[str, str],
    timeout_s: float,
) -> DoctorReport | None:
    """The report, or None when there is none (`run_doctor` also says why)."""
    return run_doctor(codex_bin, codex_home, env, timeout_s).report


def parse_doctor_json(stdout: str) -> DoctorReport | None:
    """Codex's JSON report; `checks` may be a map keyed by id or an array (both seen)."""
    data = _first_json_object(stdout)
    if data is None:
        return None
    raw_checks = data.get("checks")
    items: list[tuple[str | None, Any]]
    if isinstance(raw_checks, Mapping):
        items = [(str(key), value) for key, value in raw_checks.items()]
    elif isinstance(raw_checks, list):
        items = [(None, value) for value in raw_checks]
    else:
        return None
    checks = tuple(check for key, value in items if (check := _check(key, value)) is not None)
    version = data.get("codexVersion")
    return DoctorReport(
        overall_status=str(data.get("overallStatus", "unknown")),
        codex_version=version if isinstance(version, str) else None,
        checks=checks,
    )


def _check(key: str | None, value: Any) -> DoctorCheck | None:
    if not isinstance(value, Mapping):
        return None
    check_id = value.get("id", key)
    if not isinstance(check_id, str):
        return None
    details = value.get("details")
    flat = {str(k): _flatten(v) for k, v in details.items()} if isinstance(details, Mapping) else {}
    return DoctorCheck(
        id=check_id,
        status=str(value.get("status", "unknown")),
        summary=str(value.get("summary", "")),
        details=flat,
    )


def _flatten(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(_flatten(item) for item in value)
    return value if isinstance(value, str) else json.dumps(value)


def _first_json_object(stdout: str) -> dict[str, Any] | None:
    start = stdout.find("{")
    if start < 0:
        return None
    try:
        data, _ = json.JSONDecoder().raw_decode(stdout, start)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None
