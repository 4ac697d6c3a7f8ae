"""The real Codex CLI (each pinned version, in the network namespace) judges config.toml.

Where it is installed its word is final: the switch refuses a file Codex refuses, with
Codex's own reason, and `codex-link config` does not call such a file fine. The cases
include one the app's own rules do not know (`sandbox_mode = "bogus"`), so only Codex can
catch it.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from codex_link.core.codex.codex_judge import CodexConfigJudge
from codex_link.core.codex.switch.toggle import SwitchRefused
from tests.corpus.loader import CONFIGS
from tests.corpus.switching import make_switch, read
from tests.harness.codex_cli import codex_cli_versions
from tests.harness.processes import run_codex_link

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.codex

UNKNOWN_TO_OUR_RULES = b'sandbox_mode = "bogus"\nmodel = "gpt-5.5"\n'
REFUSED = {
    "approval_policy": (b'approval_policy = "untrusted"\n', "no longer supported"),
    "empty_provider": (b'model_provider = ""\n', "Model provider `` not found"),
    "sandbox_mode": (UNKNOWN_TO_OUR_RULES, "unknown variant `bogus`"),
}


@pytest.fixture(params=codex_cli_versions())
def judge(request: pytest.FixtureRequest, codex_bins: dict[str, Path]) -> CodexConfigJudge:
    if request.param not in codex_bins:
        pytest.skip(f"the Codex CLI {request.param} is not installed")
    return CodexConfigJudge(codex_bins[request.param])


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_codex_refuses_with_its_own_reason(judge: CodexConfigJudge, name: str) -> None:
    content, words = REFUSED[name]
    verdict = judge.judge(content)
    assert verdict is not None and not verdict.accepted
    assert words in verdict.reason, verdict.reason


def test_codex_accepts_toml_1_1_and_no_file(judge: CodexConfigJudge) -> None:
    for content in ((CONFIGS / "52_toml11_mcp_multiline_inline.toml").read_bytes(), None):
        verdict = judge.judge(content)
        assert verdict is not None and verdict.accepted


def test_the_switch_refuses_what_only_codex_knows_is_wrong(
    judge: CodexConfigJudge, tmp_path: Path
) -> None:
    switch = make_switch(tmp_path, UNKNOWN_TO_OUR_RULES)
    switch.judge = judge
    with pytest.raises(SwitchRefused) as refused:
        switch.plan(True)
    assert "Codex itself will not load" in str(refused.value.reason)
    assert "unknown variant `bogus`" in str(refused.value.reason)
    assert read(switch.path) == UNKNOWN_TO_OUR_RULES
    switch.judge = None  # the app's own rules alone do not know this case
    assert not switch.plan(True).noop


def test_the_command_line_asks_the_codex_on_path(
    codex_bin: Path, tmp_path: Path, isolated_home: Path
) -> None:
    home = tmp_path / "codex"
    home.mkdir()
    (home / "config.toml").write_bytes(UNKNOWN_TO_OUR_RULES)
    env = {
        **os.environ,
        "CODEX_HOME": str(home),
        "PATH": f"{codex_bin.parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }

    def cli(*argv: str) -> subprocess.CompletedProcess[str]:
        return run_codex_link(env, *argv)

    on, config, as_json = cli("http-only", "on"), cli("config"), cli("config", "--json")
    assert on.returncode == 1 and "unknown variant `bogus`" in on.stderr
    assert config.returncode == 1 and "The Codex CLI itself refuses" in config.stdout
    judged = json.loads(as_json.stdout)["codex_judge"]
    assert judged["accepted"] is False and "sandbox_mode" in judged["reason"]
    assert (home / "config.toml").read_bytes() == UNKNOWN_TO_OUR_RULES
    assert sorted(p.name for p in home.iterdir()) == ["config.toml"]
