"""Network changes start a check: on Linux from the kernel's own netlink notices.

The real watcher runs in a child process in a private network namespace (only a loopback
interface, down at first), so bringing that interface up is a real network change that touches
nothing on the machine. The filter is fed what the kernel really says about this machine's
links and addresses, twice: the second time nothing has changed.
"""

from __future__ import annotations

import socket
import struct
import subprocess
import sys
import textwrap

import pytest

from codex_link.ui.network_watch import RTM_NEWADDR, RTM_NEWLINK, NetlinkState

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="netlink is Linux's")
NOT_PERMITTED = 77

CHILD = textwrap.dedent("""
    import fcntl, os, socket, struct, sys, time
    try:
        os.unshare(os.CLONE_NEWNET)
    except (PermissionError, AttributeError):
        sys.exit(77)
    from PySide6.QtCore import QCoreApplication, QTimer
    from codex_link.ui.network_watch import SETTLE_MS, NetlinkWatch

    app = QCoreApplication([])
    changes = []
    watch = NetlinkWatch(lambda: changes.append(time.monotonic()))
    quiet_until = []

    def loopback_up():
        quiet_until.append(time.monotonic())
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            fcntl.ioctl(s, 0x8914, struct.pack("16sH", b"lo", 0x1 | 0x8))  # SIOCSIFFLAGS

    QTimer.singleShot(2500, loopback_up)  # first 2.5 s: nothing happens, nothing is told
    QTimer.singleShot(2500 + SETTLE_MS + 2500, app.quit)
    app.exec()
    watch.close()
    print(len(changes), round(changes[0] - quiet_until[0], 2) if changes else "-")
""")


@linux_only
def test_a_network_coming_up_starts_one_check() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=30, check=False
    )
    if done.returncode == NOT_PERMITTED:
        pytest.skip("this machine does not allow a private network namespace")
    assert done.returncode == 0, done.stderr
    count, after = done.stdout.split()
    assert count == "1", done.stdout  # a link and two addresses: one check, not three
    assert float(after) >= 1.4  # once the network has settled


def _kernel_dump(request_type: int) -> bytes:
    """The kernel's own messages about every link or address (a netlink dump)."""
    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE) as nl:
        nl.settimeout(5)
        nl.bind((0, 0))
        header = struct.pack("=IHHII", 16 + 4, request_type, 0x301, 1, 0)  # REQUEST|DUMP
        nl.send(header + struct.pack("=Bxxx", socket.AF_UNSPEC))
        data = b""
        while True:
            chunk = nl.recv(65536)
            data += chunk
            if struct.unpack_from("=H", chunk, 4)[0] == 3:  # NLMSG_DONE
                return data


@linux_only
def test_re_announcements_are_not_changes() -> None:
    state = NetlinkState()
    addresses = _kernel_dump(RTM_NEWADDR + 2)  # RTM_GETADDR answers with RTM_NEWADDR
    links = _kernel_dump(RTM_NEWLINK + 2)  # RTM_GETLINK answers with RTM_NEWLINK
    assert state.changed(addresses)  # addresses seen for the first time
    assert not state.changed(addresses)  # the same addresses again (IPv6 does it at each RA)
    assert not state.changed(links)  # links seen for the first time, no address of their own
    assert not state.changed(links)  # the same state again (Wi-Fi drivers, at each scan)
    assert len(state.addresses) >= 1 and len(state.links) >= 1
