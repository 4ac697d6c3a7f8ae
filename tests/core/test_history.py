"""The history behind the chart: bounded, survives restarts, survives a damaged file."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from codex_link.core.auto_mode import FixChange
from codex_link.core.history import (
    DEFAULT_MAXLEN,
    FIXES_FILE,
    HISTORY_FILE,
    FixEvent,
    FixLog,
    HistoryStore,
    default_data_dir,
    point_from_report,
)
from codex_link.core.model.probe import Transport
from codex_link.core.model.report import CheckReport
from codex_link.core.model.snapshot import HistoryPoint
from codex_link.core.model.text import text
from codex_link.core.model.verdict import Health, Verdict
from tests import factories as f


def point(i: int, health: Health = Health.READY_WS) -> HistoryPoint:
    return HistoryPoint(
        at=1_700_000_000.0 + 60 * i,
        health=health,
        http_ok=True,
        ws_ok=health is Health.READY_WS,
        http_ms=100.0 + i,
        ws_ms=None if i % 2 else 200.5,
    )


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_default_size_holds_a_day_of_default_checks() -> None:
    assert DEFAULT_MAXLEN >= 24 * 60 * 60 // 60


def test_ring_is_bounded_in_memory_and_on_disk(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path, maxlen=50, compact_slack=10)
    for i in range(500):
        store.append(point(i))
        assert len(lines(tmp_path / HISTORY_FILE)) <= 60
    assert len(store) == 50
    assert store.points() == tuple(point(i) for i in range(450, 500))
    reloaded = HistoryStore(tmp_path, maxlen=50)
    reloaded.load()
    assert reloaded.points() == store.points()


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path)
    written = [
        point(0),
        point(1, Health.WS_BLOCKED),
        point(2, Health.DOWN),
        HistoryPoint(
            at=1.5, health=Health.CHECKING, http_ok=False, ws_ok=False, http_ms=None, ws_ms=None
        ),
    ]
    for p in written:
        store.append(p)
    again = HistoryStore(tmp_path)
    assert again.load() == 0
    assert list(again.points()) == written


def test_damaged_and_truncated_file_keeps_the_good_lines(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = HistoryStore(tmp_path)
    for i in range(5):
        store.append(point(i))
    path = tmp_path / HISTORY_FILE
    good = path.read_text(encoding="utf-8")
    damaged = (
        good.splitlines()[0]
        + "\n"
        + "not json at all\n"
        + '{"at": "x"}\n'
        + '{"at": 1, "health": "purple", "http_ok": true, "ws_ok": true}\n'
        + "\n".join(good.splitlines()[1:])
        + "\n"
        + good.splitlines()[0][:17]
    )  # a crash cut the last line short
    path.write_text(damaged, encoding="utf-8")

    reloaded = HistoryStore(tmp_path)
    with caplog.at_level(logging.WARNING, logger="codex_link.core.history"):
        skipped = reloaded.load()
    assert skipped == 4
    assert "skipped 4" in caplog.text
    assert reloaded.points() == tuple(point(i) for i in range(5))
    # the file was rewritten clean, so the next line does not glue onto the broken one
    reloaded.append(point(5))
    third = HistoryStore(tmp_path)
    assert third.load() == 0
    assert third.points() == tuple(point(i) for i in range(6))


def test_binary_garbage_file_is_tolerated(tmp_path: Path) -> None:
    (tmp_path / HISTORY_FILE).write_bytes(b"\x00\xff\xfe" * 1000)
    store = HistoryStore(tmp_path)
    store.load()
    assert store.points() == ()
    store.append(point(1))
    again = HistoryStore(tmp_path)
    again.load()
    assert again.points() == (point(1),)


def test_unwritable_folder_keeps_history_in_memory(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    store = HistoryStore(blocker)
    with caplog.at_level(logging.WARNING, logger="codex_link.core.history"):
        for i in range(3):
            store.append(point(i))
    assert len(store) == 3
    assert caplog.text.count("cannot write") == 1  # logged once, not at every check


def test_memory_only_store(tmp_path: Path) -> None:
    store = HistoryStore(None, maxlen=3)
    assert store.load() == 0
    for i in range(5):
        store.append(point(i))
    assert store.points() == (point(2), point(3), point(4))
    assert list(tmp_path.iterdir()) == []


def test_point_from_report_takes_codex_routes() -> None:
    report = CheckReport(
        started_at=10.0,
        finished_at=25.0,
        primary=(
            f.answered(Transport.HTTP, True, ms=120.0),
            f.answered(Transport.WEBSOCKET, False, ms=15000),
        ),
        alternatives=(f.answered(Transport.WEBSOCKET, True, ms=80.0),),
        verdict=Verdict(Health.WS_BLOCKED, text("blocked")),
    )
    assert point_from_report(report) == HistoryPoint(
        at=25.0, health=Health.WS_BLOCKED, http_ok=True, ws_ok=False, http_ms=120.0, ws_ms=15000
    )


def test_fix_events_survive_a_restart_and_a_damaged_line(tmp_path: Path) -> None:
    log = FixLog(tmp_path)
    written = [
        FixEvent(1_700_000_000.0, FixChange.ROUTE_FIX_ON, automatic=True),
        FixEvent(1_700_000_060.5, FixChange.ROUTE_FIX_OFF, automatic=False),
        FixEvent(1_700_000_120.0, FixChange.HTTP_ONLY_ON, automatic=True),
    ]
    for event in written:
        log.append(event)
    path = tmp_path / FIXES_FILE
    assert len(lines(path)) == 3
    path.write_text(
        path.read_text(encoding="utf-8")
        + '{"at": 5, "change": "teleport", "automatic": true}\n'
        + '{"at": 6, "change": "http_only_off", "automatic": "yes"}\n',
        encoding="utf-8",
    )
    again = FixLog(tmp_path)
    assert again.load() == 2
    assert list(again.events()) == written


def test_fix_log_is_bounded(tmp_path: Path) -> None:
    log = FixLog(tmp_path, maxlen=4)
    for i in range(40):
        log.append(FixEvent(float(i), FixChange.HTTP_ONLY_ON, automatic=False))
        assert len(lines(tmp_path / FIXES_FILE)) <= 8
    assert [e.at for e in log.events()] == [36.0, 37.0, 38.0, 39.0]
    assert len(FixLog(None, maxlen=2)) == 0


@pytest.mark.skipif(sys.platform != "linux", reason="XDG folders are Linux's")
def test_default_location_is_the_user_data_folder(isolated_home: Path) -> None:
    assert default_data_dir() == isolated_home / ".local/share/codex-link"
