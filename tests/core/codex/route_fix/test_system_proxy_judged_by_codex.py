"""The real Codex CLI judges every config.toml the SYSTEM_PROXY route fix writes.

For each stored corpus file (and a missing file), and for each pinned Codex version: what
`codex features list` makes of the original, of the file after "on" and after "off". After
"on" Codex must load the file with `respect_system_proxy` enabled; after "off" it must see
the original's setting again (and the bytes must be the original's). Files Codex refuses
before we touch them must be refused by us too. Every Codex start runs in the private
network namespace (`codex_bins`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from codex_link.core.codex.route_fix.fix import RouteFix
from codex_link.core.model.codex_home import CodexHome
from codex_link.core.model.route_fix import RouteMethod, RouteProposal
from tests.corpus.judged_by_codex import (
    Judged,
    Toggle,
    judge_cases,
    pinned_codex,
    run_codex,
    snapshot,
)
from tests.corpus.loader import CorpusCase, stored_cases
from tests.harness.codex_cli import codex_cli_versions

pytestmark = pytest.mark.codex

CASES = stored_cases()
SYSTEM = RouteProposal(RouteMethod.SYSTEM_PROXY, None)
FIXED_NOW = datetime(2026, 11, 21, 10, 15, 0, tzinfo=UTC)


def _respects(codex_bin: Path, user_home: Path, codex_home: Path) -> bool | None:
    """respect_system_proxy as Codex reads it; None: Codex refuses the file."""
    done = run_codex(
        codex_bin,
        ["features", "list"],
        user_home=user_home,
        codex_home=codex_home,
        env={"NO_COLOR": "1"},
        cwd=codex_home,
    )
    if done.returncode != 0:
        assert "failed to load" in done.stderr, done.stderr[-2000:]
        return None
    for line in done.stdout.splitlines():
        words = line.split()
        if words and words[0] == "respect_system_proxy":
            return words[-1] == "true"
    raise AssertionError(f"no respect_system_proxy in: {done.stdout[-2000:]}")


def _system_proxy_fix(folder: Path, content: bytes | None) -> tuple[Path, Toggle]:
    work = snapshot(content, folder / "work")
    fix = RouteFix(CodexHome(work, from_env=True), folder / "state", now=lambda: FIXED_NOW)
    return fix.home.config_path, lambda on: fix.apply(
        fix.plan(True, SYSTEM) if on else fix.plan(False)
    )


@pytest.fixture(scope="module", params=codex_cli_versions())
def judge(request: pytest.FixtureRequest, codex_bins: dict[str, Path]) -> Path:
    return pinned_codex(codex_bins, request.param)


@pytest.fixture(scope="module")
def judged(judge: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Judged[bool | None]]:
    return judge_cases(judge, tmp_path_factory.mktemp("judge"), CASES, _system_proxy_fix, _respects)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_codex_follows_the_system_proxy_after_on_and_not_after_off(
    case: CorpusCase, judged: dict[str, Judged[bool | None]]
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
    assert result.off is False and result.off_bytes == case.content
