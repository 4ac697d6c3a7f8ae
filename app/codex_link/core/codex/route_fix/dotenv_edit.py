"""The route fix's edits of `$CODEX_HOME/.env`: proxy lines in, and exactly those lines out.

Works on the file's bytes through dotenvy's own line reader (`dotenv.dotenv_lines`), so
every byte that is not one of our lines stays as it was: line ends (CRLF or LF), a BOM, a
missing final newline, comments, `export ` prefixes, lines Codex skips (not UTF-8,
unreadable) and their order.

"On", for each variable of the route:
- the last line that sets it under that exact name (a user's earlier proxy) gets our value
  in place: its `export `, spacing, quotes and trailing comment stay; the old line is kept
  in the change, for "off";
- otherwise a new line is added at the end, under a one-line comment that says who wrote
  it. "At the end" is before a quote left open at the end of the file, which dotenvy reads
  to the end: a line after it would be swallowed. A line spelt in another case
  (`https_proxy`) stays; ours, upper case, is read first (and, where names ignore case,
  last).
Every edit is checked by reading the result as Codex would: our variables hold our values
and every other entry is still there, in order; anything else is `EditRefused`.

"Off" removes our lines by meaning: the exact text we added when it is still there as one
piece, else each line that still sets our value under our name. A line whose value was
changed since is the user's, and stays. A replaced line gets its old text back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from codex_link.core.codex.dotenv import DotenvEntry, dotenv_entries, dotenv_lines
from codex_link.core.codex.switch.text_edit import EditRefused

# Written above the lines "on" adds, so whoever opens .env knows where they came from. No
# quote or backslash in it: after a BOM (which Codex keeps) it is not read as a comment, and
# an opened quote would then swallow the lines below it.
MARKER = "# Added by the Codex Link route fix: codex-link route off removes these lines."
NO_PROXY = "NO_PROXY"
ROUTE_VARIABLES = frozenset({"HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY"})  # what a route may set
_OURS = ROUTE_VARIABLES | {NO_PROXY}  # what "on" may add
_BOM = "\ufeff".encode()
# A value written bare: what proxy URLs and host lists are made of. Anything else is quoted.
_BARE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:/@%+=,-[]~")
_NO_ENV: dict[str, str] = {}  # read as written: our values never hold a `$`


@dataclass(frozen=True, slots=True)
class LineChange:
    """One variable the route fix set: a line it added (`old` None), or the user's line
    whose value it replaced (`old`: that line's text as it was, without its line end)."""

    name: str
    value: str
    line: str  # our line's text, without its line end
    old: str | None = None


@dataclass(frozen=True, slots=True)
class DotenvOn:
    after: bytes
    changes: tuple[LineChange, ...]
    block: str  # the text added at once (line ends included), for an exact "off"; may be ""


@dataclass(frozen=True, slots=True)
class DotenvOff:
    after: bytes
    undone: tuple[LineChange, ...]
    kept: tuple[LineChange, ...]  # changed by the user since: theirs


def newline_of(raw: bytes) -> bytes:
    """The file's own line end; LF for a file without one."""
    first = raw.find(b"\n")
    return b"\r\n" if first > 0 and raw[first - 1 : first] == b"\r" else b"\n"


def render(value: str, like: str = "") -> str:
    """`value` as dotenvy reads it back unchanged: bare when it is plain, else quoted.

    `like` is the value text it replaces: its quotes are kept when they can hold the value
    (single quotes hold anything but `'`; double quotes need `\\`, `"` and `$` escaped).
    """
    if like.startswith("'") and "'" not in value and "\n" not in value:
        return f"'{value}'"
    if like.startswith('"') or not value or not set(value) <= _BARE:
        escaped = "".join("\\" + char if char in '\\"$' else char for char in value)
        return f'"{escaped}"'
    return value


def plan_on(
    raw: bytes | None, variables: Sequence[str], value: str, no_proxy: str
) -> DotenvOn | None:
    """The file with the route's proxy lines; None when it already sets them all so."""
    current = raw or b""
    entries = list(dotenv_entries(current, _NO_ENV))
    edits: list[tuple[int, int, bytes]] = []  # (start, end, replacement) in `current`
    changes: list[LineChange] = []
    added: list[tuple[str, str]] = []
    for name in variables:
        last = _last(entries, name)
        if last is not None and last.key == name and last.value == value:
            continue  # already so: nothing of ours to add
        if last is not None and last.key == name:
            old = _text(last)
            new = old[: last.value_start] + render(value, old[last.value_start : last.value_end])
            new += old[last.value_end :]
            edits.append(_replace_text(current, last, new))
            changes.append(LineChange(name, value, new, old))
        else:
            added.append((name, value))
    if not changes and not added:
        return None
    if not any(entry.key.upper() == NO_PROXY for entry in entries):
        added.append((NO_PROXY, no_proxy))
    block = ""
    if added:
        lines = [f"{name}={render(text)}" for name, text in added]
        position, block = _block(current, [MARKER, *lines])
        edits.append((position, position, block.encode("utf-8")))
        changes += [
            LineChange(name, text, line) for (name, text), line in zip(added, lines, strict=True)
        ]
    after = _applied(current, edits)
    _check_on(current, after, changes)
    return DotenvOn(after, tuple(changes), block)


def plan_off(raw: bytes, changes: Sequence[LineChange], block: str) -> DotenvOff:
    """The file without our lines (and with the user's replaced lines back)."""
    current = raw
    pending = list(changes)
    undone: list[LineChange] = []
    added = [change for change in pending if change.old is None]
    exact = block != "" and bool(added)
    without = _without_block(current, block) if exact else None
    if without is not None:
        current = without
        undone += added
        pending = [change for change in pending if change.old is not None]
    kept: list[LineChange] = []
    for change in pending:
        entries = list(dotenv_entries(current, _NO_ENV))
        ours = [e for e in entries if e.key == change.name and e.value == change.value]
        if not ours:
            if any(e.key == change.name for e in entries):
                kept.append(change)  # another value now: the user's
            continue  # the line is gone altogether: nothing left to undo
        entry = ours[-1]
        if change.old is None:
            edit = _remove_line(current, entry.line.start, entry.line.end)
        else:
            edit = _replace_text(current, entry, change.old)
        current = _applied(current, [edit])
        undone.append(change)
    if without is None and any(change.old is None for change in undone):
        current = _without_marker(current)
    return DotenvOff(current, tuple(undone), tuple(kept))


def in_place(raw: bytes, changes: Sequence[LineChange]) -> tuple[LineChange, ...]:
    """The changes still in effect: Codex reads our value for our name (last line wins)."""
    entries = list(dotenv_entries(raw, _NO_ENV))
    found: list[LineChange] = []
    for change in changes:
        last = _last(entries, change.name)
        if last is not None and last.key == change.name and last.value == change.value:
            found.append(change)
    return tuple(found)


def marked_starts(raw: bytes) -> frozenset[int]:
    """Where the lines "on" added stand (their offsets in `raw`): each proxy line right under
    our `MARKER` comment, up to the first other line. Read from the file alone, so whoever
    reads `.env` (the findings) can tell our lines from the user's without our record."""
    starts: set[int] = set()
    under_marker = False
    for line in dotenv_lines(raw):
        begin = line.start + (len(_BOM) if raw.startswith(_BOM, line.start) else 0)
        if raw[begin : line.end].strip() == MARKER.encode():  # after a BOM it is no comment
            under_marker = True
            continue
        key = _key_of(line.text) if under_marker and not line.comment else None
        if key is None or key not in _OURS:
            under_marker = False
            continue
        starts.add(line.start)
    return frozenset(starts)


def _key_of(text: str | None) -> str | None:
    """The name a `NAME=value` line sets (an `export ` prefix allowed); None otherwise."""
    if text is None or "=" not in text:
        return None
    name = text.split("=", 1)[0].strip().removeprefix("export ").strip()
    return name or None


def _last(entries: Sequence[DotenvEntry], name: str) -> DotenvEntry | None:
    """The entry Codex ends up with for `name`, in any case (where names ignore case, as
    on Windows, the last spelling wins; elsewhere ours is upper case and read first)."""
    matches = [entry for entry in entries if entry.key.upper() == name.upper()]
    return matches[-1] if matches else None


def _text(entry: DotenvEntry) -> str:
    assert entry.line.text is not None  # an entry comes from a line dotenvy read
    return entry.line.text


def _replace_text(raw: bytes, entry: DotenvEntry, new: str) -> tuple[int, int, bytes]:
    """Replaces the line's text (as dotenvy read it), keeping its comment and line end.

    dotenvy's text is a prefix of the line's bytes, decoded: only a cut comment and the
    line end follow it.
    """
    old = _text(entry).encode("utf-8")
    start = entry.line.start
    if not raw.startswith(old, start):
        raise EditRefused("a line is not where it was read")
    return start, start + len(old), new.encode("utf-8")


def _remove_line(raw: bytes, start: int, end: int) -> tuple[int, int, bytes]:
    """Removes a whole line; the last line of a file without a final newline takes the
    line end before it instead, so the file still ends without one."""
    if end == len(raw) and not raw.endswith(b"\n") and start > 0:
        start -= 2 if raw[start - 2 : start] == b"\r\n" else 1
    return start, end, b""


def _block(raw: bytes, lines: list[str]) -> tuple[int, str]:
    """Where the new lines go and their text: at the end (before an unclosed quote that
    would swallow them), in the file's line ends, keeping a missing final newline."""
    newline = newline_of(raw).decode()
    tail = [line for line in dotenv_lines(raw) if line.unclosed]
    if tail:
        position = max(tail[-1].start, len(_BOM) if raw.startswith(_BOM) else 0)
        return position, "".join(line + newline for line in lines)
    if raw and not raw.endswith(b"\n"):
        return len(raw), "".join(newline + line for line in lines)
    return len(raw), "".join(line + newline for line in lines)


def _applied(raw: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    for start, end, replacement in sorted(edits, reverse=True):
        raw = raw[:start] + replacement + raw[end:]
    return raw


def _without_block(raw: bytes, block: str) -> bytes | None:
    """The file without the text we added, when it is still there as one piece, on lines
    of its own."""
    ours = block.encode("utf-8")
    position = raw.rfind(ours)
    if position < 0:
        return None
    end = position + len(ours)
    starts_line = (
        ours.startswith((b"\n", b"\r\n"))
        or position == 0
        or raw[position - 1 : position] == b"\n"
        or raw[:position] == _BOM
    )
    ends_line = ours.endswith(b"\n") or end == len(raw)
    if not (starts_line and ends_line):
        return None
    return raw[:position] + raw[end:]


def _without_marker(raw: bytes) -> bytes:
    """The file without our comment line, once our lines are gone."""
    for line in reversed(list(dotenv_lines(raw))):
        start = line.start + (len(_BOM) if raw.startswith(_BOM, line.start) else 0)
        if raw[start : line.end].strip() == MARKER.encode():  # after a BOM it is no comment
            return _applied(raw, [_remove_line(raw, start, line.end)])
    return raw


def _check_on(before: bytes, after: bytes, changes: Sequence[LineChange]) -> None:
    """Codex reads our values for our names, and every other entry as before, in order."""
    if in_place(after, changes) != tuple(changes):
        raise EditRefused("the new lines would not be read as written")
    names = {change.name for change in changes}

    def others(raw: bytes) -> list[tuple[str, str | None]]:
        return [
            (entry.key, None if "$" in _text(entry) else entry.value)
            for entry in dotenv_entries(raw, _NO_ENV)
            if entry.key not in names
        ]

    if others(after) != others(before):
        raise EditRefused("the edit would change other lines")
