"""The switch's sentences for the user: what it changes, undoes, refuses, and what went wrong.

Each is a `Text` (translated by the UI, printed in English by the command line).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum, auto
from pathlib import Path

from codex_link.core.codex.findings import where
from codex_link.core.codex.switch.text_edit import Edit, EditRefused, Replaced, render_key
from codex_link.core.model.codex_settings import ConfigError
from codex_link.core.model.text import QT_TRANSLATE_NOOP, Text, TextArg, text


class Say(StrEnum):
    """The switch's own sentences (its refusals and what it found), by name."""

    CONFIG_MALFORMED = auto()
    CONFIG_MALFORMED_NOWHERE = auto()
    CODEX_REFUSES_IT = auto()
    CODEX_WOULD_REFUSE = auto()
    READ_ONLY = auto()
    HARD_LINKED = auto()
    ALREADY_HTTP_ONLY = auto()
    ALREADY_WEBSOCKET = auto()
    STILL_HTTP_ONLY = auto()
    NOTHING_TO_UNDO = auto()
    REMOVED_HAND_MADE = auto()
    BUILTIN_WITHOUT_WEBSOCKET = auto()
    NOT_OURS = auto()
    BUSY = auto()
    KEPT_CHANGING = auto()
    RECORD_UNSAVED = auto()
    RECORD_UNREADABLE = auto()


SENTENCES: dict[Say, str] = {
    Say.CONFIG_MALFORMED: QT_TRANSLATE_NOOP(
        "CodexLink",
        "{path} is not valid TOML ({where}): {reason}. Nothing was changed; fix the file first.",
    ),
    Say.CONFIG_MALFORMED_NOWHERE: QT_TRANSLATE_NOOP(
        "CodexLink", "{path} is not valid TOML: {reason}. Nothing was changed; fix the file first."
    ),
    Say.CODEX_REFUSES_IT: QT_TRANSLATE_NOOP(
        "CodexLink",
        'Codex itself will not load {path} as it is: "{reason}". Switching cannot '
        "help until that is fixed, so nothing was changed.",
    ),
    Say.CODEX_WOULD_REFUSE: QT_TRANSLATE_NOOP(
        "CodexLink",
        'Codex would not load {path} after this change: "{reason}". Codex Link does '
        "not make it; nothing was changed.",
    ),
    Say.READ_ONLY: QT_TRANSLATE_NOOP(
        "CodexLink",
        "{path} is read-only, so Codex Link leaves it as it is (Codex cannot save "
        "to it either). To switch, make it writable, for example with chmod u+w, "
        "and try again.",
    ),
    Say.HARD_LINKED: QT_TRANSLATE_NOOP(
        "CodexLink",
        "{path} has {count} names (hard links). Saving it safely would give this "
        "name a new file and leave the other names with the old settings, so Codex "
        "Link leaves it as it is. Replace the other names with symbolic links "
        "(Codex Link writes through those), then try again.",
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
    Say.BUSY: QT_TRANSLATE_NOOP(
        "CodexLink",
        "Another switch of {path} (the tray, a command or a script) is still "
        "running, so nothing was changed. Try again in a moment.",
    ),
    Say.KEPT_CHANGING: QT_TRANSLATE_NOOP(
        "CodexLink",
        "{path} kept changing while Codex Link tried to save it, so nothing was changed. "
        "Close other programs that edit it and try again.",
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


def config_refused(error: ConfigError) -> Text:
    """config.toml does not parse: what and where (the position is the findings' own)."""
    position = where(error)
    if position is None:
        return say(Say.CONFIG_MALFORMED_NOWHERE, path=str(error.path), reason=error.message)
    return say(Say.CONFIG_MALFORMED, path=str(error.path), where=position, reason=error.message)


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


def cannot_edit(path: Path, exc: EditRefused) -> Text:
    return text(
        QT_TRANSLATE_NOOP(
            "CodexLink",
            "Codex Link cannot make this change safely in {path} ({detail}). Nothing was changed.",
        ),
        path=str(path),
        detail=str(exc),
    )


def io_problem(path: Path, exc: OSError, *, writing: bool) -> Text:
    reason = exc.strerror or str(exc)
    if writing:
        return text(
            QT_TRANSLATE_NOOP(
                "CodexLink",
                "Could not save {path}: {reason}. Nothing was changed; your file is as it was.",
            ),
            path=str(path),
            reason=reason,
        )
    return text(
        QT_TRANSLATE_NOOP("CodexLink", "Could not read {path}: {reason}."),
        path=str(path),
        reason=reason,
    )


def sentences(parts: Iterable[Text]) -> Text:
    """Sentences side by side; each one is translated on its own."""
    items = tuple(parts)
    template = " ".join(f"{{p{index}}}" for index in range(len(items)))
    return Text(template, tuple((f"p{index}", item) for index, item in enumerate(items)))


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
    if removed_file:
        where = text(
            QT_TRANSLATE_NOOP(
                "CodexLink",
                "{path} was created by Codex Link and nobody changed it since, so it was removed.",
            ),
            path=str(path),
        )
    else:
        where = text(QT_TRANSLATE_NOOP("CodexLink", "Changed {path}."), path=str(path))
    if backup is not None:
        saved = text(
            QT_TRANSLATE_NOOP("CodexLink", "A copy of your original file is at {backup}."),
            backup=str(backup),
        )
    else:
        saved = text(
            QT_TRANSLATE_NOOP("CodexLink", "No backup was needed: the file did not exist before.")
        )
    restart = text(
        QT_TRANSLATE_NOOP(
            "CodexLink",
            "Restart Codex (the CLI, the IDE extension and the desktop app) for this to take "
            "effect.",
        )
    )
    return sentences((head, where, *changes, saved, restart))
