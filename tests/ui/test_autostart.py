"""Start at login writes what each desktop reads at login, and removes it again."""

from __future__ import annotations

import plistlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codex_link.ui.autostart import MAC_LABEL, Autostart, desktop_exec_line, launch_command


def test_linux_entry_follows_xdg_config_home(tmp_path: Path) -> None:
    autostart = Autostart("linux", tmp_path, {"XDG_CONFIG_HOME": str(tmp_path / "cfg")})
    autostart.set_enabled(True, ["/opt/codex link/codex-link"])
    entry = tmp_path / "cfg/autostart/codex-link.desktop"
    assert autostart.is_enabled() and entry.is_file()
    assert 'Exec="/opt/codex link/codex-link"' in entry.read_text()
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


@pytest.mark.parametrize(
    ("command", "line"),
    [
        (["/usr/bin/codex-link-tray"], "/usr/bin/codex-link-tray"),
        (["/home/amy/my apps/codex-link", "tray"], '"/home/amy/my apps/codex-link" tray'),
        (['/opt/a"b$c`d'], '"/opt/a\\\\"b\\\\$c\\\\`d"'),
        (["/opt/50%/x"], "/opt/50%%/x"),
        (["/opt/back\\slash"], '"/opt/back\\\\\\\\slash"'),
    ],
)
def test_exec_line_is_quoted_as_the_desktop_entry_spec_says(command: list[str], line: str) -> None:
    assert desktop_exec_line(command) == line


def test_autostart_entry_passes_desktop_file_validate(tmp_path: Path) -> None:
    validate = shutil.which("desktop-file-validate")
    if validate is None:
        pytest.skip("desktop-file-validate (desktop-file-utils) is not installed")
    autostart = Autostart("linux", tmp_path, {"XDG_CONFIG_HOME": str(tmp_path)})
    autostart.set_enabled(True, ["/home/amy/my apps/.venv/bin/codex-link-tray"])
    done = subprocess.run(
        [validate, str(tmp_path / "autostart/codex-link.desktop")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def _touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("")
    return path


def test_login_starts_the_windowed_tray_of_a_venv_pipx_or_checkout(tmp_path: Path) -> None:
    python = _touch(tmp_path / "venv/bin/python")
    _touch(tmp_path / "venv/bin/codex-link")
    assert launch_command(str(python), frozen=False, platform="linux") == [
        str(tmp_path / "venv/bin/codex-link"),
        "tray",
    ]
    tray = _touch(tmp_path / "venv/bin/codex-link-tray")
    assert launch_command(str(python), frozen=False, platform="linux") == [str(tray)]


def test_login_on_windows_never_opens_a_console(tmp_path: Path) -> None:
    python = _touch(tmp_path / "Scripts/python.exe")
    pythonw = _touch(tmp_path / "Scripts/pythonw.exe")
    _touch(tmp_path / "Scripts/codex-link.exe")  # the console launcher: not at login
    assert launch_command(str(python), frozen=False, platform="win32") == [
        str(pythonw),
        "-m",
        "codex_link",
        "tray",
    ]
    tray = _touch(tmp_path / "Scripts/codex-link-tray.exe")
    assert launch_command(str(python), frozen=False, platform="win32") == [str(tray)]


def test_login_in_a_bundle_starts_the_tray_executable(tmp_path: Path) -> None:
    console = _touch(tmp_path / "Codex Link/codex-link.exe")
    assert launch_command(str(console), frozen=True, platform="win32") == [str(console)]
    tray = _touch(tmp_path / "Codex Link/codex-link-tray.exe")
    assert launch_command(str(console), frozen=True, platform="win32") == [str(tray)]


def test_login_in_an_appimage_starts_the_appimage_not_its_mount(tmp_path: Path) -> None:
    inside = _touch(tmp_path / "mount/codex-link-tray")
    image = "/home/amy/Apps/Codex Link.AppImage"
    assert launch_command(str(inside), frozen=True, platform="linux", env={"APPIMAGE": image}) == [
        image,
        "tray",
    ]


def test_this_checkout_starts_its_own_tray_at_login() -> None:
    command = launch_command()
    assert Path(command[0]).exists() and Path(command[0]).parent == Path(sys.executable).parent
    assert Path(command[0]).name == "codex-link-tray" or command[-1] == "tray"
