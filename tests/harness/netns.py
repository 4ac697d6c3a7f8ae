"""Every start of the real Codex CLI (tests and benchmarks) in a private network namespace.

`CodexNetns` starts `netns_helper` (which holds a namespace with only loopback and a DNS
responder that answers 127.0.0.1 for every name) and makes a `codex` shim per Codex binary:
a small program that, at each start, lets the namespace reach the ports the test process is
listening on (its endpoint, its proxies), then `nsenter`s the namespace and runs the real
`codex` there. A test or the app itself (which finds `codex` on PATH) runs the shim exactly
like the real CLI. Where the machine does not allow namespaces (not root, no `unshare`),
`reason` says why and the shim is not used: Codex runs on the machine's network.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 30.0
_LISTEN = "0A"  # TCP state LISTEN in /proc/net/tcp
_LOOPBACK_OR_ANY = {
    "0100007F",
    "00000000",
    "00000000000000000000000001000000",
    "00000000000000000000000000000000",
}


class CodexNetns:
    """The namespace and its shims; `isolated` is False (with `reason`) where unavailable."""

    def __init__(self, *, dns: bool = True) -> None:
        self._dns = dns
        self._work = Path(tempfile.mkdtemp(prefix="codex-netns-"))
        self.control = self._work / "control.sock"
        self.reason = ""
        self.pid = 0
        self._process: subprocess.Popen[str] | None = None
        missing = [
            tool for tool in ("unshare", "nsenter", "ip", "mount") if shutil.which(tool) is None
        ]
        if sys.platform != "linux" or os.geteuid() != 0 or missing:
            self.reason = "needs Linux, root and " + ", ".join(missing or ["root"])
            return
        self._start()

    @property
    def isolated(self) -> bool:
        return self.pid != 0

    def _start(self) -> None:
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.harness.netns_helper",
                str(self.control),
                *([] if self._dns else ["--no-dns"]),
            ],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        first: list[str] = []
        reader = threading.Thread(target=lambda: first.append(self._readline()), daemon=True)
        reader.start()
        reader.join(START_TIMEOUT_S)
        word, _, rest = (first[0] if first else "").strip().partition(" ")
        if word == "ready":
            self.pid = int(rest)
            return
        self.reason = rest or f"the namespace helper did not start within {START_TIMEOUT_S} s"
        self.close()

    def _readline(self) -> str:
        assert self._process is not None and self._process.stdout is not None
        return self._process.stdout.readline()

    def shim(self, binary: Path) -> Path:
        """A `codex` that runs `binary` in the namespace (the binary itself if unavailable)."""
        if not self.isolated:
            return binary
        folder = self._work / f"bin-{abs(hash(str(binary))):x}"
        folder.mkdir(exist_ok=True)
        shim = folder / "codex"
        shim.write_text(
            f"#!{sys.executable} -I\n"
            "import sys\n"
            f"sys.path.insert(0, {str(REPO)!r})\n"
            "from tests.harness.netns import run_inside\n"
            f"run_inside({str(self.control)!r}, {self.pid}, {str(binary)!r}, sys.argv[1:])\n"
        )
        shim.chmod(0o755)
        return shim

    def close(self) -> None:
        if self._process is not None:
            with contextlib.suppress(OSError):
                assert self._process.stdin is not None
                self._process.stdin.close()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(5)
            for pipe in (self._process.stdout, self._process.stderr):
                if pipe is not None:
                    pipe.close()
            self._process = None
        self.pid = 0
        shutil.rmtree(self._work, ignore_errors=True)

    def describe(self) -> str:
        if self.isolated:
            return (
                "the real Codex CLI runs in a private network namespace (loopback only, "
                "every name resolves to 127.0.0.1)"
            )
        return (
            f"private network namespace unavailable ({self.reason}): the real Codex CLI "
            "runs on this machine's network"
        )


@contextlib.contextmanager
def codex_netns(*, dns: bool = True) -> Iterator[CodexNetns]:
    spaces = CodexNetns(dns=dns)
    try:
        yield spaces
    finally:
        spaces.close()


def listening_loopback_ports() -> list[int]:
    """TCP ports this machine listens on via loopback (or all addresses), from /proc."""
    ports: set[int] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                address, _, port = fields[1].partition(":")
                if fields[3] == _LISTEN and address in _LOOPBACK_OR_ANY:
                    ports.add(int(port, 16))
    return sorted(ports)


def run_inside(control: str, pid: int, binary: str, argv: list[str]) -> None:
    """The shim's body: relay the test's listening ports, then become `codex` in the namespace."""
    ports = " ".join(map(str, listening_loopback_ports()))
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as channel:
        channel.settimeout(START_TIMEOUT_S)
        channel.connect(control)
        channel.sendall(f"reach {ports}\n".encode())
        channel.recv(16)
    # No --wd: entering the mount namespace keeps the working folder (and with --wd, Codex
    # fails to load its config: "entity not found").
    os.execvp("nsenter", ["nsenter", f"--target={pid}", "--net", "--mount", "--", binary, *argv])
