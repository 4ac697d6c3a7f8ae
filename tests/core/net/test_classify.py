"""Failure classes from exception types and cause chains, and the sentences that go with them."""

from __future__ import annotations

import asyncio
import socket
import ssl

import pytest

from codex_link.core.model.probe import Failure, Route, RouteKind, Stage, Transport
from codex_link.core.model.text import Text, text
from codex_link.core.model.urls import BadUrlError, ProxySchemeError
from codex_link.core.net.classify import classify, exception_chain
from codex_link.core.net.connect import (
    ProtocolMismatch,
    ProxyStatusError,
    SocksAuthError,
    SocksReplyError,
    proxy_display,
)
from codex_link.core.net.phases import PhaseRecorder
from codex_link.core.net.reasons import (
    SENTENCES,
    STAGE_WORDS,
    Say,
    Scene,
    failure_reason,
    intercepted_reason,
    success_reason,
)
from codex_link.core.net.ws_frames import HandshakeError, UpgradeStatusError, WebSocketClosed
from tests.catalog import marked

WS, HTTP = Transport.WEBSOCKET, Transport.HTTP


def _caused(outer: BaseException, cause: BaseException) -> BaseException:
    outer.__cause__ = cause
    return outer


def _during(outer: BaseException, context: BaseException) -> BaseException:
    outer.__context__ = context
    return outer


def _status(code: int) -> UpgradeStatusError:
    return UpgradeStatusError(code, "Status")


def _closed(code: int | None) -> WebSocketClosed:
    return WebSocketClosed(code, "" if code is None else "bye")


CASES: list[tuple[str, BaseException, Stage, Transport, bool, Failure]] = [
    ("name not found", socket.gaierror(socket.EAI_NONAME, "x"), Stage.DNS, WS, False, Failure.DNS),
    (
        "proxy name not found",
        socket.gaierror(socket.EAI_NONAME, "x"),
        Stage.DNS,
        WS,
        True,
        Failure.DNS,
    ),
    ("target refused", ConnectionRefusedError(), Stage.TCP, HTTP, False, Failure.TCP_REFUSED),
    ("proxy refused", ConnectionRefusedError(), Stage.TCP, HTTP, True, Failure.PROXY_REFUSED),
    ("no route to host", OSError(113, "x"), Stage.TCP, HTTP, False, Failure.TCP_REFUSED),
    ("connect timed out", TimeoutError(), Stage.TCP, WS, False, Failure.TCP_TIMEOUT),
    ("CONNECT hangs", TimeoutError(), Stage.PROXY, WS, True, Failure.TCP_TIMEOUT),
    ("DNS hangs", TimeoutError(), Stage.DNS, WS, False, Failure.DNS),
    ("TLS hangs (WS)", TimeoutError(), Stage.TLS, WS, False, Failure.UPGRADE_TIMEOUT),
    ("upgrade hangs", TimeoutError(), Stage.RESPONSE, WS, False, Failure.UPGRADE_TIMEOUT),
    ("HTTP hangs", TimeoutError(), Stage.RESPONSE, HTTP, False, Failure.HTTP_TIMEOUT),
    (
        "CONNECT 403",
        ProxyStatusError(403, "Forbidden"),
        Stage.PROXY,
        WS,
        True,
        Failure.PROXY_REJECTED,
    ),
    (
        "CONNECT 502",
        ProxyStatusError(502, "Bad Gateway"),
        Stage.PROXY,
        WS,
        True,
        Failure.PROXY_REJECTED,
    ),
    (
        "CONNECT 407",
        ProxyStatusError(407, "Proxy Authentication Required"),
        Stage.PROXY,
        WS,
        True,
        Failure.PROXY_AUTH,
    ),
    ("SOCKS refused", SocksReplyError(5), Stage.PROXY, WS, True, Failure.PROXY_REJECTED),
    ("SOCKS login", SocksAuthError(), Stage.PROXY, WS, True, Failure.PROXY_AUTH),
    ("https proxy", ProxySchemeError("https"), Stage.PROXY, WS, True, Failure.PROXY_SCHEME),
    (
        "untrusted, wrapped",
        _caused(RuntimeError("wrapped"), ssl.SSLCertVerificationError()),
        Stage.TLS,
        HTTP,
        False,
        Failure.TLS_UNTRUSTED,
    ),
    (
        "untrusted, during",
        _during(ValueError(), ssl.SSLCertVerificationError()),
        Stage.TLS,
        HTTP,
        False,
        Failure.TLS_UNTRUSTED,
    ),
    ("other TLS", ssl.SSLError(1, "x"), Stage.TLS, HTTP, False, Failure.TLS_OTHER),
    ("TLS EOF", ssl.SSLEOFError(8, "x"), Stage.TLS, HTTP, False, Failure.RESET),
    ("reset", ConnectionResetError(), Stage.RESPONSE, HTTP, False, Failure.RESET),
    ("EOF", asyncio.IncompleteReadError(b"", None), Stage.RESPONSE, HTTP, False, Failure.RESET),
    (
        "upgrade EOF",
        _caused(HandshakeError("no response"), EOFError()),
        Stage.RESPONSE,
        WS,
        False,
        Failure.RESET,
    ),
    (
        "upgrade garbage",
        _caused(HandshakeError("no response"), ValueError("bad line")),
        Stage.RESPONSE,
        WS,
        False,
        Failure.PROTOCOL,
    ),
    ("bad 101 header", HandshakeError("Upgrade"), Stage.RESPONSE, WS, False, Failure.PROTOCOL),
    ("HTTP garbage", ProtocolMismatch(), Stage.RESPONSE, HTTP, False, Failure.PROTOCOL),
    ("upgrade 401", _status(401), Stage.RESPONSE, WS, False, Failure.UPGRADE_STATUS),
    (
        "redirect with own socket",
        _caused(ValueError("cannot follow"), _status(302)),
        Stage.RESPONSE,
        WS,
        False,
        Failure.UPGRADE_STATUS,
    ),
    ("close 1008", _closed(1008), Stage.POST_UPGRADE, WS, False, Failure.POLICY_CLOSE),
    ("dropped without close", _closed(None), Stage.POST_UPGRADE, WS, False, Failure.RESET),
    ("bad url", BadUrlError(), Stage.DNS, HTTP, False, Failure.PROTOCOL),
]


@pytest.mark.parametrize(
    ("exc", "stage", "transport", "at_proxy", "failure"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_each_exception_has_its_class(
    exc: BaseException, stage: Stage, transport: Transport, at_proxy: bool, failure: Failure
) -> None:
    assert classify(exc, stage, transport, at_proxy=at_proxy).failure is failure


def test_the_facts_a_sentence_needs_are_kept() -> None:
    rejected = classify(ProxyStatusError(500, "Unable to connect"), Stage.PROXY, WS, at_proxy=True)
    upgrade = classify(_status(426), Stage.RESPONSE, WS)
    closed = classify(_closed(1008), Stage.POST_UPGRADE, WS)
    socks = classify(SocksReplyError(1), Stage.PROXY, WS, at_proxy=True)

    assert (rejected.status, rejected.phrase) == (500, "Unable to connect")
    assert upgrade.status == 426
    assert (closed.close_code, closed.close_reason) == (1008, "bye")
    assert socks.phrase == "general SOCKS server failure"


def test_an_unknown_exception_is_still_classified() -> None:
    found = classify(RuntimeError("bug"), Stage.TLS, HTTP)

    assert found.failure is Failure.PROTOCOL and found.decided_by is None
    assert "unexpected" in str(failure_reason(found, _scene()))


def test_a_cause_loop_ends() -> None:
    first, second = ValueError(), KeyError()
    first.__cause__, second.__cause__ = second, first

    assert exception_chain(first) == [first, second]


def _scene(transport: Transport = WS, *, authenticated: bool = False) -> Scene:
    route = Route(RouteKind.ENV_PROXY, "http://alice:s3cret@proxy.example:3128")
    return Scene(
        transport=transport,
        url="wss://api.example/v1/responses",
        host="api.example",
        target="api.example:443",
        proxy=proxy_display(route),
        timeout_s=15.0,
        authenticated=authenticated,
    )


@pytest.mark.parametrize(
    ("exc", "stage", "transport", "at_proxy", "failure"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_every_class_has_a_sentence_naming_where(
    exc: BaseException, stage: Stage, transport: Transport, at_proxy: bool, failure: Failure
) -> None:
    found = classify(exc, stage, transport, at_proxy=at_proxy)

    reason = failure_reason(found, _scene(transport))
    sentence = str(reason)

    # No sentence is written inline in a rule: it is a template of SENTENCES, and the stage
    # it names one of STAGE_WORDS.
    assert reason.template in SENTENCES.values()
    assert all(
        value.template in STAGE_WORDS.values()
        for _, value in reason.args
        if isinstance(value, Text)
    )
    assert "{" not in sentence and "unexpected" not in sentence
    assert (
        ("proxy.example:3128" in sentence)
        or ("api.example" in sentence)
        or (failure in (Failure.UPGRADE_STATUS, Failure.POLICY_CLOSE))
    )
    assert "s3cret" not in sentence


def test_every_sentence_is_marked_for_translation_and_fills_in() -> None:
    names = {
        "host": "h",
        "target": "h:1",
        "proxy": "p:2",
        "seconds": 3,
        "status": 500,
        "phrase": "x",
        "code": 1008,
        "close_reason": "r",
        "stage": "s",
        "url": "u",
        "result": "ok.",
        "path": "/ca.pem",
        "variable": "V",
    }

    assert set(SENTENCES) == set(Say)
    assert set(STAGE_WORDS) == set(Stage)
    assert {*SENTENCES.values(), *STAGE_WORDS.values()} <= marked()  # lupdate extracted them
    for template in SENTENCES.values():
        assert "{" not in template.format(**names)
    for transport in Transport:
        assert success_reason(_scene(transport), 401).template in SENTENCES.values()
    assert intercepted_reason(text("ok."), "/ca.pem").template in SENTENCES.values()


def test_401_and_403_to_the_upgrade_say_whether_the_login_was_checked() -> None:
    no_login = failure_reason(classify(_status(403), Stage.RESPONSE, WS), _scene())
    refused = failure_reason(classify(_status(401), Stage.RESPONSE, WS), _scene(authenticated=True))
    fallback = failure_reason(classify(_status(426), Stage.RESPONSE, WS), _scene())

    assert "the route works" in str(no_login) and "not checked" in str(no_login)
    assert "refused the login Codex sends" in str(refused)
    assert "route works" not in str(refused)
    assert "switches to HTTP at once" in str(fallback)


def test_phase_recorder_times_each_phase_on_the_given_clock() -> None:
    ticks = iter([0.0, 0.0, 0.010, 0.030, 0.100, 0.250])
    rec = PhaseRecorder(lambda: next(ticks))

    rec.begin(Stage.DNS)  # 0.000
    rec.begin(Stage.TCP)  # 0.010
    rec.begin(Stage.TLS)  # 0.030
    rec.begin(Stage.RESPONSE)  # 0.100
    rec.finish()  # 0.250

    timings = rec.timings()
    assert timings.get(Stage.DNS) == pytest.approx(10.0)
    assert timings.get(Stage.TCP) == pytest.approx(20.0)
    assert Stage.PROXY not in timings
    assert timings.get(Stage.TLS) == pytest.approx(70.0)
    assert timings.get(Stage.RESPONSE) == pytest.approx(150.0)
    assert rec.elapsed_ms == pytest.approx(250.0)
    assert rec.stage is Stage.DONE


def test_a_failed_phase_is_not_credited_but_names_the_stage() -> None:
    ticks = iter([0.0, 0.0, 0.005, 3.0])
    rec = PhaseRecorder(lambda: next(ticks))

    rec.begin(Stage.DNS)
    rec.begin(Stage.TCP, at_proxy=True)
    rec.stop()

    assert (rec.stage, rec.at_proxy) == (Stage.TCP, True)
    assert Stage.TCP not in rec.timings()
    assert rec.elapsed_ms == pytest.approx(3000.0)
