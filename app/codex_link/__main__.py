"""`python -m codex_link` runs the same entry point as the `codex-link` script."""

import sys

from codex_link.cli import main

sys.exit(main())
