"""The history chart: latency per transport over time, failures, a strip of verdicts, and a
marker where a fix was turned on or off (by a click or by auto mode).

Painted with QPainter (QtCharts is not part of PySide6-Essentials). Lines are told apart by
dash pattern as well as colour, and failures by an "x" mark, so it reads in grey scale too.
Background, text and gridlines come from the palette, so the chart follows a dark colour
scheme; the series take lighter shades there, as the light-scheme blue and purple would all but
vanish on a dark background.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from codex_link.core.auto_mode import FixChange
from codex_link.core.history import FixEvent
from codex_link.core.model.probe import Transport
from codex_link.core.model.snapshot import HistoryPoint
from codex_link.ui.icons import health_colour
from codex_link.ui.wording import milliseconds


@dataclass(frozen=True, slots=True)
class SeriesColours:
    http: QColor
    ws: QColor
    fail: QColor


LIGHT_SCHEME = SeriesColours(QColor("#1d5fbf"), QColor("#8e44ad"), QColor("#c62828"))
DARK_SCHEME = SeriesColours(QColor("#7fb2ff"), QColor("#d7a6f0"), QColor("#ff8a8a"))


def series_colours(palette: QPalette) -> SeriesColours:
    """The shades that stand out on this palette's background (at least 4.5:1 either way)."""
    return DARK_SCHEME if palette.base().color().lightness() < 128 else LIGHT_SCHEME


WINDOW_S = 24 * 3600.0
MAX_DOTS = 60  # beyond this a dot per check would blur into the line


def nice_ceiling(value: float) -> float:
    """The smallest 1/2/5 x 10^n at or above `value`, so the axis reads in round numbers."""
    if value <= 0:
        return 100.0
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        candidate = step * 10.0**exponent
        if candidate >= value:
            return candidate
    return 10.0 ** (exponent + 1)


def worked_ms(point: HistoryPoint, transport: Transport) -> float | None:
    """How long the check took over `transport` when it worked; None marks a failure."""
    if transport is Transport.WEBSOCKET:
        return point.ws_ms if point.ws_ok else None
    return point.http_ms if point.http_ok else None


def axis_label(ms: float) -> str:
    """A gridline's value as it is ("2.5 ms", not a rounded "2 ms")."""
    if ms >= 10 or float(ms).is_integer():
        return milliseconds(ms)
    return milliseconds(ms).replace(str(round(ms)), f"{ms:.1f}", 1)


class HistoryChart(QWidget):
    """Top to bottom: legend, the latency plot (checks that worked), one row of failure
    marks per transport (labelled at the left, like the axis), the verdict strip, times."""

    LEFT = 82
    RIGHT = 10
    TOP = 26  # the legend
    BOTTOM = 68  # two failure rows, the verdict strip and the time labels
    GAP = 10  # below the "0 ms" label, which is centred on the bottom gridline
    BAND = 8
    ROW = 12  # height of one failure row

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._points: tuple[HistoryPoint, ...] = ()
        self._events: tuple[FixEvent, ...] = ()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(180)

    def sizeHint(self) -> QSize:
        return QSize(520, 220)

    def set_history(self, points: Sequence[HistoryPoint]) -> None:
        """Keeps the last day: older points would squeeze the recent ones into a line."""
        if points:
            since = points[-1].at - WINDOW_S
            points = [p for p in points if p.at >= since]
        self._points = tuple(points)
        self.update()

    @property
    def points(self) -> tuple[HistoryPoint, ...]:
        return self._points

    def set_fix_events(self, events: Sequence[FixEvent]) -> None:
        self._events = tuple(events)
        self.update()

    def shown_events(self) -> tuple[FixEvent, ...]:
        """The markers drawn: the fixes within the time the points span."""
        if not self._points:
            return ()
        first, last = self._points[0].at, self._points[-1].at
        return tuple(e for e in self._events if first <= e.at <= last)

    def marker_label(self, event: FixEvent) -> str:
        label = {
            FixChange.ROUTE_FIX_ON: self.tr("Route fix on"),
            FixChange.ROUTE_FIX_OFF: self.tr("Route fix off"),
            FixChange.HTTP_ONLY_ON: self.tr("HTTP only on"),
            FixChange.HTTP_ONLY_OFF: self.tr("HTTP only off"),
        }[event.change]
        return self.tr("{change} (automatic)").format(change=label) if event.automatic else label

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.base())
        text_colour = palette.text().color()
        colours = series_colours(palette)
        plot = QRectF(
            self.LEFT,
            self.TOP,
            max(10.0, self.width() - self.LEFT - self.RIGHT),
            max(10.0, self.height() - self.TOP - self.BOTTOM),
        )
        if not self._points:
            painter.setPen(text_colour)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No checks yet"))
            painter.end()
            return
        self._paint_legend(painter, text_colour, colours)
        # The scale follows the checks that worked: a failure's time is how long it took
        # to fail (often a timeout) and would flatten every real latency to the floor.
        worked = [
            ms for p in self._points for t in Transport if (ms := worked_ms(p, t)) is not None
        ]
        top_ms = nice_ceiling(max(worked, default=0.0))
        if worked:
            self._paint_grid(painter, plot, top_ms, text_colour)
        else:  # no time to plot: an empty 0-100 ms axis would pretend there is a scale
            painter.setPen(text_colour)
            painter.drawText(
                plot, Qt.AlignmentFlag.AlignCenter, self.tr("No connection worked in this period")
            )
        self._paint_row_labels(painter, plot, text_colour)
        xs = self._x_positions(plot)
        self._paint_band(painter, plot, xs)
        for transport, colour in (
            (Transport.HTTP, colours.http),
            (Transport.WEBSOCKET, colours.ws),
        ):
            self._paint_series(painter, plot, xs, top_ms, transport, colour, colours.fail)
        self._paint_markers(painter, plot, text_colour)
        self._paint_times(painter, plot, text_colour)
        painter.end()

    def _x_positions(self, plot: QRectF) -> list[float]:
        first, last = self._points[0].at, self._points[-1].at
        span = last - first
        if span <= 0:
            n = len(self._points)
            return [plot.left() + plot.width() * (i + 1) / (n + 1) for i in range(n)]
        return [plot.left() + plot.width() * (p.at - first) / span for p in self._points]

    def _y(self, plot: QRectF, ms: float, top_ms: float) -> float:
        return plot.bottom() - plot.height() * min(ms, top_ms) / top_ms

    def _paint_grid(self, painter: QPainter, plot: QRectF, top_ms: float, text: QColor) -> None:
        grid = QColor(text)
        grid.setAlpha(50)
        for fraction in (0.0, 0.5, 1.0):
            y = plot.bottom() - plot.height() * fraction
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text)
            label_rect = QRectF(0, y - 8, self.LEFT - 6, 16)
            painter.drawText(
                label_rect,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                axis_label(top_ms * fraction),
            )

    def _paint_band(self, painter: QPainter, plot: QRectF, xs: list[float]) -> None:
        """A strip under the plot, coloured by the verdict of each check until the next."""
        top = plot.bottom() + self.GAP + 2 * self.ROW
        for i, point in enumerate(self._points):
            left = xs[i] if i else plot.left()
            right = xs[i + 1] if i + 1 < len(xs) else plot.right()
            painter.fillRect(
                QRectF(left, top, max(1.0, right - left), self.BAND), health_colour(point.health)
            )

    def _paint_series(
        self,
        painter: QPainter,
        plot: QRectF,
        xs: list[float],
        top_ms: float,
        transport: Transport,
        colour: QColor,
        fail_colour: QColor,
    ) -> None:
        websocket = transport is Transport.WEBSOCKET  # dashed, and in the second failure row
        pen = QPen(colour, 2)
        if websocket:
            pen.setStyle(Qt.PenStyle.DashLine)
        path = QPainterPath()
        drawing = False
        marks: list[QPointF] = []
        fails: list[float] = []
        for x, point in zip(xs, self._points, strict=True):
            ms = worked_ms(point, transport)
            if ms is not None:
                at = QPointF(x, self._y(plot, ms, top_ms))
                if drawing:
                    path.lineTo(at)
                else:
                    path.moveTo(at)
                drawing = True
                marks.append(at)
            else:
                drawing = False  # a gap: the line does not pretend a failed check had a time
                fails.append(x)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.setPen(QPen(colour, 1))
        painter.setBrush(colour)
        if len(self._points) <= MAX_DOTS:
            for at in marks:
                painter.drawEllipse(at, 2.5, 2.5)
        # Failures: an "x" in the transport's own row under the plot (no time to plot).
        painter.setPen(QPen(fail_colour, 2))
        y = self._row_y(plot, 1 if websocket else 0)
        for x in fails:
            painter.drawLine(QPointF(x - 3.5, y - 3.5), QPointF(x + 3.5, y + 3.5))
            painter.drawLine(QPointF(x - 3.5, y + 3.5), QPointF(x + 3.5, y - 3.5))

    def _row_y(self, plot: QRectF, row: int) -> float:
        return plot.bottom() + self.GAP + self.ROW * row + self.ROW / 2

    def _paint_row_labels(self, painter: QPainter, plot: QRectF, text: QColor) -> None:
        font = painter.font()
        small = QFont(font)
        small.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        painter.setFont(small)
        painter.setPen(text)
        metrics = painter.fontMetrics()
        rows = (self.tr("HTTP"), self.tr("WebSocket"))  # the legend says what "x" means
        for row, label in enumerate(rows):
            shown = metrics.elidedText(label, Qt.TextElideMode.ElideRight, self.LEFT - 8)
            y = self._row_y(plot, row)
            painter.drawText(
                QRectF(0, y - self.ROW / 2, self.LEFT - 6, self.ROW),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                shown,
            )
        painter.setFont(font)

    def _paint_legend(self, painter: QPainter, text: QColor, colours: SeriesColours) -> None:
        metrics = painter.fontMetrics()
        x = float(self.LEFT)
        y = 12.0
        for label, colour, dashed in (
            (self.tr("HTTP"), colours.http, False),
            (self.tr("WebSocket"), colours.ws, True),
        ):
            pen = QPen(colour, 2)
            if dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(x, y), QPointF(x + 18, y))
            painter.setPen(text)
            painter.drawText(QPointF(x + 22, y + metrics.ascent() / 2 - 1), label)
            x += 22 + metrics.horizontalAdvance(label) + 14
        painter.setPen(QPen(colours.fail, 2))
        painter.drawLine(QPointF(x, y - 3.5), QPointF(x + 7, y + 3.5))
        painter.drawLine(QPointF(x, y + 3.5), QPointF(x + 7, y - 3.5))
        painter.setPen(text)
        painter.drawText(QPointF(x + 12, y + metrics.ascent() / 2 - 1), self.tr("failed"))

    def _paint_markers(self, painter: QPainter, plot: QRectF, text: QColor) -> None:
        """A dotted line down the plot at each fix, named at its top (small print)."""
        events = self.shown_events()
        first, last = self._points[0].at, self._points[-1].at
        span = last - first
        if not events or span <= 0:
            return
        font = painter.font()
        small = QFont(font)
        small.setPointSizeF(max(6.0, font.pointSizeF() * 0.8))
        painter.setFont(small)
        for event in events:
            x = plot.left() + plot.width() * (event.at - first) / span
            pen = QPen(text, 1)
            pen.setStyle(Qt.PenStyle.DotLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            painter.setPen(text)
            painter.drawText(
                QPointF(x + 3, plot.top() + painter.fontMetrics().ascent()),
                self.marker_label(event),
            )
        painter.setFont(font)

    def _paint_times(self, painter: QPainter, plot: QRectF, text: QColor) -> None:
        painter.setPen(text)
        y = plot.bottom() + self.GAP + 2 * self.ROW + self.BAND + 4
        first = time.strftime("%H:%M", time.localtime(self._points[0].at))
        last = time.strftime("%H:%M", time.localtime(self._points[-1].at))
        painter.drawText(QRectF(plot.left(), y, 80, 16), Qt.AlignmentFlag.AlignLeft, first)
        painter.drawText(QRectF(plot.right() - 80, y, 80, 16), Qt.AlignmentFlag.AlignRight, last)
