"""Between checks the tray gives back to the system the memory a check freed (glibc)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

CHILD = textwrap.dedent("""
    def rss_mb():
        with open("/proc/self/status") as status:
            return next(int(l.split()[1]) for l in status if l.startswith("VmRSS")) / 1024
    from codex_link.ui.heap_trim import release_free_heap
    blocks = [bytearray(64 * 1024) for _ in range(1500)]  # ~94 MB on the C heap
    keep = blocks[-1]  # the top of the heap stays in use, as it does in a long-running app
    del blocks
    before = rss_mb()
    trimmed = release_free_heap()
    print(trimmed, round(before - rss_mb(), 1))
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_memory_freed_by_a_check_goes_back_to_the_system() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=60, check=True
    )
    trimmed, released_mb = done.stdout.split()
    assert trimmed == "True"
    assert float(released_mb) > 50, done.stdout
