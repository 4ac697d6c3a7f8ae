"""Keeping secrets out of everything Codex Link shows, prints, logs or writes: one place.

Codex's files carry secrets in many spots: a login in a proxy URL or in a base URL, a key in a
provider's `query_params`, tokens in `experimental_bearer_token`, `http_headers` or an MCP
server's `env`. Every output goes through this module: the commands print through `scrub`,
the report and the log are scrubbed, the switch's diffs mask the values of secret-looking
keys, and URLs are shown through `redact_url`.

Two layers, because neither alone is enough: values are redacted where they are known to be
URLs or secret keys (`redact_url`, `mask_secret_values`), and every finished text is scrubbed
again for anything shaped like a credential (`scrub`), so a secret that slips into a message
still never reaches the screen, the clipboard or a file.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
from collections.abc import Iterator
from typing import Any, TextIO, cast
from urllib.parse import urlsplit, urlunsplit

# `redact_url` lives with the URL parsing in core/model (model types show URLs too); it is
# offered here beside the rest, since every output goes through this module.
from codex_link.core.model.urls import MASK as MASK
from codex_link.core.model.urls import redact_url as redact_url

# Names of keys and headers whose values are secrets (`experimental_bearer_token`,
# `Authorization`, `X-Api-Key`, `GITHUB_TOKEN`, `password`...).
_SECRET_NAME = (
    r"[\w.-]*(?:token|secret|passw(?:or)?d|api[-_]?key|apikey|authorization|"
    r"bearer|credential|cookie|private[-_]?key|access[-_]?key|signature)[\w.-]*"
)
_SECRET_NAME_RE = re.compile(rf"(?i)^{_SECRET_NAME}$")

_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'\"<>]+")
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}")
_API_KEY = re.compile(r"\bsk-[A-Za-z0-9_-]{6,}")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
# `name = "value"` (TOML keys and inline-table entries, also quoted names and diff lines;
# `.env` lines; `"name": "value"` in JSON) where the name says the value is a secret.
_ASSIGNED = re.compile(
    rf"""(?ix)
    (?P<lead>(?:^[+-]?|[\s{{,])["']?(?P<name>{_SECRET_NAME})["']?\s*[=:]\s*)
    (?P<value>"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s,}}'"\#]+)
    """,
    re.MULTILINE,
)


# Tables whose every value is a secret as far as showing goes: headers (keys, cookies),
# environments (tokens for MCP servers), query parameters (a provider's `api-key`).
_SECRET_TABLES = frozenset({"http_headers", "env", "query_params", "headers"})
_TABLE_HEADER = re.compile(r"^[+ -]?\s*\[\[?\s*(?P<name>[^\]\n]+?)\s*\]")
_STRING_VALUE = re.compile(r"""(?P<eq>=\s*)(?:"(?:[^"\\\n]|\\.)*"|'[^'\n]*')""")
_MASKED_STRING = rf'\g<eq>"{MASK}"'
_INLINE_SECRET_TABLE = re.compile(
    r"""(?P<lead>(?:^[+-]?|[\s.,{])["']?(?:http_headers|env|query_params|headers)["']?\s*=\s*)"""
    r"""(?P<body>\{[^}\n]*\}?)"""
)


def is_secret_name(name: str) -> bool:
    """A key, header or variable name whose value must never be shown."""
    return bool(_SECRET_NAME_RE.match(name.strip().strip("\"'")))


def mask_secret_values(content: str) -> str:
    """Masks secrets in config-like text (a TOML diff, `.env`): the values of secret-named
    keys (`experimental_bearer_token = "***"`), and every value of the tables that hold
    headers, environments and query parameters (`http_headers`, an MCP server's `env`,
    `query_params`), inline or as `[...]` sections."""

    def masked(match: re.Match[str]) -> str:
        value = match.group("value")
        quote = value[0] if value[:1] in ("'", '"') else ""
        return f"{match.group('lead')}{quote}{MASK}{quote}"

    def masked_inline(match: re.Match[str]) -> str:
        return match.group("lead") + _STRING_VALUE.sub(_MASKED_STRING, match.group("body"))

    lines = []
    in_secret_table = False
    for line in content.splitlines(keepends=True):
        header = _TABLE_HEADER.match(line)
        if header is not None:
            in_secret_table = (
                header.group("name").rpartition(".")[2].strip("\"' ") in _SECRET_TABLES
            )
        elif in_secret_table:
            line = _STRING_VALUE.sub(_MASKED_STRING, line)
        line = _INLINE_SECRET_TABLE.sub(masked_inline, line)
        lines.append(_ASSIGNED.sub(masked, line))
    return "".join(lines)


def scrub(content: str) -> str:
    """Masks URL logins and query values, secret-named values, bearer and basic tokens, API
    keys and JWTs in any text about to be shown, printed, logged or written."""
    content = _URL.sub(lambda m: redact_url(m.group(0)), content)
    content = _BEARER.sub(lambda m: f"{m.group(1)} {MASK}", content)
    content = mask_secret_values(content)
    content = _API_KEY.sub(f"sk-{MASK}", content)
    return _JWT.sub(MASK, content)


# Stands for a URL password in what Codex Link writes down for itself (the switch's record).
HIDDEN_PASSWORD = "codex-link-hidden-password"


def _hide_one(url: str) -> str:
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return url
    if not password:
        return url
    user, _, host = parts.netloc.rpartition("@")
    name = user.partition(":")[0]
    return urlunsplit(
        (parts.scheme, f"{name}:{HIDDEN_PASSWORD}@{host}", parts.path, parts.query, parts.fragment)
    )


def hide_url_passwords(content: str) -> str:
    """Replaces the password of every URL in `content` with HIDDEN_PASSWORD, so a record of
    text copied from config.toml does not keep a second copy of it."""
    return _URL.sub(lambda m: _hide_one(m.group(0)), content)


def reveal_url_passwords(content: str, source: str) -> str:
    """Puts back the passwords `hide_url_passwords` took out, from the URL in `source` (the
    config file as it is now) that is the same once hidden; a URL without one stays hidden."""
    if HIDDEN_PASSWORD not in content:
        return content
    known = {_hide_one(m.group(0)): m.group(0) for m in _URL.finditer(source)}
    return _URL.sub(lambda m: known.get(m.group(0), m.group(0)), content)


class ScrubbingFormatter(logging.Formatter):
    """A log formatter whose lines (tracebacks included) have gone through `scrub`."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


class _ScrubbingStream:
    """A text stream that scrubs each complete line before passing it on (see `scrubbed`)."""

    def __init__(self, inner: TextIO) -> None:
        self._inner = inner
        self._pending = ""

    def write(self, data: str) -> int:
        self._pending += data
        if "\n" in self._pending:
            complete, _, self._pending = self._pending.rpartition("\n")
            self._inner.write(scrub(complete) + "\n")
        return len(data)

    def flush(self) -> None:
        if self._pending:
            self._inner.write(scrub(self._pending))
            self._pending = ""
        self._inner.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@contextlib.contextmanager
def scrubbed_output() -> Iterator[None]:
    """Everything printed to stdout and stderr inside goes through `scrub`: the one gate of
    every command's output, whatever module prints it."""
    saved = sys.stdout, sys.stderr
    sys.stdout = cast(TextIO, _ScrubbingStream(saved[0]))
    sys.stderr = cast(TextIO, _ScrubbingStream(saved[1]))
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        sys.stdout, sys.stderr = saved
