"""Codex Link's own settings (not Codex's): how often to check, notifications, language...

Stored as JSON in the user's config folder. The file is read leniently: a missing file, broken
JSON, an unknown key or a value of the wrong type never stops the app; each bad value falls
back to its default with one log line, and a file that cannot be parsed at all is kept beside
as `settings.json.bad` before it is ever overwritten, so nothing the user wrote is lost.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import shutil
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from codex_link.core.files.json_file import write_json_file

log = logging.getLogger(__name__)

APP_DIR_NAME = "codex-link"
SETTINGS_FILE = "settings.json"

MIN_INTERVAL_S = 10.0  # faster would load a proxy for little gain
MAX_INTERVAL_S = 3600.0  # slower and the tray would be stale by the time Codex starts
MIN_CONFIRM = 1
MAX_CONFIRM = 10


class Language(StrEnum):
    """The UI languages, by the codes the settings file stores and the catalogs are named
    with (codexlink_zh_CN.qm); ui/i18n takes its codes from here."""

    SYSTEM = "system"  # follow the operating system's language
    EN = "en"
    ZH_CN = "zh_CN"


@dataclass(frozen=True, slots=True)
class Prefs:
    check_interval_s: float = 60.0
    notifications: bool = True
    deep_check: bool = False  # sends the user's Codex credentials to Codex's own host: opt-in
    language: Language = Language.SYSTEM
    start_at_login: bool = False
    confirm_checks: int = 2  # agreeing results before the tray changes colour (hysteresis)
    welcomed: bool = False  # the first-run explanation of the tray icon was shown
    # "Keep Codex fast automatically": apply and undo the fixes without asking (core/auto_mode).
    # Off by default: it edits Codex's files, which the user should have chosen to allow.
    auto_fix: bool = False


def default_config_dir() -> Path:
    """The per-user config folder (platformdirs); imported lazily to keep start-up light."""
    import platformdirs

    return platformdirs.user_config_path(APP_DIR_NAME)


def _interval(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    seconds = float(value)
    if not math.isfinite(seconds):
        return None
    return min(max(seconds, MIN_INTERVAL_S), MAX_INTERVAL_S)


def _flag(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def _language(value: object) -> Language | None:
    if not isinstance(value, str):
        return None
    try:
        return Language(value)
    except ValueError:
        return None


def _confirm(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return min(max(value, MIN_CONFIRM), MAX_CONFIRM)


_PARSERS: dict[str, Any] = {
    "check_interval_s": _interval,
    "notifications": _flag,
    "deep_check": _flag,
    "language": _language,
    "start_at_login": _flag,
    "confirm_checks": _confirm,
    "welcomed": _flag,
    "auto_fix": _flag,
}


def prefs_from_mapping(raw: object) -> Prefs:
    """Builds `Prefs` from parsed JSON; every bad or missing value takes its default."""
    if not isinstance(raw, dict):
        log.warning("settings: expected a JSON object, got %s; using defaults", type(raw).__name__)
        return Prefs()
    values: dict[str, Any] = {}
    for key, value in raw.items():
        parse = _PARSERS.get(key)
        if parse is None:
            log.info("settings: ignoring unknown key %r", key)
            continue
        parsed = parse(value)
        if parsed is None:
            log.warning("settings: bad value %r for %r; using the default", value, key)
            continue
        if parsed != value:
            log.warning("settings: %r for %r is out of range; using %r", value, key, parsed)
        values[key] = parsed
    return Prefs(**values)


def prefs_to_mapping(prefs: Prefs) -> dict[str, Any]:
    out = dataclasses.asdict(prefs)
    out["language"] = str(prefs.language)
    return out


class PrefsStore:
    """Loads and saves `Prefs` at one path (tests pass a temporary folder)."""

    def __init__(self, config_dir: Path) -> None:
        self.path = config_dir / SETTINGS_FILE
        self._unknown: dict[str, Any] = {}  # keys from a newer version: kept on save

    def load(self) -> Prefs:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return Prefs()
        except OSError as exc:
            log.warning("settings: cannot read %s (%s); using defaults", self.path, exc)
            return Prefs()
        try:
            raw = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            log.warning(
                "settings: %s is not valid JSON (%s); using defaults, keeping a copy as %s.bad",
                self.path,
                exc,
                self.path.name,
            )
            self._keep_bad_copy()
            return Prefs()
        if isinstance(raw, dict):
            self._unknown = {k: v for k, v in raw.items() if k not in _PARSERS}
        return prefs_from_mapping(raw)

    def save(self, prefs: Prefs) -> None:
        """Writes atomically. Raises OSError (the caller tells the user the change is unsaved)."""
        write_json_file(self.path, {**self._unknown, **prefs_to_mapping(prefs)})

    def _keep_bad_copy(self) -> None:
        try:
            shutil.copyfile(self.path, self.path.with_name(self.path.name + ".bad"))
        except OSError as exc:
            log.warning("settings: cannot keep a copy of the unreadable file: %s", exc)
