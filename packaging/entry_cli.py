"""The console executable `codex-link` (the command line; PyInstaller entry script)."""

import sys

from codex_link.cli import main

if __name__ == "__main__":
    sys.exit(main())
