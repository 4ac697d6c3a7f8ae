"""Where the shipped resources (icons, translations, desktop files) live.

From a source checkout or an editable install they sit in `resources/` beside the `app`
package; a PyInstaller bundle unpacks them under `sys._MEIPASS/resources` (see
packaging/codex-link.spec).
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent.parent / "resources"


def icon_path(name: str) -> Path:
    return resources_dir() / "icons" / f"{name}.svg"


def translations_dir() -> Path:
    return resources_dir() / "translations"
