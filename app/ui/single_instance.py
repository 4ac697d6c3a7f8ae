"""One Codex Link per user: a second launch asks the running one to show its window.

A local socket (named pipe on Windows, a socket file on Unix) carries one short message.
The name is per user and per settings folder, so two users, or two isolated test homes,
never meet. A socket file left behind by a crash is detected (nobody answers) and removed.
"""

from __future__ import annotations

import getpass
import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

SHOW_MESSAGE = b"show\n"
CONNECT_TIMEOUT_MS = 1000


def instance_name(config_dir: Path) -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        user = "user"
    digest = hashlib.sha256(f"{user}\0{config_dir}".encode()).hexdigest()[:16]
    return f"codex-link-{digest}"


def ask_running_instance(name: str, message: bytes = SHOW_MESSAGE) -> bool:
    """True if an instance answered under `name` and got the message."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    socket.write(message)
    socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
    socket.disconnectFromServer()
    if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        socket.waitForDisconnected(CONNECT_TIMEOUT_MS)
    return True


class InstanceServer(QObject):
    """Listens for later launches; emits `show_requested` when one asks."""

    show_requested = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """False when another instance owns the name; a stale name is reclaimed."""
        if self._server.listen(self.name):
            return True
        if ask_running_instance(self.name, b""):
            return False
        QLocalServer.removeServer(self.name)
        return self._server.listen(self.name)

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._done(s))

    def _read(self, socket: QLocalSocket) -> None:
        self._buffers[socket] = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if SHOW_MESSAGE in self._buffers[socket]:
            self._buffers[socket] = b""
            self.show_requested.emit()

    def _done(self, socket: QLocalSocket) -> None:
        if socket.bytesAvailable():
            self._read(socket)
        self._buffers.pop(socket, None)
        socket.deleteLater()
