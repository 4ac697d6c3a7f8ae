"""The windowed executable `codex-link-tray` (Start menu, start at login, the macOS app)."""

import sys

from codex_link.cli import tray_main

if __name__ == "__main__":
    sys.exit(tray_main())
