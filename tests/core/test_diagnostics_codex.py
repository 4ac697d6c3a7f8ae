"""Diagnostics name the Codex in use, its version and where it is."""

from __future__ import annotations

from pathlib import Path

from codex_link.core.codex.installed import CodexInstall, InstalledCodex, InstallKind
from codex_link.core.diagnostics import build_report
from tests import factories as f

EXTENSION = CodexInstall(
    Path("/home/u/.vscode/extensions/openai.chatgpt-26.5.0-linux-x64/bin/linux-x86_64/codex"),
    InstallKind.EDITOR_EXTENSION,
    on_path=False,
)


def test_the_report_names_the_codex_in_use() -> None:
    codex = InstalledCodex(EXTENSION, "0.171.0")
    report = build_report(f.checking_snapshot(), None, codex=lambda: codex)
    assert f"Codex 0.171.0 (VS Code extension) at {EXTENSION.path}\n" in report


def test_the_report_says_when_the_facts_were_not_checked_on_that_version() -> None:
    codex = InstalledCodex(EXTENSION, "0.175.2")
    report = build_report(f.checking_snapshot(), None, codex=lambda: codex)
    assert (
        "Codex 0.175.2 (VS Code extension): not a version Codex Link's facts were checked "
        "on (it uses those of 0.171.0) at "
    ) in report


def test_the_report_says_when_there_is_no_codex() -> None:
    report = build_report(f.checking_snapshot(), None, codex=lambda: None)
    assert "\nCodex not found on this computer\n" in report
