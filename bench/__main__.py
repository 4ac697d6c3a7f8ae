"""`python -m bench [NAME ...]`: runs every benchmark (or the named ones), one after the other.

Each module `bench.<name>` has `main(argv) -> int` that prints its own markdown table and
saves its JSON under bench/out/. Add a module by adding its name to `MODULES`.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

MODULES: tuple[str, ...] = (
    "time_to_verdict",
    "startup_tray",
    "idle_footprint",
    "soak_monitor",
    "download_sizes",
    "switch_cost",
    "codex_netns",
)


def main(argv: Sequence[str] | None = None) -> int:
    names = list(sys.argv[1:] if argv is None else argv) or list(MODULES)
    unknown = [name for name in names if name not in MODULES]
    if unknown:
        print(
            f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(MODULES)}",
            file=sys.stderr,
        )
        return 2
    worst = 0
    for name in names:
        print(f"\n## bench.{name}\n", flush=True)
        result: int = importlib.import_module(f"bench.{name}").main([])
        worst = max(worst, result)
    return worst


if __name__ == "__main__":
    sys.exit(main())
