"""Where the shipped resources (icons, translations, desktop files) live.

They are the package `codex_link.resources` (the repository's `resources/` folder), so they are
found the same way in a source checkout, an installed wheel and a PyInstaller bundle, which
collects them under `codex_link/resources` (see packaging/codex-link.spec).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def resources_dir() -> Path:
    # Qt loads icons and translations by file name, so this must be a real folder: it is for a
    # regular package, an unpacked wheel and a PyInstaller bundle alike.
    return Path(str(files("codex_link.resources")))


def icon_path(name: str) -> Path:
    return resources_dir() / "icons" / f"{name}.svg"


def translations_dir() -> Path:
    return resources_dir() / "translations"
