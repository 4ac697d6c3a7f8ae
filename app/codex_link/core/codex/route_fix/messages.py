"""The route fix's sentences for the user: what it changes, undoes, refuses, and what failed.

Each is a `Text` (translated by the UI, printed in English by the command line). What every
change of Codex's files says alike (a busy lock, a file that keeps changing, a hard link, an
edit Codex would refuse, where the backup is) is in `file_edit.messages`.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum, auto
from pathlib import Path

from codex_link.core.codex.file_edit.messages import outcome
from codex_link.core.codex.switch.text_edit import Edit, Replaced
from codex_link.core.model.route_fix import RouteMethod
from codex_link.core.model.text import QT_TRANSLATE_NOOP, Text, TextArg, text
from codex_link.core.model.urls import redact_url


class RouteSay(StrEnum):
    """The route fix's own sentences, by name."""

    NO_ROUTE_KNOWN = auto()
    BAD_PROXY = auto()
    BAD_VARIABLES = auto()
    ALREADY_THROUGH_PROXY = auto()
    ALREADY_SYSTEM_PROXY = auto()
    OTHER_METHOD_ON = auto()
    NOT_ON = auto()
    NOTHING_LEFT = auto()
    CODEX_REFUSES_IT = auto()
    READ_ONLY = auto()
    RECORD_UNSAVED = auto()
    RECORD_UNREADABLE = auto()
    ADDED_LINE = auto()
    CHANGED_LINE = auto()
    REMOVED_LINE = auto()
    RESTORED_LINE = auto()
    KEPT_LINE = auto()
    KEPT_WITHOUT_PASSWORD = auto()
    SET_SYSTEM_PROXY = auto()
    CHANGED_SYSTEM_PROXY = auto()
    REMOVED_SYSTEM_PROXY = auto()
    RESTORED_SYSTEM_PROXY = auto()
    ON_THROUGH_PROXY = auto()
    ON_SYSTEM_PROXY = auto()
    OFF = auto()
    STATUS_OFF = auto()
    STATUS_THROUGH_PROXY = auto()
    STATUS_SYSTEM_PROXY = auto()
    STATUS_CHANGED = auto()
    STATUS_UNREADABLE = auto()


SENTENCES: dict[RouteSay, str] = {
    RouteSay.NO_ROUTE_KNOWN: QT_TRANSLATE_NOOP(
        "CodexLink",
        "No verified route for Codex's WebSocket is known yet, so nothing was changed: give "
        "a working proxy with --proxy URL, or --system-proxy.",
    ),
    RouteSay.BAD_PROXY: QT_TRANSLATE_NOOP(
        "CodexLink",
        "{proxy} cannot carry Codex's WebSocket: it needs an http://, socks5:// or socks5h:// "
        "proxy URL with a host. Nothing was changed.",
    ),
    RouteSay.BAD_VARIABLES: QT_TRANSLATE_NOOP(
        "CodexLink",
        "The route names no proxy variable Codex reads for WebSocket ({variables}). Nothing "
        "was changed.",
    ),
    RouteSay.ALREADY_THROUGH_PROXY: QT_TRANSLATE_NOOP(
        "CodexLink", "Codex already goes through {proxy}: {path} sets {variables}."
    ),
    RouteSay.ALREADY_SYSTEM_PROXY: QT_TRANSLATE_NOOP(
        "CodexLink",
        "Codex already follows the system proxy: features.respect_system_proxy is on in {path}.",
    ),
    RouteSay.OTHER_METHOD_ON: QT_TRANSLATE_NOOP(
        "CodexLink",
        "The route fix is already on in {path}. Turn it off first (codex-link route off), "
        "then on the other way. Nothing was changed.",
    ),
    RouteSay.NOT_ON: QT_TRANSLATE_NOOP(
        "CodexLink", "The route fix is not on: Codex Link has not set a route for Codex."
    ),
    RouteSay.NOTHING_LEFT: QT_TRANSLATE_NOOP(
        "CodexLink",
        "Nothing to undo: what Codex Link wrote in {path} was changed or removed since.",
    ),
    RouteSay.CODEX_REFUSES_IT: QT_TRANSLATE_NOOP(
        "CodexLink",
        'Codex itself will not load {path} as it is: "{reason}". Fix that first; nothing '
        "was changed.",
    ),
    RouteSay.READ_ONLY: QT_TRANSLATE_NOOP(
        "CodexLink",
        "{path} is read-only, so Codex Link leaves it as it is. Make it writable, for "
        "example with chmod u+w, and try again.",
    ),
    RouteSay.RECORD_UNSAVED: QT_TRANSLATE_NOOP(
        "CodexLink",
        "Could not save Codex Link's record of the route fix in {folder}: {reason}. "
        "Nothing was changed; {path} is as it was.",
    ),
    RouteSay.RECORD_UNREADABLE: QT_TRANSLATE_NOOP(
        "CodexLink",
        "Could not read Codex Link's record of the route fix in {folder}: {reason}. "
        "Nothing was changed.",
    ),
    RouteSay.ADDED_LINE: QT_TRANSLATE_NOOP("CodexLink", "Added {name}={value}."),
    RouteSay.CHANGED_LINE: QT_TRANSLATE_NOOP(
        "CodexLink", "Changed {name} from {old} to {value} (your line is kept to put back)."
    ),
    RouteSay.REMOVED_LINE: QT_TRANSLATE_NOOP("CodexLink", "Removed {name}={value}."),
    RouteSay.RESTORED_LINE: QT_TRANSLATE_NOOP("CodexLink", "Put back your own {name}={value}."),
    RouteSay.KEPT_LINE: QT_TRANSLATE_NOOP(
        "CodexLink",
        "Left {name} as it is: it was changed after Codex Link set it, so it is yours now.",
    ),
    RouteSay.KEPT_WITHOUT_PASSWORD: QT_TRANSLATE_NOOP(
        "CodexLink",
        "Left {name} as Codex Link set it: your earlier line held a password, which Codex "
        "Link does not keep, and no copy of it was found. Set {name} again by hand.",
    ),
    RouteSay.SET_SYSTEM_PROXY: QT_TRANSLATE_NOOP(
        "CodexLink", "Added features.respect_system_proxy = true."
    ),
    RouteSay.CHANGED_SYSTEM_PROXY: QT_TRANSLATE_NOOP(
        "CodexLink", "Changed features.respect_system_proxy from {old} to true."
    ),
    RouteSay.REMOVED_SYSTEM_PROXY: QT_TRANSLATE_NOOP(
        "CodexLink", "Removed features.respect_system_proxy = true."
    ),
    RouteSay.RESTORED_SYSTEM_PROXY: QT_TRANSLATE_NOOP(
        "CodexLink", "Put back features.respect_system_proxy = {old}."
    ),
    RouteSay.ON_THROUGH_PROXY: QT_TRANSLATE_NOOP(
        "CodexLink", "Codex now goes through {proxy} ({variables} in {path})."
    ),
    RouteSay.ON_SYSTEM_PROXY: QT_TRANSLATE_NOOP(
        "CodexLink",
        "Codex now follows the system proxy (features.respect_system_proxy = true in {path}).",
    ),
    RouteSay.OFF: QT_TRANSLATE_NOOP(
        "CodexLink", "The route fix is off: Codex takes its own route again."
    ),
    RouteSay.STATUS_OFF: QT_TRANSLATE_NOOP(
        "CodexLink", "The route fix is off: Codex Link has set no route for Codex."
    ),
    RouteSay.STATUS_THROUGH_PROXY: QT_TRANSLATE_NOOP(
        "CodexLink", "The route fix is on: Codex goes through {proxy} ({path})."
    ),
    RouteSay.STATUS_SYSTEM_PROXY: QT_TRANSLATE_NOOP(
        "CodexLink",
        "The route fix is on: Codex follows the system proxy "
        "(features.respect_system_proxy in {path}).",
    ),
    RouteSay.STATUS_CHANGED: QT_TRANSLATE_NOOP(
        "CodexLink",
        "Some of what Codex Link wrote in {path} was changed or removed since; "
        "codex-link route off undoes only what is still as it was written.",
    ),
    RouteSay.STATUS_UNREADABLE: QT_TRANSLATE_NOOP("CodexLink", "Could not read {path}: {reason}."),
}


def say(sentence: RouteSay, **args: TextArg) -> Text:
    return text(SENTENCES[sentence], **args)


def shown(value: str) -> str:
    """A value as it may be shown: a proxy URL without its login."""
    return redact_url(value)


def variables_list(names: Iterable[str]) -> str:
    return ", ".join(names)


def describe_system_edit(edit: Edit, *, undo: bool) -> Text:
    """The config.toml edit of the SYSTEM_PROXY fix, done or undone."""
    if isinstance(edit, Replaced):
        if undo:
            return say(RouteSay.RESTORED_SYSTEM_PROXY, old=edit.old)
        return say(RouteSay.CHANGED_SYSTEM_PROXY, old=edit.old)
    return say(RouteSay.REMOVED_SYSTEM_PROXY if undo else RouteSay.SET_SYSTEM_PROXY)


def result_message(
    *,
    enable: bool,
    method: RouteMethod,
    proxy_url: str | None,
    variables: tuple[str, ...],
    path: Path,
    created: bool,
    removed_file: bool,
    changes: Iterable[Text],
    backup: Path | None,
) -> Text:
    """What changed, where the backup is, and that Codex must be restarted."""
    if not enable:
        head = say(RouteSay.OFF)
    elif method is RouteMethod.SYSTEM_PROXY:
        head = say(RouteSay.ON_SYSTEM_PROXY, path=str(path))
    else:
        head = say(
            RouteSay.ON_THROUGH_PROXY,
            proxy=shown(proxy_url or ""),
            variables=variables_list(variables),
            path=str(path),
        )
    return outcome(
        head, changes, path=path, created=created, removed_file=removed_file, backup=backup
    )
