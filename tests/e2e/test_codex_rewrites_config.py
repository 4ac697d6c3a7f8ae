"""Codex rewrites config.toml itself (`codex mcp add`): "off" still takes back only its own.

With the real CLI (each pinned version, in the private network namespace): switch on, let
Codex add an MCP server (it rewrites the whole file, CRLF becoming LF), switch off. The
result must be exactly what Codex alone makes of the original: its MCP server and its
newlines kept, every line of the switch gone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.corpus.loader import CONFIGS
from tests.harness.codex_cli import codex_cli_versions

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.codex

SHAPES = [
    "45_crlf_typical",
    "50_crlf_custom_ws_on",
    "02_typical_user",
    "52_toml11_mcp_multiline_inline",
]


def _env(codex_home: Path, home: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "TERM": "xterm-256color",
        "CODEX_HOME": str(codex_home),
    }


def _run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        argv,
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.mark.parametrize("version", codex_cli_versions())
@pytest.mark.parametrize("shape", SHAPES)
def test_off_after_codex_mcp_add_keeps_codex_s_rewrite_and_drops_ours(
    shape: str, version: str, codex_bins: dict[str, Path], tmp_path: Path
) -> None:
    if version not in codex_bins:
        pytest.skip(f"the Codex CLI {version} is not installed")
    codex = str(codex_bins[version])
    original = (CONFIGS / f"{shape}.toml").read_bytes()
    switched, alone = tmp_path / "switched", tmp_path / "alone"
    for folder in (switched, alone):
        folder.mkdir()
        (folder / "config.toml").write_bytes(original)
    env = _env(switched, tmp_path / "user")
    add = ["mcp", "add", "newone", "--", "npx", "-y", "newone-mcp"]

    _run([sys.executable, "-m", "codex_link", "http-only", "on"], env)
    _run([codex, *add], env)
    rewritten = (switched / "config.toml").read_bytes()
    assert b"[mcp_servers.newone]" in rewritten and b"\r\n" not in rewritten
    off = _run([sys.executable, "-m", "codex_link", "http-only", "off"], env)
    _run([codex, *add], _env(alone, tmp_path / "user"))

    assert (switched / "config.toml").read_bytes() == (alone / "config.toml").read_bytes()
    assert "changed after Codex Link set it" not in off.stdout
    status = _run([sys.executable, "-m", "codex_link", "http-only", "status"], env)
    assert "WebSocket, with HTTP fallback" in status.stdout
    shutil.rmtree(tmp_path / "user", ignore_errors=True)
