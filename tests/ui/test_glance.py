"""The tray read at a glance: short words first, the last result kept while a new check runs,
an old result dimmed, a tooltip that fits, and clicks that always lead somewhere."""

from __future__ import annotations

import dataclasses
import time

import pytest
from PySide6.QtWidgets import QApplication

from codex_link.core.model.probe import Transport
from codex_link.ui.i18n import CHINESE, ENGLISH, render
from codex_link.ui.wording import route_text
from tests import factories as f
from tests.ui.conftest import Rig

TOOLTIP_LIMIT = 127  # what Windows shows of a tray tooltip

STATES = {
    "ready_ws": f.ready_ws,
    "ws_blocked": f.ws_blocked,
    "http_only": f.ready_http_only,
    "down": f.down,
    "checking": f.checking_snapshot,
    "route_fix_offered": f.route_fix_offered,
    "stale_dotenv_proxy": f.stale_dotenv_proxy,
}


def test_menu_and_window_lead_with_a_few_words_then_why_then_what_to_do(rig: Rig) -> None:
    snapshot = f.with_last_complete(f.ws_blocked())
    rig.monitor.publish(snapshot)
    tray, window = rig.shell.tray, rig.shell.window
    assert tray.verdict_action.text() == "Codex will start slowly"
    assert tray.verdict_action.isEnabled() and tray.verdict_action.font().bold()
    assert window.headline_label.text() == "Codex will start slowly"
    assert "Codex would wait about" in window.why_label.text()
    assert "(" not in window.why_label.text()  # the technical cause is in the details
    assert window.advice_label.text().startswith("What to do: Use HTTP only")


def test_a_route_that_keeps_websocket_is_what_to_do_first(rig: Rig) -> None:
    rig.monitor.publish(f.with_last_complete(f.route_fix_offered()))
    assert rig.shell.window.advice_label.text().startswith(
        "What to do: Send Codex through http://127.0.0.1:7890 (keeps WebSocket)"
    )


def test_a_proxy_in_dotenv_that_stopped_answering_is_said_at_a_glance(rig: Rig) -> None:
    rig.monitor.publish(f.with_last_complete(f.stale_dotenv_proxy()))
    assert rig.shell.tray.verdict_action.text() == "Codex cannot connect"
    assert "is not answering: every Codex request fails" in rig.shell.window.why_label.text()


@pytest.mark.parametrize("language", [ENGLISH, CHINESE])
@pytest.mark.parametrize("state", list(STATES))
def test_tooltip_fits_what_windows_shows(rig: Rig, state: str, language: str) -> None:
    rig.shell.set_language(language)
    rig.monitor.publish(f.with_last_complete(STATES[state]()))
    tip = rig.shell.tray.icon.toolTip()
    assert len(tip) <= TOOLTIP_LIMIT, tip
    assert rig.shell.tray.verdict_action.text() in tip


def test_last_result_stays_on_screen_while_a_new_check_runs(rig: Rig) -> None:
    before = f.with_last_complete(f.ready_ws())
    rig.monitor.publish(before)
    icon_before = rig.shell.tray.icon.icon().cacheKey()
    rig.monitor.publish(f.rechecking(before))  # HTTP answered again, WebSocket not yet
    ws_line = rig.shell.tray.transport_actions[Transport.WEBSOCKET].text()
    assert ws_line == "WebSocket: 95\u00a0ms, re-checking…"
    window = rig.shell.window
    ws_box = window.transport_boxes[Transport.WEBSOCKET]
    assert ws_box.result_label.text() == "95\u00a0ms, re-checking…"
    assert "direct connection" in ws_box.route_label.text()  # not blanked
    assert rig.shell.tray.icon.icon().cacheKey() == icon_before  # still green, not grey
    assert "checking again" in window.age_label.text()
    assert not window.busy_bar.isHidden()
    assert rig.shell.tray.check_action.text() == "Checking…"


def test_last_checked_is_told_and_an_old_result_is_dimmed(rig: Rig) -> None:
    fresh = f.with_last_complete(f.ready_ws())
    rig.monitor.publish(fresh)
    assert rig.shell.tray.last_checked_action.text() == "Last checked just now"
    assert rig.shell.window.headline_label.isEnabled()
    icon_fresh = rig.shell.tray.icon.icon().cacheKey()
    assert fresh.report is not None
    old_report = dataclasses.replace(fresh.report, finished_at=time.time() - 3600)
    old = dataclasses.replace(fresh, report=old_report, last_complete=old_report)
    rig.monitor.publish(old)  # e.g. after the machine slept for an hour
    assert rig.shell.tray.last_checked_action.text() == "Last checked 1 h ago · out of date"
    assert rig.shell.tray.icon.icon().cacheKey() != icon_fresh
    assert not rig.shell.window.headline_label.isEnabled()  # greyed by the palette


@pytest.mark.parametrize("tray_available", [True])
def test_clicking_a_notification_opens_the_window(rig: Rig) -> None:
    rig.shell.start()
    assert not rig.shell.window_visible
    rig.shell.tray.icon.messageClicked.emit()
    assert rig.shell.window.isVisible()


def test_state_lines_in_the_menu_open_the_window(rig: Rig) -> None:
    rig.monitor.publish(f.with_last_complete(f.ws_blocked()))
    rig.shell.tray.transport_actions[Transport.HTTP].trigger()
    assert rig.shell.window.isVisible()


def test_the_window_is_built_only_when_first_needed(rig: Rig) -> None:
    rig.monitor.publish(f.ws_blocked())
    assert rig.shell._window is None
    assert "Codex will start slowly" in rig.shell.tray.icon.toolTip()
    rig.shell.show_window()
    assert rig.shell.window.headline_label.text() == "Codex will start slowly"


def test_down_window_says_what_to_do(rig: Rig) -> None:
    rig.monitor.publish(f.with_last_complete(f.down()))
    window = rig.shell.window
    assert window.headline_label.text() == "Codex cannot connect"
    assert "Start your proxy program" in window.advice_label.text()
    assert not window.action_button.isVisibleTo(window)


def test_a_chinese_window_names_where_the_proxy_setting_comes_from_in_chinese(
    rig: Rig,
) -> None:
    rig.shell.tray.language_actions[CHINESE].trigger()
    rig.monitor.publish(f.with_last_complete(f.down()))
    window = rig.shell.window
    assert "HTTPS_PROXY（环境变量）" in window.advice_label.text()
    route = window.transport_boxes[Transport.HTTP].route_label.text()
    assert "HTTPS_PROXY（环境变量）" in route
    rig.shell.tray.language_actions[ENGLISH].trigger()
    assert "HTTPS_PROXY (environment)" in window.advice_label.text()


def test_menu_has_log_folder_help_and_about(rig: Rig, qapp: QApplication) -> None:
    texts = [a.text() for a in rig.shell.tray.menu.actions() if not a.isSeparator()]
    for item in ("Open log folder", "Help", "About Codex Link"):
        assert item in texts
    rig.shell.tray.log_folder_action.trigger()
    assert [u.toLocalFile() for u in rig.opened][-1].endswith("logs")


def test_notification_title_is_the_short_verdict(rig: Rig) -> None:
    notice = rig.shell.notifier.consider(f.ready_ws())
    assert notice is None  # all fine at start-up: nothing to say
    notice = rig.shell.notifier.consider(f.ws_blocked())
    assert notice is not None
    assert notice.title == render(f.ws_blocked().verdict.title)  # type: ignore[arg-type]
    assert notice.message.endswith("Click for details.")


def test_a_route_found_listening_says_where_it_was_found(rig: Rig) -> None:
    found = f.LISTENING_7890
    assert route_text(found) == (
        "through proxy http://127.0.0.1:7890 (found listening on 127.0.0.1:7890)"
    )
    rig.shell.tray.language_actions[CHINESE].trigger()
    assert route_text(found) == "经过代理 http://127.0.0.1:7890（在 127.0.0.1:7890 上发现正在监听）"
