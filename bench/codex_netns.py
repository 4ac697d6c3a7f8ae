"""What the private network namespace saves every real Codex CLI start: `codex doctor` times.

Codex looks up api.github.com and chatgpt.com at every start, and `codex doctor` probes the
provider's host. The tests and benchmarks run Codex in a namespace holding only loopback;
this times `codex doctor --json` (median of N) three ways: on this machine's network, in the
namespace with its DNS responder (every name is 127.0.0.1, refused at once), and in the
namespace without it (every look-up waits for the resolver's timeout).

Run: `python -m bench.codex_netns [--runs 5]`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from codex_link.core.files.json_file import write_json_file
from tests.harness.codex_cli import default_codex_version, find_codex_cli
from tests.harness.netns import codex_netns

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench/out/codex_netns.json"


def time_doctor(codex: Path, runs: int) -> float:
    seconds: list[float] = []
    with tempfile.TemporaryDirectory(prefix="codex-doctor-") as folder:
        (Path(folder) / "config.toml").write_text('model = "gpt-5.5"\n')
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": folder,
            "CODEX_HOME": folder,
            "TERM": "xterm-256color",
        }
        for _ in range(runs):
            started = time.monotonic()
            subprocess.run(
                [str(codex), "doctor", "--json"],
                env=env,
                capture_output=True,
                timeout=120,
                check=False,
            )
            seconds.append(time.monotonic() - started)
    return statistics.median(seconds)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.codex_netns")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    codex = find_codex_cli()
    if codex is None:
        print("the Codex CLI is not installed (run `make test` once)", file=sys.stderr)
        return 1
    rows = {"this machine's network": time_doctor(codex, args.runs)}
    with codex_netns() as spaces:
        if not spaces.isolated:
            print(spaces.describe(), file=sys.stderr)
            return 1
        rows["namespace, DNS responder (the tests)"] = time_doctor(spaces.shim(codex), args.runs)
    with codex_netns(dns=False) as spaces:
        rows["namespace, no DNS responder"] = time_doctor(spaces.shim(codex), args.runs)
    print(f"`codex doctor --json`, Codex CLI {default_codex_version()}, median of {args.runs}:\n")
    print("| where Codex runs | median |")
    print("|---|---|")
    for where, seconds in rows.items():
        print(f"| {where} | {seconds:.2f} s |")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    write_json_file(OUT, {"runs": args.runs, "seconds": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
