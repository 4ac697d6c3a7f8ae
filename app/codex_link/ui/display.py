"""Whether this session can show a window at all. Qt-free: asked before Qt is loaded."""

from __future__ import annotations

import sys
from collections.abc import Mapping

# Qt platforms that need no X or Wayland server (tests, kiosks, remote framebuffers).
HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc", "linuxfb", "eglfs")


def has_display(env: Mapping[str, str], platform: str = sys.platform) -> bool:
    """False on a Linux/BSD box without an X or Wayland session (an SSH login, a container)."""
    if platform.startswith(("win", "darwin")):
        return True
    if env.get("QT_QPA_PLATFORM", "").split(":")[0] in HEADLESS_PLATFORMS:
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))
