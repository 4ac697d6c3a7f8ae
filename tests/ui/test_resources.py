"""What every install carries: the desktop entry starts the windowed tray and names an icon
that ships, and the Chinese catalog is compiled (tests/packaging checks the bundles)."""

from __future__ import annotations

import configparser

from codex_link.ui.resources import icon_path, resources_dir, translations_dir


def test_desktop_entry_is_complete() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(resources_dir() / "linux/codex-link.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Exec"] == "codex-link-tray"
    assert icon_path(section["Icon"]).is_file()
    assert section["Terminal"] == "false"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in section["Comment[zh_CN]"])


def test_the_compiled_chinese_catalog_ships() -> None:
    assert (translations_dir() / "codexlink_zh_CN.qm").is_file()
