"""Before the HTTP-only switch: when it helps, and what to warn about when it does not."""

from __future__ import annotations

import time

from codex_link.core.freshness import is_stale, last_checked_at
from codex_link.core.switch_guard import SwitchConcern, switch_concern, switch_offered
from tests import factories as f


def test_switching_on_is_the_fix_only_while_websocket_fails_and_http_works() -> None:
    assert switch_concern(f.ws_blocked(), True) is None
    assert switch_concern(f.ready_ws(), True) is SwitchConcern.WEBSOCKET_WORKS
    assert switch_concern(f.down(), True) is SwitchConcern.HTTP_DOWN


def test_switching_back_while_websocket_is_still_blocked_is_a_concern() -> None:
    assert switch_concern(f.ready_http_only(ws_ok=False), False) is SwitchConcern.WEBSOCKET_BLOCKED
    assert switch_concern(f.ready_http_only(ws_ok=True, streak=3), False) is None


def test_the_switch_is_not_offered_while_http_itself_fails() -> None:
    assert not switch_offered(f.down())
    assert switch_offered(f.ws_blocked())
    assert switch_offered(f.snapshot_of(f.down().report, http_only=True))  # the way back stays


def test_a_result_older_than_two_intervals_is_stale() -> None:
    snapshot = f.with_last_complete(f.ready_ws())
    checked = last_checked_at(snapshot)
    assert checked is not None
    assert not is_stale(snapshot, checked + 60, 60)
    assert is_stale(snapshot, checked + 3600, 60)  # the machine slept for an hour
    assert not is_stale(f.checking_snapshot(), time.time() + 3600, 60)
