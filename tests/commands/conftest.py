"""The command line's tests share one Codex home: ~/.codex inside the throw-away HOME, named
by CODEX_HOME too (the commands run in this process read it; child processes get it in their
environment from the tests)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def codex_home(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = isolated_home / ".codex"
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("CODEX_HOME", str(home))
    return home
