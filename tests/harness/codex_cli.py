"""Where the real Codex CLI is: the pinned copy `.ci/setup-tests` installs, or one on PATH."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PINNED_VERSION_FILE = REPO / ".ci/codex-cli-version"


def find_codex_cli() -> Path | None:
    """CODEX_LINK_CODEX_BIN first (the test command sets it), then the local npm copy, then PATH."""
    explicit = os.environ.get("CODEX_LINK_CODEX_BIN")
    candidates = [Path(explicit)] if explicit else []
    candidates.append(REPO / ".cache/codex-cli/node_modules/.bin/codex")
    found = shutil.which("codex")
    if found:
        candidates.append(Path(found))
    return next((c for c in candidates if c.exists()), None)
