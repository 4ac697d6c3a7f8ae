"""Notices edits of Codex's config.toml made outside the app (an editor, `codex`, a script).

QFileSystemWatcher drops a file that is replaced by rename (editors and our own atomic write
do exactly that), so the folder is watched too, and the file is added back whenever it exists
again. Bursts of events (write, rename, chmod) are merged into one call after a short pause.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer

DEBOUNCE_MS = 300


class ConfigWatcher(QObject):
    def __init__(
        self,
        config_path: Path,
        on_change: Callable[[], None],
        parent: QObject | None = None,
        debounce_ms: int = DEBOUNCE_MS,
    ) -> None:
        super().__init__(parent)
        self._path = config_path
        self._on_change = on_change
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._changed)
        self._watcher.directoryChanged.connect(self._changed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._fire)
        self._last_seen = self._fingerprint()
        self._rewatch()

    def watched(self) -> list[str]:
        return [*self._watcher.files(), *self._watcher.directories()]

    def acknowledge(self) -> None:
        """The app itself just wrote the file (and told the monitor): no second call for it."""
        self._last_seen = self._fingerprint()
        self._rewatch()

    def _rewatch(self) -> None:
        """Watches the file if it exists, its folder if that exists, else the nearest parent
        (so a CODEX_HOME created later is noticed)."""
        wanted: list[str] = []
        if _exists(self._path):
            wanted.append(str(self._path))
        folder = self._path.parent
        while not _exists(folder) and folder != folder.parent:
            folder = folder.parent
        wanted.append(str(folder))
        current = set(self.watched())
        stale = [p for p in current if p not in wanted]
        if stale:
            self._watcher.removePaths(stale)
        missing = [p for p in wanted if p not in current]
        if missing:
            self._watcher.addPaths(missing)

    def _changed(self, _path: str) -> None:
        self._rewatch()
        self._timer.start()

    def _fingerprint(self) -> tuple[int, int, int] | None:
        try:
            st = self._path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _fire(self) -> None:
        self._rewatch()
        seen = self._fingerprint()
        # Other files in the folder change too (sessions, logs): only the config counts.
        if seen == self._last_seen:
            return
        self._last_seen = seen
        self._on_change()


def _exists(path: Path) -> bool:
    """Like Path.exists, but a folder closed to us (mode 000) means "not there", not a crash."""
    try:
        path.stat()
    except OSError:
        return False
    return True
