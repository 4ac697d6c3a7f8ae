"""Holds a private network namespace for the real Codex CLI: loopback only, every name 127.0.0.1.

    python -m tests.harness.netns_helper CONTROL_SOCKET [--no-dns]

Run as root. The process leaves the machine's network (`unshare` of the network and mount
namespaces), brings its loopback up, bind-mounts a resolv.conf that names a DNS responder on
that loopback, and answers every A query with 127.0.0.1 (AAAA with no address). So Codex's
own look-ups (api.github.com and chatgpt.com at every start, the provider's host in
`codex doctor`) fail at once instead of leaving the machine or waiting for a timeout.

Servers the tests start (the endpoint, the proxies) listen on the test process's loopback,
which a new namespace cannot see. On request (`reach PORT...` on the control socket) this
process listens on the same ports of its own loopback and relays every connection to the
test's loopback: it holds sockets in both namespaces. Only ports from 1024 up are relayed,
so https/http/dns look-ups of real hosts still end at a closed port.

Prints `ready PID` (or `unavailable REASON`) on stdout, then serves until stdin closes.
`--no-dns` leaves the responder out (look-ups then time out), to show what it saves.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import socket
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

LOWEST_RELAYED_PORT = 1024
RELAY_CONNECT_TIMEOUT_S = 5.0


class Namespaces:
    """The two network namespaces this process moves between to open sockets."""

    def __init__(self) -> None:
        self.outside = os.open("/proc/self/ns/net", os.O_RDONLY)
        os.unshare(os.CLONE_NEWNET | os.CLONE_NEWNS)
        self.inside = os.open("/proc/self/ns/net", os.O_RDONLY)

    def outside_socket(self, family: int) -> socket.socket:
        """A socket of the test's own network (the process is single-threaded: no race)."""
        os.setns(self.outside, os.CLONE_NEWNET)
        try:
            return socket.socket(family, socket.SOCK_STREAM)
        finally:
            os.setns(self.inside, os.CLONE_NEWNET)


def isolate(work: Path, dns: bool) -> Namespaces:
    spaces = Namespaces()
    resolv = work / "resolv.conf"
    # Without the responder the resolver's own defaults apply (5 s, twice), as on a machine
    # whose DNS server does not answer.
    options = "options timeout:1 attempts:1\n" if dns else ""
    resolv.write_text("nameserver 127.0.0.1\n" + options)
    for command in (
        ["mount", "--make-rprivate", "/"],
        ["mount", "--bind", str(resolv), "/etc/resolv.conf"],
        ["ip", "link", "set", "lo", "up"],
    ):
        subprocess.run(command, check=True, capture_output=True, timeout=30)
    return spaces


class Dns(asyncio.DatagramProtocol):
    """Every A question -> 127.0.0.1; any other type -> an empty answer (no error)."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.DatagramTransport)
        self.transport = transport

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        with contextlib.suppress(IndexError, struct.error):
            self.transport.sendto(answer(data), addr)


def answer(query: bytes) -> bytes:
    end = 12
    while query[end]:
        end += query[end] + 1
    question = query[12 : end + 5]
    qtype = struct.unpack("!H", query[end + 1 : end + 3])[0]
    records = b""
    if qtype == 1:
        records = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + socket.inet_aton("127.0.0.1")
    header = query[:2] + struct.pack("!HHHHH", 0x8180, 1, 1 if records else 0, 0, 0)
    return header + question + records


class Relay:
    def __init__(self, spaces: Namespaces) -> None:
        self.spaces = spaces
        self.ports: set[int] = set()
        self.servers: list[asyncio.Server] = []

    async def reach(self, port: int) -> None:
        if port in self.ports or not LOWEST_RELAYED_PORT <= port < 65536:
            return
        self.ports.add(port)
        for host in ("127.0.0.1", "::1"):
            with contextlib.suppress(OSError):  # ::1 may be missing: IPv4 is enough
                self.servers.append(
                    await asyncio.start_server(
                        functools.partial(self._relay, host=host, port=port), host, port
                    )
                )

    async def _relay(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, port: int
    ) -> None:
        loop = asyncio.get_running_loop()
        far: asyncio.StreamWriter | None = None
        try:
            for family, address in ((socket.AF_INET6, "::1"), (socket.AF_INET, "127.0.0.1")):
                if host == "127.0.0.1" and family == socket.AF_INET6:
                    continue
                sock = self.spaces.outside_socket(family)
                sock.setblocking(False)
                try:
                    await asyncio.wait_for(
                        loop.sock_connect(sock, (address, port)), RELAY_CONNECT_TIMEOUT_S
                    )
                except (OSError, TimeoutError):
                    sock.close()
                    continue
                far_reader, far = await asyncio.open_connection(sock=sock)
                await asyncio.gather(pipe(reader, far), pipe(far_reader, writer))
                return
        finally:
            for end in (writer, far):
                if end is not None:
                    end.close()


async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError, asyncio.IncompleteReadError):
        while data := await source.read(65536):
            sink.write(data)
            await sink.drain()
        if sink.can_write_eof():
            sink.write_eof()


async def serve(spaces: Namespaces, control: Path, dns: bool) -> None:
    loop = asyncio.get_running_loop()
    if dns:
        await loop.create_datagram_endpoint(Dns, local_addr=("127.0.0.1", 53))
    relay = Relay(spaces)

    async def command(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        line = (await reader.readline()).decode().split()
        if line[:1] == ["reach"]:
            for port in line[1:]:
                await relay.reach(int(port))
        writer.write(b"ok\n")
        await writer.drain()
        writer.close()

    await asyncio.start_unix_server(command, path=str(control))
    print(f"ready {os.getpid()}", flush=True)
    await loop.run_in_executor(None, sys.stdin.read)  # until the test process lets go


def main() -> int:
    control = Path(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="codex-netns-") as work:
        try:
            dns = "--no-dns" not in sys.argv[2:]
            spaces = isolate(Path(work), dns)
        except (OSError, subprocess.SubprocessError) as exc:
            stderr = getattr(exc, "stderr", b"") or b""
            reason = (stderr.decode(errors="replace").strip() or str(exc)).splitlines()[0]
            print(f"unavailable {reason}", flush=True)
            return 0
        asyncio.run(serve(spaces, control, dns))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
