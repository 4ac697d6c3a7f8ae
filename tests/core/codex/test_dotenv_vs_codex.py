"""The real Codex CLI as the judge of how `$CODEX_HOME/.env` is read.

`codex doctor --json` names the proxy variables that are set to something in the environment
Codex ends up with ("proxy env vars present"). Each case is built so that a line read
differently (refused, expanded, swallowed) changes that list. Every proxy points at a closed
loopback port or is no URL at all, so nothing leaves the machine.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codex_link.core.codex.doctor import run_doctor
from codex_link.core.codex.dotenv import codex_environment, read_dotenv

pytestmark = pytest.mark.codex

NAMES = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY")

CASES: dict[str, tuple[bytes, dict[str, str]]] = {
    "expanded": (b"ALL_PROXY=$PORT\nNO_PROXY=${PORT}\n", {"PORT": "7"}),
    "expanded-to-nothing": (b"ALL_PROXY=$MISSING\nNO_PROXY=${MISSING}\n", {}),
    "quoted-bare-name-never-closes": (b'ALL_PROXY="$PORT"\nNO_PROXY="${PORT}"\n', {"PORT": "7"}),
    "earlier-codex-line": (b"CODEX_X=7\nALL_PROXY=${CODEX_X}\n", {}),
    "earlier-line-set-empty": (b"PORT=\nALL_PROXY=${PORT}\n", {"PORT": "7"}),
    "single-quotes-are-literal": (b"ALL_PROXY='${MISSING}'\n", {}),
    "blank-in-unquoted-value": (b"ALL_PROXY=a b\nNO_PROXY=a # comment\n", {}),
    "unknown-escape": (b'ALL_PROXY="a\\tb"\nHTTP_PROXY=a\\tb\nNO_PROXY="a\\nb"\n', {}),
    "unclosed-quote-swallows-the-rest": (b"HTTP_PROXY='open\nALL_PROXY=x\n", {}),
    "bom-costs-the-first-line": (b"\xef\xbb\xbfALL_PROXY=x\nNO_PROXY=y\n", {}),
    "bad-utf8-costs-its-line": (b"ALL_PROXY=\xff\nNO_PROXY=y\n", {}),
    "bad-name-then-good": (b"very-bad=1\nexport ALL_PROXY=x\n", {}),
    "blank-at-the-very-end": (b"ALL_PROXY=x\nNO_PROXY=y ", {}),
}


def _present(env: dict[str, str]) -> set[str]:
    return {name for name in NAMES if env.get(name)}


@pytest.mark.parametrize("name", list(CASES))
def test_codex_sees_the_variables_we_read(name: str, tmp_path: Path, codex_bin: Path) -> None:
    dotenv, extra = CASES[name]
    home = tmp_path / "codex-home"
    home.mkdir()
    (home / "auth.json").write_text('{"auth_mode": "chatgpt"}')
    (home / ".env").write_bytes(dotenv)
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), **extra}

    ours = _present(codex_environment(env, read_dotenv(home / ".env", env)))
    run = run_doctor(codex_bin, home, env, timeout_s=20)
    assert run.report is not None, run.reason
    row = run.report.check("network.env")
    assert row is not None
    listed = row.details.get("proxy env vars present", "")
    assert {n.strip() for n in listed.split(",")} & set(NAMES) == ours
