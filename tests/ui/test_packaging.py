"""What the packages ship: the desktop entry points at an icon that exists, and the frozen
build carries the resources the app looks for."""

from __future__ import annotations

import ast
import configparser

from codex_link.ui.resources import icon_path, resources_dir, translations_dir
from tests.ui.app_process import REPO


def test_desktop_entry_is_complete() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(resources_dir() / "linux/codex-link.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Exec"] == "codex-link"
    assert icon_path(section["Icon"]).is_file()
    assert section["Terminal"] == "false"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in section["Comment[zh_CN]"])


def test_pyinstaller_spec_bundles_resources_and_hides_the_dock_icon() -> None:
    spec = (REPO / "packaging/codex-link.spec").read_text(encoding="utf-8")
    ast.parse(spec)  # valid Python, as PyInstaller executes it
    assert '"resources"), "resources")' in spec
    assert '"LSUIElement": True' in spec
    assert "console=False" in spec
    assert (translations_dir() / "codexlink_zh_CN.qm").is_file()
