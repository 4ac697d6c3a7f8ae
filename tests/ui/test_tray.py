"""The tray: what its icon, tooltip and menu show for each state, and what each item does."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtGui import QFontMetrics, QImage
from PySide6.QtWidgets import QSystemTrayIcon

from codex_link.core.model.probe import Transport
from codex_link.core.model.text import Text
from codex_link.core.model.verdict import Health
from codex_link.ui.i18n import render
from codex_link.ui.icons import render_svg
from codex_link.ui.tray import MENU_TEXT_WIDTH
from tests import factories as f
from tests.ui.conftest import Rig


def menu_texts(rig: Rig) -> list[str]:
    return [a.text() for a in rig.shell.tray.menu.actions() if not a.isSeparator()]


def test_icon_tooltip_and_menu_follow_each_snapshot(rig: Rig) -> None:
    tray = rig.shell.tray
    seen_icons = set()
    for snapshot in (f.ready_ws(), f.ws_blocked(), f.ready_http_only(), f.down()):
        rig.monitor.publish(snapshot)
        assert snapshot.verdict.title is not None
        title = render(snapshot.verdict.title)
        assert title in tray.icon.toolTip()
        assert tray.verdict_action.text() == title
        # Enabled (readable, not grey), and it opens the window.
        assert tray.verdict_action.isEnabled()
        seen_icons.add(tray.icon.icon().cacheKey())
    assert len(seen_icons) == 4


def test_a_long_title_is_shortened_to_the_menu_when_it_opens(rig: Rig) -> None:
    """The menu does not wrap: a title wider than the menu ends in "…" once the menu opens
    (measured then, not while nobody looks), and the next opening shows the next state."""
    tray = rig.shell.tray
    long_title = Text("Codex will start slowly on this network " * 4)
    blocked = f.ws_blocked()
    rig.monitor.publish(
        dataclasses.replace(blocked, verdict=dataclasses.replace(blocked.verdict, title=long_title))
    )
    tray.menu.aboutToShow.emit()
    shown = tray.verdict_action.text()
    assert shown.endswith("…") and shown.startswith("Codex will start slowly")
    assert QFontMetrics(tray.verdict_action.font()).horizontalAdvance(shown) <= MENU_TEXT_WIDTH
    ready = f.ready_ws()
    assert ready.verdict.title is not None
    rig.monitor.publish(ready)
    tray.menu.aboutToShow.emit()
    assert tray.verdict_action.text() == render(ready.verdict.title)


def test_menu_lines_name_each_transport_with_latency_or_why_it_failed(rig: Rig) -> None:
    rig.monitor.publish(f.ws_blocked())
    lines = {t: rig.shell.tray.transport_actions[t].text() for t in Transport}
    assert lines[Transport.WEBSOCKET] == "WebSocket: blocked (timed out)"
    assert lines[Transport.HTTP] == "HTTP: 120\u00a0ms"
    assert "Use HTTP only (skip WebSocket)" in menu_texts(rig)
    assert not rig.shell.tray.http_only_action.isChecked()

    rig.monitor.publish(f.ready_http_only())
    assert rig.shell.tray.http_only_action.isChecked()
    assert "(Codex skips it now)" in rig.shell.tray.transport_actions[Transport.WEBSOCKET].text()


def test_check_now_asks_the_monitor_and_waits_while_checking(rig: Rig) -> None:
    rig.monitor.publish(f.ready_ws())
    rig.shell.tray.check_action.trigger()
    assert rig.monitor.checks == 1
    checking = f.snapshot_of(f.ready_ws().report, checking=True)
    rig.monitor.publish(checking)
    assert not rig.shell.tray.check_action.isEnabled()


@pytest.mark.parametrize("tray_available", [True])
def test_status_window_opens_from_menu_and_left_click(rig: Rig) -> None:
    rig.shell.start()
    assert not rig.shell.window.isVisible()
    rig.shell.tray.window_action.trigger()
    assert rig.shell.window.isVisible()
    rig.shell.window.close()
    assert not rig.shell.window.isVisible()
    assert rig.quits == []  # with a tray, closing the window keeps the app running
    rig.shell.tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    assert rig.shell.window.isVisible()


def test_without_a_tray_the_window_opens_and_closing_it_quits(rig: Rig) -> None:
    rig.shell.start()
    assert rig.shell.window.isVisible()
    rig.shell.window.close()
    assert rig.quits == [True]


def test_open_config_folder_opens_codex_home(rig: Rig) -> None:
    rig.shell.tray.config_folder_action.trigger()
    assert [Path(u.toLocalFile()) for u in rig.opened] == [rig.codex_home]


def test_open_config_folder_explains_a_missing_folder(rig: Rig) -> None:
    rig.codex_home.rmdir()
    rig.shell.tray.config_folder_action.trigger()
    assert rig.opened == []
    assert "does not exist yet" in rig.shell.window.feedback_label.text()


def test_start_at_login_writes_and_removes_the_autostart_entry(rig: Rig, tmp_path: Path) -> None:
    entry = rig.shell.autostart.entry_path()
    action = rig.shell.tray.start_at_login_action
    assert action.isEnabled() and not action.isChecked()
    action.trigger()
    assert entry.is_file()
    assert "Exec=" in entry.read_text() and "Terminal=false" in entry.read_text()
    assert action.isChecked()
    assert rig.saved[-1].start_at_login is True
    action.trigger()
    assert not entry.exists()
    assert not action.isChecked()
    assert rig.saved[-1].start_at_login is False


def test_quit_is_forwarded(rig: Rig) -> None:
    rig.shell.tray.quit_action.trigger()
    assert rig.quits == [True]


def test_http_only_click_does_not_tick_before_the_file_changed(rig: Rig) -> None:
    rig.monitor.publish(f.ws_blocked())
    rig.shell.tray.http_only_action.trigger()  # opens the confirmation, changes nothing yet
    assert not rig.shell.tray.http_only_action.isChecked()
    assert rig.shell.flow.dialog is not None
    rig.shell.flow.dialog.reject()
    assert not (rig.codex_home / "config.toml").exists()


def _grey(image: QImage) -> QImage:
    return image.convertToFormat(QImage.Format.Format_Grayscale8)


@pytest.mark.parametrize("size", [16, 32])
def test_state_icons_differ_in_grey_scale(qapp: object, size: int) -> None:
    """Colour-blind users and monochrome trays must still tell every state apart."""
    images = {h: _grey(render_svg(h.value, size)) for h in Health}
    healths = list(Health)
    for i, a in enumerate(healths):
        for b in healths[i + 1 :]:
            differing = sum(
                1
                for y in range(size)
                for x in range(size)
                if abs(images[a].pixelColor(x, y).value() - images[b].pixelColor(x, y).value()) > 60
            )
            assert differing >= size * size * 0.04, (a, b, differing)
