"""`$CODEX_HOME/.env`, which Codex loads silently at every start (CODEX_FACTS §1).

Codex 0.169 (codex-rs/arg0 `load_dotenv`) reads the file with dotenvy and calls `set_var` for
every entry whose name does not start with `CODEX_`: so a value in `.env` REPLACES the same
variable from the environment Codex was started with. Checked with the real CLI: with
`HTTPS_PROXY` set in both places, Codex connects to the proxy named in `.env`. A stale proxy
left there breaks Codex while every shell looks fine (issue #38885), so the app must read it
the same way, and show it with any password taken out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from codex_link.core.files.regular_file import read_regular_file
from codex_link.core.model.codex_settings import DOTENV_FORBIDDEN_PREFIX

# Variables the proxy logic of Codex (reqwest and its WebSocket connector) reads.
PROXY_VARIABLES: frozenset[str] = frozenset({"HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY"})


_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\", "$": "$", "'": "'"}

type EnvPairs = tuple[tuple[str, str], ...]


def parse_dotenv(text: str) -> EnvPairs:
    """`KEY=VALUE` lines as dotenvy reads them; lines it cannot read are skipped, as Codex does.

    Handles `export KEY=...`, comments, single quotes (literal), double quotes (with `\\n`-style
    escapes, may span lines) and unquoted values (a ` #` starts a comment). `${VAR}`
    substitution is not expanded: proxy values practically never use it.
    """
    pairs: list[tuple[str, str]] = []
    lines = text.lstrip("\ufeff").splitlines()
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        index += 1
        if not line or line.startswith("#"):
            continue
        if line.startswith("export ") or line.startswith("export\t"):
            line = line[len("export") :].lstrip()
        key, sep, rest = line.partition("=")
        key = key.strip()
        if not sep or not _KEY.fullmatch(key):
            continue
        rest = rest.lstrip()
        if rest.startswith('"'):
            value, index, ok = _double_quoted(rest[1:], lines, index)
            if not ok:
                continue
        elif rest.startswith("'"):
            end = rest.find("'", 1)
            if end < 0:
                continue
            value = rest[1:end]
        else:
            value = _unquoted(rest)
        pairs.append((key, value))
    return tuple(pairs)


def _double_quoted(rest: str, lines: list[str], index: int) -> tuple[str, int, bool]:
    """The value of a double-quoted string, which may continue on following lines."""
    out: list[str] = []
    text = rest
    while True:
        position = 0
        while position < len(text):
            char = text[position]
            if char == "\\" and position + 1 < len(text):
                following = text[position + 1]
                out.append(_ESCAPES.get(following, "\\" + following))
                position += 2
                continue
            if char == '"':
                return "".join(out), index, True
            out.append(char)
            position += 1
        if index >= len(lines):
            return "", index, False
        out.append("\n")
        text = lines[index]
        index += 1


def _unquoted(rest: str) -> str:
    comment = re.search(r"\s#", rest)
    value = rest[: comment.start()] if comment else rest
    return value.strip()


def read_dotenv(path: Path) -> EnvPairs:
    """The entries of `path`; none when it is missing. OSError (no permission, a FIFO) passes."""
    try:
        raw = read_regular_file(path)
    except NotADirectoryError:
        return ()
    if raw is None:
        return ()
    return parse_dotenv(raw.decode("utf-8", errors="replace"))


def applied_entries(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """What Codex actually takes from `.env`: later lines win, `CODEX_*` names are dropped."""
    return {
        key: value
        for key, value in pairs
        if not key.upper().startswith(DOTENV_FORBIDDEN_PREFIX)
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

