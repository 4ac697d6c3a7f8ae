"""What Codex Link knows about each Codex release it was checked against: one table.

Each row holds the facts read in openai/codex and then seen with the real CLI of that
version (tests/core/test_check_against_codex.py runs every pinned version,
`.ci/codex-cli-versions`; the blackhole wait was measured as DESIGN.md describes). A lookup
for the version a user has installed gives the exact row, or else the nearest checked
one, flagged so the app can say the facts were not checked on that version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBERS = re.compile(r"^\s*v?(\d+)\.(\d+)\.(\d+)")
_PLAIN = re.compile(r"^\s*v?(\d+\.\d+\.\d+)\s*$")  # a release, no pre-release suffix


@dataclass(frozen=True, slots=True)
class CodexFacts:
    """How one Codex release behaves where Codex Link relies on it."""

    version: str
    # The WebSocket retry loop (codex-rs core/src/util.rs `backoff`, responses_retry.rs):
    # a session's warm-up connect, the first try, then `stream_max_retries` retries, each
    # after 200 ms * 2^(n-1).
    warmup_attempts: int = 1
    initial_backoff_s: float = 0.2  # util.rs INITIAL_DELAY_MS
    backoff_factor: float = 2.0  # util.rs BACKOFF_FACTOR
    # The provider defaults Codex fills in (codex-rs model_provider_info.rs).
    websocket_connect_timeout_ms: int = 15_000
    stream_max_retries: int = 5
    request_max_retries: int = 4
    # Seen with this CLI on a blackholed WebSocket: connects made, seconds until it answered
    # over HTTP instead (the estimate says 7 * 15 s + 6.2 s = 111.2 s).
    blackhole_attempts: int = 7
    blackhole_wait_s: float = 112.0
    # What its config loader refuses or ignores (core/codex/findings.py).
    removed_websocket_features: tuple[str, ...] = (
        "responses_websockets",
        "responses_websockets_v2",
    )
    removed_approval_policies: frozenset[str] = frozenset({"untrusted"})
    bedrock_table_fields: frozenset[str] = frozenset({"base_url", "auth", "http_headers", "aws"})


# Oldest first. The first is the default: the tests' pinned CLI and the version the probes
# name in their headers when no Codex is installed.
CHECKED: tuple[CodexFacts, ...] = (
    CodexFacts("0.169.0"),
    CodexFacts("0.171.0"),
)
DEFAULT: CodexFacts = CHECKED[0]


@dataclass(frozen=True, slots=True)
class FactsLookup:
    """The facts for an installed version, and whether they were checked on it."""

    facts: CodexFacts
    installed: str | None  # the version asked about, as given (None: unknown)
    checked: bool  # False: "not a version these facts were checked on"


def version_numbers(version: str | None) -> tuple[int, int, int] | None:
    """(major, minor, patch) of "0.169.0", "v0.171.0" or "0.170.0-alpha.2"; None otherwise."""
    match = _NUMBERS.match(version or "")
    if match is None:
        return None
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def facts_for(version: str | None) -> FactsLookup:
    """The row for `version`: exact, else the nearest checked release (a newer Codex gets
    the newest row, an older one the oldest); a version that cannot be read gets DEFAULT."""
    plain = _PLAIN.match(version or "")
    exact = next((row for row in CHECKED if plain and row.version == plain.group(1)), None)
    if exact is not None:
        return FactsLookup(exact, version, True)
    numbers = version_numbers(version)
    if numbers is None:
        return FactsLookup(DEFAULT, version, False)

    def distance(row: CodexFacts) -> int:
        return abs(_ordinal(row.version) - _ordinal(version))

    # A newer Codex than any checked gets the newest row, an older one the oldest; between
    # two, the nearer, and of two as near the newer.
    nearest = min(reversed(CHECKED), key=distance)
    return FactsLookup(nearest, version, False)


def _ordinal(version: str | None) -> int:
    """One number that orders versions as (major, minor, patch) do."""
    major, minor, patch = version_numbers(version) or (0, 0, 0)
    return (major * 1_000_000 + minor) * 1_000_000 + patch
