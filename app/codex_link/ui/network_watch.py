"""Checks again when the network changes (a new Wi-Fi, a cable, a VPN or a TUN proxy coming up).

On Linux the kernel announces links and addresses coming and going on a netlink socket, which
is what Qt's own backends read too (through NetworkManager or GLib); reading it here directly
saves the idle tray about 3 MB (Qt's network module, GLib's GIO and their plugins). Elsewhere
Qt's QNetworkInformation tells (Windows: the Network List Manager; macOS: SCNetworkReachability).

Kernel notices that change nothing for Codex are left out: a link re-announced with the same
up/running state (Wi-Fi drivers do it at every scan) and an address re-announced with new
lifetimes (IPv6 does it at every router advertisement). Notices arriving together make one
check, once the network has settled for a moment.
"""

from __future__ import annotations

import logging
import socket
import struct
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

log = logging.getLogger("codex_link")

SETTLE_MS = 1500  # a network coming up sends a burst of notices; check once it is quiet

# linux/rtnetlink.h, linux/if.h
RTMGRP_LINK = 0x1
RTMGRP_IPV4_IFADDR = 0x10
RTMGRP_IPV6_IFADDR = 0x100
RTM_NEWLINK, RTM_DELLINK, RTM_NEWADDR, RTM_DELADDR = 16, 17, 20, 21
IFF_UP, IFF_RUNNING, IFF_LOWER_UP = 0x1, 0x40, 0x10000
IFA_ADDRESS, IFA_LOCAL = 1, 2
_NLMSGHDR = struct.Struct("=IHHII")  # length, type, flags, sequence, port
_IFINFOMSG = struct.Struct("=BxHiII")  # family, type, index, flags, change
_IFADDRMSG = struct.Struct("=BBBBI")  # family, prefix length, flags, scope, index
_RTATTR = struct.Struct("=HH")  # length, type
_LINK_STATE = IFF_UP | IFF_RUNNING | IFF_LOWER_UP


def _align(length: int) -> int:
    return (length + 3) & ~3


def _address_of(payload: bytes) -> bytes:
    """The address an RTM_*ADDR message is about (IFA_LOCAL, else IFA_ADDRESS)."""
    found: dict[int, bytes] = {}
    offset = _IFADDRMSG.size
    while offset + _RTATTR.size <= len(payload):
        length, kind = _RTATTR.unpack_from(payload, offset)
        if length < _RTATTR.size:
            break
        found[kind] = payload[offset + _RTATTR.size : offset + length]
        offset += _align(length)
    return found.get(IFA_LOCAL) or found.get(IFA_ADDRESS, b"")


@dataclass
class NetlinkState:
    """What the kernel has announced so far; `changed` tells whether a batch of messages
    brings news (a link going up or down, an address appearing or going away)."""

    links: dict[int, int] = field(default_factory=dict)  # index -> up/running flags
    addresses: set[tuple[int, int, bytes]] = field(default_factory=set)  # family, index, addr

    def changed(self, data: bytes) -> bool:
        news = False
        offset = 0
        while offset + _NLMSGHDR.size <= len(data):
            length, kind, _, _, _ = _NLMSGHDR.unpack_from(data, offset)
            if length < _NLMSGHDR.size or offset + length > len(data):
                break
            payload = data[offset + _NLMSGHDR.size : offset + length]
            news = self._take(kind, payload) or news
            offset += _align(length)
        return news

    def _take(self, kind: int, payload: bytes) -> bool:
        if kind in (RTM_NEWLINK, RTM_DELLINK) and len(payload) >= _IFINFOMSG.size:
            _, _, index, flags, _ = _IFINFOMSG.unpack(payload[: _IFINFOMSG.size])
            if kind == RTM_DELLINK:
                return self.links.pop(index, None) is not None
            state = flags & _LINK_STATE
            before = self.links.get(index)
            self.links[index] = state
            # A link seen for the first time matters once it has an address.
            return before is not None and before != state
        if kind in (RTM_NEWADDR, RTM_DELADDR) and len(payload) >= _IFADDRMSG.size:
            family, _, _, _, index = _IFADDRMSG.unpack(payload[: _IFADDRMSG.size])
            key = (family, index, _address_of(payload))
            if kind == RTM_DELADDR:
                self.addresses.discard(key)
                return True
            if key in self.addresses:
                return False
            self.addresses.add(key)
            return True
        return False


class NetlinkWatch(QObject):
    """Linux: calls `on_change` once the network has settled after a change."""

    def __init__(self, on_change: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = NetlinkState()
        self._socket = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
        try:
            self._socket.bind((0, RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR))
            self._socket.setblocking(False)
        except OSError:
            self._socket.close()
            raise
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(on_change)
        self._notifier = QSocketNotifier(self._socket.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._read)

    def _read(self) -> None:
        news = False
        while True:
            try:
                data = self._socket.recv(65536)
            except (BlockingIOError, InterruptedError):
                break
            except OSError:  # ENOBUFS: the kernel dropped notices; something surely changed
                news = True
                break
            if not data:
                break
            news = self._state.changed(data) or news
        if news:
            self._settle.start()

    def close(self) -> None:
        self._notifier.setEnabled(False)
        self._settle.stop()
        self._socket.close()


def watch_network(parent: QObject, on_change: Callable[[], None]) -> QObject | None:
    """Starts watching; the returned object lives as long as `parent` (None: no way to tell
    on this system, and checks still run on schedule)."""
    try:
        if sys.platform.startswith("linux"):
            return NetlinkWatch(on_change, parent)
        return _watch_with_qt(on_change)
    except Exception:  # an optional notice: checks still run on schedule without it
        log.info("no network change notifications on this system")
        return None


def _watch_with_qt(on_change: Callable[[], None]) -> QObject | None:
    from PySide6.QtNetwork import QNetworkInformation

    if not QNetworkInformation.loadDefaultBackend():
        log.info("no network change notifications on this system")
        return None
    info = QNetworkInformation.instance()
    if info is None:
        return None
    info.reachabilityChanged.connect(lambda _r: on_change())
    info.transportMediumChanged.connect(lambda _m: on_change())
    return info
