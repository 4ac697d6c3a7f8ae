"""What both kinds of single-instance server share: the message, the timeout, the signal."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

SHOW_MESSAGE = b"show\n"
CONNECT_TIMEOUT_MS = 1000


class InstanceServer(QObject):
    """Listens for later launches under `name`; emits `show_requested` when one asks."""

    show_requested = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name

    def listen(self) -> bool:
        """False when another instance answers under the name; a stale name is reclaimed.

        Ask first, listen second: on Unix a listen replaces an existing socket file, so
        listening first would silently steal a live instance's name.
        """
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError
