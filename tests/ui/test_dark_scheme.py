"""In a dark colour scheme everything stays readable: the chart's lines keep their contrast
against the palette's background (WCAG's 4.5:1 for text, which thin lines need as much)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from codex_link.ui.chart import series_colours

# Backgrounds the chart meets: Qt's and GTK's light palettes, Adwaita dark, Windows' dark mode.
BASES = {
    "light": "#ffffff",
    "light grey": "#efefef",
    "adwaita dark": "#2d2d2d",
    "windows dark": "#1e1e1e",
    "fusion dark": "#3c3c3c",
}


def _luminance(colour: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else float(((c + 0.055) / 1.055) ** 2.4)

    return (
        0.2126 * channel(colour.red())
        + 0.7152 * channel(colour.green())
        + 0.0722 * channel(colour.blue())
    )


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("base", list(BASES.values()), ids=list(BASES))
def test_chart_lines_stand_out_on_light_and_dark_backgrounds(qapp: QApplication, base: str) -> None:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Base, QColor(base))
    colours = series_colours(palette)
    for line in (colours.http, colours.ws, colours.fail):
        assert contrast(line, QColor(base)) >= 4.5, (line.name(), base)
    assert colours.http != colours.ws  # the two transports stay apart by colour too
