"""The single-instance socket on Linux and macOS: a Unix socket file, in the same place and
with the same bytes as Qt's QLocalServer would use, served on Qt's event loop.

The file is made readable and writable by its owner only, so no other user can reach it.
Nothing here blocks: the listening socket and each caller's connection are non-blocking and
watched by socket notifiers, and a caller that connects and says nothing is dropped after a
few seconds.
"""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path

from PySide6.QtCore import QDir, QObject, QSocketNotifier, QTimer

from codex_link.ui.instance_server import CONNECT_TIMEOUT_MS, SHOW_MESSAGE, InstanceServer

CALLER_TIMEOUT_MS = 3000  # a caller writes its few bytes at once
MAX_MESSAGE = 64
BACKLOG = 8


def socket_path(name: str) -> Path:
    """Where QLocalServer puts a socket of that name, so both kinds find each other."""
    return Path(QDir.tempPath()) / name


def ask_over_socket(name: str, message: bytes = SHOW_MESSAGE) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as caller:
        caller.settimeout(CONNECT_TIMEOUT_MS / 1000)
        try:
            caller.connect(str(socket_path(name)))
        except OSError:  # no file, nobody listening (a crash's leftover), or no answer
            return False
        with contextlib.suppress(OSError):  # it answered: it is running, whatever comes next
            caller.sendall(message)
        return True


class _Caller:
    """One later launch's connection: reads its line, then closes."""

    def __init__(self, connection: socket.socket, server: SocketInstanceServer) -> None:
        self._connection = connection
        self._server = server
        self._received = b""
        connection.setblocking(False)
        self._notifier = QSocketNotifier(connection.fileno(), QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._read)
        self._deadline = QTimer()
        self._deadline.setSingleShot(True)
        self._deadline.timeout.connect(self.close)
        self._deadline.start(CALLER_TIMEOUT_MS)

    def _read(self) -> None:
        try:
            chunk = self._connection.recv(MAX_MESSAGE)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        self._received += chunk
        if b"\n" in self._received:
            if self._received.split(b"\n", 1)[0] + b"\n" == SHOW_MESSAGE:
                self._server.show_requested.emit()
            self.close()
        elif not chunk or len(self._received) > MAX_MESSAGE:
            self.close()  # it hung up without a whole line (the listen check), or talks nonsense

    def close(self) -> None:
        if self._connection.fileno() == -1:
            return
        self._notifier.setEnabled(False)
        self._deadline.stop()
        self._connection.close()
        # Dropped on the next turn of the loop, not inside the notifier's own signal.
        QTimer.singleShot(0, lambda: self._server.forget(self))


class SocketInstanceServer(InstanceServer):
    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(name, parent)
        self.path = socket_path(name)
        self._listener: socket.socket | None = None
        self._notifier: QSocketNotifier | None = None
        self._inode: int | None = None
        self._callers: set[_Caller] = set()  # held here until each has been read and closed

    def listen(self) -> bool:
        if ask_over_socket(self.name, b""):
            return False
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()  # nobody answered: a socket file left by a crash
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            mask = os.umask(0o077)  # the file is born private: no moment where others can connect
            try:
                listener.bind(str(self.path))
            finally:
                os.umask(mask)
            listener.listen(BACKLOG)
            listener.setblocking(False)
            self._inode = self.path.stat().st_ino
        except OSError:
            listener.close()
            return False
        self._listener = listener
        self._notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._accept)
        return True

    def forget(self, caller: _Caller) -> None:
        self._callers.discard(caller)

    def close(self) -> None:
        for caller in list(self._callers):
            caller.close()
        if self._listener is None:
            return
        if self._notifier is not None:
            self._notifier.setEnabled(False)
        self._listener.close()
        self._listener = None
        with contextlib.suppress(OSError):
            if self.path.stat().st_ino == self._inode:  # still ours, not a newer instance's
                self.path.unlink()

    def _accept(self) -> None:
        while self._listener is not None:
            try:
                connection, _ = self._listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # e.g. out of file descriptors: the caller sees a hang-up
                return
            self._callers.add(_Caller(connection, self))
