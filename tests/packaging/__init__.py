"""Tests of the downloads that need no Python (packaging/): icons, installers, metadata,
the release workflow, and (marked `dist`) the real Linux build."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"


def packaging_module(name: str) -> ModuleType:
    """A script of packaging/ as a module (they import each other by plain name, so the
    folder goes on sys.path; it is no package, since `packaging` is a PyPI library's name)."""
    for folder in (PACKAGING, PACKAGING / "windows"):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    return importlib.import_module(name)
