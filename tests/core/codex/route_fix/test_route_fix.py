"""The route fix engine: plan, apply, undo, status, on real files in a throw-away Codex home."""

from __future__ import annotations

import errno
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from codex_link.core.codex.file_edit import transaction
from codex_link.core.codex.route_fix.fix import RouteFix, proxy_proposal
from codex_link.core.codex.settings import load_settings
from codex_link.core.codex.switch.toggle import HttpOnlySwitch, SwitchFailed, SwitchRefused
from codex_link.core.model.codex_home import CodexHome
from codex_link.core.model.probe import RouteKind, SourceKind
from codex_link.core.model.route_fix import RouteMethod, RouteProposal
from codex_link.core.net.routes import codex_routes

FIXED_NOW = datetime(2026, 11, 21, 10, 15, 0, tzinfo=UTC)
PROXY = "http://127.0.0.1:7890"
SYSTEM = RouteProposal(RouteMethod.SYSTEM_PROXY, None)


def make_fix(root: Path, dotenv: bytes | None = None, config: bytes | None = None) -> RouteFix:
    home = root / "codex"
    home.mkdir(parents=True, exist_ok=True)
    if dotenv is not None:
        (home / ".env").write_bytes(dotenv)
    if config is not None:
        (home / "config.toml").write_bytes(config)
    return RouteFix(CodexHome(home, from_env=True), root / "state", now=lambda: FIXED_NOW)


def read(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


def leftovers(folder: Path) -> list[str]:
    """Backups and temp files beside the user's files."""
    return sorted(p.name for p in folder.iterdir() if ".codex-link" in p.name)


@pytest.mark.parametrize(
    "original",
    [
        None,
        b"",
        b"A=1",
        b"\xef\xbb\xbfexport A='x' # c\r\nB=2\r\n",
        b"HTTPS_PROXY=http://old:1\n",
    ],
    ids=["missing", "empty", "no-final-newline", "bom-crlf", "own-proxy"],
)
def test_on_then_off_gives_back_the_original(original: bytes | None, tmp_path: Path) -> None:
    fix = make_fix(tmp_path, original)
    path = fix.home.dotenv_path
    plan = fix.plan(True, proxy_proposal(PROXY))
    assert not plan.noop and f"+HTTPS_PROXY={PROXY}" in plan.diff()
    result = fix.apply(plan)
    assert result.changed and "Restart Codex" in str(result.message)
    assert dict(load_settings(fix.home, {}).dotenv_proxies)["HTTPS_PROXY"] == PROXY
    status = fix.status()
    assert (status.active, status.method, status.proxy_url, status.path) == (
        True,
        RouteMethod.DOTENV,
        PROXY,
        path,
    )
    if original is not None:  # an empty file is backed up too: it is the user's
        assert result.backup is not None and result.backup.read_bytes() == original
    else:
        assert result.backup is None

    off = fix.apply(fix.plan(False))
    assert off.changed and read(path) == original
    assert not fix.status().active
    again = fix.apply(fix.plan(False))
    assert not again.changed and "not on" in str(again.message)


def test_a_second_on_through_the_same_proxy_changes_nothing(tmp_path: Path) -> None:
    fix = make_fix(tmp_path, b"A=1\n")
    fix.apply(fix.plan(True, proxy_proposal(PROXY)))
    plan = fix.plan(True, proxy_proposal(PROXY))
    assert plan.noop and "already goes through" in str(plan.changes[0])


def test_on_through_another_proxy_replaces_ours_and_off_still_restores(tmp_path: Path) -> None:
    original = b"HTTPS_PROXY=http://mine:3128\nA=1\n"
    fix = make_fix(tmp_path, original)
    fix.apply(fix.plan(True, proxy_proposal(PROXY)))
    fix.apply(fix.plan(True, proxy_proposal("socks5h://127.0.0.1:1080")))
    proxies = dict(load_settings(fix.home, {}).dotenv_proxies)
    # SOCKS goes in HTTP_PROXY alone; the user's own HTTPS_PROXY is theirs again meanwhile.
    assert proxies["HTTP_PROXY"] == "socks5h://127.0.0.1:1080"
    assert proxies["HTTPS_PROXY"] == "http://mine:3128"
    fix.apply(fix.plan(False))
    assert read(fix.home.dotenv_path) == original
    assert len(leftovers(fix.home.path)) == 1  # one backup: of the original


def test_after_on_codex_s_websocket_goes_through_the_proxy(tmp_path: Path) -> None:
    fix = make_fix(tmp_path, b"A=1\n")
    fix.apply(fix.plan(True, proxy_proposal(PROXY)))
    settings = load_settings(fix.home, {"HTTPS_PROXY": "http://stale:1"})
    routes = codex_routes(
        http_url="https://chatgpt.com/backend-api/codex/responses",
        ws_url="wss://chatgpt.com/backend-api/codex/responses",
        env={"HTTPS_PROXY": "http://stale:1"},
        dotenv=dict(settings.dotenv_proxies),
        system=None,
        respect_system_proxy=False,
        platform="linux",
    )
    assert routes.websocket.kind is RouteKind.ENV_PROXY and routes.websocket.proxy_url == PROXY
    assert routes.websocket.origin.kind is SourceKind.DOTENV


def test_passwords_stay_out_of_the_record_and_sentences(tmp_path: Path) -> None:
    original = b"export HTTPS_PROXY=http://me:old-secret@corp:3128 # work\n"
    fix = make_fix(tmp_path, original)
    plan = fix.plan(True, proxy_proposal("http://bob:new-secret@127.0.0.1:7890"))
    shown = " ".join(str(change) for change in plan.changes) + plan.diff()
    assert "secret" not in shown
    result = fix.apply(plan)
    assert "secret" not in str(result.message)
    [record] = (tmp_path / "state").glob("route-*.json")
    assert "secret" not in record.read_text()
    assert "secret" not in json.dumps(fix.status().to_json())
    fix.apply(fix.plan(False))  # the old password comes back from the backup
    assert read(fix.home.dotenv_path) == original


def test_a_value_the_user_changed_since_is_kept_and_said(tmp_path: Path) -> None:
    fix = make_fix(tmp_path, b"A=1\n")
    fix.apply(fix.plan(True, proxy_proposal(PROXY)))
    path = fix.home.dotenv_path
    path.write_bytes(path.read_bytes().replace(b"NO_PROXY=localhost", b"NO_PROXY=intranet"))
    status = fix.status()
    assert status.active and status.changed_by_user and status.notes
    plan = fix.plan(False)
    assert any("Left NO_PROXY as it is" in str(note) for note in plan.notes)
    fix.apply(plan)
    assert read(path) == b"A=1\nNO_PROXY=intranet,127.0.0.1,::1\n"


def test_our_lines_removed_by_the_user_leave_nothing_to_undo(tmp_path: Path) -> None:
    fix = make_fix(tmp_path, b"A=1\n")
    fix.apply(fix.plan(True, proxy_proposal(PROXY)))
    fix.home.dotenv_path.write_bytes(b"A=1\nB=2\n")
    assert not fix.status().active
    result = fix.apply(fix.plan(False))
    assert not result.changed and "Nothing to undo" in str(result.message)
    assert read(fix.home.dotenv_path) == b"A=1\nB=2\n"
    assert not fix.status().active and "not on" in str(fix.plan(False).changes[0])


def test_a_file_changed_between_plan_and_apply_is_planned_again(tmp_path: Path) -> None:
    fix = make_fix(tmp_path, b"A=1\n")
    plan = fix.plan(True, proxy_proposal(PROXY))
    fix.home.dotenv_path.write_bytes(b"A=1\nB=2\n")
    fix.apply(plan)
    assert read(fix.home.dotenv_path) is not None
    assert b"B=2\n" in (read(fix.home.dotenv_path) or b"")
    fix.apply(fix.plan(False))
    assert read(fix.home.dotenv_path) == b"A=1\nB=2\n"


@pytest.mark.timeout(20)
def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fix = make_fix(tmp_path)
    os.mkfifo(fix.home.dotenv_path)
    with pytest.raises(SwitchFailed, match="named pipe"):
        fix.plan(True, proxy_proposal(PROXY))
    assert not fix.status().active


def test_a_folder_in_place_of_the_file_is_refused(tmp_path: Path) -> None:
    fix = make_fix(tmp_path)
    fix.home.dotenv_path.mkdir()
    with pytest.raises(SwitchFailed, match="folder"):
        fix.plan(True, proxy_proposal(PROXY))


def test_a_missing_codex_home_is_refused_and_not_created(tmp_path: Path) -> None:
    fix = RouteFix(CodexHome(tmp_path / "nowhere", from_env=True), tmp_path / "state")
    with pytest.raises(SwitchRefused, match="does not exist"):
        fix.plan(True, proxy_proposal(PROXY))
    assert not (tmp_path / "nowhere").exists()


def test_a_read_only_file_is_left_alone(tmp_path: Path) -> None:
    fix = make_fix(tmp_path, b"A=1\n")
    fix.home.dotenv_path.chmod(0o444)
    with pytest.raises(SwitchRefused, match="read-only"):
        fix.plan(True, proxy_proposal(PROXY))


@pytest.mark.parametrize(
    "url", ["https://127.0.0.1:7890", "127.0.0.1:7890", "socks4://h:1", "http://", ""]
)
def test_a_proxy_codex_s_websocket_cannot_use_is_refused(url: str, tmp_path: Path) -> None:
    fix = make_fix(tmp_path, b"A=1\n")
    with pytest.raises(SwitchRefused, match="cannot carry"):
        fix.plan(True, proxy_proposal(url))


def test_without_a_route_nothing_is_planned(tmp_path: Path) -> None:
    with pytest.raises(SwitchRefused, match="No verified route"):
        make_fix(tmp_path).plan(True, None)


def test_a_failed_write_leaves_no_temp_backup_or_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = b"A=1\n"
    fix = make_fix(tmp_path, original)
    plan = fix.plan(True, proxy_proposal(PROXY))

    def full_disk(*_args: object) -> bool:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(transaction, "replace_if_unchanged", full_disk)
    with pytest.raises(SwitchFailed, match="No space left"):
        fix.apply(plan)
    assert read(fix.home.dotenv_path) == original
    assert leftovers(fix.home.path) == []
    assert not list((tmp_path / "state").glob("route-*.json"))
    assert not fix.status().active


def test_system_proxy_on_and_off(tmp_path: Path) -> None:
    original = b'# mine\r\nmodel = "o3"\r\n\r\n[features]\r\nrespect_system_proxy = false\r\n'
    fix = make_fix(tmp_path, config=original)
    plan = fix.plan(True, SYSTEM)
    assert "+respect_system_proxy = true" in plan.diff()
    assert "from false to true" in str(plan.changes[0])
    fix.apply(plan)
    assert load_settings(fix.home, {}).respect_system_proxy
    assert fix.status().method is RouteMethod.SYSTEM_PROXY
    assert fix.plan(True, SYSTEM).noop
    with pytest.raises(SwitchRefused, match="already on"):
        fix.plan(True, proxy_proposal(PROXY))
    fix.apply(fix.plan(False))
    assert read(fix.home.config_path) == original


def test_system_proxy_and_the_http_only_switch_undo_each_other_s_lines_only(tmp_path: Path) -> None:
    original = b'model = "o3"\n\n[features]\nweb_search = true\n'
    fix = make_fix(tmp_path, config=original)
    switch = HttpOnlySwitch(fix.home, tmp_path / "state", now=lambda: FIXED_NOW)
    fix.apply(fix.plan(True, SYSTEM))
    switch.apply(switch.plan(True))
    fix.apply(fix.plan(False))
    assert switch.status().http_only and not load_settings(fix.home, {}).respect_system_proxy
    switch.apply(switch.plan(False))
    assert read(fix.home.config_path) == original


def test_a_malformed_config_is_refused_for_system_proxy(tmp_path: Path) -> None:
    fix = make_fix(tmp_path, config=b"[features\n")
    with pytest.raises(SwitchRefused, match="not valid TOML"):
        fix.plan(True, SYSTEM)
