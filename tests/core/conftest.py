"""Fixtures of the core tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.check_support import codex_env, codex_proxy, found_proxy, named_endpoint

# The set-up of a route only a proxy found listening carries, for every core test.
__all__ = ["codex_proxy", "env", "found_proxy", "named_endpoint"]


@pytest.fixture
def env(isolated_home: Path, harness_ca_pem: Path) -> dict[str, str]:
    """Codex's environment: ~/.codex in the throw-away HOME, the harness CA trusted."""
    return codex_env(isolated_home, harness_ca_pem)
