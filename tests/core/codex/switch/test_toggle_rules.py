"""The switch's rules, one by one (DESIGN "The toggle", CODEX_FACTS §2)."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path
from typing import Any

import pytest

from codex_link.core.codex.providers import resolve_provider
from codex_link.core.codex.switch.toggle import ConfigRefused, HttpOnlySwitch, SwitchRefused
from codex_link.core.model.codex_home import CodexHome
from tests.corpus.loader import CONFIGS
from tests.corpus.switching import FIXED_NOW, make_switch, read

TWIN = (
    b'[model_providers.openai_http]\nname = "OpenAI"\nwire_api = "responses"\n'
    b"requires_openai_auth = true\nsupports_websockets = false\n"
)


def corpus(name: str) -> bytes:
    return (CONFIGS / f"{name}.toml").read_bytes()


def data(content: bytes | None) -> dict[str, Any]:
    return tomllib.loads((content or b"").decode().removeprefix("\ufeff"))


def test_builtin_openai_gets_the_http_twin_and_the_root_selector(tmp_path: Path) -> None:
    switch = make_switch(tmp_path, b'model = "o3"\n\n[tui]\nnotifications = true\n')
    plan = switch.plan(True)
    assert plan.after == (
        b'model = "o3"\nmodel_provider = "openai_http"\n\n[tui]\nnotifications = true\n\n' + TWIN
    )
    assert '+model_provider = "openai_http"' in plan.diff()
    assert "[model_providers.openai_http]" in str(plan.changes[1])
    assert read(switch.path) == b'model = "o3"\n\n[tui]\nnotifications = true\n'  # plan only


def test_an_identical_openai_http_table_is_reused(tmp_path: Path) -> None:
    switch = make_switch(tmp_path, corpus("11_existing_identical_openai_http"))
    plan = switch.plan(True)
    assert plan.after.count(b"[model_providers.openai_http]") == 1
    assert plan.after.startswith(b'model = "gpt-5.5-codex"\nmodel_provider = "openai_http"\n')
    assert len(plan.edits) == 1  # only the selector: the table is the user's


def test_openai_http_with_other_content_makes_the_switch_pick_a_free_id(tmp_path: Path) -> None:
    switch = make_switch(tmp_path, corpus("37_openai_http_2_taken_too"))
    plan = switch.plan(True)
    after = data(plan.after)
    assert after["model_provider"] == "openai_http_3"
    assert data(plan.before)["model_providers"].items() <= after["model_providers"].items()
    assert plan.provider_id == "openai_http_3"


def test_root_openai_base_url_is_copied_into_the_twin(tmp_path: Path) -> None:
    switch = make_switch(tmp_path, corpus("22_openai_base_url"))
    after = data(switch.plan(True).after)
    twin = after["model_providers"]["openai_http"]
    assert twin["base_url"] == "http://127.0.0.1:9/v1"
    assert not resolve_provider(after).supports_websockets


def test_an_explicit_openai_selector_is_replaced_in_place(tmp_path: Path) -> None:
    switch = make_switch(tmp_path, corpus("23_explicit_model_provider_openai"))
    plan = switch.plan(True)
    assert b'model_provider = "openai_http" # the default\n' in plan.after
    assert 'Changed model_provider from "openai" to "openai_http".' in map(str, plan.changes)


@pytest.mark.parametrize(
    "name",
    [
        "13_custom_provider_ws_on",
        "17_inline_custom_ws_on",
        "20_dotted_custom_ws_on",
        "39_custom_ws_on_then_subtable",
    ],
)
def test_a_custom_provider_with_websockets_gets_it_turned_off_in_its_own_table(
    tmp_path: Path, name: str
) -> None:
    switch = make_switch(tmp_path, corpus(name))
    plan = switch.plan(True)
    after = data(plan.after)
    assert after["model_provider"] == "corp" and "openai_http" not in plan.after.decode()
    assert after["model_providers"]["corp"]["supports_websockets"] is False
    assert plan.after.count(b"supports_websockets") == corpus(name).count(b"supports_websockets")


def test_a_custom_provider_table_without_the_key_gets_one_line(tmp_path: Path) -> None:
    content = (
        b'model_provider = "corp"\n\n[model_providers.corp]\nname = "Corp"\n# end\n\n[tui]\nx = 1\n'
    )
    # WebSockets are off by default for user providers: make this one ask for them.
    switch = make_switch(
        tmp_path,
        content.replace(b'name = "Corp"\n', b'name = "Corp"\nsupports_websockets = true\n'),
    )
    assert not switch.plan(True).noop
    switch = make_switch(tmp_path / "b", content)
    assert switch.plan(True).noop  # already HTTP-only: nothing to add


@pytest.mark.parametrize(
    "name",
    [
        "14_custom_provider_ws_absent",
        "15_custom_provider_ws_false",
        "35_hand_made_http_only",
        "36_builtin_ollama",
    ],
)
def test_already_http_only_is_a_noop(tmp_path: Path, name: str) -> None:
    switch = make_switch(tmp_path, corpus(name))
    plan = switch.plan(True)
    assert plan.noop and "already uses HTTP only" in str(plan.changes[0])
    result = switch.apply(plan)
    assert not result.changed and read(switch.path) == corpus(name)
    assert sorted(p.name for p in switch.path.parent.iterdir()) == ["config.toml"]  # no backup


def test_profiles_that_pick_their_own_provider_are_reported(tmp_path: Path) -> None:
    switch = make_switch(tmp_path, corpus("25_profiles_legacy_tables"))
    (switch.path.parent / "corp.config.toml").write_text('model_provider = "corp"\n')
    (switch.path.parent / "plain.config.toml").write_text('model = "o3"\n')
    notes = [str(note) for note in switch.plan(True).notes]
    assert any("[profiles.work]" in note and '"corp"' in note for note in notes)
    assert any("--profile corp" in note for note in notes)
    assert not any("plain" in note for note in notes)
    assert any("--profile corp" in str(note) for note in switch.status().notes)


def test_status_tells_ours_from_hand_made(tmp_path: Path) -> None:
    hand_made = make_switch(tmp_path / "a", corpus("35_hand_made_http_only")).status()
    assert hand_made.http_only and not hand_made.ours and hand_made.provider_id == "openai_http"
    switch = make_switch(tmp_path / "b", corpus("01_minimal_model"))
    assert not switch.status().http_only
    switch.apply(switch.plan(True))
    status = switch.status()
    assert status.http_only and status.ours and status.config_error is None
    assert status.to_json() == {
        "http_only": True,
        "provider_id": "openai_http",
        "ours": True,
        "config_error": None,
        "notes": [],
    }


def test_off_of_a_hand_made_twin_removes_the_selector_and_keeps_the_table(tmp_path: Path) -> None:
    switch = make_switch(tmp_path, corpus("35_hand_made_http_only"))
    result = switch.apply(switch.plan(False))
    after = read(switch.path)
    assert result.changed and after == corpus("35_hand_made_http_only").replace(
        b'model_provider = "openai_http" # WebSocket blocked at work\n', b""
    )
    assert resolve_provider(data(after)).supports_websockets
    assert result.backup is not None
    assert result.backup.read_bytes() == corpus("35_hand_made_http_only")


@pytest.mark.parametrize(
    "name",
    [
        "14_custom_provider_ws_absent",
        "15_custom_provider_ws_false",
        "18_inline_custom_ws_absent",
        "36_builtin_ollama",
    ],
)
def test_off_refuses_to_guess_for_http_only_it_did_not_set(tmp_path: Path, name: str) -> None:
    switch = make_switch(tmp_path, corpus(name))
    with pytest.raises(SwitchRefused) as refused:
        switch.plan(False)
    assert "not turned on by Codex Link" in str(
        refused.value.reason
    ) or "no WebSocket transport" in str(refused.value.reason)
    assert read(switch.path) == corpus(name)


def test_off_when_websocket_is_already_on_is_a_noop(tmp_path: Path) -> None:
    switch = make_switch(tmp_path, corpus("02_typical_user"))
    plan = switch.plan(False)
    assert plan.noop and "already uses WebSocket" in str(plan.changes[0])
    assert not switch.apply(plan).changed and read(switch.path) == corpus("02_typical_user")


def test_malformed_toml_is_refused_with_line_and_column_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    broken = b'model = "o3"\n[tui\nx = 1\n'
    switch = make_switch(tmp_path, broken)
    for enable in (True, False):
        with pytest.raises(ConfigRefused) as error:
            switch.plan(enable)
        assert error.value.error.line == 2 and error.value.error.column is not None
        assert "line 2, column" in str(error.value.reason)
    status = switch.status()
    assert status.config_error is not None and status.config_error.line == 2
    assert read(switch.path) == broken
    assert [p.name for p in switch.path.parent.iterdir()] == ["config.toml"]
    assert not (tmp_path / "state").exists()


def test_a_missing_codex_home_named_by_codex_home_is_refused(tmp_path: Path) -> None:
    switch = HttpOnlySwitch(CodexHome(tmp_path / "nope", from_env=True), tmp_path / "state")
    with pytest.raises(SwitchRefused) as refused:
        switch.plan(True)
    assert "CODEX_HOME" in str(refused.value.reason)
    assert not (tmp_path / "nope").exists()


def test_a_missing_default_home_and_file_are_created_private_and_removed_on_off(
    tmp_path: Path,
) -> None:
    home = tmp_path / "user" / ".codex"
    switch = HttpOnlySwitch(
        CodexHome(home, from_env=False), tmp_path / "state", now=lambda: FIXED_NOW
    )
    result = switch.apply(switch.plan(True))
    assert result.changed and result.backup is None
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE(switch.path.stat().st_mode) == 0o600
    assert read(switch.path) == b'model_provider = "openai_http"\n\n' + TWIN
    assert "did not exist" in str(result.message)
    off = switch.apply(switch.plan(False))
    assert not switch.path.exists()  # as it was: no config.toml
    # Nothing of the user's existed, so no "copy of your original file" is left behind.
    assert off.backup is None and list(home.iterdir()) == []
    assert "copy of your original" not in str(off.message)


def test_an_empty_file_stays_empty_after_on_and_off(tmp_path: Path) -> None:
    switch = make_switch(tmp_path, b"")
    switch.apply(switch.plan(True))
    assert read(switch.path) == b'model_provider = "openai_http"\n\n' + TWIN
    switch.apply(switch.plan(False))
    assert read(switch.path) == b""


def test_one_backup_only_before_the_first_change(tmp_path: Path) -> None:
    original = corpus("02_typical_user")
    switch = make_switch(tmp_path, original)
    first = switch.apply(switch.plan(True))
    for enable in (False, True, False):
        again = switch.apply(switch.plan(enable))
        assert again.backup == first.backup
    backups = sorted(switch.path.parent.glob("config.toml.codex-link-*.bak"))
    assert first.backup is not None and backups == [first.backup]
    assert first.backup.name == "config.toml.codex-link-20261121-101500.bak"
    assert first.backup.read_bytes() == original
    assert read(switch.path) == original


def test_the_result_message_says_what_where_and_restart(tmp_path: Path) -> None:
    switch = make_switch(tmp_path, corpus("01_minimal_model"))
    message = str(switch.apply(switch.plan(True)).message)
    assert "HTTP only" in message and str(switch.path) in message
    assert ".bak" in message and "Restart Codex" in message
    message = str(switch.apply(switch.plan(False)).message)
    assert "WebSocket again" in message and "Restart Codex" in message


def test_on_again_after_the_user_removed_our_selector_keeps_track_of_our_table(
    tmp_path: Path,
) -> None:
    original = corpus("01_minimal_model")
    switch = make_switch(tmp_path, original)
    switch.apply(switch.plan(True))
    on = switch.path.read_bytes()
    switch.path.write_bytes(on.replace(b'model_provider = "openai_http"\n', b""))
    assert not switch.status().http_only
    switch.apply(switch.plan(True))
    assert switch.path.read_bytes().count(b"[model_providers.openai_http]") == 1
    switch.apply(switch.plan(False))
    assert read(switch.path) == original
