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
import os
import subprocess
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from codex_link.core.codex.switch.toggle import SwitchRefused
from tests.corpus.loader import CorpusCase, stored_cases
from tests.corpus.switching import make_switch, read
from tests.harness.codex_cli import codex_cli_versions

pytestmark = pytest.mark.codex

NOT_ENABLED = "Responses WebSocket is not enabled for the active provider"
CASES = stored_cases()
DOCTOR_TIMEOUT_S = 60


@dataclass(frozen=True)
class Judged:
    original: Mapping[str, Any]  # doctor checks by id
    on: Mapping[str, Any] | None  # None: the switch refused, nothing was written
    off: Mapping[str, Any] | None
    refused: str | None  # our refusal, in words
    off_undid_hand_made: bool  # "off" turned WebSocket on in a file "on" did not change


def _checks(output: str) -> dict[str, Any]:
    checks = json.loads(output)["checks"]
    if isinstance(checks, list):
        return {check["id"]: check for check in checks}
    assert isinstance(checks, dict)
    return checks


def _doctor(codex_bin: Path, user_home: Path, codex_home: Path) -> dict[str, Any]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(user_home),
        "TERM": "xterm-256color",
        "CODEX_HOME": str(codex_home),
    }
    done = subprocess.run(
        [str(codex_bin), "doctor", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=DOCTOR_TIMEOUT_S,
        check=False,
    )
    assert done.stdout.strip(), f"codex doctor printed nothing: {done.stderr[-2000:]}"
    return _checks(done.stdout)


def _snapshot(content: bytes | None, folder: Path) -> Path:
    folder.mkdir(parents=True)
    if content is not None:
        (folder / "config.toml").write_bytes(content)
    return folder


@pytest.fixture(scope="module", params=codex_cli_versions())
def judge(request: pytest.FixtureRequest, codex_bins: dict[str, Path]) -> Path:
    """One pinned Codex version (each test runs once per version)."""
    version: str = request.param
    if version not in codex_bins:
        pytest.skip(f"the Codex CLI {version} is not installed (run `make test` once)")
    return codex_bins[version]


@pytest.fixture(scope="module")
def judged(judge: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Judged]:
    codex_bin = judge
    root = tmp_path_factory.mktemp("judge")
    user_home = root / "user"
    user_home.mkdir()
    homes: dict[tuple[str, str], Path] = {}
    refused: dict[str, str] = {}
    hand_made: set[str] = set()
    for index, case in enumerate(CASES):
        base = root / f"case{index:02d}"
        homes[case.name, "original"] = _snapshot(case.content, base / "original")
        switch = make_switch(base / "work", case.content)
        try:
            switch.apply(switch.plan(True))
        except SwitchRefused as exc:
            refused[case.name] = str(exc.reason)
            assert read(switch.path) == case.content
            continue
        on_bytes = read(switch.path)
        homes[case.name, "on"] = _snapshot(on_bytes, base / "on")
        try:
            off = switch.apply(switch.plan(False))
        except SwitchRefused:
            pass  # HTTP-only set by hand (the user's own provider): "off" leaves it
        else:
            if off.changed and on_bytes == case.content:
                hand_made.add(case.name)
        homes[case.name, "off"] = _snapshot(read(switch.path), base / "off")

    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {
            key: pool.submit(_doctor, codex_bin, user_home, home) for key, home in homes.items()
        }
        results = {key: future.result() for key, future in futures.items()}
    return {
        case.name: Judged(
            original=results[case.name, "original"],
            on=results.get((case.name, "on")),
            off=results.get((case.name, "off")),
            refused=refused.get(case.name),
            off_undid_hand_made=case.name in hand_made,
        )
        for case in CASES
    }


def _loads(checks: Mapping[str, Any]) -> bool:
    load = checks["config.load"]
    return bool(load["status"] in ("ok", "warning") and load["summary"] == "config loaded")


def _websocket(checks: Mapping[str, Any]) -> tuple[str, str, str]:
    check = checks["network.websocket_reachability"]
    details = check["details"]
    return check["summary"], details["model provider"], details["supports websockets"]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_codex_accepts_what_the_switch_writes(case: CorpusCase, judged: dict[str, Judged]) -> None:
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
    if result.off_undid_hand_made:  # a hand-made `openai_http` set-up: back to the built-in
        assert before[2] == "false" and after[1:] == ("openai", "true")
    else:
        assert after[1:] == before[1:]  # the same provider, with the same WebSocket setting
    if before[2] == "true":
        assert after[0] != NOT_ENABLED
