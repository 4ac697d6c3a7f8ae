"""What every tray app owes its user once: what the icon means and where it lives (first run),
and who made it, which version, where to get help (About).

Both dialogs are non-modal (`show()`), so the loop, the checks and the tray keep running.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from importlib import metadata

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from codex_link import __version__
from codex_link.core.codex.installed import InstalledCodex, codex_in_use, codex_line
from codex_link.core.model.verdict import Health
from codex_link.ui.i18n import render
from codex_link.ui.icons import IconSet

DISTRIBUTION = "codex-link"
# The same as [project.urls] in pyproject.toml (a test keeps them equal): used when the
# package metadata is not there, as in a bundle built without it.
PROJECT_URLS = {
    "Homepage": "https://github.com/codex-link/codex-link",
    "Documentation": "https://github.com/codex-link/codex-link#readme",
    "Issues": "https://github.com/codex-link/codex-link/issues",
}
LEGEND_ICON = 22


def project_urls() -> dict[str, str]:
    """[project.urls] of the installed package, else the copy above."""
    urls = dict(PROJECT_URLS)
    try:
        entries = metadata.metadata(DISTRIBUTION).get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return urls
    for entry in entries:
        label, _, url = entry.partition(",")
        if label.strip() in urls and url.strip():
            urls[label.strip()] = url.strip()
    return urls


def help_url() -> str:
    return project_urls()["Documentation"]


def _meaning(health: Health) -> str:
    match health:
        case Health.READY_WS:
            return QCoreApplication.translate("About", "Green check: Codex will start fast.")
        case Health.READY_HTTP_ONLY:
            return QCoreApplication.translate(
                "About", "Green H: Codex uses HTTP only, and it works."
            )
        case Health.WS_BLOCKED:
            return QCoreApplication.translate(
                "About",
                "Amber triangle: WebSocket is blocked, so Codex would start slowly. "
                "“Use HTTP only” fixes it with one click.",
            )
        case Health.DOWN:
            return QCoreApplication.translate(
                "About", "Red octagon: Codex cannot reach its server at all."
            )
        case Health.OFFLINE:
            return QCoreApplication.translate("About", "Grey dash: no network.")
        case Health.CHECKING:
            return QCoreApplication.translate(
                "About", "Grey ring: checking. A faded icon: the result is out of date."
            )


def icon_legend(icons: IconSet, parent: QWidget | None = None) -> QWidget:
    """Every tray icon beside what it means, in the order a user meets them."""
    legend = QWidget(parent)
    grid = QGridLayout(legend)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setHorizontalSpacing(10)
    for row, health in enumerate(Health):
        picture = QLabel()
        picture.setPixmap(icons.for_health(health).pixmap(LEGEND_ICON, LEGEND_ICON))
        words = QLabel(_meaning(health))
        words.setWordWrap(True)
        grid.addWidget(picture, row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(words, row, 1)
    grid.setColumnStretch(1, 1)
    return legend


def _paragraph(text: str, *, rich: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    if rich:
        label.setOpenExternalLinks(True)
    return label


class WelcomeDialog(QDialog):
    """Shown once, at the first start: the app has no window of its own to greet with."""

    def __init__(
        self,
        icons: IconSet,
        *,
        tray_available: bool,
        open_window: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Welcome to Codex Link"))
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        where = (
            self.tr(
                "Codex Link lives in the system tray, near the clock. Click its icon "
                "for details, right-click it for the menu."
            )
            if tray_available
            else self.tr(
                "This desktop has no system tray, so Codex Link shows its window "
                "instead; closing it quits Codex Link."
            )
        )
        self.intro_label = _paragraph(
            self.tr(
                "Codex Link checks, in the background, whether OpenAI Codex will start "
                "quickly on the network you are on."
            )
            + " "
            + where
        )
        layout.addWidget(self.intro_label)
        layout.addWidget(_paragraph(self.tr("What the icon means:")))
        layout.addWidget(icon_legend(icons, self))
        buttons = QDialogButtonBox()
        self.window_button = buttons.addButton(
            self.tr("Open status window"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.ok_button = buttons.addButton(self.tr("OK"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        self.window_button.clicked.connect(open_window)
        self.window_button.clicked.connect(self.accept)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)


class AboutDialog(QDialog):
    def __init__(
        self,
        icons: IconSet,
        *,
        qt_version: str,
        codex: Callable[[], InstalledCodex | None] = codex_in_use,
        parent: QWidget | None = None,
    ) -> None:
        """`codex`: the Codex in use (found at start-up; its version is cached)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("About Codex Link"))
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        urls = project_urls()
        self.version_label = _paragraph(
            "<b>" + escape(self.tr("Codex Link {version}").format(version=__version__)) + "</b>",
            rich=True,
        )
        layout.addWidget(self.version_label)
        self.codex_label = _paragraph(render(codex_line(codex())))  # which Codex it judges
        layout.addWidget(self.codex_label)
        layout.addWidget(
            _paragraph(
                self.tr(
                    "Tells, in plain words, whether OpenAI Codex will start quickly on this "
                    "network, and switches Codex to HTTP only (and back) without damaging its "
                    "settings."
                )
            )
        )
        layout.addWidget(icon_legend(icons, self))
        links = [
            (self.tr("Help and documentation"), urls["Documentation"]),
            (self.tr("Report a problem"), urls["Issues"]),
            (self.tr("Website"), urls["Homepage"]),
        ]
        self.links_label = _paragraph(
            " · ".join(
                f'<a href="{escape(url, quote=True)}">{escape(name)}</a>' for name, url in links
            ),
            rich=True,
        )
        layout.addWidget(self.links_label)
        layout.addWidget(_paragraph(self.tr("Qt {qt}. MIT licence.").format(qt=qt_version)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
