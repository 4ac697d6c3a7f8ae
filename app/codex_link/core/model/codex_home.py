"""Codex's home folder and the files Codex keeps in it (CODEX_FACTS §1)."""

from __future__ import annotations

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
