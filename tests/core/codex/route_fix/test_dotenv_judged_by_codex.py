"""The real Codex CLI reads the proxy lines the route fix writes, whatever the .env around them.

`codex doctor --json` names the proxy variables set in the environment Codex ends up with.
After "on" it must list ours, on files whose shape could hide a line appended carelessly (a
quote left open at the end, a blank after the last line, a BOM and nothing else, no final
newline, CRLF). The proxy is a closed loopback port: nothing leaves the machine.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codex_link.core.codex.doctor import run_doctor
from codex_link.core.codex.route_fix.dotenv_edit import plan_on

pytestmark = pytest.mark.codex

SHAPES = {
    "unclosed-quote-at-the-end": b"A=1\nB='open\nC=2\n",
    "blank-after-the-last-line": b"A=1\nB=2 ",
    "bom-only": b"\xef\xbb\xbf",
    "no-final-newline-crlf": b"# mine\r\nexport A=1",
    "user-proxy-replaced": b"export HTTP_PROXY='http://127.0.0.1:9' # old\n",
}


@pytest.mark.parametrize("name", list(SHAPES))
def test_codex_reads_the_lines_we_add(name: str, tmp_path: Path, codex_bin: Path) -> None:
    home = tmp_path / "codex-home"
    home.mkdir()
    (home / "auth.json").write_text('{"auth_mode": "chatgpt"}')
    on = plan_on(SHAPES[name], ("HTTP_PROXY",), "socks5h://127.0.0.1:9", "localhost")
    assert on is not None
    (home / ".env").write_bytes(on.after)
    run = run_doctor(
        codex_bin, home, {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}, timeout_s=20
    )
    assert run.report is not None, run.reason
    row = run.report.check("network.env")
    assert row is not None
    listed = {n.strip() for n in row.details.get("proxy env vars present", "").split(",")}
    assert {"HTTP_PROXY", "NO_PROXY"} <= listed, (listed, on.after)
