"""A planned change as people read it: a unified diff of the file before and after."""

from __future__ import annotations

from pathlib import Path

from codex_link.core.codex.config_file import BOM
from codex_link.core.codex.file_edit.quick_diff import unified_diff
from codex_link.core.redact import scrub


def plan_diff(path: Path, before: bytes | None, after: bytes, *, delete_file: bool) -> str:
    """The change as a unified diff (line ends shown as LF, a BOM left out): values of keys
    that hold secrets (tokens in context lines too) and URL logins are masked. `before`
    None is a file the change creates; `delete_file` one it removes."""
    label = str(path)
    return scrub(
        unified_diff(
            _diff_lines(before),
            [] if delete_file else _diff_lines(after),
            fromfile=label if before is not None else "/dev/null",
            tofile=label if not delete_file else "/dev/null",
        )
    )


def _diff_lines(content: bytes | None) -> list[str]:
    if content is None:
        return []
    decoded = content.decode("utf-8", errors="replace").removeprefix(BOM)
    lines = [line.replace("\r\n", "\n") for line in decoded.splitlines(keepends=True)]
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines
