"""The real Codex CLI judges what a fix writes, for every stored corpus file.

Shared by the HTTP-only switch's and the route fix's "judged by Codex" tests: each case is
turned on, then off, in a Codex home of its own; the original, the file after "on" and the
file after "off" each get a Codex home, and one Codex run judges each, in parallel to keep
the modules quick.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from codex_link.core.codex.file_edit.errors import SwitchRefused
from codex_link.core.codex.file_edit.transaction import EditResult
from tests.corpus.loader import CorpusCase
from tests.corpus.switching import read

RUN_TIMEOUT_S = 60
PARALLEL_RUNS = 4

# Turns the fix on (True) or off in one case's Codex home: plans and applies (None: "off"
# was refused where the test allows it; any other refusal is raised).
Toggle = Callable[[bool], EditResult | None]
# A fix for a Codex home below `folder` holding `content` (None: no file): the config.toml
# it edits and its toggle.
MakeFix = Callable[[Path, bytes | None], tuple[Path, Toggle]]


def pinned_codex(codex_bins: Mapping[str, Path], version: str) -> Path:
    """The CLI of one pinned version; the test is skipped where it is not installed."""
    if version not in codex_bins:
        pytest.skip(f"the Codex CLI {version} is not installed (run `make test` once)")
    return codex_bins[version]


def run_codex(
    codex_bin: Path,
    args: Sequence[str],
    *,
    user_home: Path,
    codex_home: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """One Codex start on `codex_home`, with nothing of this machine's environment but PATH."""
    return subprocess.run(
        [str(codex_bin), *args],
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(user_home),
            "TERM": "xterm-256color",
            "CODEX_HOME": str(codex_home),
            **(env or {}),
        },
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )


@dataclass(frozen=True)
class Judged[V]:
    """One corpus case: Codex's view of each version of the file, and what the fix did."""

    original: V
    on: V | None  # None: the fix refused "on" and wrote nothing
    off: V | None
    refused: str | None  # our refusal of "on", in words
    on_bytes: bytes | None  # the file after "on"
    off_result: EditResult | None  # what "off" did (None: refused, or not reached)
    off_bytes: bytes | None  # the file after "off"


@dataclass(frozen=True)
class _Written:
    refused: str | None
    on_bytes: bytes | None = None
    off_result: EditResult | None = None
    off_bytes: bytes | None = None


def snapshot(content: bytes | None, folder: Path) -> Path:
    """A new Codex home `folder` holding `content` as its config.toml (None: none)."""
    folder.mkdir(parents=True)
    if content is not None:
        (folder / "config.toml").write_bytes(content)
    return folder


def _on_and_off(
    content: bytes | None, folder: Path, make_fix: MakeFix, homes: dict[str, Path]
) -> _Written:
    """Turns the fix on and off, keeping each version of the file in `homes`."""
    homes["original"] = snapshot(content, folder / "original")
    config, toggle = make_fix(folder, content)
    try:
        toggle(True)
    except SwitchRefused as exc:
        assert read(config) == content  # a refusal writes nothing
        return _Written(str(exc.reason))
    on_bytes = read(config)
    homes["on"] = snapshot(on_bytes, folder / "on")
    off = toggle(False)
    off_bytes = read(config)
    homes["off"] = snapshot(off_bytes, folder / "off")
    return _Written(None, on_bytes, off, off_bytes)


def judge_cases[V](
    codex_bin: Path,
    root: Path,
    cases: Sequence[CorpusCase],
    make_fix: MakeFix,
    view: Callable[[Path, Path, Path], V],
) -> dict[str, Judged[V]]:
    """Each case turned on and off by `make_fix`'s fix below `root`, and Codex's `view` of
    every version of its file (`view(codex_bin, user_home, codex_home)`), by case name."""
    user_home = root / "user"
    user_home.mkdir()
    homes: dict[tuple[str, str], Path] = {}
    written: dict[str, _Written] = {}
    for index, case in enumerate(cases):
        stages: dict[str, Path] = {}
        written[case.name] = _on_and_off(case.content, root / f"case{index:02d}", make_fix, stages)
        homes.update({(case.name, stage): home for stage, home in stages.items()})

    with ThreadPoolExecutor(max_workers=PARALLEL_RUNS) as pool:
        futures = {
            key: pool.submit(view, codex_bin, user_home, home) for key, home in homes.items()
        }
        results = {key: future.result() for key, future in futures.items()}
    return {
        case.name: Judged(
            original=results[case.name, "original"],
            on=results.get((case.name, "on")),
            off=results.get((case.name, "off")),
            refused=written[case.name].refused,
            on_bytes=written[case.name].on_bytes,
            off_result=written[case.name].off_result,
            off_bytes=written[case.name].off_bytes,
        )
        for case in cases
    }
