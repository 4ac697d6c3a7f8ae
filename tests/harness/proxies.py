"""Real proxies on loopback for the network tests: tinyproxy (HTTP CONNECT) and microsocks.

Each runs as a child process on a free loopback port, is waited for by connecting (bounded),
and is terminated (then killed) at teardown. The modes mirror what users meet behind corporate
and personal proxies: CONNECT allowed, CONNECT refused (403), proxy login required (407).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import Self

import trustme

from tests.harness.processes import end_process

_READY_TIMEOUT_S = 5.0
_STOP_TIMEOUT_S = 5.0
_START_ATTEMPTS = 3  # the free port we picked may be taken before the proxy binds it
_SYSTEM_HOSTS = Path("/etc/hosts")
_SYSTEM_NSSWITCH = Path("/etc/nsswitch.conf")
# Run in a private mount namespace: put the proxy's own hosts file ("$0") over /etc/hosts and
# its nsswitch.conf ("$1", host names from files only) over the machine's, then become the
# proxy (same process, so ending it ends the proxy).
_WITH_HOSTS = (
    'mount --bind "$0" /etc/hosts && mount --bind "$1" /etc/nsswitch.conf && shift && exec "$@"'
)


class MissingBinary(RuntimeError):
    """The proxy program is not installed on this machine."""


class ProxyStartError(RuntimeError):
    """The proxy program did not start listening in time."""


def free_port() -> int:
    """A loopback port that was free a moment ago (bind to port 0, read it, close)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def dead_port() -> int:
    """A loopback port with nothing listening: connecting to it is refused at once."""
    return free_port()


def wait_for_listener(
    port: int,
    timeout_s: float,
    proc: subprocess.Popen[bytes] | None = None,
    host: str = "127.0.0.1",
) -> bool:
    """Connect until (host, port) accepts; give up at the deadline or when `proc` exits."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return False
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
            return True
        time.sleep(0.02)
    return False


class ProxyProcess:
    """A proxy program in a child process, with its own scratch folder for config and log."""

    binary = ""

    def __init__(self, *, hosts: Mapping[str, str] | None = None) -> None:
        """`hosts`: name -> address, the only names the proxy resolves (no DNS, so a client
        that asks it for a real host never leaves the machine), and no one else sees them:
        a private /etc/hosts in the proxy's own mount namespace (root and `unshare`)."""
        self.host = "127.0.0.1"
        self.port = 0
        self.hosts = dict(hosts or {})
        self._proc: subprocess.Popen[bytes] | None = None
        self._dir: Path | None = None

    def _command(self, port: int, workdir: Path) -> list[str]:
        raise NotImplementedError

    @property
    def log_path(self) -> Path | None:
        return None if self._dir is None else self._dir / "proxy.log"

    def log_text(self) -> str:
        """What the proxy wrote (its log file and stderr), for failure messages."""
        path = self.log_path
        return path.read_text(errors="replace") if path is not None and path.exists() else ""

    def start(self) -> Self:
        exe = shutil.which(self.binary)
        if exe is None:
            raise MissingBinary(f"{self.binary} is not installed (Debian package {self.binary})")
        if self.hosts:
            _require_private_hosts()
        self._dir = Path(tempfile.mkdtemp(prefix=f"{self.binary}-"))
        wrapper = _with_hosts(*self._write_hosts(self._dir)) if self.hosts else []
        for _ in range(_START_ATTEMPTS):
            port = free_port()
            with (self._dir / "proxy.log").open("ab") as log:
                proc = subprocess.Popen(
                    [*wrapper, exe, *self._command(port, self._dir)[1:]],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            if wait_for_listener(port, _READY_TIMEOUT_S, proc):
                self._proc, self.port = proc, port
                return self
            _end(proc)
        output = self.log_text()
        self.stop()
        raise ProxyStartError(f"{self.binary} did not start listening:\n{output}")

    def _write_hosts(self, workdir: Path) -> tuple[Path, Path]:
        """The machine's hosts file plus our names (so localhost stays what it was), and
        the machine's nsswitch.conf with host names looked up in files only."""
        system = _SYSTEM_HOSTS.read_text() if _SYSTEM_HOSTS.exists() else ""
        ours = "".join(f"{address} {name}\n" for name, address in self.hosts.items())
        hosts = workdir / "hosts"
        hosts.write_text(system.rstrip("\n") + "\n" + ours)
        lines = [
            line
            for line in _SYSTEM_NSSWITCH.read_text().splitlines()
            if not line.strip().startswith("hosts:")
        ]
        nsswitch = workdir / "nsswitch.conf"
        nsswitch.write_text("\n".join([*lines, "hosts: files"]) + "\n")
        return hosts, nsswitch

    def stop(self) -> None:
        if self._proc is not None:
            _end(self._proc)
            self._proc = None
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _require_private_hosts() -> None:
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        raise MissingBinary("unshare and mount (Debian util-linux, mount) are not installed")
    if os.geteuid() != 0 or not _SYSTEM_NSSWITCH.exists():
        raise MissingBinary(f"a private hosts file for the proxy needs root and {_SYSTEM_NSSWITCH}")


def _with_hosts(hosts: Path, nsswitch: Path) -> list[str]:
    """The command prefix that runs the proxy with these files as its own."""
    return [
        "unshare",
        "--mount",
        "--propagation",
        "private",
        "--",
        "sh",
        "-c",
        _WITH_HOSTS,
        str(hosts),
        str(nsswitch),
    ]


def _end(proc: subprocess.Popen[bytes]) -> None:
    """Terminate, wait (bounded), kill if it did not go."""
    end_process(proc, _STOP_TIMEOUT_S, _STOP_TIMEOUT_S)


class ConnectMode(StrEnum):
    ALLOW = "allow"  # CONNECT to any port
    DENY = "deny"  # CONNECT only to a port nobody uses: every real CONNECT gets 403
    AUTH = "auth"  # Basic proxy login required: 407 without it


class TinyProxy(ProxyProcess):
    """HTTP proxy with CONNECT (Debian `tinyproxy`), run in the foreground with a temp config."""

    binary = "tinyproxy"
    user = "proxyuser"
    password = "proxy-pass"  # nothing secret: a loopback proxy that lives for one test run

    def __init__(
        self,
        mode: ConnectMode = ConnectMode.ALLOW,
        *,
        outgoing: str | None = None,
        hosts: Mapping[str, str] | None = None,
    ) -> None:
        """`outgoing`: a loopback address its connections onward come from, so a server
        can tell by the peer address which requests went through this proxy."""
        super().__init__(hosts=hosts)
        self.mode = mode
        self.outgoing = outgoing

    def _command(self, port: int, workdir: Path) -> list[str]:
        lines = [
            f"Port {port}",
            "Listen 127.0.0.1",
            "Allow 127.0.0.1",
            "Timeout 30",
            "MaxClients 64",
            "LogLevel Info",
            f'LogFile "{workdir / "proxy.log"}"',
        ]
        if self.mode is ConnectMode.DENY:
            lines.append("ConnectPort 1")  # port 1 (tcpmux): no test endpoint lives there
        if self.mode is ConnectMode.AUTH:
            lines.append(f"BasicAuth {self.user} {self.password}")
        if self.outgoing is not None:
            lines.append(f"Bind {self.outgoing}")
        conf = workdir / "tinyproxy.conf"
        conf.write_text("\n".join(lines) + "\n")
        return [self.binary, "-d", "-c", str(conf)]

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT` (no credentials, even in AUTH mode: see `url_with_auth`)."""
        return f"http://{self.host}:{self.port}"

    @property
    def url_with_auth(self) -> str:
        return f"http://{self.user}:{self.password}@{self.host}:{self.port}"


class MicroSocks(ProxyProcess):
    """SOCKS5 proxy (Debian `microsocks`), no authentication."""

    binary = "microsocks"

    def __init__(
        self, *, outgoing: str | None = None, hosts: Mapping[str, str] | None = None
    ) -> None:
        """`outgoing`: the loopback address its onward connections come from (see TinyProxy)."""
        super().__init__(hosts=hosts)
        self.outgoing = outgoing

    def _command(self, port: int, workdir: Path) -> list[str]:
        bind = ["-b", self.outgoing] if self.outgoing is not None else []
        return [self.binary, "-i", "127.0.0.1", "-p", str(port), *bind]

    @property
    def url(self) -> str:
        return f"socks5://{self.host}:{self.port}"


class TlsProxy(ProxyProcess):
    """An https:// proxy: Debian `stunnel` terminates TLS and hands the bytes to a running
    HTTP CONNECT proxy, so the client speaks TLS to the proxy and CONNECT inside it."""

    binary = "stunnel"

    def __init__(self, behind: TinyProxy, ca: trustme.CA) -> None:
        super().__init__()
        self.behind = behind
        self._cert = ca.issue_cert("localhost", "127.0.0.1")

    def _command(self, port: int, workdir: Path) -> list[str]:
        pem = workdir / "proxy-cert.pem"
        pem.write_bytes(
            b"".join(
                blob.bytes() for blob in (self._cert.private_key_pem, *self._cert.cert_chain_pems)
            )
        )
        conf = workdir / "stunnel.conf"
        conf.write_text(
            "\n".join(
                [
                    "foreground = yes",
                    "pid =",
                    f"output = {workdir / 'proxy.log'}",
                    "[proxy]",
                    f"accept = 127.0.0.1:{port}",
                    f"connect = 127.0.0.1:{self.behind.port}",
                    f"cert = {pem}",
                ]
            )
            + "\n"
        )
        return [self.binary, str(conf)]

    @property
    def url(self) -> str:
        """`https://localhost:PORT`: the name its certificate carries."""
        return f"https://localhost:{self.port}"
