"""The real Codex CLI judges every config.toml the SYSTEM_PROXY route fix writes.

For each stored corpus file (and a missing file), and for each pinned Codex version: what
`codex features list` makes of the original, of the file after "on" and after "off". After
"on" Codex must load the file with `respect_system_proxy` enabled; after "off" it must see
the original's setting again (and the bytes must be the original's). Files Codex refuses
before we touch them must be refused by us too. Every Codex start runs in the private
network namespace (`codex_bins`).
"""

from __future__ import annotations

import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from codex_link.core.codex.route_fix.fix import RouteFix
from codex_link.core.codex.switch.toggle import SwitchRefused
from codex_link.core.model.codex_home import CodexHome
from codex_link.core.model.route_fix import RouteMethod, RouteProposal
from tests.corpus.loader import CorpusCase, stored_cases
from tests.corpus.switching import read
from tests.harness.codex_cli import codex_cli_versions

pytestmark = pytest.mark.codex

CASES = stored_cases()
RUN_TIMEOUT_S = 60
SYSTEM = RouteProposal(RouteMethod.SYSTEM_PROXY, None)
FIXED_NOW = datetime(2026, 11, 21, 10, 15, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Judged:
    original: bool | None  # respect_system_proxy as Codex reads it; None: Codex refuses it
    on: bool | None
    off: bool | None
    refused: str | None  # our refusal, in words
    off_bytes_back: bool


def _respects(codex_bin: Path, user_home: Path, codex_home: Path) -> bool | None:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(user_home),
        "TERM": "xterm-256color",
        "NO_COLOR": "1",
        "CODEX_HOME": str(codex_home),
    }
    done = subprocess.run(
        [str(codex_bin), "features", "list"],
        env=env,
        cwd=codex_home,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        assert "failed to load" in done.stderr, done.stderr[-2000:]
        return None
    for line in done.stdout.splitlines():
        words = line.split()
        if words and words[0] == "respect_system_proxy":
            return words[-1] == "true"
    raise AssertionError(f"no respect_system_proxy in: {done.stdout[-2000:]}")


def _snapshot(content: bytes | None, folder: Path) -> Path:
    folder.mkdir(parents=True)
    if content is not None:
        (folder / "config.toml").write_bytes(content)
    return folder


@pytest.fixture(scope="module", params=codex_cli_versions())
def judge(request: pytest.FixtureRequest, codex_bins: dict[str, Path]) -> Path:
    version: str = request.param
    if version not in codex_bins:
        pytest.skip(f"the Codex CLI {version} is not installed (run `make test` once)")
    return codex_bins[version]


@pytest.fixture(scope="module")
def judged(judge: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Judged]:
    root = tmp_path_factory.mktemp("judge")
    user_home = root / "user"
    user_home.mkdir()
    homes: dict[tuple[str, str], Path] = {}
    refused: dict[str, str] = {}
    back: set[str] = set()
    for index, case in enumerate(CASES):
        base = root / f"case{index:02d}"
        homes[case.name, "original"] = _snapshot(case.content, base / "original")
        work = _snapshot(case.content, base / "work")
        fix = RouteFix(CodexHome(work, from_env=True), base / "state", now=lambda: FIXED_NOW)
        try:
            fix.apply(fix.plan(True, SYSTEM))
        except SwitchRefused as exc:
            refused[case.name] = str(exc.reason)
            assert read(fix.home.config_path) == case.content
            continue
        homes[case.name, "on"] = _snapshot(read(fix.home.config_path), base / "on")
        fix.apply(fix.plan(False))
        after_off = read(fix.home.config_path)
        homes[case.name, "off"] = _snapshot(after_off, base / "off")
        if after_off == case.content:
            back.add(case.name)

    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {
            key: pool.submit(_respects, judge, user_home, home) for key, home in homes.items()
        }
        results = {key: future.result() for key, future in futures.items()}
    return {
        case.name: Judged(
            original=results[case.name, "original"],
            on=results.get((case.name, "on")),
            off=results.get((case.name, "off")),
            refused=refused.get(case.name),
            off_bytes_back=case.name in back,
        )
        for case in CASES
    }


@pytest.mark.parametrize("case", CASES, ids=str)
def test_codex_follows_the_system_proxy_after_on_and_not_after_off(
    case: CorpusCase, judged: dict[str, Judged]
) -> None:
    result = judged[case.name]
    if result.original is None:  # Codex refuses the file as it is: so do we
        assert case.codex_refuses and result.refused is not None, result
        return
    assert not case.codex_refuses
    if result.original:  # already on: nothing to write
        assert result.refused is None
        return
    assert result.refused is None, result.refused
    assert result.on is True
    assert result.off is False and result.off_bytes_back
