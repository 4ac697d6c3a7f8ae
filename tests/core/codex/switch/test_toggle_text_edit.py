"""Where the switch's text edits land, and how undo finds them again."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from codex_link.core.codex.switch.text_edit import Edit, EditRefused, TomlText
from codex_link.core.codex.toml_scan import Kind, scan
from tests.corpus.switching import make_switch, read

SELECTOR = '"openai_http"'


def undone(doc: TomlText, edit: Edit) -> str:
    result = doc.undo(edit)
    assert result is not None, "undo did not find the edit"
    return result.text


def test_a_root_key_never_lands_under_a_header() -> None:
    doc = TomlText('# about\nmodel = "o3"\n\n# servers\n[mcp_servers.x]\ncommand = "a"\n', "\n")
    new, edit = doc.insert_root_key("model_provider", SELECTOR)
    assert new.text == (
        '# about\nmodel = "o3"\nmodel_provider = "openai_http"\n\n# servers\n'
        '[mcp_servers.x]\ncommand = "a"\n'
    )
    assert tomllib.loads(new.text)["model_provider"] == "openai_http"
    assert undone(new, edit) == doc.text


def test_without_root_keys_it_goes_above_the_headers_own_comment() -> None:
    doc = TomlText("# my file\n\n# tui settings\n[tui]\nx = 1\n", "\n")
    new, _ = doc.insert_root_key("model_provider", SELECTOR)
    assert new.text == (
        '# my file\n\nmodel_provider = "openai_http"\n\n# tui settings\n[tui]\nx = 1\n'
    )


def test_crlf_and_no_final_newline_are_kept() -> None:
    doc = TomlText('model = "o3"', "\r\n")
    new, _ = doc.insert_root_key("model_provider", SELECTOR)
    assert new.text == 'model = "o3"\r\nmodel_provider = "openai_http"'
    newer, _ = new.add_table(("model_providers", "openai_http"), {"name": '"OpenAI"'})
    assert newer.text == new.text + '\r\n\r\n[model_providers.openai_http]\r\nname = "OpenAI"'


def test_inline_and_dotted_forms_are_edited_in_their_own_form() -> None:
    inline = TomlText("model_providers = {}\n", "\n")
    new, edit = inline.add_table(("model_providers", "openai_http"), {"name": '"OpenAI"'})
    assert new.text == 'model_providers = { openai_http = { name = "OpenAI" } }\n'
    assert undone(new, edit) == inline.text

    dotted = TomlText('model_providers.corp.name = "C"\n[tui]\nx = 1\n', "\n")
    new, edit = dotted.insert_key(("model_providers", "corp"), "supports_websockets", "false")
    assert new.text == (
        'model_providers.corp.name = "C"\n'
        "model_providers.corp.supports_websockets = false\n[tui]\nx = 1\n"
    )
    assert undone(new, edit) == dotted.text


def test_quoted_and_unicode_ids_are_rendered_as_toml_keys() -> None:
    doc = TomlText('[model_providers."公司 网关"]\nname = "C"\n', "\n")
    new, _ = doc.insert_key(("model_providers", "公司 网关"), "supports_websockets", "false")
    assert tomllib.loads(new.text)["model_providers"]["公司 网关"]["supports_websockets"] is False


def test_a_table_written_nowhere_is_refused() -> None:
    doc = TomlText('[model_providers.corp.http_headers]\nX = "1"\n', "\n")
    with pytest.raises(EditRefused):
        doc.insert_key(("model_providers", "corp"), "supports_websockets", "false")


def test_undo_finds_our_line_after_the_user_edited_around_it() -> None:
    doc = TomlText("[tui]\nx = 1\n", "\n")
    new, edit = doc.insert_root_key("model_provider", SELECTOR)
    assert new.text.startswith('model_provider = "openai_http"\n\n[tui]')
    edited = TomlText(new.text.replace('"openai_http"\n\n', '"openai_http"\n'), "\n")
    assert undone(edited, edit) == "[tui]\nx = 1\n"
    changed = TomlText(new.text.replace('"openai_http"', '"corp"'), "\n")
    assert changed.undo(edit) is None  # their value now: left alone


def test_scan_ignores_look_alikes_inside_strings_and_arrays() -> None:
    text = (
        'a = """\n[not.a.table]\nmodel_provider = "x"\n"""\nb = [\n  "]", # ]\n]\n[real]\nc = 1\n'
    )
    statements = scan(text)
    headers = [s.table for s in statements if s.kind is Kind.TABLE]
    keys = [s.path for s in statements if s.kind is Kind.KEYVAL]
    assert headers == [("real",)] and keys == [("a",), ("b",), ("real", "c")]
    assert "".join(text[s.span.start : s.span.end] for s in statements) == text


def test_a_header_quoted_inside_a_string_is_not_taken_for_the_table(tmp_path: Path) -> None:
    """Headers are found by a quick search first: a look-alike line inside a multi-line
    string must not be edited (the result's check catches it, and a full scan decides)."""
    content = (
        b'model_provider = "corp"\n'
        b'notes = """\n[model_providers.corp]\nsupports_websockets = true\n"""\n\n'
        b'[model_providers.corp]\nname = "Corp"\nbase_url = "https://gw.corp.example/v1"\n'
        b"supports_websockets = true\n"
    )
    switch = make_switch(tmp_path, content)
    switch.apply(switch.plan(True))
    after = read(switch.path)
    assert after == content.replace(
        b'gw.corp.example/v1"\nsupports_websockets = true',
        b'gw.corp.example/v1"\nsupports_websockets = false',
    )
    switch.apply(switch.plan(False))
    assert read(switch.path) == content
