"""The status window: verdict and advice with the action beside it, per-transport details,
the chart, settings, and the diagnostics that never carry a secret."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from codex_link.core.model.probe import Failure, Route, RouteKind, Transport
from codex_link.core.model.verdict import Health
from codex_link.core.prefs import Language
from codex_link.ui.chart import HistoryChart, axis_label
from codex_link.ui.folder_opener import FolderOpener
from codex_link.ui.i18n import render
from codex_link.ui.icons import IconSet
from codex_link.ui.status_window import StatusWindow
from codex_link.ui.wording import NBSP
from tests import factories as f
from tests.ui.conftest import Rig


def test_blocked_websocket_reads_as_one_sentence_with_its_button(rig: Rig) -> None:
    snapshot = f.ws_blocked()
    rig.monitor.publish(snapshot)
    window = rig.shell.window
    assert snapshot.verdict.title is not None
    assert window.headline_label.text() == render(snapshot.verdict.title)
    assert render(snapshot.verdict.advice[0].message) in window.advice_label.text()
    assert window.action_button.text() == "Use HTTP only"
    assert render(snapshot.verdict.title) in window.windowTitle()


def test_no_action_button_when_all_is_well(rig: Rig) -> None:
    rig.monitor.publish(f.ready_ws())
    assert not rig.shell.window.action_button.isVisibleTo(rig.shell.window)


def test_transport_details_show_route_timings_and_failure(rig: Rig) -> None:
    route = Route(RouteKind.ENV_PROXY, f.PROXY_WITH_PASSWORD, f.HTTPS_PROXY)
    rig.monitor.publish(f.ws_blocked(route))
    ws_box = rig.shell.window.transport_boxes[Transport.WEBSOCKET]
    http_box = rig.shell.window.transport_boxes[Transport.HTTP]
    assert "127.0.0.1:3128" in ws_box.route_label.text()
    assert "HTTPS_PROXY" in ws_box.route_label.text()
    assert "s3cr3t" not in ws_box.route_label.text() and "alice" not in ws_box.route_label.text()
    assert ws_box.detail_label.text() == "Last failure: no answer"
    timings = http_box.timings_label.text().replace(NBSP, " ")
    assert "DNS 2 ms" in timings and "total 120 ms" in timings
    assert NBSP + "ms" in http_box.timings_label.text()  # "6 / ms" never wraps apart
    assert http_box.result_label.text() == f"120{NBSP}ms"


def test_settings_are_saved_and_given_to_the_monitor(rig: Rig) -> None:
    window = rig.shell.window
    combo = window.interval_combo
    index = combo.findData(300)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    assert rig.saved[-1].check_interval_s == 300
    assert rig.monitor.prefs[-1].check_interval_s == 300
    window.notifications_box.setChecked(False)
    assert rig.saved[-1].notifications is False
    window.deep_check_box.setChecked(True)
    assert rig.saved[-1].deep_check is True
    assert rig.saved[-1].language is Language.EN  # other settings kept


def test_copy_diagnostics_puts_a_redacted_report_on_the_clipboard(
    rig: Rig, qapp: QApplication
) -> None:
    route = Route(RouteKind.ENV_PROXY, f.PROXY_WITH_PASSWORD, f.HTTPS_PROXY)
    (rig.codex_home / ".env").write_text(
        f"HTTPS_PROXY={f.PROXY_WITH_PASSWORD}\nOPENAI_API_KEY=sk-live-abcdef0123456789\n"
    )
    (rig.codex_home / "auth.json").write_text(
        '{"auth_mode": "chatgpt", "tokens": {"access_token": "eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl"}}'
    )
    rig.monitor.publish(f.ws_blocked(route))
    rig.shell.window.copy_button.click()
    report = qapp.clipboard().text()
    assert "Codex Link diagnostics" in report
    assert "upgrade_timeout" in report and "127.0.0.1:3128" in report
    assert "Login mode: chatgpt" in report
    for secret in ("s3cr3t-pa55", "alice", "sk-live-abcdef0123456789", "eyJhbGciOi"):
        assert secret not in report
    assert "left out" in rig.shell.window.feedback_label.text()


def test_chart_draws_history_and_says_when_there_is_none(qapp: QApplication) -> None:
    chart = HistoryChart()
    chart.resize(480, 180)
    empty = chart.grab().toImage()
    chart.set_history(f.history(90))
    drawn = chart.grab().toImage()
    assert len(chart.points) == 90
    assert _distinct_colours(drawn) > _distinct_colours(empty)
    chart.set_history(f.history(3000, step=60.0))  # two days: only the last one is drawn
    assert chart.points[-1].at - chart.points[0].at <= 24 * 3600


def _distinct_colours(image: QImage) -> int:
    return len(
        {image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}
    )


def test_a_longer_explanation_grows_the_open_window_instead_of_being_cut_off(rig: Rig) -> None:
    window = rig.shell.window
    rig.monitor.publish(f.ready_ws())
    window.bring_to_front()
    long_reason = " ".join(
        [
            "The certificate is trusted only because of an added CA file, and"
            " Codex's WebSocket may reject it."
        ]
        * 4
    )
    ws = f.probe(Transport.WEBSOCKET, Failure.UPGRADE_TIMEOUT, ms=15_000, reason=long_reason)
    rig.monitor.publish(f.snapshot_of(f.report_for(f.probe(Transport.HTTP), ws)))

    detail = window.transport_boxes[Transport.WEBSOCKET].detail_label
    for _ in range(3):  # let the pending resize and layout requests run (a sync test)
        QApplication.processEvents()
    bottom = detail.mapTo(window, detail.rect().bottomLeft()).y()
    assert detail.height() >= detail.heightForWidth(detail.width())
    assert bottom <= window.height()


def test_diagnostics_name_the_log_file(rig: Rig, qapp: QApplication, tmp_path: Path) -> None:
    rig.monitor.publish(f.ready_ws())
    rig.shell.window.copy_button.click()
    assert f"Log file: {tmp_path / 'logs/codex-link.log'}" in qapp.clipboard().text()


def test_open_log_folder_opens_it_creating_it_first(rig: Rig, tmp_path: Path) -> None:
    rig.shell.window.log_button.click()
    assert [Path(u.toLocalFile()) for u in rig.opened] == [tmp_path / "logs"]
    assert (tmp_path / "logs").is_dir()


def test_without_a_file_manager_the_window_says_where_the_folder_is(
    rig: Rig, tmp_path: Path, qtbot: QtBot, qapp: QApplication
) -> None:
    # A real opener that fails, as xdg-open does on a desktop without a file manager.
    rig.shell.folders = FolderOpener(rig.shell, command=["false"], platform="linux")
    rig.shell.folders.failed.connect(rig.shell._folder_not_opened)
    rig.shell.window.bring_to_front()
    rig.shell.window.log_button.click()
    feedback = rig.shell.window.feedback_label
    qtbot.waitUntil(lambda: "No file manager could open" in feedback.text(), timeout=10_000)
    assert str(tmp_path / "logs") in feedback.text()
    assert qapp.clipboard().text() == str(tmp_path / "logs")  # ready to paste


def test_chart_axis_reads_as_it_is() -> None:
    assert axis_label(2.5).replace(NBSP, " ") == "2.5 ms"
    assert axis_label(5.0).replace(NBSP, " ") == "5 ms"
    assert axis_label(50.0).replace(NBSP, " ") == "50 ms"


def test_chart_without_a_working_connection_draws_no_latency_axis(qapp: QApplication) -> None:
    chart = HistoryChart()
    chart.resize(480, 220)
    failed = tuple(
        dataclasses.replace(p, http_ok=False, ws_ok=False, http_ms=3, ws_ms=3, health=Health.DOWN)
        for p in f.history(20)
    )
    chart.set_history(failed)
    image = chart.grab().toImage()
    # The axis column (left of the plot) stays empty: no "0 ms ... 100 ms" scale.
    column = {
        image.pixel(x, y)
        for x in range(0, HistoryChart.LEFT - 8, 2)
        for y in range(HistoryChart.TOP, 220 - HistoryChart.BOTTOM, 2)
    }
    assert len(column) == 1


def test_a_window_deleted_right_after_a_relayout_raises_nothing(
    qapp: QApplication, qtbot: QtBot
) -> None:
    """A quit (SIGTERM) can delete the window while its height fit is still queued."""
    window = StatusWindow(IconSet())
    window.show()
    qapp.sendEvent(window.content, QEvent(QEvent.Type.LayoutRequest))  # queues the fit
    window.deleteLater()
    with qtbot.waitSignal(window.destroyed, timeout=2000):
        pass
    qtbot.wait(20)  # the queued fit runs now, or is dropped with its window
