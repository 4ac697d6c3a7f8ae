"""The real Codex CLI judges every config the switch writes (`codex doctor --json`).

For each stored corpus file (and a missing file), and for each pinned Codex version
(`.ci/codex-cli-versions`): Codex's view of the original, of the file after "on" and of the
file after "off". After "on" Codex must load the config and say that the
active provider has no WebSocket; after "off" it must see the provider and WebSocket setting
of the original again. Files Codex refuses before we touch them must be refused by us too.
The doctor runs go in parallel to keep the module quick.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from codex_link.core.codex.file_edit.transaction import EditResult
from codex_link.core.codex.switch.toggle import SwitchRefused
from tests.corpus.judged_by_codex import Judged, Toggle, judge_cases, pinned_codex, run_codex
from tests.corpus.loader import CorpusCase, stored_cases
from tests.corpus.switching import make_switch
from tests.harness.codex_cli import codex_cli_versions

pytestmark = pytest.mark.codex

NOT_ENABLED = "Responses WebSocket is not enabled for the active provider"
CASES = stored_cases()


def _checks(output: str) -> dict[str, Any]:
    checks = json.loads(output)["checks"]
    if isinstance(checks, list):
        return {check["id"]: check for check in checks}
    assert isinstance(checks, dict)
    return checks


def _doctor(codex_bin: Path, user_home: Path, codex_home: Path) -> dict[str, Any]:
    """Codex's doctor checks by id."""
    done = run_codex(codex_bin, ["doctor", "--json"], user_home=user_home, codex_home=codex_home)
    assert done.stdout.strip(), f"codex doctor printed nothing: {done.stderr[-2000:]}"
    return _checks(done.stdout)


def _switch(folder: Path, content: bytes | None) -> tuple[Path, Toggle]:
    switch = make_switch(folder / "work", content)

    def toggle(on: bool) -> EditResult | None:
        try:
            return switch.apply(switch.plan(on))
        except SwitchRefused:
            if on:
                raise
            return None  # HTTP-only set by hand (the user's own provider): "off" leaves it

    return switch.path, toggle


@pytest.fixture(scope="module", params=codex_cli_versions())
def judge(request: pytest.FixtureRequest, codex_bins: dict[str, Path]) -> Path:
    """One pinned Codex version (each test runs once per version)."""
    return pinned_codex(codex_bins, request.param)


@pytest.fixture(scope="module")
def judged(
    judge: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Judged[dict[str, Any]]]:
    return judge_cases(judge, tmp_path_factory.mktemp("judge"), CASES, _switch, _doctor)


def _off_undid_hand_made(case: CorpusCase, result: Judged[dict[str, Any]]) -> bool:
    """Whether "off" turned WebSocket on in a file "on" did not change."""
    off = result.off_result
    return off is not None and off.changed and result.on_bytes == case.content


def _loads(checks: Mapping[str, Any]) -> bool:
    load = checks["config.load"]
    return bool(load["status"] in ("ok", "warning") and load["summary"] == "config loaded")


def _websocket(checks: Mapping[str, Any]) -> tuple[str, str, str]:
    check = checks["network.websocket_reachability"]
    details = check["details"]
    return check["summary"], details["model provider"], details["supports websockets"]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_codex_accepts_what_the_switch_writes(
    case: CorpusCase, judged: dict[str, Judged[dict[str, Any]]]
) -> None:
    result = judged[case.name]
    if not _loads(result.original):
        assert case.codex_refuses, f"Codex refuses {case.name}: {result.original['config.load']}"
        assert result.refused is not None and result.on is None
        return
    assert not case.codex_refuses, f"Codex loads {case.name}, yet the corpus says it refuses it"
    assert result.refused is None and result.on is not None and result.off is not None

    assert _loads(result.on), result.on["config.load"]
    summary, _provider, supports = _websocket(result.on)
    assert (summary, supports) == (NOT_ENABLED, "false")

    assert _loads(result.off), result.off["config.load"]
    before, after = _websocket(result.original), _websocket(result.off)
    if _off_undid_hand_made(case, result):  # a hand-made `openai_http` set-up: back to the built-in
        assert before[2] == "false" and after[1:] == ("openai", "true")
    else:
        assert after[1:] == before[1:]  # the same provider, with the same WebSocket setting
    if before[2] == "true":
        assert after[0] != NOT_ENABLED
