"""JSON as Codex Link writes it, in one place: files, JSON lines and command output alike.

Documents are for people as much as for scripts: two-space indents, non-ASCII text kept as
it is (a Chinese finding stays readable), one final newline. JSON lines are compact, one
object a line. A file is replaced atomically (`safe_write.write_atomic`), so a crash leaves
the old document or the new one, never half of it.
"""

from __future__ import annotations

import json
from pathlib import Path

from codex_link.core.files.safe_write import NEW_FILE_MODE, ensure_dir, write_atomic


def json_document(data: object) -> str:
    """`data` as an indented JSON document ending in a newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def json_line(data: object) -> str:
    """`data` as one compact line of JSON, without the newline (for JSON-lines files)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def write_json_file(path: Path, data: object, mode: int = NEW_FILE_MODE) -> None:
    """Replaces `path` with `json_document(data)` in UTF-8, creating its folder if missing.

    OSError (permission denied, disk full...) passes, with the old file untouched.
    """
    ensure_dir(path.parent)
    write_atomic(path, json_document(data).encode("utf-8"), mode)
