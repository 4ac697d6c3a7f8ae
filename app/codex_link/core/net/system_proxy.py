"""Read the OS proxy settings: Windows Internet Options, macOS network settings, GNOME, KDE.

`read_system_proxy` only dispatches and never raises: every reader is a pure function over
recorded input (registry values, command output, file text), so each is tested on captured
inputs, and the dispatcher's own I/O (one registry read, one bounded subprocess, one file) is
injected. Which of these settings Codex actually follows is decided in `routes.py`.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from codex_link.core.net.proxy_linux import (
    GNOME_FAMILY,
    GSETTINGS_COMMAND,
    desktop_names,
    parse_gnome_gsettings,
    parse_gsettings_listing,
    parse_kde_kioslaverc,
)
from codex_link.core.net.proxy_macos import COMMAND as SCUTIL_COMMAND
from codex_link.core.net.proxy_macos import parse_scutil_proxy
from codex_link.core.net.proxy_settings import SystemProxy
from codex_link.core.net.proxy_windows import (
    parse_windows_internet_settings,
    read_internet_settings_registry,
)

__all__ = [
    "COMMAND_TIMEOUT_S",
    "ReadRegistry",
    "ReadText",
    "Runner",
    "SystemProxy",
    "read_system_proxy",
    "read_text_file",
    "run_command",
]

# `scutil` and `gsettings` answer in milliseconds; a hung one must not hold up a check.
COMMAND_TIMEOUT_S = 3.0

# Runs argv with the given environment; returns stdout, or None on any failure or timeout.
type Runner = Callable[[Sequence[str], Mapping[str, str], float], str | None]
type ReadText = Callable[[Path], str | None]
type ReadRegistry = Callable[[], Mapping[str, object] | None]


def run_command(argv: Sequence[str], env: Mapping[str, str], timeout_s: float) -> str | None:
    """The default `Runner`: a bounded subprocess, stdout as text, None if it fails."""
    try:
        done = subprocess.run(
            list(argv),
            env=dict(env),
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return done.stdout if done.returncode == 0 else None


def read_text_file(path: Path) -> str | None:
    """The default `ReadText`: the file as text, None if it is missing or unreadable."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def read_system_proxy(
    *,
    platform: str = sys.platform,
    env: Mapping[str, str],
    run: Runner = run_command,
    read_text: ReadText = read_text_file,
    read_registry: ReadRegistry = read_internet_settings_registry,
) -> SystemProxy | None:
    """The OS proxy settings for this user; None when none is configured or they cannot be read.

    win32: the Internet Options registry values. darwin: `scutil --proxy`. Linux: GNOME-family
    desktops through `gsettings`, KDE through `kioslaverc` (found through
    XDG_CURRENT_DESKTOP / DESKTOP_SESSION). Anything else: None.
    """
    try:
        if platform == "win32":
            values = read_registry()
            return parse_windows_internet_settings(values) if values is not None else None
        if platform == "darwin":
            output = run(SCUTIL_COMMAND, env, COMMAND_TIMEOUT_S)
            return parse_scutil_proxy(output) if output is not None else None
        if platform.startswith("linux") or platform.startswith("freebsd"):
            return _read_linux_desktop(env, run, read_text)
    except Exception:  # odd settings must never stop a check; "none" is safe
        return None
    return None


def _read_linux_desktop(
    env: Mapping[str, str], run: Runner, read_text: ReadText
) -> SystemProxy | None:
    desktops = desktop_names(env)
    if desktops & {"kde", "plasma"}:
        text = read_text(_config_home(env) / "kioslaverc")
        return parse_kde_kioslaverc(text, env) if text is not None else None
    if desktops & GNOME_FAMILY:
        output = run(GSETTINGS_COMMAND, env, COMMAND_TIMEOUT_S)
        return parse_gnome_gsettings(parse_gsettings_listing(output)) if output else None
    return None


def _config_home(env: Mapping[str, str]) -> Path:
    configured = env.get("XDG_CONFIG_HOME", "")
    if configured and Path(configured).is_absolute():
        return Path(configured)
    return Path(env.get("HOME") or Path.home()) / ".config"
