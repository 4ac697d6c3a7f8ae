"""English and Simplified Chinese ship together: every message translated, the compiled
catalog up to date, and a snapshot rendered in Chinese end to end."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from codex_link.core.model.probe import Transport
from codex_link.core.prefs import Language
from codex_link.ui.i18n import (
    CHINESE,
    ENGLISH,
    SYSTEM,
    Translations,
    join_sentences,
    render,
    resolve_language,
)
from tests import factories as f
from tests.catalog import QM, TS, messages
from tests.ui.conftest import Rig

REPO = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
HAN = re.compile(r"[\u4e00-\u9fff]")


def _tool(name: str) -> str:
    """pyside6-lupdate / pyside6-lrelease beside this Python (the PySide6 wheel ships them)."""
    found = shutil.which(f"pyside6-{name}", path=str(Path(sys.executable).parent))
    found = found or shutil.which(f"pyside6-{name}")
    if found is None:
        pytest.skip(f"pyside6-{name} is not installed")
    return found


def test_every_message_has_a_finished_chinese_translation() -> None:
    found = messages(TS)
    assert len(found) > 100
    for context, source, message in found:
        translation = message.find("translation")
        assert translation is not None
        assert translation.get("type") not in ("unfinished", "obsolete", "vanished"), source
        text = translation.text or ""
        assert text.strip(), f"{context}: {source!r} has no translation"
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)), source
        if HAN.search(source) is None and re.search(r"[a-z]{4,} [a-z]{3,}", source):
            assert HAN.search(text), f"{source!r} looks untranslated: {text!r}"


def test_the_ts_file_holds_every_message_in_the_code(tmp_path: Path) -> None:
    """New sentences in app/ (core or UI) must be extracted and translated before shipping."""
    copy = tmp_path / TS.name
    shutil.copyfile(TS, copy)
    sources = sorted(str(p) for p in (REPO / "app").rglob("*.py"))
    subprocess.run(
        [_tool("lupdate"), *sources, "-ts", str(copy), "-no-obsolete", "-locations", "none"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    shipped = {(c, s) for c, s, _ in messages(TS)}
    current = {(c, s) for c, s, _ in messages(copy)}
    assert current - shipped == set(), "run pyside6-lupdate and translate the new messages"
    assert shipped - current == set(), "the .ts holds messages the code no longer has"


def test_the_compiled_catalog_matches_the_ts(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.qm"
    subprocess.run(
        [_tool("lrelease"), str(TS), "-qm", str(fresh)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    assert fresh.read_bytes() == QM.read_bytes(), "run pyside6-lrelease on the .ts"


@pytest.mark.parametrize(
    ("preference", "system", "expected"),
    [
        ("system", "zh_CN", CHINESE),
        ("system", "zh_TW", CHINESE),
        ("system", "en_US", ENGLISH),
        ("system", "de_DE", ENGLISH),
        ("en", "zh_CN", ENGLISH),
        ("zh_CN", "en_US", CHINESE),
    ],
)
def test_language_follows_the_system_unless_chosen(
    preference: str, system: str, expected: str
) -> None:
    assert resolve_language(preference, system) is Language(expected)


def test_the_ui_speaks_the_languages_the_settings_store() -> None:
    assert {SYSTEM, ENGLISH, CHINESE} == set(Language)


def test_a_snapshot_renders_in_chinese(rig: Rig, qapp: QApplication) -> None:
    snapshot = f.ws_blocked()
    rig.monitor.publish(snapshot)
    assert snapshot.verdict.title is not None
    english_title = render(snapshot.verdict.title)
    rig.shell.tray.language_actions[CHINESE].trigger()
    assert rig.saved[-1].language is Language.ZH_CN
    tray = rig.shell.tray
    chinese_title = render(snapshot.verdict.title)
    assert chinese_title != english_title and HAN.search(chinese_title)
    assert chinese_title in tray.icon.toolTip()
    assert tray.http_only_action.text() == "仅用 HTTP（跳过 WebSocket）"
    assert tray.transport_actions[Transport.WEBSOCKET].text() == "WebSocket：不通（超时）"
    assert rig.shell.window.action_button.text() == "仅用 HTTP"
    assert rig.shell.window.headline_label.text() == chinese_title
    assert tray.language_actions[CHINESE].isChecked()

    rig.shell.tray.language_actions[ENGLISH].trigger()
    assert tray.http_only_action.text() == "Use HTTP only (skip WebSocket)"
    assert render(snapshot.verdict.title) == english_title


def test_chinese_sentences_are_joined_without_a_space() -> None:
    assert join_sentences(["先修网络。", "再检查。"]) == "先修网络。再检查。"
    assert join_sentences(["Fix it.", "Check again."]) == "Fix it. Check again."
    assert join_sentences(["", "Only one."]) == "Only one."


def test_english_needs_no_catalog(qapp: QApplication) -> None:
    translations = Translations(qapp)
    assert translations.apply(ENGLISH)
    assert translations.apply(CHINESE)
    assert translations.language == CHINESE
    assert translations.apply(ENGLISH)
