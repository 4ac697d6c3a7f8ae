"""Where Codex keeps its files (CODEX_FACTS §1)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class CodexHome:
    """Codex's home folder, as Codex itself would pick it."""

    path: Path
    from_env: bool  # chosen by CODEX_HOME (Codex refuses to start if that folder is missing)

    @property
    def config_path(self) -> Path:
        return self.path / "config.toml"

    @property
    def auth_path(self) -> Path:
        return self.path / "auth.json"

    @property
    def dotenv_path(self) -> Path:
        return self.path / ".env"

    def profile_path(self, name: str) -> Path:
        return self.path / f"{name}.config.toml"

    def exists(self) -> bool:
        return self.path.is_dir()


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
