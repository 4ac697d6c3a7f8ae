"""Start at login: an XDG autostart entry on Linux, a LaunchAgent on macOS, the Run key on
Windows. The entry on disk is the truth (the user may remove it by hand), not a setting.

Qt-free and small; paths come in as arguments so tests never touch the real session.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ENTRY_NAME = "codex-link"
MAC_LABEL = "io.github.codexlink.tray"
WINDOWS_VALUE = "Codex Link"


def launch_command(
    executable: str = sys.executable,
    *,
    frozen: bool | None = None,
    platform: str = sys.platform,
    env: Mapping[str, str] = os.environ,
) -> list[str]:
    """How to start this same Codex Link's tray again at login, without a terminal window.

    The windowed `codex-link-tray` is preferred wherever it exists: beside a bundle's console
    executable, and in the scripts folder of a venv, pipx or uv install (on Windows it is a
    GUI launcher, so no console opens at every login; `pythonw` is the fallback there).
    An AppImage runs from a temporary mount that is gone after login: its own file is named.
    """
    if frozen is None:
        frozen = bool(getattr(sys, "frozen", False))
    windows = platform.startswith("win")
    suffix = ".exe" if windows else ""
    exe = Path(executable)
    tray = exe.with_name(f"codex-link-tray{suffix}")
    if frozen:
        if env.get("APPIMAGE"):
            return [env["APPIMAGE"], "tray"]
        return [str(tray if tray.exists() else exe)]
    if tray.exists():
        return [str(tray)]
    if windows and exe.with_name("pythonw.exe").exists():
        return [str(exe.with_name("pythonw.exe")), "-m", "codex_link", "tray"]
    script = exe.with_name(f"codex-link{suffix}")
    if script.exists():
        return [str(script), "tray"]
    return [executable, "-m", "codex_link", "tray"]


# Characters that make the Desktop Entry spec ask for a quoted argument.
_DESKTOP_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def desktop_exec_line(command: Sequence[str]) -> str:
    """The `Exec=` value for `command`, quoted as the Desktop Entry spec says.

    Arguments with reserved characters go in double quotes, where `"`, `` ` ``, `$` and `\\`
    take a backslash; then the value is escaped as any string value (a backslash doubles),
    and `%` doubles so it is not read as a field code.
    """
    parts = []
    for arg in command:
        if arg and not _DESKTOP_RESERVED.intersection(arg):
            parts.append(arg)
            continue
        inner = "".join(f"\\{c}" if c in '"`$\\' else c for c in arg)
        parts.append(f'"{inner}"')
    return " ".join(parts).replace("\\", "\\\\").replace("%", "%%")


def _desktop_entry(command: Sequence[str]) -> str:
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=Codex Link\n"
        "Comment=Shows whether OpenAI Codex can use WebSocket on this network\n"
        f"Exec={desktop_exec_line(command)}\n"
        "Icon=codex-link\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


@dataclass(frozen=True, slots=True)
class Autostart:
    platform: str
    home: Path
    env: Mapping[str, str]

    @classmethod
    def for_this_machine(cls) -> Autostart:
        return cls(sys.platform, Path.home(), os.environ)

    @property
    def available(self) -> bool:
        return self.platform.startswith(("linux", "darwin", "win"))

    def entry_path(self) -> Path:
        if self.platform == "darwin":
            return self.home / "Library/LaunchAgents" / f"{MAC_LABEL}.plist"
        config = self.env.get("XDG_CONFIG_HOME") or str(self.home / ".config")
        return Path(config) / "autostart" / f"{ENTRY_NAME}.desktop"

    def is_enabled(self) -> bool:
        if self.platform.startswith("win"):
            return _windows_get() is not None
        return self.entry_path().exists()

    def set_enabled(self, enabled: bool, command: Sequence[str] | None = None) -> None:
        """Raises OSError when the entry cannot be written or removed."""
        command = list(command or launch_command())
        if self.platform.startswith("win"):
            _windows_set(subprocess.list2cmdline(command) if enabled else None)
            return
        path = self.entry_path()
        if not enabled:
            path.unlink(missing_ok=True)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        if self.platform == "darwin":
            import plistlib  # macOS only: elsewhere its XML parser would idle in memory

            data = plistlib.dumps(
                {"Label": MAC_LABEL, "ProgramArguments": command, "RunAtLoad": True}
            )
            path.write_bytes(data)
        else:
            path.write_text(_desktop_entry(command), encoding="utf-8")


_RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"


def _windows_get() -> str | None:
    if sys.platform != "win32":
        return None
    import winreg

    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, _RUN_KEY) as key:
            value, _kind = winreg.QueryValueEx(key, WINDOWS_VALUE)
    except OSError:
        return None
    return str(value)


def _windows_set(line: str | None) -> None:
    if sys.platform != "win32":
        raise OSError("the Windows Run key exists only on Windows")
    import winreg

    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, _RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
        if line is None:
            with contextlib.suppress(FileNotFoundError):
                winreg.DeleteValue(key, WINDOWS_VALUE)
        else:
            winreg.SetValueEx(key, WINDOWS_VALUE, 0, winreg.REG_SZ, line)
