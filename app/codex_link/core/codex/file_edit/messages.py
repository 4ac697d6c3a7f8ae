"""The sentences every change of Codex's files says alike (the HTTP-only switch's and the
route fix's): a file that does not parse, cannot be read or saved, is locked, keeps changing,
is hard-linked or would be refused by Codex; and what was written, where the backup is, and
that Codex must be restarted.

Each is a `Text` (translated by the UI, printed in English by the command line). Sentences a
change says in words of its own are in its own `messages`.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum, auto
from pathlib import Path

from codex_link.core.codex.findings import where
from codex_link.core.model.codex_settings import ConfigError
from codex_link.core.model.text import QT_TRANSLATE_NOOP, Text, TextArg, text


class EditSay(StrEnum):
    """The shared sentences, by name."""

    CONFIG_MALFORMED = auto()
    CONFIG_MALFORMED_NOWHERE = auto()
    CODEX_WOULD_REFUSE = auto()
    HARD_LINKED = auto()
    BUSY = auto()
    KEPT_CHANGING = auto()
    CANNOT_EDIT = auto()
    CANNOT_SAVE = auto()
    CANNOT_READ = auto()
    CHANGED_FILE = auto()
    CREATED_FILE = auto()
    REMOVED_FILE = auto()
    BACKUP = auto()
    NO_BACKUP = auto()
    RESTART = auto()


SENTENCES: dict[EditSay, str] = {
    EditSay.CONFIG_MALFORMED: QT_TRANSLATE_NOOP(
        "CodexLink",
        "{path} is not valid TOML ({where}): {reason}. Nothing was changed; fix the file first.",
    ),
    EditSay.CONFIG_MALFORMED_NOWHERE: QT_TRANSLATE_NOOP(
        "CodexLink", "{path} is not valid TOML: {reason}. Nothing was changed; fix the file first."
    ),
    EditSay.CODEX_WOULD_REFUSE: QT_TRANSLATE_NOOP(
        "CodexLink",
        'Codex would not load {path} after this change: "{reason}". Codex Link does '
        "not make it; nothing was changed.",
    ),
    EditSay.HARD_LINKED: QT_TRANSLATE_NOOP(
        "CodexLink",
        "{path} has {count} names (hard links). Saving it safely would give this "
        "name a new file and leave the other names with the old settings, so Codex "
        "Link leaves it as it is. Replace the other names with symbolic links "
        "(Codex Link writes through those), then try again.",
    ),
    EditSay.BUSY: QT_TRANSLATE_NOOP(
        "CodexLink",
        "Another switch of {path} (the tray, a command or a script) is still "
        "running, so nothing was changed. Try again in a moment.",
    ),
    EditSay.KEPT_CHANGING: QT_TRANSLATE_NOOP(
        "CodexLink",
        "{path} kept changing while Codex Link tried to save it, so nothing was changed. "
        "Close other programs that edit it and try again.",
    ),
    EditSay.CANNOT_EDIT: QT_TRANSLATE_NOOP(
        "CodexLink",
        "Codex Link cannot make this change safely in {path} ({detail}). Nothing was changed.",
    ),
    EditSay.CANNOT_SAVE: QT_TRANSLATE_NOOP(
        "CodexLink",
        "Could not save {path}: {reason}. Nothing was changed; your file is as it was.",
    ),
    EditSay.CANNOT_READ: QT_TRANSLATE_NOOP("CodexLink", "Could not read {path}: {reason}."),
    EditSay.CHANGED_FILE: QT_TRANSLATE_NOOP("CodexLink", "Changed {path}."),
    EditSay.CREATED_FILE: QT_TRANSLATE_NOOP("CodexLink", "Created {path}."),
    EditSay.REMOVED_FILE: QT_TRANSLATE_NOOP(
        "CodexLink",
        "{path} was created by Codex Link and nobody changed it since, so it was removed.",
    ),
    EditSay.BACKUP: QT_TRANSLATE_NOOP("CodexLink", "A copy of your original file is at {backup}."),
    EditSay.NO_BACKUP: QT_TRANSLATE_NOOP(
        "CodexLink", "No backup was needed: the file did not exist before."
    ),
    EditSay.RESTART: QT_TRANSLATE_NOOP(
        "CodexLink",
        "Restart Codex (the CLI, the IDE extension and the desktop app) for this to take effect.",
    ),
}


def say(sentence: EditSay, **args: TextArg) -> Text:
    return text(SENTENCES[sentence], **args)


def config_refused(error: ConfigError) -> Text:
    """config.toml does not parse: what and where (the position is the findings' own)."""
    position = where(error)
    if position is None:
        return say(EditSay.CONFIG_MALFORMED_NOWHERE, path=str(error.path), reason=error.message)
    return say(EditSay.CONFIG_MALFORMED, path=str(error.path), where=position, reason=error.message)


def cannot_edit(path: Path, exc: Exception) -> Text:
    """An edit that its own check of the result refused (`text_edit.EditRefused`)."""
    return say(EditSay.CANNOT_EDIT, path=str(path), detail=str(exc))


def io_problem(path: Path, exc: OSError, *, writing: bool) -> Text:
    reason = exc.strerror or str(exc)
    sentence = EditSay.CANNOT_SAVE if writing else EditSay.CANNOT_READ
    return say(sentence, path=str(path), reason=reason)


def sentences(parts: Iterable[Text]) -> Text:
    """Sentences side by side; each one is translated on its own."""
    items = tuple(parts)
    template = " ".join(f"{{p{index}}}" for index in range(len(items)))
    return Text(template, tuple((f"p{index}", item) for index, item in enumerate(items)))


def outcome(
    head: Text,
    changes: Iterable[Text],
    *,
    path: Path,
    created: bool,
    removed_file: bool,
    backup: Path | None,
) -> Text:
    """What a write did: `head`, what became of the file, the changes, where the backup is,
    and that Codex must be restarted."""
    if removed_file:
        where_to = say(EditSay.REMOVED_FILE, path=str(path))
    elif created:
        where_to = say(EditSay.CREATED_FILE, path=str(path))
    else:
        where_to = say(EditSay.CHANGED_FILE, path=str(path))
    saved = (
        say(EditSay.BACKUP, backup=str(backup)) if backup is not None else say(EditSay.NO_BACKUP)
    )
    return sentences((head, where_to, *changes, saved, say(EditSay.RESTART)))
