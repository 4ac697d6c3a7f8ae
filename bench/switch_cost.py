"""What the HTTP-only switch costs on big config.toml files: time and peak memory.

Codex's config grows with use (one `[projects."..."]` table per trusted folder, MCP servers
with their environments); a switch that rescans the text per key, or parses it once per
edit, becomes minutes and gigabytes on a file of tens of megabytes. For 10 KB, 1 MB and
50 MB configs of that shape this measures, each in a fresh process and from the file on
disk: `on` (plan and write), `off` (plan and write, after an `on`), `on --dry-run` (plan and
diff) and `codex-link config` (the read-only settings). Reported: the median time of the
operation itself (not Python's start-up) and the peak memory it added to the process (RSS
high-water mark above what the process used before it started).

Goals, for on and off: 1 MB within 0.1 s; time growing linearly with the size (50 MB costs
at most 1.5x 50 times the 1 MB figure); peak memory under 10x the file. Dry run and
`config` are shown beside them.

Run: `python -m bench.switch_cost [--repeat 5]` (exit code 1 if a goal is missed).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psutil

from codex_link.core.files.json_file import write_json_file
from tests.corpus.loader import CONFIGS

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench/out/switch_cost.json"
SIZES = {"10 KB": 10_000, "1 MB": 1_000_000, "50 MB": 50_000_000}
OPERATIONS = ("on", "off", "dry-run", "config")
WITH_GOALS = ("on", "off")
GOAL_1MB_S = 0.1
GOAL_LINEAR = 1.5
GOAL_PEAK_X = 10.0


def make_config(size: int) -> bytes:
    """A real-shaped config: a user's settings, then projects and MCP servers up to `size`."""
    head = (CONFIGS / "02_typical_user.toml").read_bytes()
    parts = [head]
    total, number = len(head), 0
    orgs = ("acme-payments", "platform-infra", "mobile-apps", "data-science", "web")
    while total < size:
        number += 1
        if number % 50:
            org = orgs[number % len(orgs)]
            block = (
                f'\n[projects."/home/amy.chen/src/github.com/{org}/service-{number:07d}'
                '/packages/api"]\ntrust_level = "trusted"\n'
            )
        else:
            block = (
                f'\n[mcp_servers.tool{number}]\ncommand = "npx"\n'
                f'args = ["-y", "@example/tool-{number}-mcp"]\n'
                f'env = {{ TOKEN = "t{number:09d}", REGION = "eu-west-1" }}\n'
            )
        parts.append(block.encode())
        total += len(block)
    return b"".join(parts)


def run_one(operation: str, codex_home: Path, state: Path) -> dict[str, float]:
    """One operation, in this (fresh) process: its time and the peak memory it added."""
    import os

    from codex_link.core.codex.settings import load_settings
    from codex_link.core.codex.switch.toggle import HttpOnlySwitch
    from codex_link.core.model.codex_home import CodexHome

    switch = HttpOnlySwitch(CodexHome(codex_home, from_env=True), state)
    before = psutil.Process().memory_info().rss
    started = time.perf_counter()
    if operation == "config":
        load_settings(switch.home, dict(os.environ))
    elif operation == "dry-run":
        switch.plan(True).diff()
    else:
        result = switch.apply(switch.plan(operation == "on"))
        assert result.changed, result.message
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    return {"seconds": seconds, "peak_extra_bytes": max(0, peak - before)}


def _child(operation: str, codex_home: Path, state: Path) -> dict[str, float]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.switch_cost",
            "--one",
            operation,
            str(codex_home),
            str(state),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1800,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def measure(size: int, repeat: int, work: Path) -> dict[str, dict[str, float]]:
    content = make_config(size)
    runs: dict[str, list[dict[str, float]]] = {op: [] for op in OPERATIONS}
    for index in range(repeat):
        home, state = work / f"home{index}", work / f"state{index}"
        home.mkdir()
        (home / "config.toml").write_bytes(content)
        runs["config"].append(_child("config", home, state))
        runs["dry-run"].append(_child("dry-run", home, state))
        runs["on"].append(_child("on", home, state))
        runs["off"].append(_child("off", home, state))
        assert (home / "config.toml").read_bytes() == content, "off did not give it back"
        for leftover in home.iterdir():
            leftover.unlink()
        home.rmdir()
    return {
        op: {
            "median_s": statistics.median(r["seconds"] for r in results),
            "peak_extra_mb": statistics.median(r["peak_extra_bytes"] for r in results) / 1e6,
            "bytes": len(content),
        }
        for op, results in runs.items()
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.switch_cost")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", nargs="*", default=list(SIZES))
    parser.add_argument("--one", nargs=3, metavar=("OPERATION", "CODEX_HOME", "STATE"))
    args = parser.parse_args(argv)
    if args.one:
        operation, home, state = args.one
        print(json.dumps(run_one(operation, Path(home), Path(state))))
        return 0
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="switch-cost-") as folder:
        for label in args.sizes:
            repeat = args.repeat if SIZES[label] <= 1_000_000 else max(1, args.repeat // 2)
            work = Path(folder) / label.replace(" ", "")
            work.mkdir()
            results[label] = measure(SIZES[label], repeat, work)
    print("| config | operation | median time | peak memory added | peak / file size |")
    print("|---|---|---|---|---|")
    for label, ops in results.items():
        for op, figures in ops.items():
            ratio = figures["peak_extra_mb"] * 1e6 / figures["bytes"]
            print(
                f"| {label} | {op} | {figures['median_s']:.3f} s | "
                f"{figures['peak_extra_mb']:.1f} MB | {ratio:.1f}x |"
            )
    missed = goals_missed(results)
    for line in missed:
        print(f"goal missed: {line}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    write_json_file(OUT, {"results": results, "missed": missed})
    return 1 if missed else 0


def goals_missed(results: dict[str, Any]) -> list[str]:
    missed: list[str] = []
    small, large = results.get("1 MB"), results.get("50 MB")
    for op in WITH_GOALS:
        if small is not None and small[op]["median_s"] > GOAL_1MB_S:
            missed.append(f"1 MB {op}: {small[op]['median_s']:.3f} s > {GOAL_1MB_S} s")
        if small is not None and large is not None:
            scale = large[op]["bytes"] / small[op]["bytes"]
            limit = small[op]["median_s"] * scale * GOAL_LINEAR
            if large[op]["median_s"] > limit:
                missed.append(
                    f"50 MB {op}: {large[op]['median_s']:.2f} s > {limit:.2f} s (not linear)"
                )
        for label, ops in results.items():
            if SIZES[label] < 1_000_000:
                continue  # the interpreter's own growth dwarfs a 10 KB file
            ratio = ops[op]["peak_extra_mb"] * 1e6 / ops[op]["bytes"]
            if ratio > GOAL_PEAK_X:
                missed.append(f"{label} {op}: peak {ratio:.1f}x the file > {GOAL_PEAK_X}x")
    return missed


if __name__ == "__main__":
    sys.exit(main())
