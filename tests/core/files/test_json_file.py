"""The one JSON writer: readable documents, compact lines, files replaced whole."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from codex_link.core.files.json_file import json_document, json_line, write_json_file


def test_a_document_is_indented_keeps_non_ascii_and_ends_with_one_newline() -> None:
    text = json_document({"message": "代理 proxy", "n": [1]})
    assert text == '{\n  "message": "代理 proxy",\n  "n": [\n    1\n  ]\n}\n'


def test_a_line_is_compact_and_has_no_newline() -> None:
    assert json_line({"at": 1.5, "ok": True, "name": "é"}) == '{"at":1.5,"ok":true,"name":"é"}'


def test_a_file_is_written_in_utf8_in_a_new_private_folder(tmp_path: Path) -> None:
    path = tmp_path / "new/folder/settings.json"
    write_json_file(path, {"language": "zh_CN", "note": "中文"})
    assert json.loads(path.read_bytes().decode("utf-8")) == {"language": "zh_CN", "note": "中文"}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    write_json_file(path, [1])
    assert path.read_text(encoding="utf-8") == "[\n  1\n]\n"
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]  # no temp file left


def test_data_json_cannot_hold_leaves_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    write_json_file(path, {"a": 1})
    with pytest.raises(TypeError):
        write_json_file(path, {"a": object()})
    assert json.loads(path.read_text(encoding="utf-8")) == {"a": 1}
