"""Size of each download that needs no Python, and of the bundle once unpacked.

Builds this OS's downloads with packaging/build_dist.py (the script `make dist` runs) into
dist/, or measures the ones already there for the current version (`--reuse`). Also times the
build, and lists the largest files of the bundle (where the megabytes go).

Target: every download under 60 MB.
Run: `python -m bench.download_sizes [--reuse]`; prints a markdown table, saves
bench/out/download_sizes.json, exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from codex_link.core.files.json_file import write_json_file

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out" / "download_sizes.json"
DIST = REPO / "dist"
TARGET_MB = 60.0
MB = 1e6

# packaging/ is no package (`packaging` is a PyPI library's name): its scripts import each
# other by plain name from that folder.
sys.path.insert(0, str(REPO / "packaging"))
distinfo = importlib.import_module("distinfo")


def _tree_bytes(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def _downloads(version: str) -> dict[str, Path]:
    return {
        kind: DIST / name
        for kind, name in distinfo.download_names(version).items()
        if (DIST / name).is_file()
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.download_sizes")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the downloads already in dist/ when there are any",
    )
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    version = distinfo.read_version()

    build_s: float | None = None
    if not (args.reuse and _downloads(version) and (DIST / distinfo.NAME).is_dir()):
        started = time.monotonic()
        subprocess.run(
            [sys.executable, str(REPO / "packaging" / "build_dist.py")],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        build_s = time.monotonic() - started
    downloads = _downloads(version)
    if not downloads:
        print("no downloads were built for this OS")
        return 1

    bundle_bytes, bundle_files = _tree_bytes(DIST / distinfo.NAME)
    largest = sorted(
        (
            (p.stat().st_size, p)
            for p in (DIST / distinfo.NAME).rglob("*")
            if p.is_file() and not p.is_symlink()
        ),
        reverse=True,
    )[:8]
    rows: list[tuple[str, str, float]] = [
        (kind, path.name, round(path.stat().st_size / MB, 1))
        for kind, path in sorted(downloads.items())
    ]

    print(
        f"Codex Link {version}, {sys.platform} {distinfo.machine()}"
        + (f", built in {build_s:.0f} s" if build_s is not None else " (reused dist/)")
    )
    print()
    print("| download | size |")
    print("|---|---|")
    for _kind, name, mb in rows:
        print(f"| {name} | {mb:.1f} MB |")
    print(
        f"| unpacked bundle (dist/{distinfo.NAME}/, {bundle_files} files) "
        f"| {bundle_bytes / MB:.1f} MB |"
    )
    print()
    print("Largest files in the bundle:")
    for size, path in largest:
        print(f"  {size / MB:6.1f} MB  {path.relative_to(DIST / distinfo.NAME)}")

    over = [name for _kind, name, mb in rows if mb >= TARGET_MB]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    write_json_file(
        OUT,
        {
            "version": version,
            "platform": sys.platform,
            "arch": distinfo.machine(),
            "build_seconds": None if build_s is None else round(build_s, 1),
            "downloads": [{"kind": kind, "download": name, "mb": mb} for kind, name, mb in rows],
            "bundle_mb": round(bundle_bytes / MB, 1),
            "bundle_files": bundle_files,
            "target_mb": TARGET_MB,
            "largest": [
                {"file": str(p.relative_to(DIST / distinfo.NAME)), "mb": round(s / MB, 1)}
                for s, p in largest
            ],
            "ok": not over,
        },
    )
    if over:
        print(f"over the {TARGET_MB:.0f} MB target: {', '.join(over)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
