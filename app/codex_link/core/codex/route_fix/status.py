"""Where the route fix stands: our record of each file, checked against the file as it is.

"On" needs both: a record of an active fix, and the file still doing what we wrote (Codex
reads our proxy for our variable, or `features.respect_system_proxy` is still true). What
the user changed or removed since is reported, since "off" then undoes only the rest.
Never raises: a file that cannot be read (a FIFO, no permission, malformed TOML) leaves the
record's word and a note.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codex_link.core.codex.config_file import ConfigParseError, read_config
from codex_link.core.codex.route_fix import dotenv_edit, system_edit
from codex_link.core.codex.route_fix.messages import RouteSay, say
from codex_link.core.codex.route_fix.record import RouteRecord
from codex_link.core.codex.settings import SETTINGS_KEYS
from codex_link.core.files.regular_file import read_regular_file
from codex_link.core.model.codex_home import CodexHome
from codex_link.core.model.route_fix import RouteMethod
from codex_link.core.model.text import Text
from codex_link.core.model.urls import redact_url


@dataclass(frozen=True)
class RouteFixStatus:
    active: bool  # our fix is in the file and Codex reads it
    method: RouteMethod | None
    proxy_url: str | None  # may hold a login: `to_json` and the sentences redact it
    path: Path | None  # the file the fix is in
    changed_by_user: bool  # some of what we wrote was changed or removed since
    notes: tuple[Text, ...] = ()

    @property
    def summary(self) -> Text:
        if not self.active or self.method is None:
            return say(RouteSay.STATUS_OFF)
        if self.method is RouteMethod.SYSTEM_PROXY:
            return say(RouteSay.STATUS_SYSTEM_PROXY, path=str(self.path))
        return say(
            RouteSay.STATUS_THROUGH_PROXY,
            proxy=redact_url(self.proxy_url or ""),
            path=str(self.path),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "active": self.active,
            "method": None if self.method is None else self.method.value,
            "proxy_url": None if self.proxy_url is None else redact_url(self.proxy_url),
            "path": None if self.path is None else str(self.path),
            "changed_by_user": self.changed_by_user,
            "summary": str(self.summary),
            "notes": [str(note) for note in self.notes],
        }


def route_status(
    home: CodexHome, records: Mapping[RouteMethod, RouteRecord | None]
) -> RouteFixStatus:
    """The fix's state from its records (`RouteFix._records`) and the files now."""
    for method, record in records.items():
        if record is None or not record.active:
            continue
        path = home.dotenv_path if method is RouteMethod.DOTENV else home.config_path
        try:
            in_place, all_there = _in_place(path, record)
        except (OSError, ConfigParseError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else exc.error.message
            note = say(RouteSay.STATUS_UNREADABLE, path=str(path), reason=reason or str(exc))
            return RouteFixStatus(True, method, record.proxy_url, path, False, (note,))
        if not in_place:
            continue  # nothing of ours is left: the fix is off, whatever the record says
        notes = () if all_there else (say(RouteSay.STATUS_CHANGED, path=str(path)),)
        return RouteFixStatus(True, method, record.proxy_url, path, not all_there, notes)
    return RouteFixStatus(False, None, None, None, False)


def _in_place(path: Path, record: RouteRecord) -> tuple[bool, bool]:
    """(any of our change is in effect, all of it is)."""
    if record.method is RouteMethod.SYSTEM_PROXY:
        config = read_config(path, SETTINGS_KEYS)
        on = config is not None and system_edit.respects_system_proxy(config.data)
        return on, on
    raw = read_regular_file(path)
    if raw is None:
        return False, False
    found = dotenv_edit.in_place(raw, record.lines)
    proxies = [line for line in found if line.name != dotenv_edit.NO_PROXY]
    return bool(proxies), len(found) == len(record.lines)
