"""Start at login writes what each desktop reads at login, and removes it again."""

from __future__ import annotations

import plistlib
from pathlib import Path

from codex_link.ui.autostart import MAC_LABEL, Autostart


def test_linux_entry_follows_xdg_config_home(tmp_path: Path) -> None:
    autostart = Autostart("linux", tmp_path, {"XDG_CONFIG_HOME": str(tmp_path / "cfg")})
    autostart.set_enabled(True, ["/opt/codex link/codex-link"])
    entry = tmp_path / "cfg/autostart/codex-link.desktop"
    assert autostart.is_enabled() and entry.is_file()
    assert "Exec='/opt/codex link/codex-link'" in entry.read_text()
    autostart.set_enabled(False)
    assert not entry.exists() and not autostart.is_enabled()


def test_macos_launch_agent(tmp_path: Path) -> None:
    autostart = Autostart("darwin", tmp_path, {})
    autostart.set_enabled(True, ["/Applications/Codex Link.app/Contents/MacOS/codex-link"])
    agent = tmp_path / f"Library/LaunchAgents/{MAC_LABEL}.plist"
    data = plistlib.loads(agent.read_bytes())
    assert data["RunAtLoad"] is True
    assert data["ProgramArguments"] == ["/Applications/Codex Link.app/Contents/MacOS/codex-link"]
    autostart.set_enabled(False)
    assert not agent.exists()
