"""Reading Codex's files without ever blocking on one that is not a plain file.

`config.toml`, `auth.json` and `.env` are opened by every command and by the tray. A FIFO
(or a device) in their place makes a plain `open()` wait forever for a writer, and a process
stuck in `open()` cannot even act on SIGTERM. So each file is opened with O_NONBLOCK, its
type is checked on the open descriptor (no race with a rename), and only a regular file is
read; anything else is an `OSError` whose message says what it is instead.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_FLAGS |= getattr(os, "O_BINARY", 0)

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


class NotARegularFile(OSError):
    """The path names something other than a plain file; nothing was read from it."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(errno.EINVAL, f"it is {kind}, not a plain file", str(path))
        self.kind = kind


def read_regular_file(path: Path) -> bytes | None:
    """The file's bytes, or None when it does not exist. Never blocks; OSError otherwise."""
    try:
        fd = os.open(path, _FLAGS)
    except FileNotFoundError:
        return None
    except IsADirectoryError as exc:
        raise NotARegularFile(path, "a folder") from exc
    with os.fdopen(fd, "rb", buffering=0) as handle:  # closes fd; reads in one sized call
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "not a plain file")
            raise NotARegularFile(path, kind)
        return handle.read()
