"""Start-up time of the tray app: from spawning `python -m codex_link` to its icon placed in a real
tray, against the smallest possible PySide6 tray program started the same way.

Both run under Xvfb with the `trayer` tray host, alternately, N times each (after one warm-up
run of each, so both find the same warm file cache). The time is measured in this process,
from just before the spawn to the moment the child prints "tray icon visible" (each program
prints it once the tray host has given the icon a place). The app runs in a throw-away home
against the loopback TLS endpoint, so nothing real is read or probed.

The app shows its icon (grey, "checking") before it loads the rest; the time until its menu
and window are ready is reported too (no target: the icon is what the user waits for).

Targets: median <= 1.5 s, and <= 1.5x the minimal program's median.
Run: `python -m bench.startup_tray [--runs 7]`; prints a markdown table, saves
bench/out/startup_tray.json, exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import trustme

from codex_link.core.files.json_file import write_json_file
from tests.harness.endpoint import FakeEndpoint
from tests.harness.processes import end_process
from tests.ui.xdesktop import XDesktop, missing_tools

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out" / "startup_tray.json"
TARGET_S = 1.5
TARGET_RATIO = 1.5
VISIBLE = "tray icon visible"
READY = "ready: menu and window available"  # the app only: everything loaded
RUN_TIMEOUT_S = 30.0


def _env(desktop: XDesktop, home: Path, codex_home: Path, ca_pem: Path) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_STATE_HOME": str(home / ".local/state"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "CODEX_HOME": str(codex_home),
        "CODEX_CA_CERTIFICATE": str(ca_pem),
        "DISPLAY": desktop.display,
        "QT_QPA_PLATFORM": "xcb",
        "PYTHONUNBUFFERED": "1",
    }


def time_to_lines(argv: list[str], env: dict[str, str], needles: Sequence[str]) -> list[float]:
    """Seconds from spawn to each of the child's log lines containing `needles` (in any
    order); the child is then ended."""
    started = time.perf_counter()
    child = subprocess.Popen(
        argv, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    found: dict[str, float] = {}
    try:
        assert child.stdout is not None
        deadline = started + RUN_TIMEOUT_S
        for line in child.stdout:
            for needle in needles:
                if needle in line and needle not in found:
                    found[needle] = time.perf_counter() - started
            if len(found) == len(needles) or time.perf_counter() > deadline:
                break
        missing = [n for n in needles if n not in found]
        if missing:
            raise RuntimeError(f"{argv[-1]}: no {missing} within {RUN_TIMEOUT_S} s")
        return [found[n] for n in needles]
    finally:
        end_process(child, 10)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.startup_tray")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    missing = missing_tools()
    if missing:
        print(f"skipped: not installed: {', '.join(missing)}")
        return 0
    app_argv = [sys.executable, "-m", "codex_link", "tray"]
    minimal_argv = [sys.executable, str(REPO / "bench" / "minimal_tray.py")]
    times: dict[str, list[float]] = {"codex-link": [], "minimal": []}
    ready: list[float] = []
    desktop = XDesktop().start()
    ca = trustme.CA()
    try:
        with FakeEndpoint(tls=True, ca=ca) as endpoint, tempfile.TemporaryDirectory() as tmp:
            assert endpoint.ca_pem_path is not None
            for run in range(args.runs + 1):
                home = Path(tmp) / f"home{run}"
                codex = Path(tmp) / f"codex{run}"
                codex.mkdir(parents=True)
                (codex / "config.toml").write_text(f'openai_base_url = "{endpoint.base_url}"\n')
                env = _env(desktop, home, codex, endpoint.ca_pem_path)
                app_s, ready_s = time_to_lines(app_argv, env, (VISIBLE, READY))
                (minimal_s,) = time_to_lines(minimal_argv, env, (VISIBLE,))
                if run == 0:
                    continue  # warm-up: fills the file cache for both alike
                times["codex-link"].append(app_s)
                ready.append(ready_s)
                times["minimal"].append(minimal_s)
    finally:
        desktop.stop()
    app_median = statistics.median(times["codex-link"])
    minimal_median = statistics.median(times["minimal"])
    ratio = app_median / minimal_median
    ok = app_median <= TARGET_S and ratio <= TARGET_RATIO
    print(f"Start-up to tray icon, Xvfb + trayer, median of {args.runs} runs each\n")
    print("| program | median | min | max |")
    print("|---|---|---|---|")
    for name, values in times.items():
        print(
            f"| {name} | {statistics.median(values):.3f} s | {min(values):.3f} s "
            f"| {max(values):.3f} s |"
        )
    print(
        f"| codex-link, menu and window ready | {statistics.median(ready):.3f} s "
        f"| {min(ready):.3f} s | {max(ready):.3f} s |"
    )
    print(
        f"\nratio codex-link / minimal: {ratio:.2f} (target <= {TARGET_RATIO}); "
        f"codex-link median {app_median:.3f} s (target <= {TARGET_S} s): "
        f"{'met' if ok else 'MISSED'}"
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    write_json_file(
        OUT,
        {
            "runs": args.runs,
            "times_s": times,
            "median_s": {"codex-link": app_median, "minimal": minimal_median},
            "ready_s": ready,
            "ready_median_s": statistics.median(ready),
            "ratio": ratio,
            "target_s": TARGET_S,
            "target_ratio": TARGET_RATIO,
            "met": ok,
        },
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
