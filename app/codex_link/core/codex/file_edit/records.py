"""Where a change keeps its record of what it wrote, so that "off" undoes exactly that.

One small JSON file per file of Codex's a change edits, in the app's data folder (never in
the user's Codex folder), written atomically. What a record holds is the change's own
(`to_json`/`from_json` of its store); the store's part is the same for every change: the
record's name from the file's real path, a damaged or unknown record read as absent, one
that exists but cannot be read raising with `strict`, and putting back the record as it
was before a write that then failed.
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

from codex_link.core.files.json_file import write_json_file
from codex_link.core.files.regular_file import read_regular_file
from codex_link.core.files.safe_write import target_of


def sha256(content: bytes | None) -> str | None:
    return None if content is None else hashlib.sha256(content).hexdigest()


class RecordStore[R](ABC):
    """Reads and writes one change's records in `state_dir` (created on first write)."""

    prefix: str  # the records' file names: `<prefix>-<hash of the real path>.json`

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir

    def path_for(self, file: Path) -> Path:
        key = hashlib.sha256(str(target_of(file)).encode()).hexdigest()[:16]
        return self.state_dir / f"{self.prefix}-{key}.json"

    def load(self, file: Path, *, strict: bool = False) -> R | None:
        """The record, or None when there is none or it is damaged. With `strict`, a record
        that exists but cannot be read raises OSError (a change must not take it as absent:
        "off" would then call our own lines the user's)."""
        try:
            raw = read_regular_file(self.path_for(file))
        except OSError:
            if strict:
                raise
            return None
        try:
            record = None if raw is None else self.from_json(json.loads(raw.decode("utf-8")))
        except (ValueError, KeyError, TypeError, RecursionError):
            return None
        if record is None or self.file_of(record) != str(target_of(file)):
            return None
        return self.with_secrets(record, file)

    def save(self, record: R) -> None:
        write_json_file(self.path_for(Path(self.file_of(record))), self.to_json(record))

    def restore(self, file: Path, previous: R | None) -> None:
        """Puts back the record as it was before a write that then failed."""
        if previous is not None:
            self.save(previous)
        else:
            self.path_for(file).unlink(missing_ok=True)

    @abstractmethod
    def file_of(self, record: R) -> str:
        """The real path of the file the record is of."""

    @abstractmethod
    def to_json(self, record: R) -> dict[str, Any]:
        """The record as written, passwords hidden."""

    @abstractmethod
    def from_json(self, data: dict[str, Any]) -> R | None:
        """The record read back; None for an unknown format (KeyError etc. for damage)."""

    @abstractmethod
    def with_secrets(self, record: R, file: Path) -> R:
        """The record with the passwords `to_json` hid, found again where they are now."""


def opt_str(value: object) -> str | None:
    return None if value is None else str(value)
