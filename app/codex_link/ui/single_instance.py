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

    def listen(self) -> bool:
        """False when another instance answers under the name; a stale name is reclaimed.

        Ask first, listen second: on Unix a listen with access options replaces an existing
        socket file by rename, so listening first would silently steal a live instance's name.
        """
        if ask_running_instance(self.name, b""):
            return False
        QLocalServer.removeServer(self.name)  # a socket file left by a crash
        return self._server.listen(self.name)

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.readyRead.connect(self._read)
            socket.disconnected.connect(socket.deleteLater)

    def _read(self) -> None:
        socket = self.sender()
        if not isinstance(socket, QLocalSocket):
            return
        # The message is a few bytes written at once; a partial read only delays the answer.
        if socket.canReadLine() and bytes(socket.readLine().data()) == SHOW_MESSAGE:
            self.show_requested.emit()
