"""Where Codex keeps its files (CODEX_FACTS §1)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from codex_link.core.model.codex_home import CodexHome


def resolve_codex_home(env: Mapping[str, str], user_home: Path | None = None) -> CodexHome:
    """`CODEX_HOME` when set and non-empty, else `<home>/.codex`, like Codex does."""
    raw = env.get("CODEX_HOME", "")
    if raw.strip():
        return CodexHome(Path(os.path.expandvars(raw)).expanduser(), from_env=True)
    return CodexHome((user_home or Path.home()) / ".codex", from_env=False)


def system_config_path(platform: str = sys.platform) -> Path:
    """The machine-wide config Codex reads below the user's (lowest layer)."""
    if platform.startswith("win"):
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "OpenAI/Codex/config.toml"
    return Path("/etc/codex/config.toml")
