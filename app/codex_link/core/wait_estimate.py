"""How long Codex waits before it gives up on WebSocket and falls back to HTTP.

This is the number users feel ("Codex hangs for a minute and a half at each start"), so the
verdict shows it. It follows Codex's own retry loop (CODEX_FACTS §4), read in openai/codex:

- `codex-rs/core/src/util.rs` `backoff(attempt)`: `INITIAL_DELAY_MS = 200`,
  `BACKOFF_FACTOR = 2.0`, delay = 200 ms * 2^(attempt-1) * jitter(0.9..1.1), so the retries
  wait about 0.2, 0.4, 0.8, 1.6, 3.2 s (6.2 s in all for the default 5 retries).
- `codex-rs/core/src/responses_retry.rs` `handle_retryable_response_stream_error`: a failed
  WebSocket connect is a retryable stream error; while `retries < stream_max_retries` it sleeps
  `backoff(retries)` and tries again; once `retries >= stream_max_retries` it calls
  `try_switch_fallback_transport` ("Falling back from WebSockets to HTTPS transport").
- `codex-rs/core/src/client.rs`: each WebSocket connect is bounded by the provider's
  `websocket_connect_timeout_ms` (15 s by default), and a session first makes a warm-up
  WebSocket request before the first turn, which fails the same way (this is the 7th attempt
  seen in the measurement below).
- An HTTP 426 answer to the upgrade returns `FallbackToHttp` at once: no retries.

So with a blackholed WebSocket Codex makes 1 warm-up + 1 first try + `stream_max_retries`
retries, each costing the full connect timeout, plus the backoff sleeps:
7 * 15 s + 6.2 s = 111.2 s. The real Codex CLI 0.169.0 measured 112 s with 7 attempts (DESIGN.md);
the estimate leaves out only the HTTP request after the fallback and process start-up.
A fast failure (refused, proxy 403/407, TLS, reset, 101-then-close) costs only the backoff
sleeps, about 6 s.
"""

from __future__ import annotations

from codex_link.core.model.codex_settings import ProviderInfo
from codex_link.core.model.codex_versions import DEFAULT, CodexFacts
from codex_link.core.model.failures import FAILURES, UPGRADE_REQUIRED
from codex_link.core.model.probe import Failure

# The backoff and warm-up figures are per Codex release (core/model/codex_versions): each
# function takes the facts of the installed version, the default row when none is known.


def backoff_total_s(retries: int, facts: CodexFacts = DEFAULT) -> float:
    """The sum of Codex's backoff sleeps over `retries` retries (jitter averages out)."""
    return sum(
        facts.initial_backoff_s * facts.backoff_factor ** (attempt - 1)
        for attempt in range(1, max(retries, 0) + 1)
    )


def connect_attempts(provider: ProviderInfo, facts: CodexFacts = DEFAULT) -> int:
    """How many WebSocket connects Codex makes before it falls back: 7 with the defaults."""
    return facts.warmup_attempts + 1 + max(provider.stream_max_retries, 0)


def fallback_wait_seconds(
    provider: ProviderInfo,
    failure: Failure | None,
    *,
    status: int | None = None,
    facts: CodexFacts = DEFAULT,
) -> float:
    """Seconds Codex would wait at each start before it answers over HTTP instead.

    `failure` is how the WebSocket probe failed on Codex's own route (None: it works, no
    wait). `status` is the upgrade answer, for the 426 case (Codex falls back at once).
    `facts`: those of the Codex release installed (`codex_versions.facts_for`).
    """
    if failure is None:
        return 0.0
    if failure is Failure.UPGRADE_STATUS and status == UPGRADE_REQUIRED:
        return 0.0
    sleeps = backoff_total_s(provider.stream_max_retries, facts)
    if FAILURES[failure].costs_timeout:  # nothing answers: Codex's timer runs out each time
        timeout_s = max(provider.websocket_connect_timeout_ms, 0) / 1000.0
        return connect_attempts(provider, facts) * timeout_s + sleeps
    return sleeps


def provisional_deadline_s(http_elapsed_s: float) -> float:
    """When a silent WebSocket is called provisionally blocked: max(3 s, 10x the HTTP time).

    An answered HTTP request proves the network is up; a WebSocket that stays silent ten
    times longer on the same host is almost surely blackholed, so the tray turns amber early
    instead of waiting out Codex's 15 s timeout.
    """
    return max(3.0, 10.0 * max(http_elapsed_s, 0.0))
