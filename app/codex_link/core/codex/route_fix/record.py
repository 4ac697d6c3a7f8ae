"""What the route fix wrote, kept so that "off" undoes exactly that (the switch's pattern).

One small JSON file per file the fix edits (`.env` or config.toml), in the app's data folder
(never in the user's Codex folder), written atomically: the lines added or replaced (with
the user's old line), the text added at once, or the config.toml edit; checksums of the
file before and after; the one backup made before the first change.

Passwords in proxy URLs are not written down again: the record keeps a stand-in
(`redact.hide_url_passwords`), and `load` puts them back from the file as it is now (our
line still holds ours) or from the backup (the user's old line). A damaged or unknown
record is treated as absent; one that exists but cannot be read raises with `strict` (the
store's part is `file_edit.records`, shared with the switch).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from codex_link.core.codex.file_edit.records import RecordStore, opt_str
from codex_link.core.codex.route_fix.dotenv_edit import LineChange
from codex_link.core.codex.switch.state import edit_from_json, edit_to_json
from codex_link.core.codex.switch.text_edit import Edit
from codex_link.core.files.regular_file import read_regular_file
from codex_link.core.files.safe_write import target_of
from codex_link.core.model.route_fix import RouteMethod
from codex_link.core.redact import HIDDEN_PASSWORD, hide_url_passwords, reveal_url_passwords

FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class RouteRecord:
    """The route fix's last change of one file."""

    path: str  # the real file (symlinks resolved)
    method: RouteMethod
    active: bool  # the fix is on because we turned it on
    switched_at: str  # ISO time of the last change
    before_sha256: str | None  # the file before "on" (None: it did not exist)
    after_sha256: str | None  # the file right after "on"
    proxy_url: str | None = None
    variables: tuple[str, ...] = ()
    lines: tuple[LineChange, ...] = ()  # DOTENV
    block: str = ""  # DOTENV: the text added in one piece
    toml_edit: Edit | None = None  # SYSTEM_PROXY
    backup: str | None = None  # made before our first change of this file

    def finished(self, when: str) -> RouteRecord:
        """After "off": nothing of ours is active; the backup is remembered."""
        return replace(self, active=False, switched_at=when, lines=(), block="", toml_edit=None)

    @property
    def hidden(self) -> bool:
        """Some password is still a stand-in (not found again in the file or the backup)."""
        return HIDDEN_PASSWORD in json.dumps(_to_json(self, hide=False))


class RouteStateStore(RecordStore[RouteRecord]):
    """Reads and writes route records in `state_dir` (created on first write)."""

    prefix = "route"

    @property
    def lock_path(self) -> Path:
        """One lock for every route fix change, whichever file it edits."""
        return self.state_dir / "route-fix.lock"

    def file_of(self, record: RouteRecord) -> str:
        return record.path

    def to_json(self, record: RouteRecord) -> dict[str, Any]:
        return _to_json(record, hide=True)

    def from_json(self, data: dict[str, Any]) -> RouteRecord | None:
        return _from_json(data)

    def with_secrets(self, record: RouteRecord, file: Path) -> RouteRecord:
        return _with_passwords(record, file)


def _to_json(record: RouteRecord, *, hide: bool) -> dict[str, Any]:
    def h(value: str) -> str:
        return hide_url_passwords(value) if hide else value

    return {
        "version": FORMAT_VERSION,
        "path": record.path,
        "method": record.method.value,
        "active": record.active,
        "switched_at": record.switched_at,
        "before_sha256": record.before_sha256,
        "after_sha256": record.after_sha256,
        "proxy_url": None if record.proxy_url is None else h(record.proxy_url),
        "variables": list(record.variables),
        "lines": [
            {
                "name": line.name,
                "value": h(line.value),
                "line": h(line.line),
                "old": None if line.old is None else h(line.old),
            }
            for line in record.lines
        ],
        "block": h(record.block),
        # The switch's form of a config.toml edit (passwords hidden there too).
        "toml_edit": None if record.toml_edit is None else edit_to_json(record.toml_edit),
        "backup": record.backup,
    }


def _from_json(data: dict[str, Any]) -> RouteRecord | None:
    if data.get("version") != FORMAT_VERSION:
        return None
    edit = data.get("toml_edit")
    return RouteRecord(
        path=str(data["path"]),
        method=RouteMethod(data["method"]),
        active=bool(data["active"]),
        switched_at=str(data["switched_at"]),
        before_sha256=opt_str(data["before_sha256"]),
        after_sha256=opt_str(data["after_sha256"]),
        proxy_url=opt_str(data.get("proxy_url")),
        variables=tuple(str(name) for name in data.get("variables", ())),
        lines=tuple(
            LineChange(
                str(line["name"]), str(line["value"]), str(line["line"]), opt_str(line.get("old"))
            )
            for line in data.get("lines", ())
        ),
        block=str(data.get("block", "")),
        toml_edit=None if edit is None else edit_from_json(edit),
        backup=opt_str(data.get("backup")),
    )


def _with_passwords(record: RouteRecord, file: Path) -> RouteRecord:
    """The record with the hidden passwords back, from the file now, then the backup."""
    if not record.hidden:
        return record
    sources = _texts([target_of(file), *([Path(record.backup)] if record.backup else [])])

    def reveal(value: str) -> str:
        for source in sources:
            value = reveal_url_passwords(value, source)
        return value

    lines = tuple(
        LineChange(
            line.name,
            reveal(line.value),
            reveal(line.line),
            None if line.old is None else reveal(line.old),
        )
        for line in record.lines
    )
    url = None if record.proxy_url is None else reveal(record.proxy_url)
    return replace(record, proxy_url=url, lines=lines, block=reveal(record.block))


def _texts(paths: Sequence[Path]) -> list[str]:
    found = []
    for path in paths:
        try:
            raw = read_regular_file(path)
        except OSError:
            continue
        if raw is not None:
            found.append(raw.decode("utf-8", "replace"))
    return found
