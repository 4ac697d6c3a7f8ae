"""Keeps the tray from holding a copy of the source text of every module it imports.

Once PySide6 is loaded, it reads the whole source file of each module imported after it (to
see whether that module uses PySide6), and Python's line cache keeps those lines for the
life of the process: about 8 MB for what a check imports, most of what the tray used to
hold above a bare PySide6 program. Emptying the cache later gives nothing back, because
the lines lie scattered among the modules' own objects. So the cache is emptied at the
start of every import instead: it holds at most the lines of the modules being imported
right now, and the same memory is reused for the next. Only lines read from files are
dropped; linecache reads them again when a traceback needs them, so crash traces still
show their source lines.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import linecache
import sys
from collections.abc import Sequence
from types import ModuleType


def drop_file_lines() -> None:
    """Forgets the lines linecache read from files (entries it can read again)."""
    for name, entry in list(linecache.cache.items()):
        if len(entry) == 4 and entry[1] is not None:  # (size, mtime, lines, path) of a file
            linecache.cache.pop(name, None)


class _DropLinesOnImport(importlib.abc.MetaPathFinder):
    """Asked first for every module not imported yet; finds nothing, so the usual finders
    go on as before."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        drop_file_lines()
        return None


def keep_source_lines_out_of_memory() -> None:
    """Installs the finder once (before PySide6 is imported, or right after)."""
    if not any(isinstance(finder, _DropLinesOnImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _DropLinesOnImport())
