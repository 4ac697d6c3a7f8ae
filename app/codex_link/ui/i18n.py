"""Which language the UI speaks, and the bridge from core `Text` to Qt's translator.

Core sentences are `Text` templates marked with the context "CodexLink"; UI sentences use
`tr()` in their own contexts. Both are looked up in the one `codexlink_<lang>.qm` catalog.
English is the source language, so it needs no catalog.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from codex_link.core.model.text import CONTEXT, Text
from codex_link.core.prefs import Language
from codex_link.ui.resources import translations_dir

# The codes are the settings' own (`prefs.Language`), which also name the catalogs.
SYSTEM = Language.SYSTEM
ENGLISH = Language.EN
CHINESE = Language.ZH_CN


def resolve_language(preference: str, system_locale: str) -> Language:
    """The language to show: the user's choice, else the system's when we ship it."""
    if preference in (ENGLISH, CHINESE):
        return Language(preference)
    # Every Chinese locale gets the Simplified catalog: closer than English for zh_TW/zh_HK.
    return CHINESE if system_locale.lower().startswith("zh") else ENGLISH


def system_locale_name() -> str:
    return QLocale.system().name()


def translate_core(source: str) -> str:
    """`Translate` for `Text.render`: looks the template up under core's context."""
    return QCoreApplication.translate(CONTEXT, source)


def render(message: Text) -> str:
    return message.render(translate_core)


# Chinese sentences end in full-width punctuation and are joined without a space.
_FULL_WIDTH_ENDS = ("。", "！", "？", "：", "；", "）", "”")


def join_sentences(parts: list[str]) -> str:
    """Joins sentences as each language does: "One. Two." but "一。二。"."""
    joined = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if joined and not joined.endswith(_FULL_WIDTH_ENDS):
            joined += " "
        joined += part
    return joined


class Translations:
    """Installs the catalogs for one language at a time on the running application."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._installed: list[QTranslator] = []
        self.language: Language = ENGLISH

    def apply(self, language: str) -> bool:
        """Switches catalogs; False when the language's catalog could not be loaded."""
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed.clear()
        self.language = ENGLISH
        if language == ENGLISH:
            return True
        ours = QTranslator(self._app)
        if not ours.load(f"codexlink_{language}", str(translations_dir())):
            return False
        self._install(ours)
        # Qt's own strings (context menus in text fields, standard dialog buttons).
        qt_base = QTranslator(self._app)
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt_base.load(f"qtbase_{language}", qt_dir):
            self._install(qt_base)
        self.language = Language(language)
        return True

    def _install(self, translator: QTranslator) -> None:
        self._app.installTranslator(translator)
        self._installed.append(translator)
