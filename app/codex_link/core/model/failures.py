"""What is known about each failure class, in one table: adding a class means one entry here.

The probes' long explanations (net/reasons.py) vary with the cause and the hop; what stays
the same for a failure class is kept here: a few words for a menu line, a clause saying what
broke (for the verdict's headline), what to do when Codex's HTTP fails this way, and whether
Codex waits out its whole connect timeout on it (the wait estimate). The English templates are
marked for translation and rendered as `Text`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from codex_link.core.model.probe import Failure
from codex_link.core.model.text import QT_TRANSLATE_NOOP

# Answers to the WebSocket upgrade that still prove the route when no login was sent: DNS,
# TCP, proxy and TLS all worked, and the server turned down only the unsigned request.
REACHABLE_UPGRADE_STATUSES = frozenset({401, 403})
UPGRADE_REQUIRED = 426  # the server turns WebSocket down: Codex falls back to HTTP at once

# What to do when nothing more specific applies.
CHECK_NETWORK = QT_TRANSLATE_NOOP(
    "CodexLink", "Check your network and proxy settings, then check again."
)


@dataclass(frozen=True, slots=True)
class FailureFacts:
    """Templates may name {host}, {proxy}, {status}, {code} (close code) and {source} (where
    the proxy setting came from)."""

    label: str  # a few words for a menu line: "WebSocket: blocked (timed out)"
    phrase: str  # what broke, as a clause inside a headline
    fix: str  # what to do when Codex's HTTP requests fail this way
    costs_timeout: bool = False  # nothing answers: each of Codex's attempts waits it out
    no_connection: bool = False  # the target's address took no connection at all


_TIMED_OUT = QT_TRANSLATE_NOOP("CodexLink", "timed out")
_NO_TIMELY_ANSWER = QT_TRANSLATE_NOOP("CodexLink", "{host} did not answer in time")
_SERVER_ANSWERED = QT_TRANSLATE_NOOP("CodexLink", "server answered {status}")
_ANSWERED_ERROR = QT_TRANSLATE_NOOP("CodexLink", "{host} answered with error {status}")
_CHECK_PROXY_SETTING = QT_TRANSLATE_NOOP(
    "CodexLink", "Check the proxy setting {source}, or ask who runs the proxy."
)

FAILURES: Mapping[Failure, FailureFacts] = MappingProxyType(
    {
        Failure.DNS: FailureFacts(
            label=QT_TRANSLATE_NOOP("CodexLink", "name not found"),
            phrase=QT_TRANSLATE_NOOP("CodexLink", "the name {host} could not be looked up (DNS)"),
            fix=QT_TRANSLATE_NOOP(
                "CodexLink", "Check that this computer is online and that names resolve."
            ),
        ),
        Failure.TCP_REFUSED: FailureFacts(
            label=QT_TRANSLATE_NOOP("CodexLink", "connection refused"),
            phrase=QT_TRANSLATE_NOOP("CodexLink", "{host} refused the connection"),
            fix=CHECK_NETWORK,
            no_connection=True,
        ),
        Failure.TCP_TIMEOUT: FailureFacts(
            label=_TIMED_OUT,
            phrase=QT_TRANSLATE_NOOP("CodexLink", "{host} did not answer the connection"),
            fix=CHECK_NETWORK,
            costs_timeout=True,
            no_connection=True,
        ),
        Failure.PROXY_REFUSED: FailureFacts(
            label=QT_TRANSLATE_NOOP("CodexLink", "proxy not running"),
            phrase=QT_TRANSLATE_NOOP(
                "CodexLink", "the proxy {proxy} is not running (connection refused)"
            ),
            fix=QT_TRANSLATE_NOOP(
                "CodexLink",
                "Start your proxy program (Clash, V2Ray…), or remove the proxy setting "
                "{source} if you no longer use a proxy.",
            ),
        ),
        Failure.PROXY_REJECTED: FailureFacts(
            label=QT_TRANSLATE_NOOP("CodexLink", "proxy refused"),
            phrase=QT_TRANSLATE_NOOP("CodexLink", "the proxy {proxy} refused to connect to {host}"),
            fix=_CHECK_PROXY_SETTING,
        ),
        Failure.PROXY_AUTH: FailureFacts(
            label=QT_TRANSLATE_NOOP("CodexLink", "proxy asks for a password"),
            phrase=QT_TRANSLATE_NOOP(
                "CodexLink", "the proxy {proxy} asks for a user name and password (407)"
            ),
            fix=QT_TRANSLATE_NOOP(
                "CodexLink",
                "Put your proxy user name and password into the proxy address, like "
                "http://user:password@host:port.",
            ),
        ),
        Failure.PROXY_SCHEME: FailureFacts(
            label=QT_TRANSLATE_NOOP("CodexLink", "proxy type not supported"),
            phrase=QT_TRANSLATE_NOOP(
                "CodexLink", "Codex cannot use a proxy address of this kind: {proxy}"
            ),
            fix=_CHECK_PROXY_SETTING,
        ),
        Failure.TLS_UNTRUSTED: FailureFacts(
            label=QT_TRANSLATE_NOOP("CodexLink", "certificate not trusted"),
            phrase=QT_TRANSLATE_NOOP(
                "CodexLink",
                "the certificate of {host} is not trusted (a proxy may be inspecting secure "
                "connections)",
            ),
            fix=QT_TRANSLATE_NOOP(
                "CodexLink",
                "Let Codex trust the program that inspects connections (CODEX_CA_CERTIFICATE), "
                "or ask your IT department.",
            ),
        ),
        Failure.TLS_OTHER: FailureFacts(
            label=QT_TRANSLATE_NOOP("CodexLink", "secure connection failed"),
            phrase=QT_TRANSLATE_NOOP("CodexLink", "the secure connection (TLS) to {host} failed"),
            fix=CHECK_NETWORK,
        ),
        Failure.UPGRADE_TIMEOUT: FailureFacts(
            label=_TIMED_OUT,
            phrase=_NO_TIMELY_ANSWER,
            fix=CHECK_NETWORK,
            costs_timeout=True,
        ),
        Failure.UPGRADE_STATUS: FailureFacts(
            label=_SERVER_ANSWERED,
            phrase=_ANSWERED_ERROR,
            fix=CHECK_NETWORK,
        ),
        Failure.POLICY_CLOSE: FailureFacts(
            label=QT_TRANSLATE_NOOP("CodexLink", "closed by the server"),
            phrase=QT_TRANSLATE_NOOP(
                "CodexLink", "{host} closed the WebSocket right after opening it (code {code})"
            ),
            fix=CHECK_NETWORK,
        ),
        Failure.RESET: FailureFacts(
            label=QT_TRANSLATE_NOOP("CodexLink", "connection cut"),
            phrase=QT_TRANSLATE_NOOP("CodexLink", "the connection to {host} was cut"),
            fix=CHECK_NETWORK,
        ),
        Failure.HTTP_STATUS: FailureFacts(
            label=_SERVER_ANSWERED,
            phrase=_ANSWERED_ERROR,
            fix=CHECK_NETWORK,
        ),
        Failure.HTTP_TIMEOUT: FailureFacts(
            label=_TIMED_OUT,
            phrase=_NO_TIMELY_ANSWER,
            fix=CHECK_NETWORK,
            costs_timeout=True,
        ),
        Failure.PROTOCOL: FailureFacts(
            label=QT_TRANSLATE_NOOP("CodexLink", "unexpected answer"),
            phrase=QT_TRANSLATE_NOOP(
                "CodexLink", "{host} answered with something that is not HTTP"
            ),
            fix=CHECK_NETWORK,
        ),
    }
)
