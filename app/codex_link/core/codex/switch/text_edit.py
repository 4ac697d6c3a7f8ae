"""Text-level edits of config.toml that touch only the bytes they must, and their exact undo.

Each edit works on the text without its BOM, in the file's own newline style, and returns a
record (`Inserted` or `Replaced`) that says exactly what text went where; undo finds that text
again and takes it out (or puts the old value back). Every edit is checked by parsing the
result again and comparing the data with what the edit means to do: anything else
(a scanning mistake, an unexpected shape) raises `EditRefused` and the file is left alone.

Placement rules, and why:
- A new root key goes on its own line right after the last root key/value, before the first
  table header: a key written after a header belongs to that table (the classic hand-edit
  bug). With no root key/value, it goes above the comment block that sits directly on the
  first header, so the header keeps its comment.
- A new table is appended at the end of the file: tables may come in any order, and the end
  is the one place where no other table's comments or keys can be captured.
- A key for an existing table goes after that table's last key/value, in the form the table
  is written in: under its `[header]`, inside its inline `{ ... }`, or as a dotted key beside
  the dotted keys that define it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from codex_link.core.codex.config_file import BOM, ConfigText
from codex_link.core.codex.toml_chunks import ChunkedToml
from codex_link.core.codex.toml_parser import TomlSyntaxError, loads
from codex_link.core.codex.toml_scan import (
    KeyPath,
    Kind,
    Span,
    Statement,
    inline_entries,
    is_inline_table,
    iter_statements,
    line_end,
    parse_key,
)

type Data = dict[str, Any]

# Small texts check an exact undo at once (cheap), so a wrong guess falls back at once to the
# undo by meaning; large ones check once at the end (see `verified`).
_VERIFY_EAGERLY_BELOW = 64 * 1024


class EditRefused(Exception):
    """The edit cannot be made safely in this text (the text is left as it was)."""


@dataclass(frozen=True, slots=True)
class Inserted:
    """Text we inserted. `key_offset` is where the key (or the table header line) starts in it.

    `value` is the value text of an inserted key (empty for a table), so undo can still
    recognise our own line when the user has edited the text around it.
    """

    kind: Literal["key", "table"]
    path: KeyPath
    text: str
    key_offset: int
    value: str = ""


@dataclass(frozen=True, slots=True)
class Replaced:
    """A value we replaced: `old` and `new` are value texts as written in the file."""

    path: KeyPath
    old: str
    new: str


type Edit = Inserted | Replaced


def render_key(path: KeyPath) -> str:
    """A key as TOML text, bare where possible (tomlkit does the quoting and escaping)."""
    import tomlkit  # only when writing: the tray reads the switch's state at every check

    return ".".join(tomlkit.key(part).as_string() for part in path)


def render_value(value: str | bool | int) -> str:
    import tomlkit

    return tomlkit.item(value).as_string()


def parse_value(value_text: str) -> Any:
    return loads(f"v = {value_text}")["v"]


def document_of(config: ConfigText | None) -> TomlText:
    """The editable text of a config.toml as read (an empty one for a missing file)."""
    if config is None:
        return TomlText("", "\n", {})
    # Parsed from this very text (the settings' keys only; its chunks verify the edits).
    return TomlText(config.text, config.newline, config.data, chunks=config.chunks)


def encoded(doc: TomlText, config: ConfigText | None) -> bytes:
    """The edited text as the file's bytes: UTF-8, with the BOM the file had."""
    bom = BOM if config is not None and config.has_bom else ""
    return (bom + doc.text).encode("utf-8")


class TomlText:
    """A TOML text (BOM removed) with its newline style and parsed data.

    Cheap to make and to edit, whatever the size of the file: statements are found by
    scanning only as far as each question needs (the root table ends at the first header),
    and the data of an edited text is what the edit says it should be until `verified()`
    parses the text once and compares. So planning parses the file once, and the result once.
    """

    def __init__(
        self,
        text: str,
        newline: str,
        data: Data | None = None,
        *,
        expected: bool = False,
        chunks: ChunkedToml | None = None,
    ) -> None:
        self.text = text
        self.newline = newline
        self._data = data
        self._pending = expected and data is not None  # `data` is a claim still to check
        # The last verified text, parsed in chunks with only some keys kept: then `data`
        # holds only those keys, and verifying an edit parses only the chunks it changed.
        self._chunks = chunks
        self._statements: list[Statement] | None = None
        self._exact = False

    @property
    def data(self) -> Data:
        if self._data is None:
            self._data = loads(self.text)
        return self._data

    def verified(self) -> TomlText:
        """This text, once it is certain that it parses to `data` (else `EditRefused`)."""
        if self._pending:
            assert self._data is not None
            try:
                if self._chunks is not None:
                    chunks = self._chunks.verify(self.text, self._data)
                    parsed = None if chunks is None else chunks.data
                else:
                    chunks, parsed = None, loads(self.text)
            except (TomlSyntaxError, ValueError) as exc:
                raise EditRefused(f"the edit would not be valid TOML: {exc}") from exc
            if parsed is None or parsed != self._data:
                raise EditRefused("the edit would change more than it should")
            self._data, self._chunks, self._pending = parsed, chunks, False
        return self

    @property
    def statements(self) -> list[Statement]:
        """Every statement (a whole scan; the lookups below stop as early as they can)."""
        if self._statements is None:
            self._statements = list(iter_statements(self.text))
        return self._statements

    # ----- finding things -------------------------------------------------------------------

    def header(self, path: KeyPath) -> Statement | None:
        return self._header_with_previous(path)[0]

    def _header_with_previous(self, path: KeyPath) -> tuple[Statement | None, Statement | None]:
        """The `[path]` header line, and the statement just before it.

        Found by a regex over header-shaped lines that name the table's last key (C speed,
        whatever the file's size), confirmed by decoding the key. A line like that inside a
        multi-line string would fool it: every edit is verified by parsing the result, and
        a wrong guess there makes the caller fall back to `exact_lookups`, a full scan.
        """
        if _table_missing(self._data, path):
            return None, None
        if not self._exact:
            return self._header_by_regex(path) or (None, None)
        previous: Statement | None = None
        for statement in iter_statements(self.text):
            if statement.kind is Kind.TABLE and statement.table == path and not statement.in_array:
                return statement, previous
            previous = statement
        return None, None

    def _header_by_regex(self, path: KeyPath) -> tuple[Statement, Statement | None] | None:
        pattern = re.compile(
            r"^[ \t]*\[(?!\[)([^\[\]\r\n]*" + re.escape(path[-1]) + r"[^\[\]\r\n]*)\]", re.MULTILINE
        )
        for match in pattern.finditer(self.text):
            try:
                if parse_key(match.group(1)) != path:
                    continue
            except (TomlSyntaxError, ValueError):
                continue
            start = match.start()
            end = line_end(self.text, match.end())
            header = Statement(
                Kind.TABLE, Span(start, end), path, key_span=Span(match.start(1), match.end(1))
            )
            before = self.text.rfind("\n", 0, max(0, start - 1)) + 1
            previous = None
            if start > 0 and not self.text[before:start].strip():
                previous = Statement(Kind.BLANK, Span(before, start), path[:-1])
            return header, previous
        return None

    def exact_lookups(self) -> TomlText:
        """This text with every lookup done by a full scan (no regex shortcut)."""
        exact = TomlText(
            self.text, self.newline, self._data, expected=self._pending, chunks=self._chunks
        )
        exact._exact = True
        return exact

    def _statements_for(self, path: KeyPath) -> Iterator[Statement]:
        """The statements that can define `path` or a prefix of it: the root table's and
        those under `[prefix]` headers of it (a key lives in its table or a parent's)."""
        yield from self.root_statements()
        for length in range(1, len(path)):
            header = self.header(path[:length])
            if header is not None:
                yield from self.section(header)

    def section(self, header: Statement) -> list[Statement]:
        """The statements under `header`, up to the next header."""
        body: list[Statement] = []
        for statement in iter_statements(self.text, header.span.end, header.table, header.in_array):
            if statement.kind in (Kind.TABLE, Kind.ARRAY_TABLE):
                break
            body.append(statement)
        return body

    def root_statements(self) -> list[Statement]:
        return self._root_and_first_header()[0]

    def _root_and_first_header(self) -> tuple[list[Statement], Statement | None]:
        root: list[Statement] = []
        for statement in iter_statements(self.text):
            if statement.kind in (Kind.TABLE, Kind.ARRAY_TABLE):
                return root, statement
            root.append(statement)
        return root, None

    def keyval(self, path: KeyPath) -> Statement | None:
        """The key/value statement that defines exactly `path` (not inside an inline table)."""
        statements = self.root_statements() if len(path) == 1 else iter_statements(self.text)
        for statement in statements:
            if statement.kind is Kind.KEYVAL and not statement.in_array and statement.path == path:
                return statement
        return None

    def value_span(self, path: KeyPath) -> Span | None:
        """Where the value of `path` is written: a statement, or an entry in an inline table."""
        for statement in self._statements_for(path):
            if statement.kind is not Kind.KEYVAL or statement.in_array:
                continue
            if statement.path == path:
                return statement.value
            if _is_prefix(statement.path, path) and is_inline_table(self.text, statement.value):
                assert statement.value is not None
                return self._inline_value(statement.value, path[len(statement.path) :])
        return None

    def key_start(self, kind: Literal["key", "table"], path: KeyPath) -> int | None:
        """Where the header line (table) or the key (key/value, inline entry) of `path` starts."""
        if kind == "table":
            header = self.header(path)
            if header is not None:
                return header.span.start
        statement = self.keyval(path)
        if statement is not None:
            assert statement.key_span is not None
            return statement.key_span.start
        holder = self.value_span(path[:-1]) if len(path) > 1 else None
        if holder is not None and is_inline_table(self.text, holder):
            for entry in inline_entries(self.text, holder):
                if entry.key == path[-1:]:
                    return entry.key_span.start
        return None

    def _inline_value(self, table: Span, rest: KeyPath) -> Span | None:
        for entry in inline_entries(self.text, table):
            if entry.key == rest:
                return entry.value
            if _is_prefix(entry.key, rest) and is_inline_table(self.text, entry.value):
                return self._inline_value(entry.value, rest[len(entry.key) :])
        return None

    # ----- edits ----------------------------------------------------------------------------

    def set_value(self, path: KeyPath, value_text: str) -> tuple[TomlText, Replaced]:
        """Replaces the value of an existing key, keeping its key, spacing and comment."""
        span = self.value_span(path)
        if span is None:
            raise EditRefused(f"{render_key(path)} is not written in a form that can be edited")
        old = self.text[span.start : span.end]
        new_text = self.text[: span.start] + value_text + self.text[span.end :]
        expected = _with_value(self.data, path, parse_value(value_text))
        return self._checked(new_text, expected), Replaced(path, old, value_text)

    def insert_root_key(self, key: str, value_text: str) -> tuple[TomlText, Inserted]:
        """Adds `key = value` to the root table, on one line, before the first header."""
        root, first_header = self._root_and_first_header()
        line = f"{render_key((key,))} = {value_text}"
        keyvals = [s for s in root if s.kind is Kind.KEYVAL]
        if keyvals:
            position = keyvals[-1].span.end
            inserted, offset = self._line_at(position, line)
        elif first_header is None:  # no table at all: the end of the file
            inserted, offset = self._line_at(len(self.text), line)
            position = len(self.text)
        else:
            # Above the comment block that sits directly on the first header, then a blank line.
            index = len(root)
            while index > 0 and root[index - 1].kind is Kind.COMMENT:
                index -= 1
            position = root[index].span.start if index < len(root) else first_header.span.start
            inserted, offset = line + self.newline + self.newline, 0
        record = Inserted("key", (key,), inserted, offset, value_text)
        expected = _with_value(self.data, (key,), parse_value(value_text))
        return self._insert(position, record, expected)

    def insert_key(self, table: KeyPath, key: str, value_text: str) -> tuple[TomlText, Inserted]:
        """Adds `key = value` to an existing table, in the form that table is written in."""
        path = (*table, key)
        expected = _with_value(self.data, path, parse_value(value_text))
        header = self.header(table)
        if header is not None:
            keyvals = [s for s in self.section(header) if s.kind is Kind.KEYVAL]
            position = keyvals[-1].span.end if keyvals else header.span.end
            line = f"{render_key((key,))} = {value_text}"
            inserted, offset = self._line_at(position, line)
            return self._insert(
                position, Inserted("key", path, inserted, offset, value_text), expected
            )
        holder = self.value_span(table)
        if holder is not None and is_inline_table(self.text, holder):
            return self._insert_inline(holder, path, value_text, expected)
        dotted = [
            s
            for s in self._statements_for(table)
            if s.kind is Kind.KEYVAL
            and not s.in_array
            and _is_prefix(table, s.path)
            and len(s.table) < len(table)
        ]
        if dotted:
            last = dotted[-1]
            line = f"{render_key(path[len(last.table) :])} = {value_text}"
            inserted, offset = self._line_at(last.span.end, line)
            return self._insert(
                last.span.end, Inserted("key", path, inserted, offset, value_text), expected
            )
        raise EditRefused(f"cannot find where [{render_key(table)}] is written")

    def add_table(self, path: KeyPath, entries: Mapping[str, str]) -> tuple[TomlText, Inserted]:
        """Adds a new table: `[path]` at the end of the file, or an entry of an inline parent."""
        value = {key: parse_value(text) for key, text in entries.items()}
        expected = _with_value(self.data, path, value)
        parent = self.value_span(path[:-1]) if len(path) > 1 else None
        if parent is not None and is_inline_table(self.text, parent):
            inline = "{ " + ", ".join(f"{render_key((k,))} = {v}" for k, v in entries.items())
            return self._insert_inline(parent, path, inline + " }", expected)
        lines = [f"[{render_key(path)}]"]
        lines += [f"{render_key((k,))} = {v}" for k, v in entries.items()]
        body = self.newline.join(lines)
        text = self.text
        if not text:
            separator, ending = "", self.newline
        elif text.endswith("\n"):
            blank_before = text.endswith(("\n\n", "\n\r\n"))
            separator, ending = ("" if blank_before else self.newline), self.newline
        else:  # no final newline: keep it that way
            separator, ending = self.newline + self.newline, ""
        record = Inserted("table", path, separator + body + ending, len(separator))
        return self._insert(len(text), record, expected)

    def _insert_inline(
        self, holder: Span, path: KeyPath, value_text: str, expected: Data
    ) -> tuple[TomlText, Inserted]:
        entries = inline_entries(self.text, holder)
        entry = f"{render_key(path[-1:])} = {value_text}"
        if entries:
            position = entries[-1].value.end
            record = Inserted("key", path, ", " + entry, 2, value_text)
        else:
            position = holder.start + 1
            record = Inserted("key", path, " " + entry + " ", 1, value_text)
        return self._insert(position, record, expected)

    def _line_at(self, position: int, line: str) -> tuple[str, int]:
        """The text that puts `line` on its own line at `position` (a line start or the end)."""
        if position == len(self.text) and self.text and not self.text.endswith("\n"):
            return self.newline + line, len(self.newline)
        return line + self.newline, 0

    def _insert(self, position: int, record: Inserted, expected: Data) -> tuple[TomlText, Inserted]:
        new_text = self.text[:position] + record.text + self.text[position:]
        return self._checked(new_text, expected), record

    def _checked(self, new_text: str, expected: Data) -> TomlText:
        """The edited text, claimed to parse to `expected` (checked by `verified()`)."""
        return TomlText(new_text, self.newline, expected, expected=True, chunks=self._chunks)

    # ----- undo -----------------------------------------------------------------------------

    def undo(
        self, edit: Edit, prune_parent: bool = False, *, verify: bool = True
    ) -> TomlText | None:
        """This text without `edit`, or None when the edit is no longer there as we made it.

        Our text is recognised first by its exact bytes, then by its meaning: Codex itself
        (`codex mcp add`, trusting a project, picking a model) and editors rewrite the file,
        changing CRLF to LF, spacing or the final newline, and our lines must still be found
        then. A key we inserted goes when its value is still ours; a table we added goes
        when it still holds exactly our keys and values; a value we replaced is put back
        when it still holds our value. Anything the user changed stays theirs.
        `prune_parent` drops the parent table from the expected data when it becomes empty
        (we created it, e.g. `model_providers`, along with our table). Without `verify` the
        result is not parsed yet: undo several edits, then call `verified()` once.
        """
        result = self._undo(edit, prune_parent, eager=verify)
        if result is None or not verify:
            return result
        try:
            return result.verified()
        except EditRefused:
            return None

    def _undo(self, edit: Edit, prune_parent: bool, *, eager: bool) -> TomlText | None:
        if isinstance(edit, Replaced):
            span = self.value_span(edit.path)
            if span is None or not _same_value(self.text[span.start : span.end], edit.new):
                return None
            new_text = self.text[: span.start] + edit.old + self.text[span.end :]
            return self._checked(new_text, _with_value(self.data, edit.path, parse_value(edit.old)))
        expected = _without(self.data, edit.path, prune_parent)
        if expected is None:
            return None
        start = self.key_start(edit.kind, edit.path)
        if start is None:
            return None
        begin = start - edit.key_offset
        if begin >= 0 and self.text.startswith(edit.text, begin):
            new_text = self.text[:begin] + self.text[begin + len(edit.text) :]
            exact = self._checked(new_text, expected)
            try:  # our bytes, as we wrote them: this is almost always the answer
                if eager or len(self.text) < _VERIFY_EAGERLY_BELOW:
                    return exact.verified()
                return exact
            except EditRefused:
                pass
        span = self._table_span(edit) if edit.kind == "table" else self._key_span(edit)
        if span is None:
            return None
        return self._checked(self.text[: span.start] + self.text[span.end :], expected)

    def _key_span(self, edit: Inserted) -> Span | None:
        """Where our inserted key now is: its own line, or its entry in an inline table."""
        statement = self.keyval(edit.path)
        if statement is not None and statement.value is not None:
            if _same_value(self.text[statement.value.start : statement.value.end], edit.value):
                return statement.span
            return None
        holder = self.value_span(edit.path[:-1]) if len(edit.path) > 1 else None
        if holder is None or not is_inline_table(self.text, holder):
            return None
        entries = inline_entries(self.text, holder)
        for index, entry in enumerate(entries):
            if entry.key != edit.path[-1:]:
                continue
            if not _same_value(self.text[entry.value.start : entry.value.end], edit.value):
                return None
            if index > 0:  # from the end of the entry before: takes the comma with it
                return Span(entries[index - 1].value.end, entry.value.end)
            if len(entries) > 1:  # the first entry: up to the next one's key
                return Span(entry.key_span.start, entries[1].key_span.start)
            return Span(holder.start + 1, holder.end - 1)
        return None

    def _table_span(self, edit: Inserted) -> Span | None:
        """Our `[table]` as it is now: its header and its key/values, when they are still
        exactly the keys and values we wrote; with the blank line we put before it."""
        header, previous = self._header_with_previous(edit.path)
        if header is None:
            return None
        ours = loads(edit.text)
        for part in edit.path:
            ours = ours[part]
        node: Any = self.data
        for part in edit.path:
            node = node.get(part) if isinstance(node, dict) else None
        if node != ours:
            return None
        end = header.span.end
        for statement in self.section(header):
            if statement.kind is not Kind.KEYVAL:
                break  # comments and blank lines after our keys belong to what follows
            end = statement.span.end
        start = header.span.start
        if edit.key_offset and previous is not None and previous.kind is Kind.BLANK:
            start = previous.span.start
        return Span(start, end)

    def remove_statement(self, statement: Statement) -> TomlText | None:
        """This text without a whole key/value line (used for a root key the user wrote)."""
        expected = _without(self.data, statement.path, False)
        if expected is None:
            return None
        new_text = self.text[: statement.span.start] + self.text[statement.span.end :]
        try:
            return self._checked(new_text, expected).verified()
        except EditRefused:
            return None


def _table_missing(data: Data | None, path: KeyPath) -> bool:
    """The parsed data has no table at `path` (so no header can define it)."""
    node: Any = data
    if node is None:
        return False
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return not isinstance(node, dict)


def _same_value(written: str, ours: str) -> bool:
    """The same TOML value, however it is spelled now ('x' or "x", 0x10 or 16)."""
    if written == ours:
        return True
    try:
        return bool(parse_value(written) == parse_value(ours))
    except (TomlSyntaxError, KeyError):
        return False


def _is_prefix(prefix: KeyPath, path: KeyPath) -> bool:
    return len(prefix) < len(path) and path[: len(prefix)] == prefix


def _with_value(data: Data, path: KeyPath, value: Any) -> Data:
    """`data` with `path` set to `value`. Only the tables on the path are copied (shallow):
    the rest is shared, so even a very large document costs no more than its path."""
    result = dict(data)
    node = result
    for part in path[:-1]:
        child = node.get(part, {})
        if not isinstance(child, dict):
            raise EditRefused(f"{render_key(path)} lies under a value that is not a table")
        node[part] = child = dict(child)
        node = child
    node[path[-1]] = value
    return result


def _without(data: Data, path: KeyPath, prune_parent: bool) -> Data | None:
    """`data` without `path` (and its parent when `prune_parent` and it becomes empty);
    None when `path` is not there. Copies only the tables on the path, like `_with_value`."""
    result = dict(data)
    parents: list[dict[str, Any]] = []
    node = result
    for part in path[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            return None
        parents.append(node)
        node[part] = child = dict(child)
        node = child
    if path[-1] not in node:
        return None
    del node[path[-1]]
    if prune_parent and not node and len(path) > 1:
        del parents[-1][path[-2]]
    return result
