"""Reading a Codex TOML file exactly as it is on disk.

Both the read-only settings and the switch start here: the raw bytes (so an edit can keep
every byte it does not mean to change), the text without its BOM, the newline style, and the
parsed data. Malformed TOML becomes a `ConfigParseError` with line and column, and nothing is
ever written. Files are read without blocking (a FIFO is refused, not waited on) and parsed
with the parser Codex uses (`toml_parser`), so a file is valid here exactly when it is for
Codex.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codex_link.core.codex.toml_chunks import ChunkedToml
from codex_link.core.codex.toml_parser import TomlSyntaxError, loads
from codex_link.core.files.regular_file import read_regular_file
from codex_link.core.model.codex_settings import ConfigError

BOM = "\ufeff"


class ConfigParseError(Exception):
    """The file is not valid TOML (or not UTF-8). Carries where, in plain words."""

    def __init__(self, error: ConfigError) -> None:
        where = f" (line {error.line}, column {error.column})" if error.line else ""
        super().__init__(f"{error.path}: {error.message}{where}")
        self.error = error


@dataclass(frozen=True, slots=True)
class ConfigText:
    path: Path
    raw: bytes  # exactly what was read
    text: str  # decoded, BOM removed
    has_bom: bool
    newline: str  # "\r\n" when the file uses CRLF, else "\n"
    data: dict[str, Any]  # what the parser made of it (only the kept keys, when asked)
    chunks: ChunkedToml | None = None  # when read for some keys only: to verify edits by

    @property
    def ends_with_newline(self) -> bool:
        return self.text.endswith("\n") or not self.text


def detect_newline(text: str) -> str:
    """The file's own newline style; a file with no newline at all gets LF."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def parse_config_bytes(path: Path, raw: bytes, keep: frozenset[str] | None = None) -> ConfigText:
    """The file's text and data; with `keep`, only those top-level keys are kept, and the
    text is parsed in independent chunks (`toml_chunks`): a big file costs a fraction of
    the memory, with exactly the whole parse's verdict."""
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ConfigParseError(
            ConfigError(path, "the file is not UTF-8 text", line, column)
        ) from exc
    has_bom = decoded.startswith(BOM)
    text = decoded[1:] if has_bom else decoded
    chunks = None
    try:
        if keep is None:
            data = loads(text)
        else:
            chunks = ChunkedToml.parse(text, keep)
            data = chunks.data
    except TomlSyntaxError as exc:
        raise ConfigParseError(ConfigError(path, exc.message, exc.line, exc.column)) from exc
    return ConfigText(path, raw, text, has_bom, detect_newline(text), data, chunks)


def read_config(path: Path, keep: frozenset[str] | None = None) -> ConfigText | None:
    """The file as it is now, or None when it does not exist. OSError passes through
    (including `NotARegularFile` for a FIFO or a folder in its place)."""
    raw = read_regular_file(path)
    return None if raw is None else parse_config_bytes(path, raw, keep)
