"""Hands the memory a check used back to the system, once the check is over.

Two things keep it otherwise. A failed connection leaves reference cycles behind (asyncio's
exception -> traceback -> frame -> future -> exception), and with them its TLS connection and
a 256 KB read buffer each; Python's cycle collector gets to objects that old only now and
then, so they are collected here, right after the check. And glibc's malloc keeps freed memory
for reuse, so a tray that checks once a minute and otherwise sleeps would go on holding it;
`malloc_trim(0)` releases the free pages. Elsewhere (macOS, Windows, musl) there is no such
call and only the collection is done.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import sys
from collections.abc import Callable
from functools import cache

from PySide6.QtCore import QTimer

from codex_link.core.model.snapshot import Snapshot

log = logging.getLogger("codex_link")


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(
            ctypes.util.find_library("c") or "libc.so.6", use_errno=True
        ).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    return trim


def release_free_heap() -> bool:
    """True if the C library was asked to return its free memory to the system."""
    gc.collect()
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


class TrimAfterChecks:
    """A monitor listener: when a check has ended, trims the heap once every listener (the
    tray, the window) has drawn the new result, so what they allocated is freed first."""

    def __init__(self) -> None:
        self._was_checking = False

    def __call__(self, snapshot: Snapshot) -> None:
        if self._was_checking and not snapshot.checking:
            QTimer.singleShot(0, release_free_heap)
        self._was_checking = snapshot.checking
