"""`$CODEX_HOME/.env`, which Codex loads silently at every start (CODEX_FACTS §1).

Codex 0.169 (codex-rs/arg0 `load_dotenv`) reads the file with dotenvy and calls `set_var` for
every entry whose name does not start with `CODEX_`: so a value in `.env` REPLACES the same
variable from the environment Codex was started with. Checked with the real CLI: with
`HTTPS_PROXY` set in both places, Codex connects to the proxy named in `.env`. A stale proxy
left there breaks Codex while every shell looks fine (issue #38885), so the app must read it
the same way, and show it with any password taken out.

The parser is dotenvy 0.15.7's (the version Codex pins), rule for rule, because python-dotenv
reads the same file differently where it matters for a proxy value: it leaves `$VAR` alone
(dotenvy expands it), keeps `a b` and `x"y"` as written (dotenvy drops the first and reads
`xy`), accepts `\\t` and names such as `A-B` (dotenvy drops those lines), keeps the lines
after an unclosed quote (dotenvy's line reader swallows the rest of the file) and removes a
byte-order mark (`from_path_iter`, which Codex calls, keeps it, so the first line is lost).
tests/core/codex/test_dotenv_vs_codex.py checks these cases against the real Codex CLI.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum, auto
from pathlib import Path

from codex_link.core.files.regular_file import read_regular_file
from codex_link.core.model.codex_settings import DOTENV_FORBIDDEN_PREFIX

# Variables the proxy logic of Codex (reqwest and its WebSocket connector) reads.
PROXY_VARIABLES: frozenset[str] = frozenset({"HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY"})

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_PHYSICAL_LINE = re.compile(rb"[^\n]*\n|[^\n]+")
_ESCAPED = {"\\": "\\", "'": "'", '"': '"', "$": "$", " ": " ", "n": "\n"}

type EnvPairs = tuple[tuple[str, str], ...]


class _Unreadable(ValueError):
    """A line dotenvy refuses; Codex skips it (`flatten()` over the iterator's errors)."""


class _State(Enum):
    """Where dotenvy's line reader (`QuotedLines`) stands at the end of a physical line."""

    COMPLETE = auto()
    ESCAPE = auto()
    STRONG_OPEN = auto()  # inside '...'
    STRONG_OPEN_ESCAPE = auto()
    WEAK_OPEN = auto()  # inside "..."
    WEAK_OPEN_ESCAPE = auto()
    COMMENT = auto()
    WHITESPACE = auto()


def parse_dotenv(text: str, env: Mapping[str, str] | None = None) -> EnvPairs:
    """The entries of a `.env` text as Codex takes them, `$VAR`/`${VAR}` expanded; lines
    dotenvy cannot read are skipped, as Codex does.

    `env` is the environment Codex starts with, for `$VAR`; by default this process's own,
    which a Codex started from here inherits.
    """
    return parse_dotenv_bytes(text.encode("utf-8"), env)


def parse_dotenv_bytes(raw: bytes, env: Mapping[str, str] | None = None) -> EnvPairs:
    """`parse_dotenv` on the file's bytes: a line that is not UTF-8 is skipped, as dotenvy's
    reader fails on it and goes on with the next one."""
    return tuple((entry.key, entry.value) for entry in dotenv_entries(raw, env))


@dataclass(frozen=True, slots=True)
class DotenvLine:
    """One of dotenvy's logical lines and the bytes of the file it spans.

    `start`/`end` cover its physical lines, line ends included (a quoted value may span
    several). `text` is what dotenvy reads (a trailing comment cut off); None when it cannot
    read it: a line that is not UTF-8, or a quote still open at the end of the file
    (`unclosed`, which swallows everything after it). A comment line is `comment`.
    """

    start: int
    end: int
    text: str | None
    comment: bool = False
    unclosed: bool = False


@dataclass(frozen=True, slots=True)
class DotenvEntry:
    """An entry as Codex takes it, with where its value is written in `line.text`
    (`value_start:value_end`, quotes included; empty for `NAME=`)."""

    line: DotenvLine
    key: str
    value: str
    value_start: int
    value_end: int


def dotenv_entries(raw: bytes, env: Mapping[str, str] | None = None) -> Iterator[DotenvEntry]:
    """The entries of a `.env` file's bytes in file order, as `parse_dotenv_bytes` reads them,
    each with its position (for an edit that keeps every other byte)."""
    expander = _Expander(os.environ if env is None else env)
    for line in dotenv_lines(raw):
        if line.text is None or line.comment:
            continue
        try:
            entry = _parse_line(line.text, expander)
        except _Unreadable:
            continue
        if entry is not None:
            key, value, start, end = entry
            yield DotenvEntry(line, key, value, start, end)


class _Expander:
    """`$NAME` as dotenvy's `apply_substitution` resolves it while Codex loads the file.

    First the process environment, which already holds the earlier lines Codex applied;
    then the earlier lines themselves (so a `CODEX_*` line, never applied, still counts);
    else nothing.
    """

    def __init__(self, env: Mapping[str, str]) -> None:
        self._env = dict(env)
        self._earlier: dict[str, str] = {}

    def value(self, name: str) -> str:
        found = self._env.get(name)
        return found if found is not None else self._earlier.get(name, "")

    def record(self, key: str, value: str) -> None:
        self._earlier[key] = value
        if not key.upper().startswith(DOTENV_FORBIDDEN_PREFIX):
            self._env[key] = value  # Codex's set_var, before the next line is read


def dotenv_lines(raw: bytes) -> Iterator[DotenvLine]:
    """dotenvy's `QuotedLines`: physical lines joined while a quote is open, a comment cut
    off; text None for what it cannot read (a non-UTF-8 line, a quote open at the end of
    file). Every byte of `raw` belongs to exactly one line, in order."""
    buffer = ""
    state = _State.COMPLETE
    begin = offset = 0  # where the logical line began, and where the next chunk begins
    for chunk in _PHYSICAL_LINE.findall(raw):
        if not buffer:
            begin = offset
        offset += len(chunk)
        try:
            piece = chunk.decode("utf-8")
        except UnicodeDecodeError:
            buffer, state = "", _State.COMPLETE
            yield DotenvLine(begin, offset, None)
            continue
        start = len(buffer)
        buffer += piece
        if buffer.lstrip().startswith("#"):
            buffer, state = "", _State.COMPLETE
            yield DotenvLine(begin, offset, None, comment=True)
            continue
        cut, state = _end_state(state, piece)
        if state is _State.COMPLETE:
            line = buffer.removesuffix("\n")
            yield DotenvLine(begin, offset, line.removesuffix("\r") if line != buffer else line)
            buffer = ""
        elif state is _State.COMMENT:
            yield DotenvLine(begin, offset, buffer[: start + cut])
            buffer, state = "", _State.COMPLETE
    if state is not _State.COMPLETE:
        yield DotenvLine(begin, offset, None, unclosed=True)


def _end_state(state: _State, piece: str) -> tuple[int, _State]:
    """dotenvy's `eval_end_state`: the state after `piece`, and where a comment starts."""
    for position, char in enumerate(piece):
        match state:
            case _State.WHITESPACE:
                if char == "#":
                    return position, _State.COMMENT
                state = _OPENERS.get(char, _State.COMPLETE)
            case _State.ESCAPE:
                state = _State.COMPLETE
            case _State.COMPLETE:
                if char.isspace() and char not in "\n\r":
                    state = _State.WHITESPACE
                else:
                    state = _OPENERS.get(char, _State.COMPLETE)
            case _State.WEAK_OPEN:
                state = {"\\": _State.WEAK_OPEN_ESCAPE, '"': _State.COMPLETE}.get(char, state)
            case _State.WEAK_OPEN_ESCAPE:
                state = _State.WEAK_OPEN
            case _State.STRONG_OPEN:
                state = {"\\": _State.STRONG_OPEN_ESCAPE, "'": _State.COMPLETE}.get(char, state)
            case _State.STRONG_OPEN_ESCAPE:
                state = _State.STRONG_OPEN
    return len(piece), state


_OPENERS = {"\\": _State.ESCAPE, '"': _State.WEAK_OPEN, "'": _State.STRONG_OPEN}


def _parse_line(line: str, expander: _Expander) -> tuple[str, str, int, int] | None:
    """dotenvy's `LineParser::parse_line`: None for a blank or comment line; else the name,
    the value, and where the value is written in `line`."""
    rest = line.rstrip().lstrip()
    if not rest or rest.startswith("#"):
        return None
    key, rest = _key(rest)
    if key == "export" and not rest.startswith("="):
        key, rest = _key(rest)  # `export NAME=...`; a bare `export=...` names "export"
    if not rest.startswith("="):
        raise _Unreadable(line)
    rest = rest[1:].lstrip()
    start = len(line.rstrip()) - len(rest)  # `rest` is what is left of the stripped line
    if not rest or rest.startswith("#"):
        value, length = "", 0
    else:
        value, length = _value(rest, expander)
    expander.record(key, value)
    return key, value, start, start + length


def _key(text: str) -> tuple[str, str]:
    """A name and what follows it, without the blanks in between."""
    found = _KEY.match(text)
    if found is None:
        raise _Unreadable(text)
    return found.group(), text[found.end() :].lstrip()


class _Sub(Enum):
    NONE = auto()
    NAME = auto()  # after `$`
    BRACED = auto()  # after `${`


def _value(text: str, expander: _Expander) -> tuple[str, int]:
    """dotenvy's `parse_value`, quirks included: `\\t` is refused, `"$A"` is an unclosed
    quote (the `"` ending the name is kept as a character), `$A_B` is `$A` then `_B` (a
    name is letters and digits; `${A_B}` is the way to name it). Also returns how many
    characters of `text` the value is written in (the blanks and comment after it not)."""
    strong = weak = escaped = expecting_end = False
    out: list[str] = []
    mode = _Sub.NONE
    name: list[str] = []
    length = len(text)

    def substitute() -> None:
        out.append(expander.value("".join(name)))
        name.clear()

    for position, char in enumerate(text):
        if expecting_end:
            if char in " \t":
                continue
            if char == "#":
                break
            raise _Unreadable(text)
        if escaped:
            if char not in _ESCAPED:
                raise _Unreadable(text)
            out.append(_ESCAPED[char])
            escaped = False
        elif strong:
            if char == "'":
                strong = False
            else:
                out.append(char)
        elif mode is not _Sub.NONE:
            if char.isalnum():
                name.append(char)
            elif mode is _Sub.BRACED:
                if char == "}":
                    mode = _Sub.NONE
                    substitute()
                else:
                    name.append(char)
            elif char == "{" and not name:
                mode = _Sub.BRACED
            else:
                substitute()
                if char != "$":
                    mode = _Sub.NONE
                    out.append(char)
        elif char == "$":
            mode = _Sub.NAME
        elif weak:
            if char == '"':
                weak = False
            elif char == "\\":
                escaped = True
            else:
                out.append(char)
        elif char == "'":
            strong = True
        elif char == '"':
            weak = True
        elif char == "\\":
            escaped = True
        elif char in " \t":
            expecting_end = True
            length = position
        else:
            out.append(char)
    if mode is _Sub.BRACED or strong or weak:
        raise _Unreadable(text)
    substitute()
    return "".join(out), length


def read_dotenv(path: Path, env: Mapping[str, str] | None = None) -> EnvPairs:
    """The entries of `path`; none when it is missing. OSError (no permission, a FIFO) passes.

    `env` as in `parse_dotenv`.
    """
    try:
        raw = read_regular_file(path)
    except NotADirectoryError:
        return ()
    if raw is None:
        return ()
    return parse_dotenv_bytes(raw, env)


def applied_entries(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """What Codex actually takes from `.env`: later lines win, `CODEX_*` names are dropped."""
    return {
        key: value for key, value in pairs if not key.upper().startswith(DOTENV_FORBIDDEN_PREFIX)
    }


def codex_environment(env: Mapping[str, str], pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The environment a Codex started from `env` will see, after it loads its `.env`."""
    merged = dict(env)
    merged.update(applied_entries(pairs))
    return merged


def proxy_entries(pairs: Iterable[tuple[str, str]]) -> EnvPairs:
    """The proxy variables (either case) that `.env` sets, in file order, last one kept."""
    found = {
        key: value
        for key, value in applied_entries(pairs).items()
        if key.upper() in PROXY_VARIABLES
    }
    return tuple(found.items())
