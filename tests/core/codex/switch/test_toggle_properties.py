"""Property tests: for generated configs, "on" then "off" gives back every byte.

The configs mix root keys (multi-line arrays and strings, dotted keys), tables (MCP servers,
projects with quoted paths, profiles, custom providers, arrays of tables), comments (also
Chinese and indented ones), blank lines, trailing comments, LF or CRLF, BOM, and a final
newline or not. Example counts are bounded so the module stays well under 30 s.
"""

from __future__ import annotations

import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codex_link.core.codex.providers import resolve_provider
from tests.corpus.switching import assert_only_switch_lines_changed, make_switch, read

ROOT_ITEMS = (
    'model = "gpt-5.5-codex"',
    'approval_policy = "on-request"',
    'notify = ["python3", "/home/u/.codex/notify.py"]',
    'writable = [\n  "/a",\n  "/b", # second\n]',
    'developer_instructions = """\n[not.a.table]\nmodel_provider = "no"\n"""',
    "windows_path = 'C:\\Users\\u'",
    'openai_base_url = "http://127.0.0.1:9/v1"',
    'model_provider = "openai"',
    'history.persistence = "none"',
    '"quoted key" = "v # not a comment"',
)
TABLES = (
    "[tui]\nnotifications = true",
    '[mcp_servers.docs]\ncommand = "uvx"\nargs = ["mcp-docs", "--dir", "/home/u/my docs"]',
    '[mcp_servers.docs.env]\nTOKEN = "x=y#z"',
    '[projects."/home/u/my proj"]\ntrust_level = "trusted"',
    '[projects."/home/张三/项目"]\ntrust_level = "untrusted"',
    "[features]\nweb_search_request = true",
    '[profiles.fast]\nmodel = "o4-mini"',
    '[model_providers.openai_http]\nname = "Someone else"\nbase_url = "http://127.0.0.1:9/v1"',
    '[[hooks.session_start]]\ncommand = ["echo", "hi"]',
)
CORP = '[model_providers.corp]\nname = "Corp"\nbase_url = "http://127.0.0.1:9/v1"{ws}'
FILLERS = ("", "# comment", "# 中文注释：代理设置", "   # indented comment", "\t")


@dataclass(frozen=True)
class Generated:
    content: bytes

    def __repr__(self) -> str:
        return f"Generated({self.content!r})"


@st.composite
def configs(draw: st.DrawFn) -> Generated:
    roots = draw(st.lists(st.sampled_from(ROOT_ITEMS), unique=True, max_size=6))
    tables = draw(st.lists(st.sampled_from(TABLES), unique=True, max_size=5))
    corp = draw(st.sampled_from(("none", "ws_on", "ws_absent", "ws_true_inline")))
    if corp != "none":
        roots = [r for r in roots if not r.startswith(("model_provider", "openai_base"))]
        roots.append('model_provider = "corp"')
        if corp == "ws_true_inline":
            roots.append('model_providers.corp = { name = "Corp", supports_websockets = true }')
            tables = [t for t in tables if "model_providers" not in t]
        else:
            ws = "\nsupports_websockets = true" if corp == "ws_on" else ""
            tables.append(CORP.format(ws=ws))
    roots = draw(st.permutations(roots))
    tables = draw(st.permutations(tables))
    lines: list[str] = []
    for item in [*roots, *tables]:
        lines.extend(draw(st.lists(st.sampled_from(FILLERS), max_size=2)))
        if "\n" not in item and draw(st.booleans()):
            item += "  # note"
        lines.append(item)
    lines.extend(draw(st.lists(st.sampled_from(FILLERS), max_size=2)))
    newline = draw(st.sampled_from(("\n", "\r\n")))
    text = "\n".join(lines).replace("\n", newline)
    if draw(st.booleans()):
        text += newline
    if draw(st.booleans()):
        text = "\ufeff" + text
    return Generated(text.encode("utf-8"))


def _parse(content: bytes) -> dict[str, object]:
    return tomllib.loads(content.decode("utf-8").removeprefix("\ufeff"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(configs())
def test_on_then_off_is_byte_identical(generated: Generated) -> None:
    original = generated.content
    websockets_before = resolve_provider(_parse(original)).supports_websockets
    with tempfile.TemporaryDirectory() as folder:
        switch = make_switch(Path(folder), original)
        plan = switch.plan(True)
        assert plan.noop is not websockets_before
        switch.apply(plan)
        if plan.noop:  # already HTTP-only: nothing written, and nothing of ours to undo
            assert read(switch.path) == original
            return
        after = read(switch.path)
        assert after is not None
        assert not resolve_provider(_parse(after)).supports_websockets
        assert_only_switch_lines_changed(original, after)
        switch.apply(switch.plan(False))
        assert read(switch.path) == original


def _prepend_comment(text: bytes) -> bytes:
    bom = b"\xef\xbb\xbf" if text.startswith(b"\xef\xbb\xbf") else b""
    newline = b"\r\n" if b"\r\n" in text else b"\n"
    return bom + b"# edited by hand" + newline + text.removeprefix(bom)


def _append_table(text: bytes) -> bytes:
    newline = b"\r\n" if b"\r\n" in text else b"\n"
    return text + newline + b"[zz_added_by_user]" + newline + b"k = 1" + newline


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(configs(), st.sampled_from((_prepend_comment, _append_table)))
def test_off_keeps_the_users_edits_made_while_on(generated: Generated, edit: object) -> None:
    original = generated.content
    assert callable(edit)
    if not resolve_provider(_parse(original)).supports_websockets:
        return  # "on" changes nothing here; covered above
    with tempfile.TemporaryDirectory() as folder:
        switch = make_switch(Path(folder), original)
        switch.apply(switch.plan(True))
        on = read(switch.path)
        switch.path.write_bytes(edit(on))
        switch.apply(switch.plan(False))
        assert read(switch.path) == edit(original)
