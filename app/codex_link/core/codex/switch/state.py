"""What the HTTP-only switch did to a config.toml, kept so that "off" can undo exactly that.

One small JSON file per config file, in the app's data folder (never beside the user's
config), written atomically. It holds the exact text we inserted and the values we replaced,
plus checksums of the file before and after our change: when the file is still as we left
it, undo gives back the original bytes; when the user edited it meanwhile, undo removes only
what is still ours. It also remembers the backup we made, so there is one backup per config
file: the one taken before our first change ever.

A damaged or unknown state file is treated as absent: the switch then behaves as for a file
it never touched, which refuses anything it cannot undo on sight. The store's part is
`file_edit.records`, shared with the route fix, which keeps its config.toml edit in the form
`edit_to_json` writes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from codex_link.core.codex.file_edit.records import RecordStore, opt_str
from codex_link.core.codex.switch.text_edit import Edit, Inserted, Replaced
from codex_link.core.files.regular_file import read_regular_file
from codex_link.core.files.safe_write import target_of
from codex_link.core.redact import HIDDEN_PASSWORD, hide_url_passwords, reveal_url_passwords

FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class SwitchRecord:
    """Our last switch of one config file."""

    config_path: str  # the real file (symlinks resolved)
    active: bool  # HTTP-only is on because we turned it on
    switched_at: str  # ISO time of the last change
    provider_id: str  # the provider Codex uses while it is on
    previous_provider_id: str
    before_sha256: str | None  # the file before "on" (None: it did not exist)
    after_sha256: str | None  # the file right after "on"
    edits: tuple[Edit, ...] = ()
    created_parent: bool = False  # "on" created the `model_providers` table
    backup: str | None = None  # the backup made before our first change of this file

    def finished(self, when: str) -> SwitchRecord:
        """The record after "off": nothing of ours is active, the backup is remembered."""
        return replace(self, active=False, switched_at=when, edits=())


class SwitchStateStore(RecordStore[SwitchRecord]):
    """Reads and writes switch records in `state_dir` (created on first write)."""

    prefix = "http-only"

    def lock_path_for(self, config_path: Path) -> Path:
        """The file every switch of `config_path` locks (see `file_edit.lock`)."""
        return self.path_for(config_path).with_suffix(".lock")

    def file_of(self, record: SwitchRecord) -> str:
        return record.config_path

    def to_json(self, record: SwitchRecord) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "config_path": record.config_path,
            "active": record.active,
            "switched_at": record.switched_at,
            "provider_id": record.provider_id,
            "previous_provider_id": record.previous_provider_id,
            "before_sha256": record.before_sha256,
            "after_sha256": record.after_sha256,
            "created_parent": record.created_parent,
            "backup": record.backup,
            "edits": [edit_to_json(edit) for edit in record.edits],
        }

    def from_json(self, data: dict[str, Any]) -> SwitchRecord | None:
        if data.get("version") != FORMAT_VERSION:
            return None
        return SwitchRecord(
            config_path=str(data["config_path"]),
            active=bool(data["active"]),
            switched_at=str(data["switched_at"]),
            provider_id=str(data["provider_id"]),
            previous_provider_id=str(data["previous_provider_id"]),
            before_sha256=opt_str(data["before_sha256"]),
            after_sha256=opt_str(data["after_sha256"]),
            created_parent=bool(data.get("created_parent", False)),
            backup=opt_str(data.get("backup")),
            edits=tuple(edit_from_json(edit) for edit in data["edits"]),
        )

    def with_secrets(self, record: SwitchRecord, file: Path) -> SwitchRecord:
        """The record with the URL passwords `edit_to_json` hid, as the config holds them."""
        if not any(HIDDEN_PASSWORD in str(edit) for edit in record.edits):
            return record
        try:
            current = (read_regular_file(target_of(file)) or b"").decode("utf-8", "replace")
        except OSError:
            return record
        return replace(record, edits=tuple(reveal_edit(edit, current) for edit in record.edits))


def edit_to_json(edit: Edit) -> dict[str, Any]:
    # A password in a URL we copied (a root `openai_base_url` into our table) is not written
    # down twice: the record keeps a stand-in, and `load` takes it from the config again.
    hide = hide_url_passwords
    if isinstance(edit, Replaced):
        return {
            "op": "replaced",
            "path": list(edit.path),
            "old": hide(edit.old),
            "new": hide(edit.new),
        }
    return {
        "op": "inserted",
        "kind": edit.kind,
        "path": list(edit.path),
        "text": hide(edit.text),
        "key_offset": edit.key_offset,
        "value": hide(edit.value),
    }


def reveal_edit(edit: Edit, current: str) -> Edit:
    """`edit` with the URL passwords `edit_to_json` hid, taken from the text `current`."""
    if isinstance(edit, Replaced):
        return replace(
            edit,
            old=reveal_url_passwords(edit.old, current),
            new=reveal_url_passwords(edit.new, current),
        )
    return replace(
        edit,
        text=reveal_url_passwords(edit.text, current),
        value=reveal_url_passwords(edit.value, current),
    )


def edit_from_json(data: dict[str, Any]) -> Edit:
    path = tuple(str(part) for part in data["path"])
    if data["op"] == "replaced":
        return Replaced(path, str(data["old"]), str(data["new"]))
    if data["op"] != "inserted" or data["kind"] not in ("key", "table"):
        raise ValueError(f"unknown edit {data!r}")
    kind: Literal["key", "table"] = "key" if data["kind"] == "key" else "table"
    return Inserted(kind, path, str(data["text"]), int(data["key_offset"]), str(data["value"]))
