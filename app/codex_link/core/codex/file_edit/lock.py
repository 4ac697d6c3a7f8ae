"""One change at a time per file of Codex's, across processes: the tray, a second tray click,
`codex-link http-only` or `codex-link route`, a script.

Without it two changes can each plan from the same file: the file stays whole (every write
is an atomic replace), but the record of what "on" did is overwritten or deleted by the
loser, and a later "off" no longer knows its own lines. The lock is an advisory lock on a
small file in the app's data folder (never in the user's Codex folder); the operating
system drops it when its holder dies, so a killed change never blocks the next one. Waiting
for it is bounded: after `timeout_s` the change gives up and says why.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

LOCK_WAIT_S = 15.0
_POLL_S = 0.02


class EditBusy(OSError):
    """Another change of the same file held the lock for longer than the wait allows."""


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


@contextlib.contextmanager
def edit_lock(lock_path: Path, timeout_s: float = LOCK_WAIT_S) -> Iterator[None]:
    """Holds the lock for the body; `EditBusy` when it stays taken for `timeout_s`."""
    lock_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        deadline = time.monotonic() + timeout_s
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise EditBusy(f"another change of this file has been running for {timeout_s:g} s")
            time.sleep(_POLL_S)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)
