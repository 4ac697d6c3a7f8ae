"""The single-instance socket through Qt's QLocalServer: a named pipe on Windows.

Used on Windows only (Linux and macOS use instance_socket.py); it works everywhere Qt does,
which lets the tests check that both kinds understand each other.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from codex_link.ui.instance_server import CONNECT_TIMEOUT_MS, SHOW_MESSAGE, InstanceServer


def ask_over_pipe(name: str, message: bytes = SHOW_MESSAGE) -> bool:
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


class PipeInstanceServer(InstanceServer):
    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(name, parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        if ask_over_pipe(self.name, b""):
            return False
        QLocalServer.removeServer(self.name)  # a socket file left by a crash (not on Windows)
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
