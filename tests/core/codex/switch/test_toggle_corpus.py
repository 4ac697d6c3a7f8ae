"""Every corpus config: "on" changes only the switch's lines, "off" gives back every byte."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from codex_link.core.codex.config_file import ConfigParseError, parse_config_bytes
from codex_link.core.codex.findings import config_findings
from codex_link.core.codex.providers import resolve_provider
from codex_link.core.codex.settings import load_settings
from codex_link.core.codex.switch.toggle import ConfigRefused, SwitchFailed, SwitchRefused
from codex_link.core.model.findings import Severity
from tests.corpus.loader import CONFIGS, FILE_SHAPES, CorpusCase, all_cases
from tests.corpus.switching import (
    assert_only_switch_lines_changed,
    give_shape,
    make_switch,
    read,
)

CASES = all_cases()
ACCEPTED = [case for case in CASES if not case.codex_refuses]
REFUSED = [case for case in CASES if case.codex_refuses]


def _websockets_on(content: bytes | None) -> bool:
    data = parse_config_bytes(Path("config.toml"), content).data if content is not None else {}
    return resolve_provider(data).supports_websockets


def test_the_corpus_is_big_enough() -> None:
    stored = [case for case in CASES if "+" not in case.name]
    assert len(stored) >= 40
    assert {"crlf", "bom", "nofinalnl"} <= {case.name.split("+")[-1] for case in CASES}


@pytest.mark.parametrize("case", ACCEPTED, ids=str)
def test_on_then_off_gives_back_the_original_bytes(case: CorpusCase, tmp_path: Path) -> None:
    switch = make_switch(tmp_path, case.content)
    config = switch.path
    plan = switch.plan(True)
    if not _websockets_on(case.content):
        assert plan.noop
        result = switch.apply(plan)
        assert not result.changed and read(config) == case.content
        assert switch.status().http_only and not switch.status().ours
        return

    assert not plan.noop and plan.before == case.content
    result = switch.apply(plan)
    after = read(config)
    assert result.changed and after == plan.after
    assert after is not None
    assert_only_switch_lines_changed(case.content, after)
    parsed = parse_config_bytes(config, after)  # tomllib accepts it
    assert parsed.has_bom == (case.content or b"").startswith(b"\xef\xbb\xbf")
    assert not resolve_provider(parsed.data).supports_websockets
    if case.content:
        assert (b"\r\n" in after) == (b"\r\n" in case.content)
        assert after.endswith(b"\n") == case.content.endswith(b"\n")
    status = switch.status()
    assert status.http_only and status.ours
    if case.content is not None:
        assert result.backup is not None and result.backup.read_bytes() == case.content
    assert "Restart Codex" in str(result.message)

    off = switch.apply(switch.plan(False))
    assert off.changed
    assert read(config) == case.content  # byte for byte (or missing again)
    assert switch.status().http_only is False and not switch.status().ours


@pytest.mark.parametrize("case", REFUSED, ids=str)
def test_files_codex_refuses_are_refused_and_reported(case: CorpusCase, tmp_path: Path) -> None:
    switch = make_switch(tmp_path, case.content)
    try:
        data = parse_config_bytes(switch.path, case.content or b"").data
    except ConfigParseError as exc:  # Codex's parser refuses it (e.g. nested too deeply)
        with pytest.raises(ConfigRefused) as unparsable:
            switch.plan(True)
        assert unparsable.value.error == exc.error
        settings = load_settings(switch.home, {})
        assert settings.config_error == exc.error  # `codex-link config` says the same
        assert exc.error.line is not None and "(" not in exc.error.message
    else:
        with pytest.raises(SwitchRefused) as refused:
            switch.plan(True)
        errors = {
            str(f.message)
            for f in config_findings(data, switch.path)
            if f.severity is Severity.ERROR
        }
        assert str(refused.value.reason) in errors  # the same words as `codex-link config`
        assert str(refused.value.reason) in map(str, switch.status().notes)
    assert read(switch.path) == case.content
    assert not (tmp_path / "state").exists()
    assert [p.name for p in switch.path.parent.iterdir()] == ["config.toml"]


def test_corpus_files_are_toml_that_codex_parses() -> None:
    for case in CASES:
        if case.content is not None and not case.name.startswith("refused_deep"):
            parse_config_bytes(Path(case.name), case.content)


def test_the_corpus_has_toml_1_1_that_python_s_own_parser_refuses() -> None:
    """Why the app does not judge with `tomllib`: Codex accepts these, tomllib does not."""
    toml_1_1 = [case for case in CASES if "toml11" in case.name and "+" not in case.name]
    assert len(toml_1_1) >= 3
    for case in toml_1_1:
        assert case.content is not None and not case.codex_refuses
        with pytest.raises(tomllib.TOMLDecodeError):
            tomllib.loads(case.content.decode("utf-8"))


SHAPE_WORDS = {
    "read_only": "is read-only",
    "hard_link": "has 2 names (hard links)",
    "fifo": "named pipe (FIFO)",
}


@pytest.mark.parametrize("enable", [True, False], ids=["on", "off"])
@pytest.mark.parametrize("shape", FILE_SHAPES)
def test_odd_file_shapes_are_left_alone_with_the_reason(
    shape: str, enable: bool, tmp_path: Path
) -> None:
    original = (CONFIGS / "45_crlf_typical.toml").read_bytes()
    switch = make_switch(tmp_path, original)
    if not enable:
        switch.apply(switch.plan(True))
    before = read(switch.path) if shape != "fifo" else None
    give_shape(switch.path, shape, before or original)
    names = sorted(p.name for p in switch.path.parent.iterdir())
    with pytest.raises((SwitchRefused, SwitchFailed)) as refused:
        switch.apply(switch.plan(enable))
    assert SHAPE_WORDS[shape] in str(refused.value.reason)
    assert sorted(p.name for p in switch.path.parent.iterdir()) == names  # no temp, no backup
    if shape != "fifo":
        assert read(switch.path) == (before or original)
