"""RFC 6455, client side, as far as the WebSocket probe goes: the upgrade request, the check of
its answer, masked control frames out, and a parser for what a server sends.

Written here rather than taken from a WebSocket library: the probe needs one upgrade, a ping
and a close, and a library costs the idle tray several MB of imports for that.
"""

from __future__ import annotations

import base64
import hashlib
import os
import struct
from collections.abc import Mapping
from dataclasses import dataclass

from codex_link.core.model.urls import Target
from codex_link.core.net.connect import ProtocolMismatch, parse_status_line

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 section 1.3
OP_CONT, OP_TEXT, OP_BINARY = 0x0, 0x1, 0x2
OP_CLOSE, OP_PING, OP_PONG = 0x8, 0x9, 0xA
DATA_OPCODES = frozenset({OP_CONT, OP_TEXT, OP_BINARY})
_CONTROL_OPCODES = frozenset({OP_CLOSE, OP_PING, OP_PONG})
_MAX_CONTROL_PAYLOAD = 125
# A frame announcing more is refused from its header alone, before its payload arrives.
MAX_FRAME = 1 << 16
CLOSE_NORMAL = 1000
CLOSE_NO_STATUS = 1005  # what an empty close frame means (RFC 6455 section 7.1.5)
# The codes a peer may put in a close frame (RFC 6455 section 7.4, IANA registry), besides
# 3000-4999 for libraries and applications.
_SENDABLE_CLOSE_CODES = frozenset(
    {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014}
)


class UpgradeStatusError(Exception):
    """The server answered the upgrade with a status other than 101."""

    def __init__(self, status: int, phrase: str) -> None:
        super().__init__(f"server answered the upgrade with {status} {phrase}")
        self.status = status
        self.phrase = phrase


class HandshakeError(ProtocolMismatch):
    """A 101 whose headers do not complete a WebSocket handshake, or no HTTP answer at all."""


class BadFrame(ProtocolMismatch):
    """Bytes after the 101 that are not a frame a WebSocket server may send."""


class WebSocketClosed(Exception):
    """The server ended the WebSocket: with a close frame (`code`, `reason`), or without one
    (`code` None: the connection dropped)."""

    def __init__(self, code: int | None, reason: str = "") -> None:
        super().__init__(
            "connection dropped without a close frame" if code is None else f"closed {code}"
        )
        self.code = code
        self.reason = reason


def new_key() -> str:
    """A Sec-WebSocket-Key: 16 random bytes in base64."""
    return base64.b64encode(os.urandom(16)).decode("ascii")


def accept_for(key: str) -> str:
    """The Sec-WebSocket-Accept a server must answer `key` with."""
    return base64.b64encode(hashlib.sha1((key + _GUID).encode("ascii")).digest()).decode("ascii")


def upgrade_request(target: Target, headers: Mapping[str, str], key: str) -> bytes:
    """The GET that asks for the upgrade; header lines that would break the head are left out."""
    fields = {
        "Host": target.host_header,
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Key": key,
        "Sec-WebSocket-Version": "13",
    }
    fields.update(headers)
    lines = [f"GET {target.path} HTTP/1.1"]
    lines += [
        f"{name}: {value}"
        for name, value in fields.items()
        if name.strip() and not any(c in name + value for c in "\r\n")
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


def check_upgrade_answer(head: bytes, key: str) -> None:
    """Raises unless `head` (the answer up to its blank line) accepts the upgrade for `key`."""
    status_line, *header_lines = head.rstrip(b"\r\n").split(b"\r\n")
    status, phrase = parse_status_line(status_line, error=HandshakeError)
    if status != 101:
        raise UpgradeStatusError(status, phrase)
    fields: dict[str, list[str]] = {}
    for line in header_lines:
        name, sep, value = line.decode("latin-1").partition(":")
        if not sep or not name.strip() or name != name.rstrip():
            raise HandshakeError("not an HTTP header line")
        fields.setdefault(name.strip().lower(), []).append(value.strip())
    if [v.lower() for v in fields.get("upgrade", [])] != ["websocket"]:
        raise HandshakeError("Upgrade")
    tokens = {t.strip().lower() for v in fields.get("connection", []) for t in v.split(",")}
    if "upgrade" not in tokens:
        raise HandshakeError("Connection")
    if fields.get("sec-websocket-accept") != [accept_for(key)]:
        raise HandshakeError("Sec-WebSocket-Accept")
    # Neither was asked for; a client must fail a handshake that picks one anyway.
    for unasked in ("sec-websocket-extensions", "sec-websocket-protocol"):
        if unasked in fields:
            raise HandshakeError(unasked)


def client_frame(opcode: int, payload: bytes = b"") -> bytes:
    """One final frame, masked as every frame from a client must be."""
    assert opcode in _CONTROL_OPCODES and len(payload) <= _MAX_CONTROL_PAYLOAD
    mask = os.urandom(4)
    masked = bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked


def close_payload(code: int, reason: str = "") -> bytes:
    return struct.pack("!H", code) + reason.encode("utf-8")


def parse_close(payload: bytes) -> tuple[int, str]:
    """(code, reason) of a close frame's payload."""
    if not payload:
        return CLOSE_NO_STATUS, ""
    if len(payload) == 1:
        raise BadFrame("a close payload of one byte")
    (code,) = struct.unpack("!H", payload[:2])
    if code not in _SENDABLE_CLOSE_CODES and not 3000 <= code < 5000:
        raise BadFrame(f"close code {code}")
    try:
        return code, payload[2:].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadFrame("a close reason that is not UTF-8") from exc


@dataclass(frozen=True, slots=True)
class Frame:
    fin: bool
    opcode: int
    payload: bytes


class FrameParser:
    """Frames from a server, one at a time out of the bytes fed so far."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    @property
    def pending(self) -> bool:
        """Bytes of a frame not complete yet."""
        return bool(self._buffer)

    def feed(self, data: bytes) -> None:
        self._buffer += data

    def next_frame(self) -> Frame | None:
        """The next complete frame, None until one is; raises BadFrame when the bytes cannot be
        one (judged from the header, so a huge frame is refused before its payload)."""
        data = self._buffer
        if len(data) < 2:
            return None
        first, second = data[0], data[1]
        opcode = first & 0x0F
        if first & 0x70:
            raise BadFrame("reserved bits set")  # no extension was negotiated
        if opcode not in DATA_OPCODES | _CONTROL_OPCODES:
            raise BadFrame(f"opcode {opcode}")
        if second & 0x80:
            raise BadFrame("a masked frame from the server")
        fin, length, start = bool(first & 0x80), second & 0x7F, 2
        if length == 126:
            if len(data) < 4:
                return None
            (length,), start = struct.unpack_from("!H", data, 2), 4
        elif length == 127:
            if len(data) < 10:
                return None
            (length,), start = struct.unpack_from("!Q", data, 2), 10
        if opcode in _CONTROL_OPCODES and (not fin or length > _MAX_CONTROL_PAYLOAD):
            raise BadFrame("a fragmented or long control frame")
        if length > MAX_FRAME:
            raise BadFrame(f"a frame of {length} bytes")
        if len(data) < start + length:
            return None
        payload = bytes(data[start : start + length])
        del data[: start + length]
        return Frame(fin, opcode, payload)
