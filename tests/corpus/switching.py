"""Shared set-up and checks for the switch tests: a throw-away Codex home and a diff judge."""

from __future__ import annotations

import difflib
import os
import re
from datetime import UTC, datetime
from pathlib import Path

from codex_link.core.codex.switch.toggle import HttpOnlySwitch
from codex_link.core.model.codex_home import CodexHome

FIXED_NOW = datetime(2026, 11, 21, 10, 15, 0, tzinfo=UTC)
BOM = "\ufeff"

# Lines "on" may add: the selector, the HTTP-only provider table, a supports_websockets line.
_OUR_LINES = re.compile(
    r"""^(?:
        |model_provider\ =\ "[\w-]+"
        |\[model_providers\.[\w-]+\]
        |name\ =\ "OpenAI"
        |base_url\ =\ "[^"]*"
        |wire_api\ =\ "responses"
        |requires_openai_auth\ =\ true
        |(?:model_providers\.[\w-]+\.|[\w-]+\.)?supports_websockets\ =\ false
    )$""",
    re.VERBOSE,
)


def make_switch(root: Path, content: bytes | None, *, from_env: bool = True) -> HttpOnlySwitch:
    """A switch for `root/codex/config.toml` holding `content` (None: no file)."""
    home = root / "codex"
    home.mkdir(parents=True, exist_ok=True)
    if content is not None:
        (home / "config.toml").write_bytes(content)
    return HttpOnlySwitch(CodexHome(home, from_env=from_env), root / "state", now=lambda: FIXED_NOW)


def give_shape(config: Path, shape: str, content: bytes) -> None:
    """Makes `config` one of the corpus's `FILE_SHAPES`, holding `content` where it can."""
    if shape == "fifo":
        config.unlink(missing_ok=True)
        os.mkfifo(config)
        return
    config.write_bytes(content)
    if shape == "read_only":
        config.chmod(0o444)
    elif shape == "hard_link":
        os.link(config, config.with_name("config-shared.toml"))
    else:
        raise ValueError(shape)


def read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _lines(content: bytes | None) -> list[str]:
    if content is None:
        return []
    return content.decode("utf-8").removeprefix(BOM).splitlines()


def _normalise(line: str) -> str:
    """A line with our in-line additions taken out and switch values blanked."""
    line = re.sub(r"\{ openai_http(?:_\d+)? = \{[^{}]*\} \}", "{}", line)
    line = re.sub(r", openai_http(?:_\d+)? = \{[^{}]*\}", "", line)
    line = re.sub(r"(model_provider\s*=\s*)(\"[^\"]*\"|'[^']*')", r"\1<id>", line)
    return re.sub(r"(supports_websockets\s*=\s*)(true|false)", r"\1<bool>", line)


def assert_only_switch_lines_changed(before: bytes | None, after: bytes) -> None:
    """Every line of `before` is still there, in order, except the switch's own values.

    Added lines must be the switch's own lines; a changed line may differ from the old one
    only by the selector value, supports_websockets, or an entry added to an inline table.
    """
    old, new = _lines(before), _lines(after)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        added = {index: _normalise(line) for index, line in enumerate(new[j1:j2], j1)}
        for line in old[i1:i2]:
            wanted = _normalise(line)
            match = next((i for i, added_line in added.items() if _same(added_line, wanted)), None)
            assert match is not None, f"line lost or changed: {line!r}\n{_show(old, new)}"
            del added[match]
        for index in added:
            line = new[index]
            assert _OUR_LINES.match(line.strip()), f"unexpected line {line!r}\n{_show(old, new)}"


def _same(added: str, removed: str) -> bool:
    """Equal, or equal once an added inline `supports_websockets` entry is taken out."""
    return added == removed or added.replace(INLINE_ADDED, "") == removed


INLINE_ADDED = ", supports_websockets = <bool>"


def _show(old: list[str], new: list[str]) -> str:
    return "\n".join(difflib.unified_diff(old, new, lineterm=""))
