"""Where the real Codex CLI is: the pinned versions `.ci/setup-tests` installs, or one on PATH.

`.ci/codex-cli-versions` lists the versions the tests judge with; the first is the default,
which `CODEX_LINK_CODEX_BIN` names when set (the test command sets it). Each version lives
in `.cache/codex-cli/<version>`, so several can be installed side by side.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VERSIONS_FILE = REPO / ".ci/codex-cli-versions"
INSTALL_DIR = REPO / ".cache/codex-cli"


def codex_cli_versions() -> list[str]:
    """The pinned versions, default first."""
    lines = (line.split("#", 1)[0].strip() for line in VERSIONS_FILE.read_text().splitlines())
    return [line for line in lines if line]


def default_codex_version() -> str:
    return codex_cli_versions()[0]


def find_codex_cli(version: str | None = None) -> Path | None:
    """The CLI of `version` (default: the default version), or None when it is not installed.

    For the default version CODEX_LINK_CODEX_BIN comes first, then the local install, then
    a `codex` on PATH; other versions are only taken from their own install folder.
    """
    wanted = version or default_codex_version()
    candidates: list[Path] = []
    default = wanted == default_codex_version()
    explicit = os.environ.get("CODEX_LINK_CODEX_BIN")
    if default and explicit:
        candidates.append(Path(explicit))
    candidates.append(INSTALL_DIR / wanted / "node_modules/.bin/codex")
    found = shutil.which("codex") if default else None
    if found:
        candidates.append(Path(found))
    return next((c for c in candidates if c.exists()), None)
