"""Parsing a big config.toml in independent chunks, keeping only the tables the caller reads.

The full parse of a Codex config builds Python objects of 12-14 times the text, and most of
that is `[projects."..."]` tables and MCP servers the switch never looks at. TOML semantics
make parts of a document independent: tables whose header paths differ in their first key
never interact, and neither do the tables of one first key that differ in the second (as long
as no header, array of tables or root key/value names that first key alone). So the text is
split, by a scan at regex speed, into chunks of whole statements that no TOML rule relates,
each chunk is parsed on its own (bounded memory), and only the data of the kept top-level keys
is retained; every other chunk is only checked to parse.

Kept groups always go to chunk 0 and nothing else does, so the switch's edits (which touch
only kept keys) change chunk 0 alone: `verify` re-scans an edited text, skips every chunk
whose bytes are unchanged (same text, same parse), and parses only the ones that differ.

Correctness before memory: whenever the scanner meets a statement it cannot place, or any
chunk is refused, the whole text is parsed once as before, so the verdict and the error
(message, line and column) are exactly the whole parse's.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable
from typing import Any

from codex_link.core.codex.toml_parser import TomlSyntaxError, loads
from codex_link.core.codex.toml_scan import Kind, Statement, iter_statements

type Data = dict[str, Any]

# Chunk size: a chunk's parse briefly costs ~15x its text, so this bounds the transient.
CHUNK_BYTES = 64 * 1024

# --- the scanner's line shapes (anything else goes to the exact scanner, `toml_scan`) ---
# A quoted key without escapes (its text is its value), a bare key, dotted with blanks.
_PART = r"""(?:[A-Za-z0-9_-]+|"[^"\\\r\n]*"|'[^'\r\n]*')"""
_KEY = rf"{_PART}(?:[ \t]*\.[ \t]*{_PART})*"
# One-line strings (never the start of a multi-line one), and values that end on their line:
# scalars, strings, and arrays / inline tables without nesting or comments.
_STRING = r"""(?:"(?!"")(?:[^"\\\r\n]|\\[^\r\n])*"|'(?!'')[^'\r\n]*')"""
_VALUE = rf"""(?:[A-Za-z0-9_+.:-]+|{_STRING}|[\[{{](?:[^\[\]{{}}"'\r\n#]|{_STRING})*+[\]}}])"""
_END = r"[ \t]*+(?:#[^\r\n]*+)?(?:\r?\n|\Z)"
_BLANK = r"(?:[ \t]*+(?:#[^\r\n]*+)?\r?\n|[ \t]*+#[^\r\n]*+\Z|[ \t]++\Z)"
# A key with its first and second parts captured (and `more` when it goes on).
_DOT = r"[ \t]*\.[ \t]*"
_HEAD = rf"(?P<first>{_PART})(?:{_DOT}(?P<second>{_PART})(?P<more>(?:{_DOT}{_PART})+)?)?"
_KEYVAL = rf"[ \t]*+{_HEAD}[ \t]*+=[ \t]*+{_VALUE}{_END}"
_BODY_LINE = rf"(?:{_BLANK}|[ \t]*+{_KEY}[ \t]*+=[ \t]*+{_VALUE}{_END})"
_HEADER = rf"[ \t]*+\[(?P<array>\[)?[ \t]*+{_HEAD}[ \t]*+\](?(array)\]){_END}"

_ROOT_LINE = re.compile(rf"{_KEYVAL}|{_BLANK}")
_SECTION = re.compile(rf"{_HEADER}{_BODY_LINE}*+")
_HEADER_LINE = re.compile(_HEADER)
_BODY = re.compile(rf"{_BODY_LINE}++")
_HEADER_START = re.compile(r"[ \t]*\[")


class CannotPlace(Exception):
    """The scanner met a statement it cannot place: the caller parses the whole text."""


def _unquoted(part: str) -> str:
    """A scanned key part as TOML reads it (its quoted form holds no escapes)."""
    return part[1:-1] if part[:1] in ('"', "'") else part


def _head(match: re.Match[str]) -> tuple[str, str | None]:
    """The first key and the second (None if alone) of a matched key/value or header."""
    second = match.group("second")
    return _unquoted(match.group("first")), None if second is None else _unquoted(second)


class _Partition:
    """Which chunk each statement goes to; chunks are flat arrays of (start, end) offsets."""

    def __init__(self, keep: frozenset[str], target: int) -> None:
        self.keep = keep
        self.target = target
        self.spans: list[array[int]] = [array("q")]  # chunk 0: the kept groups
        self.sizes = [0]
        self.parent = [0]  # union-find: chunks merged because a group cannot be split
        self.unsorted: set[int] = set()
        self.collapsed: dict[str, int] = {}  # first key -> its one chunk
        self.split: dict[str, dict[int, int]] = {}  # first key -> hash(second key) -> chunk
        self.open = -1

    def find(self, chunk: int) -> int:
        while self.parent[chunk] != chunk:
            self.parent[chunk] = self.parent[self.parent[chunk]]
            chunk = self.parent[chunk]
        return chunk

    def chunk_for(self, first: str, second: str | None) -> int:
        """The chunk of a statement whose absolute path starts with `first`, `second`."""
        if first in self.keep:
            return 0
        whole = self.collapsed.get(first)
        if whole is not None:
            return self.find(whole)
        subs = self.split.setdefault(first, {})
        if second is None:  # `[first]`, `[[first]]` or `first = ...`: the group stays whole
            chunks = {self.find(chunk) for chunk in subs.values()}
            into = min(chunks) if chunks else self.open_chunk()
            for other in chunks - {into}:
                self._union(into, other)
            del self.split[first]
            self.collapsed[first] = into
            return into
        key = hash(second)  # a collision only puts two tables in one chunk: still correct
        chunk = subs.get(key)
        if chunk is None:
            chunk = subs[key] = self.open_chunk()
        return self.find(chunk)

    def open_chunk(self) -> int:
        if self.open < 0 or self.sizes[self.find(self.open)] >= self.target:
            self.open = len(self.spans)
            self.spans.append(array("q"))
            self.sizes.append(0)
            self.parent.append(self.open)
        return self.find(self.open)

    def _union(self, into: int, other: int) -> None:
        self.spans[into].extend(self.spans[other])
        self.spans[other] = array("q")
        self.sizes[into] += self.sizes[other]
        self.parent[other] = into
        self.unsorted.add(into)

    def add(self, chunk: int, start: int, end: int) -> None:
        spans = self.spans[chunk]
        if spans and spans[-1] == start:
            spans[-1] = end
        else:
            spans.append(start)
            spans.append(end)
        self.sizes[chunk] += end - start

    def chunks(self) -> list[array[int]]:
        """Chunk 0, then every non-empty chunk, each with its spans in file order."""
        result = [self.spans[0]]
        for chunk in range(1, len(self.spans)):
            if self.parent[chunk] != chunk or not self.spans[chunk]:
                continue
            spans = self.spans[chunk]
            if chunk in self.unsorted:
                pairs = sorted(zip(spans[::2], spans[1::2], strict=True))
                spans = array("q", [offset for pair in pairs for offset in pair])
            result.append(spans)
        return result


def _careful(text: str, position: int) -> Statement:
    """One statement by the exact scanner; a text it cannot follow is not placed."""
    try:
        statement = next(iter_statements(text, position))
    except (IndexError, ValueError, RecursionError, StopIteration) as exc:
        raise CannotPlace(str(exc)) from exc
    if statement.span.end <= position:
        raise CannotPlace("no progress")
    return statement


def _chunk_of_path(part: _Partition, path: tuple[str, ...]) -> int:
    if not path:
        raise CannotPlace("empty key")
    return part.chunk_for(path[0], path[1] if len(path) > 1 else None)


def partition(text: str, keep: frozenset[str], target: int = CHUNK_BYTES) -> list[array[int]]:
    """The chunks of `text`: chunk 0 holds the kept groups and the root's comments.

    Raises `CannotPlace` for a text the scanner cannot split safely.
    """
    part = _Partition(keep, target)
    position = _root(text, part)
    if position < len(text):
        if _headers_start_lines(text, position):
            _sections_by_lines(text, position, part)
        else:
            _sections_scanned(text, position, part)
    return part.chunks()


def _root(text: str, part: _Partition) -> int:
    """The root table's key/values and comments, before any header; where the first starts."""
    position, size = 0, len(text)
    while position < size:
        match = _ROOT_LINE.match(text, position)
        if match is not None and match.end() > position:
            chunk = 0 if match.group("first") is None else part.chunk_for(*_head(match))
            part.add(chunk, position, match.end())
            position = match.end()
            continue
        if _HEADER_START.match(text, position):
            break
        statement = _careful(text, position)
        if statement.kind is Kind.KEYVAL:
            chunk = _chunk_of_path(part, statement.path)
        elif statement.kind in (Kind.COMMENT, Kind.BLANK):
            chunk = 0
        else:  # pragma: no cover (a header starts with "[", seen above)
            raise CannotPlace("header in the root")
        part.add(chunk, position, statement.span.end)
        position = statement.span.end
    return position


_INDENTED_HEADER = re.compile(r"\n[ \t]+\[")


def _headers_start_lines(text: str, position: int) -> bool:
    """Every line from `position` on that starts with "[" starts a statement, and no header
    is indented: no multi-line string (which could hold such a line) and no blanks before "[".

    A "[" line inside a multi-line array or inline table is not a header; cutting there
    leaves its closing bracket alone at the start of the next piece, which no TOML accepts:
    that chunk is refused and the whole parse decides.
    """
    return (
        '"""' not in text and "'''" not in text and _INDENTED_HEADER.search(text, position) is None
    )


def _sections_by_lines(text: str, position: int, part: _Partition) -> None:
    """Tables cut at each line that starts with "[" (C-speed search; see above).

    The loop is written for speed (it runs once per table, half a million times for a
    50 MB file): a run of tables of one split group takes the short way.
    """
    size = len(text)
    spans, sizes, parent = part.spans, part.sizes, part.parent
    last_first: str | None = None
    subs: dict[int, int] | None = None  # of `last_first`, while it is split and not kept
    prefix = ""  # "[first." of the last header, for the short way
    while position < size:
        found = text.find("\n[", position)
        following = size if found < 0 else found + 1
        key = _quoted_second(text, position, prefix) if subs is not None else None
        if key is not None:  # `[first."second"]` of the same first key as the last header
            assert subs is not None
            hashed = hash(key)
            chunk = subs.get(hashed, -1)
            if chunk < 0:
                chunk = subs[hashed] = part.open_chunk()
            elif parent[chunk] != chunk:
                chunk = part.find(chunk)
            _append(spans[chunk], position, following)
            sizes[chunk] += following - position
            position = following
            continue
        match = _HEADER_LINE.match(text, position)
        if match is None:
            statement = _careful(text, position)
            if statement.kind not in (Kind.TABLE, Kind.ARRAY_TABLE):
                raise CannotPlace("not a header")
            chunk = _chunk_of_path(part, statement.table)
            last_first = subs = None
        else:
            first, second = match.group("first", "second")
            if subs is not None and first == last_first and second is not None:
                hashed = hash(_unquoted(second))
                chunk = subs.get(hashed, -1)
                if chunk < 0:
                    chunk = subs[hashed] = part.open_chunk()
                elif parent[chunk] != chunk:
                    chunk = part.find(chunk)
            else:
                chunk = part.chunk_for(*_head(match))
                unquoted = _unquoted(first)
                last_first, subs = first, part.split.get(unquoted)
                if unquoted in part.keep:
                    subs = None
                prefix = f"[{first}."
        _append(spans[chunk], position, following)
        sizes[chunk] += following - position
        position = following


def _append(spans: array[int], start: int, end: int) -> None:
    if spans and spans[-1] == start:
        spans[-1] = end
    else:
        spans.append(start)
        spans.append(end)


def _quoted_second(text: str, position: int, prefix: str) -> str | None:
    """The second key of a header `[first."second"]` (or 'second') that starts with
    `prefix` ("[first."), when it is quoted without escapes and is the last key; else None.
    Whatever follows the `]` on its line is the chunk parse's to judge."""
    if not text.startswith(prefix, position):
        return None
    start = position + len(prefix)
    quote = text[start : start + 1]
    if quote not in ('"', "'"):
        return None
    end = text.find(quote, start + 1)
    if end < 0 or not text.startswith("]", end + 1):
        return None
    key = text[start + 1 : end]
    if "\\" in key or "\n" in key:
        return None
    return key


def _sections_scanned(text: str, position: int, part: _Partition) -> None:
    """Tables with every statement delimited (a text with multi-line strings)."""
    size = len(text)
    current = 0
    while position < size:
        match = _SECTION.match(text, position)
        if match is not None:
            current = part.chunk_for(*_head(match))
            part.add(current, position, match.end())
            position = match.end()
            continue
        match = _BODY.match(text, position)
        if match is not None and match.end() > position:
            part.add(part.find(current), position, match.end())
            position = match.end()
            continue
        statement = _careful(text, position)
        if statement.kind in (Kind.TABLE, Kind.ARRAY_TABLE):
            current = _chunk_of_path(part, statement.table)
        part.add(part.find(current), position, statement.span.end)
        position = statement.span.end


def chunk_text(text: str, spans: array[int]) -> str:
    return "".join(text[spans[i] : spans[i + 1]] for i in range(0, len(spans), 2))


def _merge(parts: Iterable[Data]) -> Data:
    """The data of chunks of one document together. Two chunks share a first key only when
    its group was split by the second key, whose keys are then disjoint."""
    merged: Data = {}
    for data in parts:
        for key, value in data.items():
            if key in merged and isinstance(merged[key], dict) and isinstance(value, dict):
                merged[key].update(value)
            else:
                merged[key] = value
    return merged


def _kept(data: Data, keep: frozenset[str]) -> Data:
    return {key: value for key, value in data.items() if key in keep}


class ChunkedToml:
    """A text that parses (as a whole would), with the data of its kept top-level keys.

    `chunks` is None when the text was parsed whole (the scanner could not split it).
    """

    def __init__(
        self,
        text: str,
        keep: frozenset[str],
        data: Data,
        chunks: list[array[int]] | None,
        hashes: list[int],
        target: int = CHUNK_BYTES,
    ) -> None:
        self.text = text
        self.keep = keep
        self.target = target
        self.data = data
        self._chunks = chunks
        self._hashes = hashes  # of each chunk's text, chunk 0 excluded

    @classmethod
    def parse(cls, text: str, keep: frozenset[str], target: int = CHUNK_BYTES) -> ChunkedToml:
        """`TomlSyntaxError` exactly when (and as) the whole parse refuses the text."""
        try:
            chunks = partition(text, keep, target)
        except CannotPlace:
            return cls(text, keep, _kept(loads(text), keep), None, [], target)
        try:
            data = loads(chunk_text(text, chunks[0]))
            hashes = []
            for spans in chunks[1:]:
                piece = chunk_text(text, spans)
                loads(piece)  # only whether it parses: its data is not kept
                hashes.append(hash(piece))
                del piece
        except TomlSyntaxError:
            # The whole parse says exactly what and where; it is expected to refuse too.
            return cls(text, keep, _kept(loads(text), keep), None, [], target)
        return cls(text, keep, data, chunks, hashes, target)

    def verify(self, new_text: str, expected: Data) -> ChunkedToml | None:
        """`new_text` (an edit of this text) if it parses to this text's data with the kept
        keys replaced by `expected`; None if its data differs. `TomlSyntaxError` if invalid.

        Only chunks whose text changed are parsed: an unchanged chunk parses as before.
        """
        if self._chunks is None:
            return self._verify_whole(new_text, expected)
        try:
            chunks = partition(new_text, self.keep, self.target)
        except CannotPlace:
            return self._verify_whole(new_text, expected)
        unmatched: dict[int, list[int]] = {}
        for index, old_hash in enumerate(self._hashes, start=1):
            unmatched.setdefault(old_hash, []).append(index)
        hashes: list[int] = []
        changed: list[str] = []
        for spans in chunks[1:]:
            piece = chunk_text(new_text, spans)
            new_hash = hash(piece)
            hashes.append(new_hash)
            same = unmatched.get(new_hash)
            if same and chunk_text(self.text, self._chunks[same[-1]]) == piece:
                same.pop()
            else:
                changed.append(piece)
        try:
            data = loads(chunk_text(new_text, chunks[0]))
            new_other = _merge(loads(piece) for piece in changed)
        except TomlSyntaxError:
            loads(new_text)  # the whole parse's own error (it is expected to refuse too)
            return self._verify_whole(new_text, expected)
        if data != expected:
            return None
        gone = (
            chunk_text(self.text, self._chunks[index])
            for indexes in unmatched.values()
            for index in indexes
        )
        if new_other != _merge(loads(piece) for piece in gone):
            return None
        return ChunkedToml(new_text, self.keep, data, chunks, hashes, self.target)

    def _verify_whole(self, new_text: str, expected: Data) -> ChunkedToml | None:
        """The slow, exact way: both texts parsed whole and compared."""
        new_data = loads(new_text)
        old_data = loads(self.text)
        kept = _kept(new_data, self.keep)
        others_same = {k: v for k, v in new_data.items() if k not in self.keep} == {
            k: v for k, v in old_data.items() if k not in self.keep
        }
        if kept != expected or not others_same:
            return None
        return ChunkedToml.parse(new_text, self.keep, self.target)
