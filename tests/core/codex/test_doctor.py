"""`codex doctor --json`: parsed in both shapes Codex has used, bounded in time, never fatal."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from codex_link.core.codex.doctor import parse_doctor_json, run_codex_doctor, run_doctor

CHECKS = {
    "config.load": {
        "id": "config.load",
        "status": "ok",
        "summary": "config loaded",
        "details": {"model provider": "openai", "config.toml": ["/x", "missing"]},
    },
    "network.websocket_reachability": {
        "id": "network.websocket_reachability",
        "status": "warning",
        "summary": "Responses WebSocket timed out; HTTPS fallback may still work",
        "details": {"endpoint": "wss://chatgpt.com/backend-api/<redacted>", "retries": 5},
    },
    "auth.credentials": {"id": "auth.credentials", "status": "fail", "summary": "no creds"},
}


def _report_json(checks: object) -> str:
    return json.dumps(
        {"schemaVersion": 1, "overallStatus": "fail", "codexVersion": "0.169.0", "checks": checks}
    )


@pytest.mark.parametrize("shape", ["map", "array"])
def test_parses_checks_as_map_or_array(shape: str) -> None:
    checks = CHECKS if shape == "map" else list(CHECKS.values())
    report = parse_doctor_json("warning: something\n" + _report_json(checks))
    assert report is not None
    assert report.overall_status == "fail"
    assert report.codex_version == "0.169.0"
    assert report.counts == {"ok": 1, "warning": 1, "fail": 1}
    assert report.websocket_summary == (
        "Responses WebSocket timed out; HTTPS fallback may still work"
    )
    assert report.config_loaded
    load = report.check("config.load")
    assert load is not None
    assert load.details["config.toml"] == "/x missing"
    assert report.websocket is not None
    assert report.websocket.details["retries"] == "5"


def test_garbage_output_is_no_report() -> None:
    assert parse_doctor_json("") is None
    assert parse_doctor_json("Error: unknown command") is None
    assert parse_doctor_json('{"checks": 3}') is None


def test_missing_binary_gives_a_reason(tmp_path: Path) -> None:
    run = run_doctor(tmp_path / "no-codex", tmp_path, {"PATH": ""}, timeout_s=5)
    assert run.report is None
    assert run.reason is not None
    assert "not found" in run.reason
    assert run_codex_doctor(None, tmp_path, {"PATH": str(tmp_path)}, timeout_s=5) is None


def test_a_hanging_codex_is_stopped_at_the_deadline(tmp_path: Path) -> None:
    """A launcher whose child keeps the output open must not hang the caller."""
    script = tmp_path / "codex"
    script.write_text("#!/bin/sh\nsleep 30 &\nsleep 30\n")
    script.chmod(0o755)
    started = time.monotonic()
    run = run_doctor(script, tmp_path, {"PATH": os.environ["PATH"]}, timeout_s=0.5)
    assert time.monotonic() - started < 5
    assert run.report is None
    assert run.reason is not None
    assert "0.5 s" in run.reason


def test_a_child_in_a_session_of_its_own_is_stopped_too(tmp_path: Path) -> None:
    """Outside the launcher's process group only the process tree reaches it."""
    setsid = shutil.which("setsid")
    if setsid is None:
        pytest.skip("setsid (util-linux) is not installed")
    script = tmp_path / "codex"
    script.write_text(f"#!/bin/sh\n{setsid} sleep 30 &\nsleep 30\n")
    script.chmod(0o755)
    started = time.monotonic()
    run = run_doctor(script, tmp_path, {"PATH": os.environ["PATH"]}, timeout_s=0.5)
    assert time.monotonic() - started < 4.5  # the wait for the pipes gives up only after 5 s
    assert run.reason is not None and "0.5 s" in run.reason


def test_real_codex_doctor_reports_websocket_off_for_http_only(
    tmp_path: Path, codex_bin: Path
) -> None:
    home = tmp_path / "codex-home"
    home.mkdir()
    (home / "config.toml").write_text(
        'model_provider = "openai_http"\n[model_providers.openai_http]\nname = "OpenAI"\n'
        "requires_openai_auth = true\nsupports_websockets = false\n"
    )
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "TERM": "dumb"}
    report = run_codex_doctor(codex_bin, home, env, timeout_s=20)
    assert report is not None
    assert report.codex_version
    assert report.config_loaded
    assert report.websocket_summary == "Responses WebSocket is not enabled for the active provider"
    terminal = [c for c in report.checks if c.id.startswith("terminal.")]
    assert terminal
    assert all(c.status != "fail" for c in terminal)  # TERM=dumb was replaced
    assert sum(report.counts.values()) == len(report.checks)
