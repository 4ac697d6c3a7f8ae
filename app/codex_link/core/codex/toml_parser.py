"""The one TOML parser of the app: the Rust `toml` crate that Codex itself parses with.

Codex accepts TOML 1.1 (multi-line inline tables, trailing commas in inline tables, `\\e` and
`\\xHH` escapes, times without seconds), which Python's `tomllib` refuses; judging a file
with another parser would call valid files broken and let through files Codex refuses.
rtoml wraps the same crate, so its verdicts, its nesting limit and its messages are Codex's
("duplicate key at line 4 column 1"). It is also fast enough for very large files.
"""

from __future__ import annotations

import re
from typing import Any

import rtoml

_POSITION = re.compile(r"\s*at line (\d+) column (\d+)\s*$")


class TomlSyntaxError(ValueError):
    """The text is not TOML that Codex accepts; `line`/`column` when the parser says where."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def loads(text: str) -> dict[str, Any]:
    """The parsed document; `TomlSyntaxError` for anything Codex would refuse to parse."""
    try:
        data = rtoml.loads(text)
    except rtoml.TomlParsingError as exc:
        raise _syntax_error(str(exc)) from exc
    except RecursionError as exc:  # the crate stops deep nesting itself; never let one escape
        raise TomlSyntaxError("cannot recurse further; max recursion depth met") from exc
    if not isinstance(data, dict):
        raise TomlSyntaxError("the document is not a table")
    return data


def _syntax_error(raw: str) -> TomlSyntaxError:
    message = " ".join(raw.split())
    match = _POSITION.search(message)
    if match is None:
        return TomlSyntaxError(message)
    return TomlSyntaxError(message[: match.start()], int(match.group(1)), int(match.group(2)))
