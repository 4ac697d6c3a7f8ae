"""The user edits config.toml while HTTP-only is on: "off" removes ours and keeps theirs."""

from __future__ import annotations

import tomllib
from pathlib import Path

from codex_link.core.codex.providers import resolve_provider
from tests.corpus.loader import CONFIGS
from tests.corpus.switching import make_switch, read

ORIGINAL = (CONFIGS / "02_typical_user.toml").read_bytes()
SELECTOR = b'model_provider = "openai_http"\n'


def switched_on(tmp_path: Path, content: bytes = ORIGINAL) -> tuple[Path, bytes]:
    switch = make_switch(tmp_path, content)
    switch.apply(switch.plan(True))
    after = read(switch.path)
    assert after is not None
    return switch.path, after


def test_other_keys_added_and_changed_stay_and_ours_go(tmp_path: Path) -> None:
    path, on = switched_on(tmp_path)
    edited = (
        b"# my note\n"
        + on.replace(b'model_reasoning_effort = "high"', b'model_reasoning_effort = "low"').replace(
            SELECTOR, SELECTOR + b'model_verbosity = "low"\n'
        )
        + b'\n[history]\npersistence = "none"\n'
    )
    path.write_bytes(edited)
    switch = make_switch(tmp_path, None)
    result = switch.apply(switch.plan(False))
    assert result.changed
    expected = (
        b"# my note\n"
        + ORIGINAL.replace(
            b'model_reasoning_effort = "high"', b'model_reasoning_effort = "low"'
        ).replace(
            b'sandbox_mode = "workspace-write"\n',
            b'sandbox_mode = "workspace-write"\nmodel_verbosity = "low"\n',
        )
        + b'\n[history]\npersistence = "none"\n'
    )
    assert read(path) == expected


def test_a_selector_the_user_changed_is_left_and_reported(tmp_path: Path) -> None:
    path, on = switched_on(tmp_path)
    path.write_bytes(on.replace(SELECTOR, b'model_provider = "openai"\n'))
    switch = make_switch(tmp_path, None)
    assert not switch.status().ours
    plan = switch.plan(False)
    assert any("model_provider" in str(note) and "yours" in str(note) for note in plan.notes)
    switch.apply(plan)
    after = read(path)
    mode = b'sandbox_mode = "workspace-write"\n'
    assert after == ORIGINAL.replace(mode, mode + b'model_provider = "openai"\n')


def test_our_table_with_the_users_own_keys_added_stays(tmp_path: Path) -> None:
    path, on = switched_on(tmp_path)
    path.write_bytes(
        on.replace(
            b"supports_websockets = false\n",
            b"supports_websockets = false\nstream_idle_timeout_ms = 600000\n",
        )
    )
    switch = make_switch(tmp_path, None)
    plan = switch.plan(False)
    switch.apply(plan)
    after = read(path)
    assert after is not None and SELECTOR not in after
    assert b"stream_idle_timeout_ms = 600000" in after and b"[model_providers.openai_http]" in after
    assert resolve_provider(tomllib.loads(after.decode())).supports_websockets
    assert any("model_providers.openai_http" in str(note) for note in plan.notes)


def test_a_websocket_setting_the_user_turned_back_on_is_theirs(tmp_path: Path) -> None:
    original = (CONFIGS / "13_custom_provider_ws_on.toml").read_bytes()
    path, on = switched_on(tmp_path, original)
    path.write_bytes(on.replace(b"websockets = false", b"websockets = true # me"))
    switch = make_switch(tmp_path, None)
    plan = switch.plan(False)
    assert plan.noop and any("yours" in str(note) for note in plan.notes)
    assert not switch.apply(plan).changed
    assert read(path) == on.replace(b"websockets = false", b"websockets = true # me")
    assert not switch.status().ours


def test_a_removed_selector_with_user_keys_before_our_table_still_undoes(tmp_path: Path) -> None:
    path, on = switched_on(tmp_path, b'model = "o3"\n')
    path.write_bytes(on + b"\n[tui]\nnotifications = true\n")
    switch = make_switch(tmp_path, None)
    switch.apply(switch.plan(False))
    assert read(path) == b'model = "o3"\n\n[tui]\nnotifications = true\n'


def test_the_user_switched_off_by_hand_then_off_changes_nothing(tmp_path: Path) -> None:
    path, _on = switched_on(tmp_path)
    path.write_bytes(ORIGINAL)  # restored from their own copy
    switch = make_switch(tmp_path, None)
    plan = switch.plan(False)
    assert plan.noop
    assert not switch.apply(plan).changed and read(path) == ORIGINAL
    assert not switch.status().ours


CRLF = (CONFIGS / "45_crlf_typical.toml").read_bytes()
INLINE_PROVIDERS = (CONFIGS / "16_inline_model_providers.toml").read_bytes()
CUSTOM_INLINE_WS = (CONFIGS / "53_toml11_inline_custom_provider.toml").read_bytes()


def test_a_newline_rewrite_does_not_hide_our_lines(tmp_path: Path) -> None:
    """An editor (or Codex) saved the switched CRLF file with LF: "off" still finds ours."""
    path, on = switched_on(tmp_path, CRLF)
    path.write_bytes(on.replace(b"\r\n", b"\n") + b'\n[history]\npersistence = "none"\n')
    switch = make_switch(tmp_path, None)
    result = switch.apply(switch.plan(False))
    assert result.changed
    assert read(path) == CRLF.replace(b"\r\n", b"\n") + b'\n[history]\npersistence = "none"\n'
    assert "changed after Codex Link set it" not in str(result.message)
    assert not switch.status().http_only


def test_reformatted_lines_are_still_ours_by_meaning(tmp_path: Path) -> None:
    """Spacing and quoting rewritten (a formatter): same keys, same values, so still ours."""
    path, on = switched_on(tmp_path)
    reformatted = (
        on.replace(b'model_provider = "openai_http"', b"model_provider='openai_http'")
        .replace(b'name = "OpenAI"', b"name   =   'OpenAI'")
        .replace(b"requires_openai_auth = true", b"requires_openai_auth=true")
    )
    assert reformatted != on
    path.write_bytes(reformatted)
    switch = make_switch(tmp_path, None)
    switch.apply(switch.plan(False))
    assert read(path) == ORIGINAL


def test_a_table_that_someone_added_to_is_theirs(tmp_path: Path) -> None:
    path, on = switched_on(tmp_path)
    path.write_bytes(on + b"stream_max_retries = 9\n")  # lands in our [model_providers.*]
    switch = make_switch(tmp_path, None)
    plan = switch.plan(False)
    switch.apply(plan)
    after = read(path)
    assert after is not None and b"[model_providers.openai_http]" in after
    assert b"stream_max_retries = 9" in after and SELECTOR not in after
    assert any("Left model_providers.openai_http as it is" in str(n) for n in plan.notes)


def test_an_inline_entry_rewritten_on_other_lines_is_found(tmp_path: Path) -> None:
    """Our provider as an inline entry, respaced by a formatter: still ours, still goes."""
    path, on = switched_on(tmp_path, INLINE_PROVIDERS)
    assert b", openai_http = { name = " in on
    path.write_bytes(
        on.replace(b", openai_http = { name = ", b",\n  openai_http={name=").replace(
            b"supports_websockets = false }", b"supports_websockets=false}"
        )
    )
    switch = make_switch(tmp_path, None)
    switch.apply(switch.plan(False))
    assert read(path) == INLINE_PROVIDERS


def test_a_replaced_value_goes_back_in_the_spacing_someone_gave_it(tmp_path: Path) -> None:
    path, on = switched_on(tmp_path, CUSTOM_INLINE_WS)
    path.write_bytes(on.replace(b"supports_websockets = false", b"supports_websockets=false"))
    switch = make_switch(tmp_path, None)
    switch.apply(switch.plan(False))
    assert read(path) == CUSTOM_INLINE_WS.replace(
        b"supports_websockets = true", b"supports_websockets=true"
    )
