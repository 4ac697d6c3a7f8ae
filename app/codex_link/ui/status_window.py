"""The status window: the verdict and what to do, each transport in detail, the history,
and the few settings a user may want. It renders a `Snapshot` and emits signals for clicks.

Read from the top: a few bold words, one line of why, one of what to do (with its button),
how old the result is. The technical detail (routes, phases, the exact failure) sits in the
transport boxes below. Every text wraps and the window never grows past the screen: a long
message (a file path, a Chinese sentence) gets more lines, never more width.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from codex_link.core.auto_mode import RouteOffer
from codex_link.core.codex.installed import InstalledCodex, codex_in_use, codex_line
from codex_link.core.freshness import is_stale
from codex_link.core.history import FixEvent
from codex_link.core.model.probe import ProbeResult, Transport
from codex_link.core.model.snapshot import Snapshot
from codex_link.core.model.urls import redact_url
from codex_link.core.model.verdict import AdviceKind
from codex_link.ui.chart import HistoryChart
from codex_link.ui.i18n import render
from codex_link.ui.icons import IconSet
from codex_link.ui.wording import (
    last_checked_line,
    milliseconds,
    other_ways,
    route_text,
    timings_text,
    transport_name,
    transport_state,
    verdict_title,
    verdict_why,
    what_to_do,
)

INTERVAL_CHOICES_S = (30, 60, 120, 300, 600, 900, 1800)
ICON_SIZE = 48
AGE_REFRESH_MS = 1000  # "Last checked 12 s ago" ticks while the window is open


def wrapping_label(*, selectable: bool = False) -> QLabel:
    """A label that wraps, and whose width never pushes the window wider (a long path or an
    unbroken sentence gets more lines instead)."""
    label = QLabel()
    label.setWordWrap(True)
    label.setMinimumWidth(1)
    policy = label.sizePolicy()
    policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
    label.setSizePolicy(policy)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class TransportBox(QGroupBox):
    """What one transport did on Codex's route: result, route, timings, failure."""

    def __init__(self, transport: Transport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.transport = transport
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.result_label = self._value()
        self.route_label = self._value()
        self.timings_label = self._value()
        self.detail_label = self._value()
        self._captions = [QLabel(), QLabel(), QLabel(), QLabel()]
        for caption, value in zip(
            self._captions,
            (self.result_label, self.route_label, self.timings_label, self.detail_label),
            strict=True,
        ):
            form.addRow(caption, value)

    @staticmethod
    def _value() -> QLabel:
        return wrapping_label(selectable=True)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self.setTitle(transport_name(self.transport))
        captions = (self.tr("Result"), self.tr("Route"), self.tr("Timings"), self.tr("Details"))
        for caption, text in zip(self._captions, captions, strict=True):
            caption.setText(text)
        result, _fresh = snapshot.latest(self.transport)
        self.result_label.setText(transport_state(self.transport, snapshot))
        if result is None:
            for label in (self.route_label, self.timings_label, self.detail_label):
                label.setText("–")
            return
        self.route_label.setText(route_text(result.route))
        self.timings_label.setText(
            self.tr("{phases} (total {total})").format(
                phases=timings_text(result.timings), total=milliseconds(result.elapsed_ms)
            )
        )
        self.detail_label.setText(self._detail(result))

    def _detail(self, result: ProbeResult) -> str:
        reason = render(result.reason)
        if result.reachable:
            return reason
        return self.tr("Last failure: {reason}").format(reason=reason)


class StatusWindow(QWidget):
    check_now_requested = Signal()
    switch_requested = Signal(bool)  # True: turn HTTP-only on
    route_fix_requested = Signal(bool)  # True: send Codex through the proposed proxy
    auto_fix_changed = Signal(bool)
    copy_diagnostics_requested = Signal()
    log_folder_requested = Signal()
    interval_changed = Signal(int)  # seconds
    notifications_changed = Signal(bool)
    deep_check_changed = Signal(bool)
    closed = Signal()

    def __init__(
        self,
        icons: IconSet,
        parent: QWidget | None = None,
        *,
        codex: Callable[[], InstalledCodex | None] = codex_in_use,
    ) -> None:
        """`codex`: the Codex in use (start-up found it and read its version; this only
        looks it up again)."""
        super().__init__(parent)
        self._icons = icons
        self._codex = codex()
        self._snapshot: Snapshot | None = None
        self._action_enables: bool | None = None
        self._route_offer: RouteOffer | None = None
        self.setWindowIcon(icons.app_icon())

        self._interval_s = 60
        # Everything sits in a scroll area: on a small (or 2x scaled) screen the window stays
        # within the screen and scrolls, instead of pushing its lower half off the edge.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.content = QWidget()
        self.content.installEventFilter(self)
        self.scroll_area.setWidget(self.content)
        outer.addWidget(self.scroll_area)
        root = QVBoxLayout(self.content)
        top = QHBoxLayout()
        self.icon_label = QLabel()
        self.icon_label.setFixedSize(ICON_SIZE, ICON_SIZE)
        top.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        words = QVBoxLayout()
        words.setSpacing(4)
        self.headline_label = wrapping_label()
        font = QFont(self.headline_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.headline_label.setFont(font)
        self.why_label = wrapping_label(selectable=True)
        self.advice_label = wrapping_label(selectable=True)
        self.other_ways_label = wrapping_label(selectable=True)
        age_row = QHBoxLayout()
        self.age_label = wrapping_label()
        self.busy_bar = QProgressBar()  # no range: a moving bar while a check runs
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setFixedSize(64, 8)
        age_row.addWidget(self.age_label, 1)
        age_row.addWidget(self.busy_bar, 0, Qt.AlignmentFlag.AlignVCenter)
        for widget in (
            self.headline_label,
            self.why_label,
            self.advice_label,
            self.other_ways_label,
        ):
            words.addWidget(widget)
        words.addLayout(age_row)
        top.addLayout(words, 1)
        # The route fix first (it keeps WebSocket), then the HTTP-only switch.
        actions = QVBoxLayout()
        self.route_button = QPushButton()
        self.route_button.clicked.connect(self._on_route)
        self.route_button.setVisible(False)
        self.action_button = QPushButton()
        self.action_button.clicked.connect(self._on_action)
        actions.addWidget(self.route_button)
        actions.addWidget(self.action_button)
        actions.addStretch(1)
        top.addLayout(actions, 0)
        root.addLayout(top)
        self._age_timer = QTimer(self)
        self._age_timer.setInterval(AGE_REFRESH_MS)
        self._age_timer.timeout.connect(self._refresh_age)

        self.transport_boxes = {
            t: TransportBox(t, self) for t in (Transport.WEBSOCKET, Transport.HTTP)
        }
        boxes = QHBoxLayout()
        for box in self.transport_boxes.values():
            boxes.addWidget(box, 1)
        root.addLayout(boxes)

        self.history_box = QGroupBox()
        history_layout = QVBoxLayout(self.history_box)
        self.chart = HistoryChart()
        history_layout.addWidget(self.chart)
        root.addWidget(self.history_box, 1)

        self.codex_label = wrapping_label(selectable=True)  # "Codex 0.169.0 (npm, PATH)"
        root.addWidget(self.codex_label)

        settings = QHBoxLayout()
        self.interval_caption = QLabel()
        self.interval_combo = QComboBox()
        self.interval_combo.activated.connect(self._on_interval)
        self.notifications_box = QCheckBox()
        self.notifications_box.toggled.connect(self.notifications_changed.emit)
        self.deep_check_box = QCheckBox()
        self.deep_check_box.toggled.connect(self.deep_check_changed.emit)
        self.auto_fix_box = QCheckBox()
        self.auto_fix_box.toggled.connect(self.auto_fix_changed.emit)
        settings.addWidget(self.interval_caption)
        settings.addWidget(self.interval_combo)
        settings.addSpacing(12)
        settings.addWidget(self.notifications_box)
        settings.addSpacing(12)
        settings.addWidget(self.deep_check_box)
        settings.addStretch(1)
        root.addLayout(settings)
        # A row of its own: beside the others it would push the window wider than a screen.
        root.addWidget(self.auto_fix_box)

        # Feedback of a click (the switch's result, "Diagnostics copied"): its own row, wrapped,
        # so the one instruction that matters (restart Codex) is always on screen.
        self.feedback_label = wrapping_label(selectable=True)
        self.feedback_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.feedback_label.setMargin(6)
        self.feedback_label.setVisible(False)
        root.addWidget(self.feedback_label)

        buttons = QHBoxLayout()
        self.check_button = QPushButton()
        self.check_button.clicked.connect(self.check_now_requested.emit)
        self.copy_button = QPushButton()
        self.copy_button.clicked.connect(self.copy_diagnostics_requested.emit)
        self.log_button = QPushButton()
        self.log_button.clicked.connect(self.log_folder_requested.emit)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.close)
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.log_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        root.addLayout(buttons)
        self.retranslate()

    def sizeHint(self) -> QSize:
        return QSize(760, 600)

    def retranslate(self) -> None:
        self.history_box.setTitle(self.tr("History"))
        self.interval_caption.setText(self.tr("Check every"))
        self._fill_intervals()
        self.notifications_box.setText(self.tr("Notify me when this changes"))
        self.deep_check_box.setText(self.tr("Deep check (uses your Codex login)"))
        self.deep_check_box.setToolTip(
            self.tr(
                "Also signs in to the same server Codex uses, to catch a WebSocket that opens "
                "and is then closed. Your login is never sent anywhere else."
            )
        )
        self.auto_fix_box.setText(self.tr("Keep Codex fast automatically"))
        self.auto_fix_box.setToolTip(
            self.tr(
                "When WebSocket is blocked, Codex Link sends Codex through a proxy that "
                "carries it (or uses HTTP only), and undoes it when it is no longer needed; "
                "never while Codex runs. Each change is announced and can be undone."
            )
        )
        self._show_route_offer()
        self.check_button.setText(self.tr("Check now"))
        self.copy_button.setText(self.tr("Copy diagnostics"))
        self.copy_button.setToolTip(
            self.tr("Copies a report for support. Passwords and tokens are left out.")
        )
        self.log_button.setText(self.tr("Open log folder"))
        self.log_button.setToolTip(self.tr("Shows Codex Link's log files, to send with a report."))
        self.close_button.setText(self.tr("Close"))
        self.codex_label.setText(render(codex_line(self._codex)))
        self.show_feedback("")
        if self._snapshot is not None:
            self.show_snapshot(self._snapshot)
        else:
            self.setWindowTitle(self.tr("Codex Link"))

    def _fill_intervals(self) -> None:
        self.interval_combo.clear()
        choices = sorted({*INTERVAL_CHOICES_S, self._interval_s})
        for seconds in choices:
            if seconds % 60 == 0:
                label = self.tr("{minutes} min").format(minutes=seconds // 60)
            else:
                label = self.tr("{seconds} s").format(seconds=seconds)
            self.interval_combo.addItem(label, seconds)
        self.interval_combo.setCurrentIndex(choices.index(self._interval_s))

    def set_settings(
        self, *, interval_s: int, notifications: bool, deep_check: bool, auto_fix: bool = False
    ) -> None:
        """Shows the saved settings without echoing them back as changes."""
        self._interval_s = interval_s
        widgets = (
            self.interval_combo,
            self.notifications_box,
            self.deep_check_box,
            self.auto_fix_box,
        )
        for widget in widgets:
            widget.blockSignals(True)
        self._fill_intervals()
        self.notifications_box.setChecked(notifications)
        self.deep_check_box.setChecked(deep_check)
        self.auto_fix_box.setChecked(auto_fix)
        for widget in widgets:
            widget.blockSignals(False)

    def _on_interval(self, index: int) -> None:
        seconds = int(self.interval_combo.itemData(index))
        self._interval_s = seconds
        self.interval_changed.emit(seconds)

    def set_interval(self, seconds: float) -> None:
        self._interval_s = round(seconds)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        verdict = snapshot.verdict
        title = verdict_title(snapshot)
        self.setWindowTitle(self.tr("Codex Link: {verdict}").format(verdict=title))
        stale = is_stale(snapshot, time.time(), self._interval_s)
        icon = (
            self._icons.dimmed(verdict.health) if stale else self._icons.for_health(verdict.health)
        )
        self.icon_label.setPixmap(icon.pixmap(ICON_SIZE, ICON_SIZE))
        self.headline_label.setText(title)
        why = verdict_why(snapshot)
        self.why_label.setText(why)
        self.why_label.setVisible(bool(why))
        todo = what_to_do(snapshot)
        self.advice_label.setText(
            self.tr("What to do: {advice}").format(advice=todo) if todo else ""
        )
        self.advice_label.setVisible(bool(todo))
        more = other_ways(snapshot)
        self.other_ways_label.setText(
            self.tr("Other ways: {advice}").format(advice=more) if more else ""
        )
        self.other_ways_label.setVisible(bool(more))
        for label in (self.headline_label, self.why_label):
            label.setEnabled(not stale)  # drawn in the palette's grey: out of date
        self._refresh_age()
        self.busy_bar.setVisible(snapshot.checking)
        self._action_enables = None
        for advice in verdict.advice:
            if advice.kind is AdviceKind.SWITCH_TO_HTTP_ONLY and not snapshot.http_only:
                self._action_enables = True
                self.action_button.setText(self.tr("Use HTTP only"))
                break
            if advice.kind is AdviceKind.SWITCH_BACK and snapshot.http_only:
                self._action_enables = False
                self.action_button.setText(self.tr("Switch back to WebSocket"))
                break
        self.action_button.setVisible(self._action_enables is not None)
        for box in self.transport_boxes.values():
            box.show_snapshot(snapshot)
        self.chart.set_history(snapshot.history)
        self.check_button.setEnabled(not snapshot.checking)
        self.check_button.setText(
            self.tr("Checking…") if snapshot.checking else self.tr("Check now")
        )

    def _refresh_age(self) -> None:
        if self._snapshot is None:
            return
        stale = is_stale(self._snapshot, time.time(), self._interval_s)
        self.age_label.setText(last_checked_line(self._snapshot, stale=stale))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Qt re-measures the new text of every nested layout here, and only here.
        if watched is self.content and event.type() == QEvent.Type.LayoutRequest:
            # With self as context the call is dropped if the window is deleted first (a quit).
            QTimer.singleShot(0, self, self._fit_height)
        return super().eventFilter(watched, event)

    def _fit_height(self) -> None:
        """Grows the window when new sentences need more lines, so none is cut off.

        Qt sizes a top-level window once; word-wrapped labels then get taller with each
        check's wording (a failure explains more than a success). Never shrinks it under the
        user's hands.
        """
        layout = self.content.layout()
        if layout is None or not self.isVisible():
            return
        layout.activate()
        width = self.scroll_area.viewport().width()
        needed = (
            layout.totalHeightForWidth(width)
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        needed += self.height() - self.scroll_area.viewport().height()
        room = self._available().height()
        if needed > self.height() and self.height() < room:
            self.resize(self.width(), min(needed, room))

    def _available(self) -> QSize:
        """The screen's free area (without panels and docks), which no window may exceed."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return QSize(1280, 800)
        return screen.availableGeometry().size()

    def showEvent(self, event: QShowEvent) -> None:
        self.setMaximumSize(self._available())
        super().showEvent(event)
        self._age_timer.start()

    def set_switch_busy(self, busy: bool) -> None:
        self.action_button.setEnabled(not busy)
        self.route_button.setEnabled(not busy)

    def show_route_offer(self, offer: RouteOffer | None) -> None:
        """The route fix's button: "Send Codex through <proxy>", or its undo, or none."""
        self._route_offer = offer
        self._show_route_offer()

    def _show_route_offer(self) -> None:
        offer = self._route_offer
        self.route_button.setVisible(offer is not None)
        if offer is None:
            return
        if offer.enable:
            proxy = offer.proposal.proxy_url if offer.proposal else None
            self.route_button.setText(
                self.tr("Send Codex through {proxy} (keeps WebSocket)").format(
                    proxy=redact_url(proxy) if proxy else self.tr("the system proxy")
                )
            )
        else:
            self.route_button.setText(self.tr("Undo the route fix"))

    def set_fix_events(self, events: Sequence[FixEvent]) -> None:
        """The fixes turned on and off, as markers on the history chart."""
        self.chart.set_fix_events(events)

    def _on_route(self) -> None:
        if self._route_offer is not None:
            self.route_fix_requested.emit(self._route_offer.enable)

    def show_feedback(self, message: str) -> None:
        self.feedback_label.setText(message)
        self.feedback_label.setVisible(bool(message))

    def _on_action(self) -> None:
        if self._action_enables is not None:
            self.switch_requested.emit(self._action_enables)

    def bring_to_front(self) -> None:
        if not self.isVisible():
            room = self._available()
            hint = self.sizeHint()
            self.resize(min(hint.width(), room.width()), min(hint.height(), room.height()))
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing only hides the window (the app lives on in the tray); without a tray the
        # composition root quits on `closed`.
        event.accept()
        self._age_timer.stop()
        self.closed.emit()
