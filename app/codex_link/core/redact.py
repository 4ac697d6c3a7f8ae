"""Hiding the user:password of a URL before anyone sees it (messages, reports, JSON).

Proxy URLs in the environment, in Codex's `.env` and in the OS settings often carry a login;
every place that shows one goes through `redact_url`.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def redact_url(value: str) -> str:
    """`http://user:secret@host:3128` -> `http://***@host:3128`; anything else unchanged."""
    if "@" not in value:
        return value
    try:
        parts = urlsplit(value if "://" in value else f"//{value}")
    except ValueError:
        return "***"
    if parts.username is None and parts.password is None:
        return value
    netloc = "***@" + parts.netloc.rpartition("@")[2]
    redacted = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return redacted if "://" in value else redacted.removeprefix("//")
