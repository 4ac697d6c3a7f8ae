"""Notifications come on verdict changes only, never at every check."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from app.core.verdict_types import Health
from app.ui.notifier import ChangeNotifier
from tests.ui import factories as f


def test_one_notice_per_change_and_none_for_repeats(qapp: QApplication) -> None:
    notifier = ChangeNotifier()
    assert notifier.consider(f.checking_snapshot()) is None
    assert notifier.consider(f.ready_ws()) is None  # all fine at start: stay quiet
    assert notifier.consider(f.ready_ws()) is None
    blocked = notifier.consider(f.ws_blocked())
    assert blocked is not None and blocked.health is Health.WS_BLOCKED
    assert "WebSocket" in blocked.message
    assert notifier.consider(f.ws_blocked()) is None  # the same verdict again
    assert notifier.consider(f.ready_ws()) is not None  # fixed: say so


def test_a_problem_at_start_is_announced(qapp: QApplication) -> None:
    notice = ChangeNotifier().consider(f.down())
    assert notice is not None and notice.health is Health.DOWN


def test_provisional_verdicts_wait_for_the_final_word(qapp: QApplication) -> None:
    from dataclasses import replace

    notifier = ChangeNotifier()
    notifier.consider(f.ready_ws())
    snapshot = f.ws_blocked()
    provisional = replace(snapshot, verdict=replace(snapshot.verdict, provisional=True))
    assert notifier.consider(provisional) is None
    assert notifier.consider(snapshot) is not None


def test_websocket_works_again_is_announced_once(qapp: QApplication) -> None:
    notifier = ChangeNotifier()
    assert notifier.consider(f.ready_http_only()) is None
    notice = notifier.consider(f.ready_http_only(ws_ok=True, streak=3))
    assert notice is not None
    assert notice.message == "WebSocket works again: you can switch back."
    assert notifier.consider(f.ready_http_only(ws_ok=True, streak=4)) is None
