"""The tray does not hold the source text of every module it imports (PySide6 reads each one
after it is loaded), and crash traces still show their source lines."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

CHILD = textwrap.dedent("""
    import json, linecache, sys, traceback
    if sys.argv[1] == "guarded":
        from codex_link.ui.source_lines import keep_source_lines_out_of_memory
        keep_source_lines_out_of_memory()
    import PySide6.QtCore
    import asyncio, email.parser, http.client, logging.handlers, tomlkit, urllib.request
    held = [n for n, e in linecache.cache.items() if len(e) == 4 and e[1] is not None]
    size = sum(len(line) for n in held for line in linecache.cache[n][2])
    try:
        tomlkit.parse("= broken")
    except Exception:
        trace = traceback.format_exc()
    print(json.dumps({"files": len(held), "chars": size, "trace": trace}))
""")


def _run(mode: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode], capture_output=True, text=True, timeout=60, check=True
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_imports_after_pyside6_leave_their_source_text_behind() -> None:
    plain, guarded = _run("plain"), _run("guarded")
    assert isinstance(plain["files"], int) and plain["files"] > 50  # what PySide6 does alone
    assert isinstance(plain["chars"], int) and plain["chars"] > 1_000_000
    assert isinstance(guarded["files"], int) and guarded["files"] <= 2
    assert isinstance(guarded["chars"], int) and guarded["chars"] < plain["chars"] // 20
    # A trace still quotes the failing lines, read again from the files when needed.
    assert "raise self.parse_error(EmptyKeyError)" in str(guarded["trace"])
