"""The status window and the About dialog name the Codex in use and its version."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from codex_link.core.codex.installed import CodexInstall, InstalledCodex, InstallKind
from codex_link.core.prefs import Language
from codex_link.ui.about import AboutDialog
from codex_link.ui.i18n import Translations
from codex_link.ui.icons import IconSet
from codex_link.ui.status_window import StatusWindow

NPM_ON_PATH = CodexInstall(Path("/usr/local/bin/codex"), InstallKind.NPM, on_path=True)


def _window(codex: InstalledCodex | None) -> StatusWindow:
    return StatusWindow(IconSet(), codex=lambda: codex)


def test_the_window_names_the_codex_in_use(qapp: QApplication) -> None:
    window = _window(InstalledCodex(NPM_ON_PATH, "0.169.0"))
    assert window.codex_label.text() == "Codex 0.169.0 (npm, PATH)"


def test_a_version_the_facts_were_not_checked_on_is_said(qapp: QApplication) -> None:
    desktop = CodexInstall(
        Path("/Applications/ChatGPT.app/Contents/Resources/codex"),
        InstallKind.DESKTOP_APP,
        on_path=False,
    )
    window = _window(InstalledCodex(desktop, "0.180.0"))
    assert window.codex_label.text() == (
        "Codex 0.180.0 (desktop app): not a version Codex Link's facts were checked on "
        "(it uses those of 0.171.0)"
    )


def test_no_codex_is_said_plainly(qapp: QApplication) -> None:
    assert _window(None).codex_label.text() == "Codex not found on this computer"


def test_the_line_follows_the_language(qapp: QApplication) -> None:
    translations = Translations(qapp)
    window = _window(InstalledCodex(NPM_ON_PATH, "0.171.0"))
    try:
        assert translations.apply(Language.ZH_CN)
        window.retranslate()
        assert window.codex_label.text() == "Codex 0.171.0（npm，PATH）"
    finally:
        translations.apply(Language.EN)
        window.retranslate()
    assert window.codex_label.text() == "Codex 0.171.0 (npm, PATH)"


def test_the_about_dialog_names_the_codex_in_use(qapp: QApplication) -> None:
    brew = CodexInstall(Path("/opt/homebrew/bin/codex"), InstallKind.HOMEBREW, on_path=True)
    dialog = AboutDialog(IconSet(), qt_version="6", codex=lambda: InstalledCodex(brew, None))
    assert dialog.codex_label.text() == "Codex of unknown version (Homebrew, PATH)"
