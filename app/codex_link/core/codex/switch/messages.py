"""The switch's sentences for the user: what it changes, undoes, refuses, and what went wrong.

Each is a `Text` (translated by the UI, printed in English by the command line). What every
change of Codex's files says alike (a file that cannot be read or saved, a busy lock, a hard
link...) is in `file_edit.messages`.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum, auto
from pathlib import Path

from codex_link.core.codex.file_edit.messages import outcome
from codex_link.core.codex.switch.text_edit import Edit, Replaced, render_key
from codex_link.core.model.text import QT_TRANSLATE_NOOP, Text, TextArg, text


class Say(StrEnum):
    """The switch's own sentences (its refusals and what it found), by name."""

    CODEX_REFUSES_IT = auto()
    READ_ONLY = auto()
    ALREADY_HTTP_ONLY = auto()
    ALREADY_WEBSOCKET = auto()
    STILL_HTTP_ONLY = auto()
    NOTHING_TO_UNDO = auto()
    REMOVED_HAND_MADE = auto()
    BUILTIN_WITHOUT_WEBSOCKET = auto()
    NOT_OURS = auto()
    RECORD_UNSAVED = auto()
    RECORD_UNREADABLE = auto()


SENTENCES: dict[Say, str] = {
    Say.CODEX_REFUSES_IT: QT_TRANSLATE_NOOP(
        "CodexLink",
        'Codex itself will not load {path} as it is: "{reason}". Switching cannot '
        "help until that is fixed, so nothing was changed.",
    ),
    Say.READ_ONLY: QT_TRANSLATE_NOOP(
        "CodexLink",
        "{path} is read-only, so Codex Link leaves it as it is (Codex cannot save "
        "to it either). To switch, make it writable, for example with chmod u+w, "
        "and try again.",
    ),
    Say.ALREADY_HTTP_ONLY: QT_TRANSLATE_NOOP(
        "CodexLink", 'Codex already uses HTTP only: provider "{provider}" has WebSockets off.'
    ),
    Say.ALREADY_WEBSOCKET: QT_TRANSLATE_NOOP(
        "CodexLink", 'Codex already uses WebSocket (provider "{provider}").'
    ),
    Say.STILL_HTTP_ONLY: QT_TRANSLATE_NOOP(
        "CodexLink",
        'Codex still uses HTTP only: provider "{provider}" has WebSockets off in '
        "{path}, and that part was not made by Codex Link.",
    ),
    Say.NOTHING_TO_UNDO: QT_TRANSLATE_NOOP(
        "CodexLink", "Nothing to undo: the lines Codex Link added were changed or removed since."
    ),
    Say.REMOVED_HAND_MADE: QT_TRANSLATE_NOOP(
        "CodexLink",
        'Removed model_provider = "{provider}": Codex uses its built-in '
        "OpenAI provider with WebSocket again. Your [model_providers.{provider}] "
        "table stays in the file.",
    ),
    Say.BUILTIN_WITHOUT_WEBSOCKET: QT_TRANSLATE_NOOP(
        "CodexLink",
        'Codex uses its built-in provider "{provider}", which has no WebSocket '
        "transport. There is nothing to switch back.",
    ),
    Say.NOT_OURS: QT_TRANSLATE_NOOP(
        "CodexLink",
        'HTTP-only was not turned on by Codex Link: provider "{provider}" has WebSockets '
        "off in {path}. Codex Link does not guess how to undo a change it did not make; to "
        "use WebSocket, set supports_websockets = true in that provider yourself, if its "
        "server supports it.",
    ),
    Say.RECORD_UNSAVED: QT_TRANSLATE_NOOP(
        "CodexLink",
        "Could not save Codex Link's record of the switch in {folder}: {reason}. "
        "Nothing was changed; {path} is as it was.",
    ),
    Say.RECORD_UNREADABLE: QT_TRANSLATE_NOOP(
        "CodexLink",
        "Could not read Codex Link's record of the switch in {folder}: {reason}. "
        "Nothing was changed; {path} is as it was.",
    ),
}


def say(sentence: Say, **args: TextArg) -> Text:
    return text(SENTENCES[sentence], **args)


def describe(edit: Edit, *, undo: bool) -> Text:
    key = render_key(edit.path)
    if isinstance(edit, Replaced):
        old, new = (edit.new, edit.old) if undo else (edit.old, edit.new)
        return text(
            QT_TRANSLATE_NOOP("CodexLink", "Changed {key} from {old} to {new}."),
            key=key,
            old=old,
            new=new,
        )
    if edit.kind == "table" or len(edit.path) == 2:  # a whole provider (header or inline)
        if undo:
            return text(
                QT_TRANSLATE_NOOP(
                    "CodexLink", "Removed the provider [{key}] that Codex Link had added."
                ),
                key=key,
            )
        return text(
            QT_TRANSLATE_NOOP(
                "CodexLink",
                "Added the provider [{key}]: OpenAI over HTTP only (supports_websockets = false).",
            ),
            key=key,
        )
    if undo:
        return text(
            QT_TRANSLATE_NOOP("CodexLink", "Removed {key} = {value}."), key=key, value=edit.value
        )
    return text(QT_TRANSLATE_NOOP("CodexLink", "Added {key} = {value}."), key=key, value=edit.value)


def kept_note(edit: Edit) -> Text:
    return text(
        QT_TRANSLATE_NOOP(
            "CodexLink",
            "Left {key} as it is: it was changed after Codex Link set it, so it is yours now.",
        ),
        key=render_key(edit.path),
    )


def threads_note() -> Text:
    return text(
        QT_TRANSLATE_NOOP(
            "CodexLink",
            "While HTTP-only is on, Codex lists conversations started under the other provider "
            "separately; they come back when you switch back.",
        )
    )


def result_message(
    *,
    enable: bool,
    provider_id: str,
    path: Path,
    removed_file: bool,
    changes: Iterable[Text],
    backup: Path | None,
) -> Text:
    """What changed, where the backup is, and that Codex must be restarted."""
    if enable:
        head = text(
            QT_TRANSLATE_NOOP("CodexLink", 'Codex now uses HTTP only (provider "{provider}").'),
            provider=provider_id,
        )
    else:
        head = text(
            QT_TRANSLATE_NOOP("CodexLink", 'Codex uses WebSocket again (provider "{provider}").'),
            provider=provider_id,
        )
    return outcome(
        head, changes, path=path, created=False, removed_file=removed_file, backup=backup
    )
