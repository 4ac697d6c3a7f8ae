"""Tray and window icons, one per `Health`, drawn from the SVG files in resources/icons.

Each state differs in shape as well as colour (disc with a check, disc with an H, triangle,
octagon, disc with a dash, hollow ring with dots), so the icon stays readable for colour-blind
people and in monochrome trays. The SVGs are rendered to pixmaps here, once per size, by Qt's
SVG image reader (its image-format plugin): neither Qt's SVG icon engine nor the Python
binding of QtSvg, which the idle tray would otherwise carry.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QImageReader, QPainter, QPixmap

from codex_link.core.model.verdict import Health
from codex_link.ui.resources import icon_path

SIZES = (16, 20, 22, 24, 32, 40, 48, 64)
STALE_OPACITY = 0.4

# The main colour of each state, for places that draw rather than show an icon (the chart).
HEALTH_COLOURS: dict[Health, str] = {
    Health.READY_WS: "#1f9d55",
    Health.READY_HTTP_ONLY: "#1f9d55",
    Health.WS_BLOCKED: "#f2a900",
    Health.DOWN: "#d32f2f",
    Health.OFFLINE: "#7b7f86",
    Health.CHECKING: "#b8bcc2",
}


def render_svg(name: str, size: int) -> QImage:
    """The named SVG as a square, transparent image of `size` pixels."""
    reader = QImageReader(str(icon_path(name)), b"svg")
    reader.setScaledSize(QSize(size, size))
    image = reader.read()
    if image.isNull():
        raise FileNotFoundError(
            f"icon {name!r} is missing or invalid: {icon_path(name)} ({reader.errorString()})"
        )
    return image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)


def named_icon(name: str, opacity: float = 1.0) -> QIcon:
    icon = QIcon()
    for size in SIZES:
        image = render_svg(name, size)
        if opacity < 1.0:
            image = _faded(image, opacity)
        icon.addPixmap(QPixmap.fromImage(image))
    return icon


def _faded(image: QImage, opacity: float) -> QImage:
    faded = QImage(image.size(), QImage.Format.Format_ARGB32_Premultiplied)
    faded.fill(Qt.GlobalColor.transparent)
    painter = QPainter(faded)
    painter.setOpacity(opacity)
    painter.drawImage(0, 0, image)
    painter.end()
    return faded


class IconSet:
    """Renders each icon once and keeps it: a tray update must not re-read files."""

    def __init__(self) -> None:
        self._cache: dict[str, QIcon] = {}

    def for_health(self, health: Health) -> QIcon:
        return self._named(health.value)

    def dimmed(self, health: Health) -> QIcon:
        """The state's icon, faded: the result is out of date (same shape, less ink)."""
        key = f"{health.value}:dimmed"
        icon = self._cache.get(key)
        if icon is None:
            icon = self._cache[key] = named_icon(health.value, STALE_OPACITY)
        return icon

    def app_icon(self) -> QIcon:
        return self._named("codex-link")

    def _named(self, name: str) -> QIcon:
        icon = self._cache.get(name)
        if icon is None:
            icon = self._cache[name] = named_icon(name)
        return icon


def health_colour(health: Health) -> QColor:
    return QColor(HEALTH_COLOURS[health])
