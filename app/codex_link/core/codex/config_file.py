"""Reading a Codex TOML file exactly as it is on disk.

Both the read-only settings and the switch start here: the raw bytes (so an edit can keep
every byte it does not mean to change), the text without its BOM, the newline style, and the
parsed data. Malformed TOML becomes a `ConfigParseError` with line and column, and nothing is
ever written.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codex_link.core.codex.settings import ConfigError

BOM = "\ufeff"

# CPython's tomllib ends every message with this suffix; 3.14 also has lineno/colno.
_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


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
    data: dict[str, Any]  # what tomllib parsed

    @property
    def ends_with_newline(self) -> bool:
        return self.text.endswith("\n") or not self.text


def detect_newline(text: str) -> str:
    """The file's own newline style; a file with no newline at all gets LF."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def parse_config_bytes(path: Path, raw: bytes) -> ConfigText:
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
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigParseError(_parse_error(path, exc)) from exc
    return ConfigText(path, raw, text, has_bom, detect_newline(text), data)


def read_config(path: Path) -> ConfigText | None:
    """The file as it is now, or None when it does not exist. OSError passes through."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    return parse_config_bytes(path, raw)


def _parse_error(path: Path, exc: tomllib.TOMLDecodeError) -> ConfigError:
    message = str(exc.args[0]) if exc.args else str(exc)
    line: int | None = getattr(exc, "lineno", None)
    column: int | None = getattr(exc, "colno", None)
    match = _POSITION.search(message)
    if match:
        message = message[: match.start()]
        if line is None:
            line, column = int(match.group(1)), int(match.group(2))
    return ConfigError(path, message, line, column)
