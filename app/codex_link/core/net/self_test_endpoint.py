"""A tiny Responses endpoint on loopback for `codex-link --smoke-test`.

It answers what the probes send, so an installed copy (a wheel, a frozen bundle) can prove that
its whole network stack works without reaching anything outside the machine: a `HEAD` gets
`401` (what OpenAI's host answers without a login), a WebSocket upgrade gets `101`, pings get
pongs and a close frame gets the closing handshake. Plain TCP on 127.0.0.1 only; every read is
bounded, so a stuck client cannot keep it alive.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import struct
from dataclasses import dataclass, field

_WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_READ_TIMEOUT_S = 10.0
_MAX_HEAD = 64 * 1024
_MAX_PAYLOAD = 125  # control frames only: the probes send nothing larger


@dataclass
class SelfTestEndpoint:
    """Counts what it served, so the smoke test can tell that both probes really arrived."""

    port: int = 0
    requests: list[str] = field(default_factory=list)
    upgrades: int = 0
    closes: int = 0
    _server: asyncio.Server | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0, limit=_MAX_HEAD)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), _READ_TIMEOUT_S)
            request_line, headers = _parse_head(head)
            self.requests.append(request_line)
            key = headers.get("sec-websocket-key")
            if "websocket" in headers.get("upgrade", "").lower() and key:
                await self._websocket(reader, writer, key)
            else:
                writer.write(
                    b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                )
                await writer.drain()
        except (
            OSError,
            EOFError,
            TimeoutError,
            ValueError,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
        ):
            pass  # a client that went away or sent garbage: nothing to answer
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(writer.wait_closed(), 1.0)

    async def _websocket(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, key: str
    ) -> None:
        accept = base64.b64encode(hashlib.sha1(key.encode("ascii") + _WS_GUID).digest())
        writer.write(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + b"\r\n\r\n"
        )
        await writer.drain()
        self.upgrades += 1
        while True:
            opcode, payload = await asyncio.wait_for(_read_frame(reader), _READ_TIMEOUT_S)
            if opcode == 0x9:  # ping
                writer.write(_frame(0xA, payload))
            elif opcode == 0x8:  # close: answer with the same code, as RFC 6455 asks
                self.closes += 1
                writer.write(_frame(0x8, payload[:2] or struct.pack("!H", 1000)))
                await writer.drain()
                return
            await writer.drain()


def _parse_head(head: bytes) -> tuple[str, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return lines[0], headers


async def _read_frame(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    first, second = await reader.readexactly(2)
    length = second & 0x7F
    if length > _MAX_PAYLOAD:
        raise ValueError("frame larger than a control frame")
    mask = await reader.readexactly(4) if second & 0x80 else b"\0\0\0\0"
    data = await reader.readexactly(length)
    return first & 0x0F, bytes(b ^ mask[i % 4] for i, b in enumerate(data))


def _frame(opcode: int, payload: bytes) -> bytes:
    # Server frames are not masked (RFC 6455 5.1); control payloads fit in one length byte.
    return bytes((0x80 | opcode, len(payload))) + payload
