"""RFC 6455 on the client side: the upgrade request, the check of its answer, and frames."""

from __future__ import annotations

import struct

import pytest

from codex_link.core.model.urls import parse_target
from codex_link.core.net.ws_frames import (
    CLOSE_NO_STATUS,
    OP_BINARY,
    OP_CLOSE,
    OP_PING,
    OP_PONG,
    BadFrame,
    FrameParser,
    HandshakeError,
    UpgradeStatusError,
    accept_for,
    check_upgrade_answer,
    client_frame,
    close_payload,
    new_key,
    parse_close,
    upgrade_request,
)

KEY = "dGhlIHNhbXBsZSBub25jZQ=="  # the example of RFC 6455 section 1.3


def _answer(*lines: str, status: str = "HTTP/1.1 101 Switching Protocols") -> bytes:
    return ("\r\n".join([status, *lines]) + "\r\n\r\n").encode("latin-1")


GOOD = ("Upgrade: websocket", "Connection: Upgrade", f"Sec-WebSocket-Accept: {accept_for(KEY)}")


def test_the_accept_value_is_the_rfc_example() -> None:
    assert accept_for(KEY) == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
    assert len(new_key()) == 24 and new_key() != new_key()


def test_the_request_carries_the_upgrade_and_the_given_headers_but_no_broken_lines() -> None:
    target = parse_target("wss://api.example:8443/v1/responses?x=1")

    request = upgrade_request(target, {"version": "0.169.0", "X-Bad": "a\r\nInjected: 1"}, KEY)

    head = request.decode()
    assert head.startswith("GET /v1/responses?x=1 HTTP/1.1\r\nHost: api.example:8443\r\n")
    assert head.endswith("\r\n\r\n")
    for line in ("Upgrade: websocket", "Connection: Upgrade", f"Sec-WebSocket-Key: {KEY}"):
        assert f"\r\n{line}\r\n" in head
    assert "Sec-WebSocket-Version: 13" in head and "version: 0.169.0" in head
    assert "Injected" not in head and "Sec-WebSocket-Extensions" not in head


def test_a_complete_101_is_accepted_whatever_the_case_of_its_headers() -> None:
    check_upgrade_answer(_answer(*GOOD), KEY)
    check_upgrade_answer(
        _answer(
            "upgrade: WebSocket",
            "connection: keep-alive, upgrade",
            f"sec-websocket-accept: {accept_for(KEY)}",
        ),
        KEY,
    )


def test_another_status_is_an_upgrade_status_with_its_phrase() -> None:
    with pytest.raises(UpgradeStatusError) as raised:
        check_upgrade_answer(
            _answer("Content-Length: 0", status="HTTP/1.1 426 Upgrade Required"), KEY
        )

    assert (raised.value.status, raised.value.phrase) == (426, "Upgrade Required")


@pytest.mark.parametrize(
    "answer",
    [
        _answer(*GOOD, status="SSH-2.0-OpenSSH_9.6"),
        _answer(*GOOD, status="HTTP/1.1 1O1 Switching Protocols"),
        _answer(*GOOD[1:]),
        _answer(GOOD[0], GOOD[2]),
        _answer(*GOOD[:2], "Sec-WebSocket-Accept: d3Jvbmc="),
        _answer(*GOOD[:2]),
        _answer(*GOOD, GOOD[2]),
        _answer(*GOOD, "Sec-WebSocket-Extensions: permessage-deflate"),
        _answer(*GOOD, "Sec-WebSocket-Protocol: chat"),
        _answer(*GOOD, "no colon here"),
    ],
    ids=[
        "not http",
        "bad status",
        "no upgrade",
        "no connection",
        "wrong accept",
        "no accept",
        "two accepts",
        "unasked extension",
        "unasked protocol",
        "bad header line",
    ],
)
def test_a_101_that_is_no_websocket_handshake_is_refused(answer: bytes) -> None:
    with pytest.raises(HandshakeError):
        check_upgrade_answer(answer, KEY)


def _unmask(frame: bytes) -> tuple[int, int, bytes]:
    first, second = frame[0], frame[1]
    mask, payload = frame[2:6], frame[6:]
    assert second & 0x80 and len(payload) == second & 0x7F
    return first, second & 0x7F, bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def test_client_frames_are_final_and_masked() -> None:
    first, length, payload = _unmask(client_frame(OP_CLOSE, close_payload(1000, "bye")))

    assert first == 0x80 | OP_CLOSE and length == 5
    assert parse_close(payload) == (1000, "bye")
    assert _unmask(client_frame(OP_PING, b"abcd"))[2] == b"abcd"


def _server_frame(opcode: int, payload: bytes, *, first: int | None = None) -> bytes:
    head = first if first is not None else 0x80 | opcode
    if len(payload) < 126:
        return bytes([head, len(payload)]) + payload
    return bytes([head, 126]) + struct.pack("!H", len(payload)) + payload


def test_frames_come_out_one_by_one_even_when_split_anywhere() -> None:
    stream = _server_frame(OP_PONG, b"abcd") + _server_frame(OP_BINARY, b"x" * 300)
    parser = FrameParser()
    frames = []
    for byte in stream:
        parser.feed(bytes([byte]))
        while (frame := parser.next_frame()) is not None:
            frames.append(frame)

    assert [(f.fin, f.opcode, f.payload) for f in frames] == [
        (True, OP_PONG, b"abcd"),
        (True, OP_BINARY, b"x" * 300),
    ]
    assert not parser.pending


def test_part_of_a_frame_waits() -> None:
    parser = FrameParser()
    parser.feed(_server_frame(OP_PONG, b"abcd")[:3])

    assert parser.next_frame() is None and parser.pending


@pytest.mark.parametrize(
    "data",
    [
        struct.pack("!BBQ", 0x80 | OP_BINARY, 127, 1 << 62) + b"x",  # judged from the header
        _server_frame(OP_PONG, b"", first=0xC0 | OP_PONG),  # a reserved bit
        bytes([0x83, 0]),  # opcode 3
        bytes([0x89, 0x84]) + b"mask" + b"data",  # masked, from a server
        _server_frame(OP_PING, b"", first=OP_PING),  # a fragmented control frame
        _server_frame(OP_PING, b"p" * 126),  # a control frame over 125 bytes
    ],
    ids=["huge", "reserved bit", "unknown opcode", "masked", "fragmented ping", "long ping"],
)
def test_bytes_no_server_sends_are_a_bad_frame(data: bytes) -> None:
    parser = FrameParser()
    parser.feed(data)

    with pytest.raises(BadFrame):
        parser.next_frame()


def test_close_payloads() -> None:
    assert parse_close(b"") == (CLOSE_NO_STATUS, "")
    assert parse_close(close_payload(1008, "policy violation")) == (1008, "policy violation")
    assert parse_close(close_payload(4000)) == (4000, "")
    for bad in (b"\x03", close_payload(1005), close_payload(999), b"\x03\xe8\xff"):
        with pytest.raises(BadFrame):
            parse_close(bad)
