"""pytest fixtures for the real Codex CLI: every version pinned, always in the namespace.

`codex_bin` is the default version; `codex_bins` maps every pinned version to its CLI (the
judge tests run each corpus file against each). Both are `codex` shims that run the real
CLI in the private network namespace of `tests.harness.netns` where the machine allows it;
the end of the test output says which it was.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness.codex_cli import codex_cli_versions, default_codex_version, find_codex_cli
from tests.harness.netns import CodexNetns

_DESCRIPTION = pytest.StashKey[str]()


def _missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing: .ci/setup-tests should have installed it")
    pytest.skip(f"{what} is not installed (run `make test` once to install it)")


@pytest.fixture(scope="session")
def codex_netns(request: pytest.FixtureRequest) -> Iterator[CodexNetns]:
    """The namespace every real Codex start runs in (or why there is none)."""
    spaces = CodexNetns()
    request.config.stash[_DESCRIPTION] = spaces.describe()
    try:
        yield spaces
    finally:
        spaces.close()


@pytest.fixture(scope="session")
def codex_bins(codex_netns: CodexNetns) -> dict[str, Path]:
    """Every pinned version that is installed -> its CLI (in the namespace)."""
    found = {version: find_codex_cli(version) for version in codex_cli_versions()}
    missing = [version for version, path in found.items() if path is None]
    if missing and os.environ.get("CI"):
        pytest.fail(f"Codex CLI {', '.join(missing)} missing: .ci/setup-tests installs them")
    return {version: codex_netns.shim(path) for version, path in found.items() if path}


@pytest.fixture(scope="session")
def codex_bin(codex_bins: dict[str, Path]) -> Path:
    """The real Codex CLI at the default pinned version, in the namespace."""
    if default_codex_version() not in codex_bins:
        _missing(f"the Codex CLI {default_codex_version()}")
    return codex_bins[default_codex_version()]


@pytest.fixture(scope="session")
def codex_version() -> str:
    return default_codex_version()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    description = terminalreporter.config.stash.get(_DESCRIPTION, None)
    if description is not None:
        terminalreporter.write_line(f"Codex CLI: {description}")
