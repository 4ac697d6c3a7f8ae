"""Route fixes started at the same moment from separate processes serialise: one writes, the
others find it done, and "off" still gives the original back."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from codex_link.core.codex.route_fix.fix import RouteFix, proxy_proposal
from codex_link.core.model.codex_home import CodexHome
from tests.harness import races

PROXY = "http://127.0.0.1:7890"
ORIGINAL = b"# mine\r\nexport OPENAI_LOG=info\r\nHTTPS_PROXY=http://old:3128\r\n"

# One process: wait for the start signal, then plan and apply at once.
DRIVER = """
import json, sys, time
from pathlib import Path
from codex_link.core.codex.route_fix.fix import RouteFix, proxy_proposal
from codex_link.core.codex.switch.toggle import SwitchRefused
from codex_link.core.model.codex_home import CodexHome
home, state, action, go = sys.argv[1:5]
fix = RouteFix(CodexHome(Path(home), from_env=True), Path(state))
deadline = time.monotonic() + 30
while not Path(go).exists() and time.monotonic() < deadline:
    time.sleep(0.001)
try:
    result = fix.apply(fix.plan(action == "on", proxy_proposal(sys.argv[5])))
    print(json.dumps({"changed": result.changed, "error": None}))
except SwitchRefused as exc:
    print(json.dumps({"changed": False, "error": str(exc.reason)}))
"""


def race(home: Path, state: Path, go: Path, actions: list[str]) -> list[dict[str, Any]]:
    return races.race(
        [[sys.executable, "-c", DRIVER, str(home), str(state), a, str(go), PROXY] for a in actions],
        go,
    )


def test_simultaneous_ons_write_once_and_off_undoes_it(tmp_path: Path) -> None:
    for round_number in range(3):
        root = tmp_path / f"round{round_number}"
        home = root / "codex"
        home.mkdir(parents=True)
        (home / ".env").write_bytes(ORIGINAL)
        results = race(home, root / "state", tmp_path / "go", ["on"] * 3)
        assert sorted(r["changed"] for r in results) == [False, False, True], results
        assert all(r["error"] is None for r in results), results
        fix = RouteFix(CodexHome(home, from_env=True), root / "state")
        assert fix.status().active
        [backup] = home.glob(".env.codex-link-*.bak")
        assert backup.read_bytes() == ORIGINAL  # the original, not a fixed file

        off = fix.apply(fix.plan(False, proxy_proposal(PROXY)))
        assert off.changed and (home / ".env").read_bytes() == ORIGINAL
        assert not fix.status().active
