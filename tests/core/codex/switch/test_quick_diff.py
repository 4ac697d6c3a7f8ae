"""The switch's diff: the same as difflib's for every corpus switch, and always a true patch."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codex_link.core.codex.file_edit.quick_diff import unified_diff
from codex_link.core.codex.switch.toggle import SwitchRefused
from tests.corpus.loader import CorpusCase, all_cases
from tests.corpus.switching import make_switch

HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def patched(a: list[str], diff: str) -> list[str]:
    """`a` with the unified `diff` applied (context lines must match)."""
    out: list[str] = []
    lines = diff.splitlines(keepends=True)[2:]
    position = 0
    for line in lines:
        match = HUNK.match(line)
        if match:
            start = int(match.group(1)) - (0 if match.group(2) == "0" else 1)
            out += a[position:start]
            position = start
        elif line.startswith(" "):
            assert a[position] == line[1:]
            out.append(line[1:])
            position += 1
        elif line.startswith("-"):
            assert a[position] == line[1:]
            position += 1
        elif line.startswith("+"):
            out.append(line[1:])
    return out + a[position:]


@pytest.mark.parametrize("case", [c for c in all_cases() if not c.codex_refuses], ids=str)
def test_the_same_diff_as_difflib_for_every_corpus_switch(case: CorpusCase, tmp_path: Path) -> None:
    switch = make_switch(tmp_path, case.content)
    try:
        plan = switch.plan(True)
    except SwitchRefused:
        return
    a = (case.content or b"").decode().splitlines(keepends=True)
    b = plan.after.decode().splitlines(keepends=True)
    expected = "".join(difflib.unified_diff(a, b, fromfile="x", tofile="x"))
    assert unified_diff(a, b, "x", "x") == expected


lines = st.lists(st.sampled_from(["a\n", "b\n", "trust_level = 1\n", "\n", "[t]\n"]), max_size=60)


@settings(max_examples=300, deadline=None)
@given(
    lines,
    st.lists(
        st.tuples(st.integers(0, 60), st.integers(0, 2), lines.map(lambda x: x[:4])), max_size=4
    ),
)
def test_the_diff_always_turns_the_old_text_into_the_new(
    a: list[str], edits: list[tuple[int, int, list[str]]]
) -> None:
    b = list(a)
    for at, removed, inserted in edits:
        at = min(at, len(b))
        b[at : at + removed] = inserted
    assert patched(a, unified_diff(a, b, "x", "x")) == b


def test_a_huge_file_with_one_line_repeated_gets_two_small_hunks() -> None:
    """(How fast that is, is measured by bench.switch_cost.)"""
    a = ["[projects.x]\n", 'trust_level = "trusted"\n'] * 200_000
    b = ['model_provider = "openai_http"\n', *a, "[model_providers.openai_http]\n"]
    diff = unified_diff(a, b, "x", "x")
    assert diff.count("@@ -") == 2 and len(diff.splitlines()) < 20
    assert patched(a, diff) == b
