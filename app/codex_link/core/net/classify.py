"""Exception -> failure class, by exception type along the cause chain and the stage reached.

Never by message text: messages change between Python, OpenSSL and library versions, and
are translated on some systems. The table is ordered by priority: the first rule whose type
matches any exception in the chain (the exception, then its `__cause__`, else `__context__`)
decides. So a `HandshakeError` caused by an `EOFError` is a reset, while one caused by a
`ValueError` (bytes that are not HTTP) is a protocol failure.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from codex_link.core.model.probe import Failure, Stage, Transport
from codex_link.core.model.urls import BadUrlError, ProxySchemeError
from codex_link.core.net.connect import (
    ProtocolMismatch,
    ProxyStatusError,
    SocksAuthError,
    SocksReplyError,
)
from codex_link.core.net.ws_frames import UpgradeStatusError, WebSocketClosed

_log = logging.getLogger(__name__)

# 407 is the standard answer; some proxies (tinyproxy with a wrong password) answer 401.
_PROXY_LOGIN_STATUSES = frozenset({401, 407})


class CertificateProblem(StrEnum):
    """A certificate from a CA that is trusted, refused for another reason: not a sign of
    interception, and a different fix."""

    EXPIRED = "expired"
    WRONG_HOST = "wrong_host"


# OpenSSL's X509_V_ERR_* codes (`SSLCertVerificationError.verify_code`).
_CERTIFICATE_PROBLEMS = {
    9: CertificateProblem.EXPIRED,  # CERT_NOT_YET_VALID
    10: CertificateProblem.EXPIRED,  # CERT_HAS_EXPIRED
    62: CertificateProblem.WRONG_HOST,  # HOSTNAME_MISMATCH
}


def certificate_problem(exc: BaseException | None) -> CertificateProblem | None:
    if not isinstance(exc, ssl.SSLCertVerificationError):
        return None
    return _CERTIFICATE_PROBLEMS.get(getattr(exc, "verify_code", None) or 0)


@dataclass(frozen=True, slots=True)
class Classified:
    """A failure class plus the facts a sentence needs (status, close code...)."""

    failure: Failure
    stage: Stage
    at_proxy: bool  # the failing step talked to the proxy itself, not to the target
    decided_by: BaseException | None = None  # the exception in the chain that matched
    status: int | None = None
    phrase: str | None = None
    close_code: int | None = None
    close_reason: str | None = None


def _timeout_failure(stage: Stage, transport: Transport) -> Failure:
    if stage is Stage.DNS:
        return Failure.DNS
    if stage in (Stage.TCP, Stage.PROXY):  # the proxy's own connect to the target hangs too
        return Failure.TCP_TIMEOUT
    return Failure.UPGRADE_TIMEOUT if transport is Transport.WEBSOCKET else Failure.HTTP_TIMEOUT


def _refused_failure(at_proxy: bool) -> Failure:
    return Failure.PROXY_REFUSED if at_proxy else Failure.TCP_REFUSED


def _other_os_error(stage: Stage, at_proxy: bool) -> Failure:
    """Unreachable network/host and friends: the connection could not be made at all."""
    return _refused_failure(at_proxy) if stage is Stage.TCP else Failure.RESET


type _Decide = Callable[[BaseException, Stage, Transport, bool], Failure | None]


def _fixed(failure: Failure) -> _Decide:
    return lambda _exc, _stage, _transport, _at_proxy: failure


def _proxy_status(exc: BaseException, *_: object) -> Failure:
    assert isinstance(exc, ProxyStatusError)
    return Failure.PROXY_AUTH if exc.status in _PROXY_LOGIN_STATUSES else Failure.PROXY_REJECTED


def _certificate(exc: BaseException, *_: object) -> Failure:
    """Untrusted, unless the chain is trusted and only its dates or its name are wrong."""
    return Failure.TLS_UNTRUSTED if certificate_problem(exc) is None else Failure.TLS_OTHER


def _closed(exc: BaseException, *_: object) -> Failure | None:
    """A close frame from the server right after the upgrade; no frame at all is a reset."""
    assert isinstance(exc, WebSocketClosed)
    return Failure.POLICY_CLOSE if exc.code is not None else None


# Ordered by priority; a rule returning None passes the exception on to later rules.
_RULES: tuple[tuple[tuple[type[BaseException], ...], _Decide], ...] = (
    ((ProxySchemeError,), _fixed(Failure.PROXY_SCHEME)),
    ((ProxyStatusError,), _proxy_status),
    ((SocksAuthError,), _fixed(Failure.PROXY_AUTH)),
    ((SocksReplyError,), _fixed(Failure.PROXY_REJECTED)),
    ((ssl.SSLCertVerificationError,), _certificate),
    ((UpgradeStatusError,), _fixed(Failure.UPGRADE_STATUS)),
    ((WebSocketClosed,), _closed),
    ((socket.gaierror,), _fixed(Failure.DNS)),
    ((ConnectionRefusedError,), lambda _e, _s, _t, at_proxy: _refused_failure(at_proxy)),
    ((TimeoutError,), lambda _e, stage, transport, _p: _timeout_failure(stage, transport)),
    (
        (
            ConnectionResetError,
            ConnectionAbortedError,
            BrokenPipeError,
            EOFError,
            ssl.SSLEOFError,
            ssl.SSLZeroReturnError,
            WebSocketClosed,
        ),
        _fixed(Failure.RESET),
    ),
    ((ssl.SSLError,), _fixed(Failure.TLS_OTHER)),
    (
        (ProtocolMismatch, asyncio.LimitOverrunError, BadUrlError),
        _fixed(Failure.PROTOCOL),
    ),
    ((OSError,), lambda _e, stage, _t, at_proxy: _other_os_error(stage, at_proxy)),
)


def exception_chain(exc: BaseException) -> list[BaseException]:
    """The exception and what caused it: `__cause__` when set, else `__context__`."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ if current.__cause__ is not None else current.__context__
    return chain


def classify(
    exc: BaseException, stage: Stage, transport: Transport, *, at_proxy: bool = False
) -> Classified:
    """The failure class of `exc`, raised while the probe was in `stage`."""
    chain = exception_chain(exc)
    for types, decide in _RULES:
        for link in chain:
            if isinstance(link, types):
                failure = decide(link, stage, transport, at_proxy)
                if failure is not None:
                    return _with_details(failure, stage, at_proxy, link)
    _log.warning("unexpected probe error %s at stage %s", type(exc).__name__, stage.value)
    return Classified(failure=Failure.PROTOCOL, stage=stage, at_proxy=at_proxy)


def _with_details(
    failure: Failure, stage: Stage, at_proxy: bool, link: BaseException
) -> Classified:
    status: int | None = None
    phrase: str | None = None
    close_code: int | None = None
    close_reason: str | None = None
    if isinstance(link, ProxyStatusError):
        status, phrase = link.status, link.phrase
    elif isinstance(link, SocksReplyError):
        phrase = link.phrase
    elif isinstance(link, UpgradeStatusError):
        status, phrase = link.status, link.phrase
    elif isinstance(link, WebSocketClosed) and link.code is not None:
        close_code, close_reason = link.code, link.reason
    return Classified(
        failure=failure,
        stage=stage,
        at_proxy=at_proxy,
        decided_by=link,
        status=status,
        phrase=phrase,
        close_code=close_code,
        close_reason=close_reason,
    )
