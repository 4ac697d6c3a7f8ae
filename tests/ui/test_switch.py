"""The HTTP-only switch from the UI: confirmation, the real file edit, and the tray following.

These use the real `HttpOnlySwitch` on an isolated CODEX_HOME and the real `Monitor` (its loop
not started: only what a click does is under test), so a passing test means the user's
config.toml really changed, and changed back byte for byte.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication

from codex_link.core.codex.settings import load_settings
from codex_link.core.codex.switch.toggle import HttpOnlySwitch
from codex_link.core.history import HistoryStore
from codex_link.core.model.codex_home import CodexHome
from codex_link.core.model.codex_settings import CodexSettings
from codex_link.core.model.probe import Transport
from codex_link.core.model.report import CheckReport
from codex_link.core.model.verdict import Health
from codex_link.core.monitor import Monitor
from codex_link.core.monitor_state import CheckEnded, CheckStarted, Reason
from codex_link.core.prefs import Language, Prefs
from codex_link.ui.i18n import Translations
from codex_link.ui.shell import Shell
from tests import factories as f
from tests.ui.conftest import Rig, make_shell

ORIGINAL = (
    b"# my Codex settings\r\n"
    b'model = "gpt-5-codex"\r\n'
    b"\r\n"
    b"[tui]\r\n"
    b"notifications = true  # keep me\r\n"
)


@dataclass
class IdleRunner:
    """The monitor's loop is not started in these tests; a check must never be asked for.
    The real settings are read: they tell the monitor where the switch stands."""

    home: CodexHome

    def read_settings(self) -> CodexSettings:
        return load_settings(self.home, {})

    async def run(self, **_kwargs: object) -> CheckReport:
        raise AssertionError("no check expected")


@dataclass
class SwitchRig:
    shell: Shell
    monitor: Monitor
    config: Path


@pytest.fixture
def switch_rig(
    qapp: QApplication, english: Translations, codex_home: Path, tmp_path: Path
) -> Iterator[SwitchRig]:
    config = codex_home / "config.toml"
    config.write_bytes(ORIGINAL)
    home = CodexHome(codex_home, from_env=True)
    switch = HttpOnlySwitch(home, tmp_path / "state")
    prefs = Prefs(language=Language.EN)
    monitor = Monitor(
        IdleRunner(home), read_record=switch.store.load, history=HistoryStore(None), prefs=prefs
    )
    opened: list[QUrl] = []
    shell = make_shell(
        qapp=qapp,
        monitor=monitor,
        prefs=prefs,
        translations=english,
        codex_home=codex_home,
        state_dir=tmp_path / "state",
        saved=[],
        opened=opened,
        switch=switch,
        running_codex=lambda: ["codex exec", "codex exec", "codex app-server"],
    )
    yield SwitchRig(shell, monitor, config)
    shell.close()


def test_switch_on_and_back_from_the_menu(switch_rig: SwitchRig) -> None:
    shell, config = switch_rig.shell, switch_rig.config
    action = shell.tray.http_only_action
    assert not action.isChecked()

    action.trigger()
    dialog = shell.flow.dialog
    assert dialog is not None and dialog.enable
    assert config.read_bytes() == ORIGINAL  # asking changes nothing
    assert "model_provider" in dialog.details_view.toPlainText()  # the diff, behind Details
    assert not dialog.details_view.isVisible()
    assert "Restart Codex afterwards" in dialog.restart_label.text()
    assert "Codex in a terminal (codex exec) ×2" in dialog.restart_label.text()
    assert "Codex in an editor or the desktop app" in dialog.restart_label.text()
    assert "pid" not in dialog.restart_label.text()
    assert "backup" in dialog.changes_label.text() and "undo" in dialog.changes_label.text()
    assert "model_provider" not in dialog.intro_label.text()  # no TOML in the body
    assert "separately" in dialog.notes_label.text()  # threads are listed per provider
    assert not action.isEnabled()  # one switch at a time
    dialog.confirm_button.click()

    data = tomllib.loads(config.read_text(encoding="utf-8"))
    provider = data["model_providers"][data["model_provider"]]
    assert provider["supports_websockets"] is False
    assert b"# keep me" in config.read_bytes()
    # The tray and the window show the new state at once, before any check has run.
    assert action.isChecked() and action.isEnabled()
    assert shell.monitor.snapshot.http_only
    assert shell.window.feedback_label.text()

    action.trigger()
    dialog = shell.flow.dialog
    assert dialog is not None and not dialog.enable
    dialog.confirm_button.click()
    assert config.read_bytes() == ORIGINAL
    assert not action.isChecked()


def test_cancel_changes_nothing(switch_rig: SwitchRig) -> None:
    switch_rig.shell.tray.http_only_action.trigger()
    dialog = switch_rig.shell.flow.dialog
    assert dialog is not None
    dialog.cancel_button.click()
    assert switch_rig.config.read_bytes() == ORIGINAL
    assert not switch_rig.shell.tray.http_only_action.isChecked()
    assert switch_rig.shell.flow.dialog is None


def test_malformed_config_is_refused_with_line_and_column(switch_rig: SwitchRig) -> None:
    broken = b'model = "gpt-5"\n[tui\nnotifications = true\n'
    switch_rig.config.write_bytes(broken)
    switch_rig.shell.tray.http_only_action.trigger()
    assert switch_rig.shell.flow.dialog is None
    box = switch_rig.shell.flow.message_box
    assert box is not None
    assert "line 2, column" in box.text() and "Nothing was changed" in box.text()
    assert switch_rig.config.read_bytes() == broken
    box.accept()


def test_window_offers_the_switch_when_websocket_is_blocked(rig_with_blocked: Shell) -> None:
    window = rig_with_blocked.window
    assert window.action_button.isVisibleTo(window)
    assert window.action_button.text() == "Use HTTP only"
    window.action_button.click()
    dialog = rig_with_blocked.flow.dialog
    assert dialog is not None and dialog.enable
    assert dialog.warning_label is None  # WebSocket is blocked: no "it works" warning
    dialog.reject()


def test_extra_warning_when_websocket_is_healthy(rig: Rig) -> None:
    rig.monitor.publish(f.ready_ws())
    rig.shell.tray.http_only_action.trigger()
    dialog = rig.shell.flow.dialog
    assert dialog is not None
    assert dialog.warning_label is not None
    assert "works on this network right now" in dialog.warning_label.text()
    assert dialog.cancel_button.isDefault()
    dialog.reject()


def test_window_offers_switching_back_when_advised(rig: Rig) -> None:
    snapshot = f.ready_http_only(ws_ok=True, streak=3)
    assert snapshot.verdict.health is Health.READY_HTTP_ONLY
    rig.monitor.publish(snapshot)
    window = rig.shell.window
    assert window.action_button.text() == "Switch back to WebSocket"
    ws_box = window.transport_boxes[Transport.WEBSOCKET]
    assert "Codex skips it now" in ws_box.result_label.text()


@pytest.fixture
def rig_with_blocked(rig: Rig) -> Shell:
    rig.monitor.publish(f.ws_blocked())
    return rig.shell


def test_switching_back_while_websocket_is_still_blocked_warns_and_defaults_to_cancel(
    switch_rig: SwitchRig,
) -> None:
    shell = switch_rig.shell
    shell.tray.http_only_action.trigger()
    assert shell.flow.dialog is not None
    shell.flow.dialog.confirm_button.click()  # HTTP only is on now
    # A check ends in which the WebSocket still fails (the loop is not running: fed by hand).
    monitor, report = switch_rig.monitor, f.ready_http_only(ws_ok=False).report
    assert report is not None
    monitor._feed(CheckStarted(0.0, Reason.USER, None))
    monitor._feed(CheckEnded(0.0, 1, report))
    shell.tray.http_only_action.trigger()
    dialog = shell.flow.dialog
    assert dialog is not None and not dialog.enable
    dialog.show()
    assert dialog.warning_label is not None
    assert "still blocked" in dialog.warning_label.text()
    assert dialog.cancel_button.isDefault() and not dialog.confirm_button.isDefault()
    dialog.details_button.click()  # opening the details keeps the default where it was
    assert dialog.details_view.isVisible()
    assert dialog.cancel_button.isDefault()
    dialog.reject()


def test_while_http_itself_fails_the_switch_is_not_offered(rig: Rig) -> None:
    rig.monitor.publish(f.down())
    action = rig.shell.tray.http_only_action
    assert not action.isEnabled()
    assert "would not help" in action.toolTip()
    rig.shell.request_switch(True)  # reached anyway (a stale click): the dialog says so
    dialog = rig.shell.flow.dialog
    assert dialog is not None and dialog.warning_label is not None
    assert "would not help" in dialog.warning_label.text()
    dialog.show()
    assert dialog.cancel_button.isDefault()
    dialog.reject()


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_window_stays_within_the_screen_after_the_longest_message(
    qapp: QApplication,
    english: Translations,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
) -> None:
    # A deep Codex folder: the path is in the message, and nothing in it can wrap.
    deep = tmp_path.joinpath(*["a-rather-long-folder-name-without-spaces"] * 6, "codex")
    deep.mkdir(parents=True)
    monkeypatch.setenv("CODEX_HOME", str(deep))
    (deep / "config.toml").write_bytes(ORIGINAL)
    home = CodexHome(deep, from_env=True)
    switch = HttpOnlySwitch(home, tmp_path / "state")
    monitor = Monitor(
        IdleRunner(home),
        read_record=switch.store.load,
        history=HistoryStore(None),
        prefs=Prefs(language=Language(language), welcomed=True),
    )
    shell = make_shell(
        qapp=qapp,
        monitor=monitor,
        prefs=Prefs(language=Language(language), welcomed=True),
        translations=english,
        codex_home=deep,
        state_dir=tmp_path / "state",
        saved=[],
        opened=[],
        switch=switch,
    )
    try:
        window = shell.window
        window.bring_to_front()
        screen = window.screen().availableGeometry()
        for enable in (True, False):
            shell.request_switch(enable)
            assert shell.flow.dialog is not None
            shell.flow.dialog.confirm_button.click()
            for _ in range(3):
                QApplication.processEvents()
            message = window.feedback_label.text()
            assert str(deep) in message and ("Restart Codex" in message or "重启" in message)
            assert window.frameGeometry().width() <= screen.width()
            assert window.frameGeometry().height() <= screen.height()
            restart = window.feedback_label
            # The one instruction that matters is on screen, not cut off.
            bottom = restart.mapTo(window, restart.rect().bottomRight())
            assert bottom.x() <= window.width() and bottom.y() <= window.height()
    finally:
        shell.close()
