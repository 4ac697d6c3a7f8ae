"""Where things are in a TOML text: statements, keys and value spans, as character offsets.

The switch edits config.toml as text so that every byte it does not mean to change stays as
it was (comments, blank lines, quoting, CRLF). tomlkit keeps those bytes too, but its public
API gives no offsets and its own edits drift (STACK_NOTES "tomlkit"), and the parser gives only
data. So this module delimits the statements of a text that the parser has already accepted:
it does not judge validity, it only has to find where a key, a value or a table starts and
ends. Keys are decoded by the parser itself (`a."b c".d` -> ("a", "b c", "d")), so quoting and
escapes follow the standard exactly. Every edit built on these offsets is checked afterwards
by parsing the result again and comparing the data, so a mistake here turns into a
refusal, never into a damaged file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from codex_link.core.codex.toml_parser import loads

type KeyPath = tuple[str, ...]


class Kind(StrEnum):
    KEYVAL = "keyval"
    TABLE = "table"  # a `[header]` line
    ARRAY_TABLE = "array_table"  # a `[[header]]` line
    COMMENT = "comment"
    BLANK = "blank"


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int  # exclusive


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement of the document: from the start of its line to just after its newline.

    For a key/value, `table` is the table it lives in (from the last header) and `key` is the
    key as written, relative to that table; `value` is the value's own span (without the
    trailing comment). For a header, `table` is the header's path and `key` is empty.
    `in_array` marks statements that live in an array of tables, whose paths are ambiguous:
    the switch never edits those.
    """

    kind: Kind
    span: Span
    table: KeyPath = ()
    key: KeyPath = ()
    key_span: Span | None = None
    value: Span | None = None
    in_array: bool = False

    @property
    def path(self) -> KeyPath:
        """The absolute key path a key/value defines (table + key)."""
        return self.table + self.key


@dataclass(frozen=True, slots=True)
class InlineEntry:
    """One `key = value` inside an inline table `{ ... }`."""

    key: KeyPath
    key_span: Span
    value: Span


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+(?:[ \t]*\.[ \t]*[A-Za-z0-9_-]+)*")


def parse_key(key_text: str) -> KeyPath:
    """Decodes a (possibly dotted, quoted) key exactly as TOML does.

    Bare keys (almost all of them) are split here; quoted ones go to the parser, so quoting
    and escapes follow the standard exactly.
    """
    stripped = key_text.strip(" \t")
    if _BARE_KEY.fullmatch(stripped):
        return tuple(part.strip(" \t") for part in stripped.split("."))
    data = loads(f"{stripped} = 0")
    path: list[str] = []
    node: object = data
    while isinstance(node, dict):
        ((name, node),) = node.items()
        path.append(name)
    return tuple(path)


def scan(text: str) -> list[Statement]:
    """Splits a valid TOML text (BOM removed) into statements covering it end to end."""
    return list(iter_statements(text))


def iter_statements(
    text: str, start: int = 0, table: KeyPath = (), in_array: bool = False
) -> Iterator[Statement]:
    """The statements of a valid TOML text from offset `start` (a statement boundary, inside
    `table`), one at a time, so a lookup stops scanning as soon as it has its answer."""
    array_paths: set[KeyPath] = set()
    i, n = start, len(text)
    while i < n:
        j = _skip_blanks(text, i)
        if j >= n or text[j] in "\r\n":
            end = line_end(text, j)
            yield Statement(Kind.BLANK, Span(i, end), table, in_array=in_array)
        elif text[j] == "#":
            end = line_end(text, j)
            yield Statement(Kind.COMMENT, Span(i, end), table, in_array=in_array)
        elif text[j] == "[":
            is_array = text.startswith("[[", j)
            key_start = j + (2 if is_array else 1)
            key_end = _scan_key(text, key_start, "]")
            table = parse_key(text[key_start:key_end])
            after = key_end + (2 if is_array else 1)
            end = line_end(text, after)
            if is_array:
                array_paths.add(table)
            in_array = any(table[: len(p)] == p for p in array_paths)
            kind = Kind.ARRAY_TABLE if is_array else Kind.TABLE
            yield Statement(
                kind, Span(i, end), table, key_span=Span(key_start, key_end), in_array=in_array
            )
        else:
            key_end = _scan_key(text, j, "=")
            key = parse_key(text[j:key_end])
            value_start = _skip_blanks(text, key_end + 1)
            value_end = scan_value(text, value_start)
            end = line_end(text, value_end)
            yield Statement(
                Kind.KEYVAL,
                Span(i, end),
                table,
                key,
                Span(j, key_end),
                Span(value_start, value_end),
                in_array,
            )
        i = end


def inline_entries(text: str, value: Span) -> list[InlineEntry]:
    """The entries of the inline table whose span is `value` (which starts with `{`).

    TOML 1.1 (which Codex accepts) lets an inline table span lines, hold comments and end
    with a trailing comma: all are skipped between entries.
    """
    entries: list[InlineEntry] = []
    i = value.start + 1
    while True:
        i = _skip_inline_blanks(text, i)
        if text[i] == "}":
            return entries
        key_end = _scan_key(text, i, "=")
        key = parse_key(text[i:key_end])
        value_start = _skip_blanks(text, key_end + 1)
        value_end = scan_value(text, value_start)
        entries.append(InlineEntry(key, Span(i, key_end), Span(value_start, value_end)))
        i = _skip_inline_blanks(text, value_end)
        if text[i] == ",":
            i += 1


def _skip_inline_blanks(text: str, i: int) -> int:
    """Past blanks, newlines and comments inside a (TOML 1.1 multi-line) inline table."""
    while True:
        i = _skip_blanks(text, i)
        if text.startswith("#", i):
            while i < len(text) and text[i] not in "\r\n":
                i += 1
        elif i < len(text) and text[i] in "\r\n":
            i += 1
        else:
            return i


def is_inline_table(text: str, value: Span | None) -> bool:
    return value is not None and text.startswith("{", value.start)


def scan_value(text: str, i: int) -> int:
    """The end of the value starting at `i` (its trailing blanks and comment excluded)."""
    if text.startswith(('"', "'"), i):
        return _scan_string(text, i)
    if text[i] in "[{":
        return _scan_compound(text, i)
    # Numbers, booleans, dates (a date may hold one space: "1979-05-27 07:32:00").
    j = i
    while j < len(text) and text[j] not in ",]}#\r\n":
        j += 1
    while j > i and text[j - 1] in " \t":
        j -= 1
    return j


def _scan_compound(text: str, i: int) -> int:
    depth = 0
    while True:
        c = text[i]
        if c in "[{":
            depth += 1
            i += 1
        elif c in "]}":
            depth -= 1
            i += 1
            if depth == 0:
                return i
        elif c in "\"'":
            i = _scan_string(text, i)
        elif c == "#":
            while text[i] not in "\r\n":
                i += 1
        else:
            i += 1


def _scan_string(text: str, i: int) -> int:
    quote = text[i]
    if text.startswith(quote * 3, i):
        i += 3
        while True:
            if quote == '"' and text[i] == "\\":
                i += 2
            elif text.startswith(quote * 3, i):
                run = 3
                while run < 5 and i + run < len(text) and text[i + run] == quote:
                    run += 1
                return i + run
            else:
                i += 1
    i += 1
    while text[i] != quote:
        i += 2 if quote == '"' and text[i] == "\\" else 1
    return i + 1


def _scan_key(text: str, i: int, stop: str) -> int:
    """The end of a (dotted, quoted) key that runs until `stop` (`=` or `]`)."""
    while text[i] != stop:
        i = _scan_string(text, i) if text[i] in "\"'" else i + 1
    return i


def _skip_blanks(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t":
        i += 1
    return i


def line_end(text: str, i: int) -> int:
    """Just after the newline that ends the line holding offset `i` (blanks, comment)."""
    n = len(text)
    i = _skip_blanks(text, i)
    if i < n and text[i] == "#":
        while i < n and text[i] not in "\r\n":
            i += 1
    if text.startswith("\r\n", i):
        return i + 2
    if i < n and text[i] == "\n":
        return i + 1
    return n
