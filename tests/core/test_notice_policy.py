"""When the tray interrupts the user: on verdict changes only, never at every check."""

from __future__ import annotations

from dataclasses import replace

from codex_link.core.notice_policy import NoticeKind, NoticePolicy
from tests import factories as f


def test_one_notice_per_change_and_none_for_repeats() -> None:
    policy = NoticePolicy()
    assert policy.consider(f.checking_snapshot()) is None
    assert policy.consider(f.ready_ws()) is None  # all fine at start: stay quiet
    assert policy.consider(f.ready_ws()) is None
    assert policy.consider(f.ws_blocked()) is NoticeKind.HEALTH_CHANGED
    assert policy.consider(f.ws_blocked()) is None  # the same verdict again
    assert policy.consider(f.ready_ws()) is NoticeKind.HEALTH_CHANGED  # fixed: say so


def test_a_problem_at_start_is_announced() -> None:
    assert NoticePolicy().consider(f.down()) is NoticeKind.HEALTH_CHANGED


def test_provisional_verdicts_wait_for_the_final_word() -> None:
    policy = NoticePolicy()
    policy.consider(f.ready_ws())
    snapshot = f.ws_blocked()
    provisional = replace(snapshot, verdict=replace(snapshot.verdict, provisional=True))
    assert policy.consider(provisional) is None
    assert policy.consider(snapshot) is NoticeKind.HEALTH_CHANGED


def test_websocket_works_again_is_announced_once() -> None:
    policy = NoticePolicy()
    assert policy.consider(f.ready_http_only()) is None
    assert policy.consider(f.ready_http_only(ws_ok=True, streak=3)) is NoticeKind.WEBSOCKET_BACK
    assert policy.consider(f.ready_http_only(ws_ok=True, streak=4)) is None
