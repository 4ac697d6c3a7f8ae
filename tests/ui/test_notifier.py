"""What a notification says (when one is due is tested in tests/core/test_notice_policy.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from codex_link.core.model.verdict import Health
from codex_link.ui.i18n import render
from codex_link.ui.notifier import ChangeNotifier
from tests import factories as f


def test_a_change_says_the_new_verdict_and_what_to_do(qapp: QApplication) -> None:
    notifier = ChangeNotifier()
    notifier.consider(f.ready_ws())
    snapshot = f.ws_blocked()
    notice = notifier.consider(snapshot)
    assert notice is not None and notice.health is Health.WS_BLOCKED
    assert notice.title == "Codex will start slowly"
    assert snapshot.verdict.why is not None
    assert notice.message.startswith(render(snapshot.verdict.why))
    assert render(snapshot.verdict.advice[0].message) in notice.message


def test_down_names_its_cause_once(qapp: QApplication) -> None:
    notifier = ChangeNotifier()
    notifier.consider(f.ready_ws())
    notice = notifier.consider(f.down())
    assert notice is not None and notice.title == "Codex cannot connect"
    assert notice.message.count("127.0.0.1:9") == 1
    assert "Start your proxy program" in notice.message


def test_websocket_works_again_has_its_own_words(qapp: QApplication) -> None:
    notifier = ChangeNotifier()
    notifier.consider(f.ready_http_only())
    notice = notifier.consider(f.ready_http_only(ws_ok=True, streak=3))
    assert notice is not None
    assert notice.message.startswith("WebSocket works again: you can switch back.")


def test_nothing_is_said_for_a_repeat(qapp: QApplication) -> None:
    notifier = ChangeNotifier()
    notifier.consider(f.ws_blocked())
    assert notifier.consider(f.ws_blocked()) is None
