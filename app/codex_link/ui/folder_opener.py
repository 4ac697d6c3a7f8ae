"""Opens a folder in the desktop's file manager, and notices when nothing did.

On Linux, Qt hands a folder to `xdg-open` and reports success as soon as that program has
started, even when no file manager is installed and it then fails. So there `xdg-open` is run
here and its exit code is read: a failure (or no `xdg-open` at all) is reported, and the user
is told where the folder is. Elsewhere Qt's answer is reliable and is used as it is.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QUrl, Signal
from PySide6.QtGui import QDesktopServices

LINUX_OPENER = ("xdg-open",)


class FolderOpener(QObject):
    failed = Signal(str)  # the folder nothing could open

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        open_url: Callable[[QUrl], bool] | None = None,
        command: Sequence[str] | None = None,
        platform: str = sys.platform,
    ) -> None:
        """`open_url`: opens through it alone (Qt's, or a test's). `command`: the program
        that opens folders on Linux (default `xdg-open`)."""
        super().__init__(parent)
        self._open_url = open_url
        use_command = open_url is None and platform.startswith(("linux", "freebsd", "openbsd"))
        self._command = tuple(command or LINUX_OPENER) if use_command else ()
        self._running: set[QProcess] = set()

    def open_link(self, url: QUrl) -> bool:
        """A web page (help): the browser is found by Qt on every platform."""
        return (self._open_url or QDesktopServices.openUrl)(url)

    def open(self, folder: Path) -> None:
        if not self._command:
            opener = self._open_url or QDesktopServices.openUrl
            if not opener(QUrl.fromLocalFile(str(folder))):
                self.failed.emit(str(folder))
            return
        program = shutil.which(self._command[0])
        if program is None:
            self.failed.emit(str(folder))
            return
        process = QProcess(self)
        self._running.add(process)

        def finished(code: int, status: QProcess.ExitStatus) -> None:
            self._running.discard(process)
            process.deleteLater()
            if code != 0 or status is not QProcess.ExitStatus.NormalExit:
                self.failed.emit(str(folder))

        def error(problem: QProcess.ProcessError) -> None:
            if problem is QProcess.ProcessError.FailedToStart:
                self._running.discard(process)
                process.deleteLater()
                self.failed.emit(str(folder))

        process.finished.connect(finished)
        process.errorOccurred.connect(error)
        process.start(program, [*self._command[1:], str(folder)])
