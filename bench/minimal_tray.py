"""The smallest PySide6 tray program: the yardstick for Codex Link's start-up time.

It does what any tray app must (import Qt, connect to the display, show an icon) and nothing
else, then prints the same "tray icon visible" line as the app once the tray host has placed
the icon. Run by bench.startup_tray; not a benchmark on its own.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QSystemTrayIcon


def main() -> int:
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    pixmap = QPixmap(22, 22)
    pixmap.fill(QColor("#1f9d55"))
    icon = QSystemTrayIcon(QIcon(pixmap))
    icon.show()

    def poll() -> None:
        if not icon.geometry().isEmpty():
            print("tray icon visible", flush=True)
            timer.stop()

    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(poll)
    timer.start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
