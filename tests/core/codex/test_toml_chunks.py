"""The chunked parse gives the whole parse's verdict, error and data for the kept keys.

Chunks are made as small as possible here (one table or key each), so every rule that
relates two statements (duplicate keys, a table defined twice, dotted keys vs headers,
inline tables vs headers, arrays of tables and their sub-tables, quoted vs bare keys) is
tested across chunks.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codex_link.core.codex.findings import config_findings
from codex_link.core.codex.profiles import find_profiles
from codex_link.core.codex.providers import resolve_provider
from codex_link.core.codex.settings import SETTINGS_KEYS
from codex_link.core.codex.switch.findings import codex_refusals
from codex_link.core.codex.toml_chunks import ChunkedToml, partition
from codex_link.core.codex.toml_parser import TomlSyntaxError, loads
from codex_link.core.model.codex_home import CodexHome
from tests.corpus.loader import CONFIGS

SMALLEST = 1  # every unit its own chunk


def whole(text: str) -> tuple[str, Any]:
    try:
        return "ok", loads(text)
    except TomlSyntaxError as exc:
        return "refused", (exc.message, exc.line, exc.column)


def chunked(text: str, keep: frozenset[str]) -> tuple[str, Any]:
    try:
        return "ok", ChunkedToml.parse(text, keep, SMALLEST).data
    except TomlSyntaxError as exc:
        return "refused", (exc.message, exc.line, exc.column)


def assert_same(text: str, keep: frozenset[str] | None = None) -> None:
    verdict, expected = whole(text)
    if keep is None:
        keep = frozenset(expected) if verdict == "ok" else frozenset()
    got_verdict, got = chunked(text, keep)
    assert got_verdict == verdict, text
    if verdict == "ok":
        assert got == {key: value for key, value in expected.items() if key in keep}, text
    else:
        assert got == expected, text


CORPUS = sorted(CONFIGS.glob("*.toml"))


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_configs_parse_the_same(path: Path) -> None:
    text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    assert_same(text)
    assert_same(text, SETTINGS_KEYS)


SHAPES = [
    # TOML 1.1, which Codex accepts
    "a = { x = 1,\n  y = 2, }\n[b]\nc = 1\n",
    'a = "\\e\\x41"\n[b.c]\nd = 07:32\n',
    # duplicates and conflicts across chunks
    "[a.x]\nk = 1\n[b]\nz = 0\n[a.x]\nk = 2\n",
    '[a.x]\nk = 1\n[a."x"]\nk = 2\n',
    "[a.x]\nk = 1\n[a.'x']\nj = 2\n",
    "[a.x]\nk = 1\n[a]\nx.j = 2\n",
    "[a]\nx.k = 1\n[a.x]\nj = 2\n",
    "a.x.k = 1\n[a.x]\nj = 2\n",
    "a = { x = { k = 1 } }\n[a.y]\nj = 2\n",
    "a = { x = 1 }\n[a.x]\nj = 2\n",
    "[[a.x]]\nk = 1\n[a.y]\nz = 1\n[a.x.sub]\nj = 2\n[[a.x]]\nk = 3\n",
    "[[a]]\nk = 1\n[a.x]\nj = 2\n[[a]]\n[a.x]\nj = 3\n",
    "[a.x]\nk = 1\n[[a.x]]\nj = 2\n",
    "[a.x.y]\nk = 1\n[a.x]\ny = 2\n",
    "[a.x]\n[b.y]\n[a.x]\n",
    '["a".x]\nk = 1\n[a."x"]\nk = 1\n',
    '["\\u0061".x]\nk = 1\n[a.x]\nk = 1\n',
    '[a."x.y"]\nk = 1\n[a.x.y]\nk = 1\n',
    'model_provider = "p"\n[model_providers.p]\nname = "P"\n[projects."/x"]\nt = 1\n',
    '[model_providers.p]\nname = "P"\n[model_providers."p"]\nname = "Q"\n',
    # multi-line values that hold lines looking like headers
    'a = """\n[b]\nc = 1\n"""\n[b]\nc = 2\n',
    "a = '''\n[b.x]\n'''\n[b.x]\nk = 1\n[b.y]\n",
    'a = [\n  ["x"],\n]\n[x]\nk = 1\n',
    '[t]\na = [\n["x"]\n]\n[x]\n',
    '[t]\na = [\n["x"], [1]]\n[x.y]\n',
    '[t]\na = {\n  b = [\n["t"]\n  ]}\n',
    # syntax errors, anywhere
    "[a.x]\nk = 1\n[b.y]\nk = \n",
    '[a.x]\nk = "unterminated\n[b.y]\nk = 1\n',
    "[a.x]\nk = 'it\\'s'\n[b.y]\n",
    "[a.x]\nk = 1 2\n",
    "[a.x] junk\n[b.y]\n",
    "[a.x]]\n[b.y]\n",
    "  [a.x]\nk = 1\n [a.x]\n",
    "[a.x]\r\nk = 1\r\n[a.x]\r\n",
    "[a.x]\nk = 1\r[b.y]\n",
    "[a.x]\n# bad \x01 comment\n[b.y]\n",
    "# bad \x7f comment\n[a.x]\n",
    "[a.x]\nk = 1",
    "[a.x]\nk = [1,\n",
    'k = """\n',
    "[",
    "",
    "\n\n# only a comment",
]


@pytest.mark.parametrize("text", SHAPES)
def test_shapes_parse_the_same(text: str) -> None:
    assert_same(text)
    assert_same(text, frozenset({"a"}))
    assert_same(text, frozenset())


def test_a_big_config_is_cut_into_chunks_of_whole_tables() -> None:
    text = "".join(f'[projects."/home/u/p{n}"]\ntrust_level = "trusted"\n\n' for n in range(500))
    chunks = partition(text, SETTINGS_KEYS, 1024)
    assert len(chunks) > 20
    assert_same(text)


# ----- generated documents -----------------------------------------------------------------

FIRST = ("a", '"a"', "b", "model_providers")
SECOND = ("x", '"x"', "'x'", "y", '"x.y"')
LEAF = ("k", "j", '"k"')
VALUES = ("1", '"v"', "[1, 2]", "{ k = 1 }", "{ x = { k = 1 } }", '"""\n[a.x]\n"""', "[\n1,\n]")


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 3))):
        key = draw(st.sampled_from(FIRST))
        if draw(st.booleans()):
            key += "." + draw(st.sampled_from(SECOND))
        lines.append(f"{key} = {draw(st.sampled_from(VALUES))}")
    for _ in range(draw(st.integers(1, 7))):
        path = [draw(st.sampled_from(FIRST))]
        path += draw(st.lists(st.sampled_from(SECOND + LEAF), max_size=2))
        header = ".".join(path)
        lines.append(f"[[{header}]]" if draw(st.integers(0, 4)) == 0 else f"[{header}]")
        for _ in range(draw(st.integers(0, 2))):
            key = draw(st.sampled_from(LEAF + SECOND))
            if draw(st.integers(0, 3)) == 0:
                key += "." + draw(st.sampled_from(LEAF))
            lines.append(f"{key} = {draw(st.sampled_from(VALUES))}")
        if draw(st.integers(0, 5)) == 0:
            lines.append("# a comment")
    return "\n".join(lines) + "\n"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_documents_parse_the_same(text: str) -> None:
    assert_same(text)
    assert_same(text, frozenset({"model_providers"}))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.data())
def test_verify_of_an_edit_agrees_with_the_whole_parse(text: str, data: st.DataObject) -> None:
    """An edited text is accepted exactly when it parses, with the kept keys as expected
    and every other key as before."""
    if whole(text)[0] != "ok":
        return
    keep = frozenset({"model_providers", "a"})
    base = ChunkedToml.parse(text, keep, SMALLEST)
    lines = text.splitlines(keepends=True)
    at = data.draw(st.integers(0, len(lines)))
    if data.draw(st.booleans()) and at < len(lines):
        edited = "".join(lines[:at] + lines[at + 1 :])
    else:
        extra = data.draw(
            st.sampled_from(
                ("[b.z]\n", "k = 5\n", "[model_providers.q]\n", "a.z = 1\n", '[a."x"]\n', "x = [\n")
            )
        )
        edited = "".join([*lines[:at], extra, *lines[at:]])
    verdict, new = whole(edited)
    if verdict != "ok":
        with pytest.raises(TomlSyntaxError) as raised:
            base.verify(edited, {})
        assert (raised.value.message, raised.value.line, raised.value.column) == new
        return
    old = loads(text)
    expected = {key: value for key, value in new.items() if key in keep}
    same_others = {k: v for k, v in new.items() if k not in keep} == {
        k: v for k, v in old.items() if k not in keep
    }
    result = base.verify(edited, expected)
    assert (result is not None) == same_others
    if result is not None:
        assert result.data == expected


# ----- the switch keeps every key its checks read ------------------------------------------


class Recording(dict[str, Any]):
    """A config that notes each top-level key asked for."""

    def __init__(self, data: Mapping[str, Any], seen: set[str]) -> None:
        super().__init__(data)
        self.seen = seen

    def get(self, key: str, default: Any = None) -> Any:
        self.seen.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        self.seen.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self.seen.add(str(key))
        return super().__contains__(key)

    def items(self) -> Any:  # a check that walks every key would need them all
        raise AssertionError("the switch's checks must ask for keys by name")

    def __iter__(self) -> Iterator[str]:
        raise AssertionError("the switch's checks must ask for keys by name")


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_switch_keys_cover_what_the_checks_read(path: Path, tmp_path: Path) -> None:
    try:
        data = loads(path.read_bytes().decode("utf-8").removeprefix("\ufeff"))
    except TomlSyntaxError:
        return
    seen: set[str] = set()
    config = Recording(data, seen)
    home = CodexHome(tmp_path, from_env=False)
    codex_refusals(tmp_path / "config.toml", config)
    config_findings(config, tmp_path / "config.toml")
    find_profiles(home, config)
    resolve_provider(config)
    assert seen <= SETTINGS_KEYS
