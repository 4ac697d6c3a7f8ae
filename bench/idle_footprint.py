"""Idle footprint of the tray app: memory and CPU while it sits in the tray doing its checks.

The app runs under Xvfb with the `trayer` tray host (the real xcb platform, icon embedded)
against the loopback TLS endpoint, at the default check interval, in a throw-away home. After
its first verdict it is left alone for `--seconds` (default 600: ten checks at the default
60 s interval); RSS is sampled every few seconds, and CPU is the process's user + system time
over the same wall time. In the same run, on the same X server, the smallest PySide6 tray
program (bench/minimal_tray.py) is watched the same way: the app's memory is judged against
what any PySide6 tray app costs on this machine, not against a number from elsewhere.

Targets: RSS <= 120 MB (largest sample); median RSS <= 1.5x the minimal tray program's median
RSS (medians: one sample taken while a check runs, or while the allocator has not yet handed
freed memory back, does not decide the ratio either way); average CPU <= 1 % of one core.
Run: `python -m bench.idle_footprint [--seconds 600]`; prints a markdown table, saves
bench/out/idle_footprint.json, exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import psutil
import trustme

from codex_link.core.files.json_file import write_json_file
from tests.harness.endpoint import FakeEndpoint
from tests.harness.processes import end_process
from tests.ui.app_process import AppProcess, child_env
from tests.ui.xdesktop import XDesktop, missing_tools

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out" / "idle_footprint.json"
RSS_TARGET_MB = 120.0
RSS_TARGET_RATIO = 1.5
CPU_TARGET_PERCENT = 1.0
SAMPLE_S = 5.0
MINIMAL_WATCH_S = 30.0  # the minimal program does nothing: its memory settles at once
START_TIMEOUT_S = 30.0


def watch_rss(pid: int, seconds: float) -> list[float]:
    """RSS samples (MB) of `pid` every few seconds for `seconds`."""
    process = psutil.Process(pid)
    samples: list[float] = []
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        samples.append(process.memory_info().rss / 2**20)
        time.sleep(min(SAMPLE_S, max(0.0, seconds - (time.monotonic() - started))))
    samples.append(process.memory_info().rss / 2**20)
    return samples


def minimal_tray_rss(env: dict[str, str], seconds: float) -> list[float]:
    """The yardstick: bench/minimal_tray.py under the same desktop, once its icon is placed."""
    child = subprocess.Popen(
        [sys.executable, str(REPO / "bench" / "minimal_tray.py")],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        deadline = time.monotonic() + START_TIMEOUT_S
        line = ""
        while "tray icon visible" not in line and time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                raise RuntimeError("the minimal tray program ended before showing its icon")
        return watch_rss(child.pid, seconds)
    finally:
        end_process(child, 10)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.idle_footprint")
    parser.add_argument(
        "--seconds", type=float, default=600.0, help="how long to watch the idle app (default 600)"
    )
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    missing = missing_tools()
    if missing:
        print(f"skipped: not installed: {', '.join(missing)}")
        return 0
    desktop = XDesktop().start()
    ca = trustme.CA()
    try:
        with FakeEndpoint(tls=True, ca=ca) as endpoint, tempfile.TemporaryDirectory() as tmp:
            assert endpoint.ca_pem_path is not None
            codex = Path(tmp) / "codex"
            codex.mkdir()
            (codex / "config.toml").write_text(f'openai_base_url = "{endpoint.base_url}"\n')
            home = Path(tmp) / "home"
            settings = home / ".config/codex-link/settings.json"
            settings.parent.mkdir(parents=True)
            settings.write_text(json.dumps({"welcomed": True}))  # idle after the first run
            env = child_env(
                home, codex, endpoint.ca_pem_path, DISPLAY=desktop.display, QT_QPA_PLATFORM="xcb"
            )
            minimal_mb = minimal_tray_rss(env, min(MINIMAL_WATCH_S, args.seconds))
            app = AppProcess(env, "tray")
            try:
                app.wait_for("tray icon visible")
                app.wait_for("verdict: ready_ws")
                process = psutil.Process(app.process.pid)
                cpu_start = process.cpu_times()
                wall_start = time.monotonic()
                samples_mb: list[float] = []
                connections_start = endpoint.stats.connections
                while time.monotonic() - wall_start < args.seconds:
                    samples_mb.append(process.memory_info().rss / 2**20)
                    time.sleep(
                        min(SAMPLE_S, max(0.0, args.seconds - (time.monotonic() - wall_start)))
                    )
                cpu_end = process.cpu_times()
                wall = time.monotonic() - wall_start
                samples_mb.append(process.memory_info().rss / 2**20)
                probes = endpoint.stats.connections - connections_start
            finally:
                code = app.stop()
    finally:
        desktop.stop()
    cpu_s = (cpu_end.user - cpu_start.user) + (cpu_end.system - cpu_start.system)
    cpu_percent = 100.0 * cpu_s / wall
    rss_max = max(samples_mb)
    rss_median = statistics.median(samples_mb)
    minimal_max = max(minimal_mb)
    minimal_median = statistics.median(minimal_mb)
    ratio = rss_median / minimal_median
    ok = (
        rss_max <= RSS_TARGET_MB
        and ratio <= RSS_TARGET_RATIO
        and cpu_percent <= CPU_TARGET_PERCENT
        and code == 0
    )
    print(f"Idle tray app, Xvfb + trayer, default interval, watched {wall:.0f} s\n")
    print("| measure | value | target |")
    print("|---|---|---|")
    print(f"| RSS, largest sample | {rss_max:.1f} MB | <= {RSS_TARGET_MB:.0f} MB |")
    print(f"| RSS, median sample | {rss_median:.1f} MB | |")
    print(
        f"| minimal PySide6 tray program, RSS median / largest | {minimal_median:.1f} MB / "
        f"{minimal_max:.1f} MB | |"
    )
    print(f"| ratio codex-link / minimal (median samples) | {ratio:.2f} | <= {RSS_TARGET_RATIO} |")
    print(f"| CPU, average | {cpu_percent:.2f} % | <= {CPU_TARGET_PERCENT:.0f} % |")
    print(f"| connections to the endpoint while idle | {probes} | |")
    print(f"| clean exit | {'yes' if code == 0 else f'no ({code})'} | yes |")
    print(f"\n{'met' if ok else 'MISSED'}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    write_json_file(
        OUT,
        {
            "seconds": wall,
            "rss_mb_samples": samples_mb,
            "rss_mb_max": rss_max,
            "rss_mb_median": rss_median,
            "minimal_rss_mb_samples": minimal_mb,
            "minimal_rss_mb_max": minimal_max,
            "minimal_rss_mb_median": minimal_median,
            "rss_ratio": ratio,
            "cpu_percent": cpu_percent,
            "endpoint_connections": probes,
            "exit_code": code,
            "targets": {
                "rss_mb": RSS_TARGET_MB,
                "rss_ratio": RSS_TARGET_RATIO,
                "cpu_percent": CPU_TARGET_PERCENT,
            },
            "met": ok,
        },
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
