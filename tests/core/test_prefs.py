"""Codex Link's own settings: sensible defaults, bad files never crash, nothing is lost."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import pytest

from codex_link.core.prefs import (
    MAX_INTERVAL_S,
    MIN_INTERVAL_S,
    Language,
    Prefs,
    PrefsStore,
    default_config_dir,
)


def test_defaults_when_there_is_no_file(tmp_path: Path) -> None:
    prefs = PrefsStore(tmp_path).load()
    assert prefs == Prefs()
    assert prefs.check_interval_s == 60.0
    assert prefs.notifications is True
    assert prefs.deep_check is False  # credentials are never sent unless the user asks
    assert prefs.language is Language.SYSTEM
    assert prefs.start_at_login is False
    assert prefs.confirm_checks == 2
    assert prefs.auto_fix is False  # Codex's files are edited without asking only if chosen


def test_round_trip(tmp_path: Path) -> None:
    store = PrefsStore(tmp_path / "nested")
    chosen = Prefs(
        check_interval_s=120.0,
        notifications=False,
        deep_check=True,
        language=Language.ZH_CN,
        start_at_login=True,
        confirm_checks=3,
        auto_fix=True,
    )
    store.save(chosen)
    assert PrefsStore(tmp_path / "nested").load() == chosen
    on_disk = json.loads((tmp_path / "nested/settings.json").read_text(encoding="utf-8"))
    assert on_disk["language"] == "zh_CN"
    assert not list((tmp_path / "nested").glob("*.tmp"))  # the atomic write cleaned up


def test_bad_values_fall_back_one_by_one(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "settings.json").write_text(
        json.dumps(
            {
                "check_interval_s": "often",
                "notifications": "yes",
                "deep_check": True,
                "language": "klingon",
                "start_at_login": 1,
                "confirm_checks": 2.5,
                "auto_fix": "on",
                "future_option": {"x": 1},
            }
        ),
        encoding="utf-8",
    )
    with caplog.at_level(logging.INFO, logger="codex_link.core.prefs"):
        prefs = PrefsStore(tmp_path).load()
    # the one good value survives; every bad one takes its default
    assert prefs == Prefs(deep_check=True)
    logged = caplog.text
    for key in (
        "check_interval_s",
        "notifications",
        "language",
        "start_at_login",
        "confirm_checks",
        "auto_fix",
        "future_option",
    ):
        assert key in logged


def test_out_of_range_interval_is_clamped(tmp_path: Path) -> None:
    store = PrefsStore(tmp_path)
    (tmp_path / "settings.json").write_text('{"check_interval_s": 1}', encoding="utf-8")
    assert store.load().check_interval_s == MIN_INTERVAL_S
    (tmp_path / "settings.json").write_text('{"check_interval_s": 1e9}', encoding="utf-8")
    assert store.load().check_interval_s == MAX_INTERVAL_S
    (tmp_path / "settings.json").write_text('{"check_interval_s": NaN}', encoding="utf-8")
    assert store.load().check_interval_s == 60.0


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe\x00garbage", b"[1, 2]", b""])
def test_unreadable_file_gives_defaults_and_is_kept(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    store = PrefsStore(tmp_path)
    assert store.load() == Prefs()
    store.save(Prefs(notifications=False))
    assert PrefsStore(tmp_path).load() == Prefs(notifications=False)
    if content != b"[1, 2]":  # a file that was not even JSON is kept for the user
        assert (tmp_path / "settings.json.bad").read_bytes() == content


def test_keys_of_a_newer_version_survive_a_save(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text(
        '{"future_option": [1, 2], "deep_check": true}', encoding="utf-8"
    )
    store = PrefsStore(tmp_path)
    prefs = store.load()
    store.save(Prefs(deep_check=prefs.deep_check, notifications=False))
    on_disk = json.loads((tmp_path / "settings.json").read_text(encoding="utf-8"))
    assert on_disk["future_option"] == [1, 2]
    assert on_disk["notifications"] is False


def test_bom_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_bytes(b'\xef\xbb\xbf{"language": "en"}')
    assert PrefsStore(tmp_path).load().language is Language.EN


@pytest.mark.skipif(sys.platform != "linux", reason="XDG folders are Linux's")
def test_default_location_is_the_user_config_folder(isolated_home: Path) -> None:
    assert default_config_dir() == isolated_home / ".config/codex-link"
