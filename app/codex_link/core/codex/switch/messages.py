"""The switch's sentences for the user: what it changes, undoes, refuses, and what went wrong.

Each is a `Text` (translated by the UI, printed in English by the command line).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from codex_link.core.codex.switch.text_edit import Edit, EditRefused, Replaced, render_key
from codex_link.core.model.text import QT_TRANSLATE_NOOP, Text, text


def describe(edit: Edit, *, undo: bool) -> Text:
    key = render_key(edit.path)
    if isinstance(edit, Replaced):
        old, new = (edit.new, edit.old) if undo else (edit.old, edit.new)
        return text(QT_TRANSLATE_NOOP("CodexLink", "Changed {key} from {old} to {new}."),
                    key=key, old=old, new=new)
    if edit.kind == "table" or len(edit.path) == 2:  # a whole provider (header or inline)
        if undo:
            return text(QT_TRANSLATE_NOOP(
                "CodexLink", "Removed the provider [{key}] that Codex Link had added."), key=key)
        return text(QT_TRANSLATE_NOOP(
            "CodexLink",
            "Added the provider [{key}]: OpenAI over HTTP only (supports_websockets = false)."),
            key=key)
    if undo:
        return text(QT_TRANSLATE_NOOP("CodexLink", "Removed {key} = {value}."),
                    key=key, value=edit.value)
    return text(QT_TRANSLATE_NOOP("CodexLink", "Added {key} = {value}."),
                key=key, value=edit.value)


def kept_note(edit: Edit) -> Text:
    return text(QT_TRANSLATE_NOOP(
        "CodexLink",
        "Left {key} as it is: it was changed after Codex Link set it, so it is yours now."),
        key=render_key(edit.path))


def threads_note() -> Text:
    return text(QT_TRANSLATE_NOOP(
        "CodexLink",
        "While HTTP-only is on, Codex lists conversations started under the other provider "
        "separately; they come back when you switch back."))


def cannot_edit(path: Path, exc: EditRefused) -> Text:
    return text(QT_TRANSLATE_NOOP(
        "CodexLink",
        "Codex Link cannot make this change safely in {path} ({detail}). Nothing was changed."),
        path=str(path), detail=str(exc))


def io_problem(path: Path, exc: OSError, *, writing: bool) -> Text:
    reason = exc.strerror or str(exc)
    if writing:
        return text(QT_TRANSLATE_NOOP(
            "CodexLink",
            "Could not save {path}: {reason}. Nothing was changed; your file is as it was."),
            path=str(path), reason=reason)
    return text(QT_TRANSLATE_NOOP("CodexLink", "Could not read {path}: {reason}."),
                path=str(path), reason=reason)


def sentences(parts: Iterable[Text]) -> Text:
    """Sentences side by side; each one is translated on its own."""
    items = tuple(parts)
    template = " ".join(f"{{p{index}}}" for index in range(len(items)))
    return Text(template, tuple((f"p{index}", item) for index, item in enumerate(items)))


def result_message(
    *, enable: bool, provider_id: str, path: Path, removed_file: bool,
    changes: Iterable[Text], backup: Path | None,
) -> Text:
    """What changed, where the backup is, and that Codex must be restarted."""
    if enable:
        head = text(QT_TRANSLATE_NOOP(
            "CodexLink", "Codex now uses HTTP only (provider \"{provider}\")."),
            provider=provider_id)
    else:
        head = text(QT_TRANSLATE_NOOP(
            "CodexLink", "Codex uses WebSocket again (provider \"{provider}\")."),
            provider=provider_id)
    if removed_file:
        where = text(QT_TRANSLATE_NOOP(
            "CodexLink",
            "{path} was created by Codex Link and nobody changed it since, so it was "
            "removed."), path=str(path))
    else:
        where = text(QT_TRANSLATE_NOOP("CodexLink", "Changed {path}."), path=str(path))
    if backup is not None:
        saved = text(QT_TRANSLATE_NOOP(
            "CodexLink", "A copy of your original file is at {backup}."), backup=str(backup))
    else:
        saved = text(QT_TRANSLATE_NOOP(
            "CodexLink", "No backup was needed: the file did not exist before."))
    restart = text(QT_TRANSLATE_NOOP(
        "CodexLink",
        "Restart Codex (the CLI, the IDE extension and the desktop app) for this to take "
        "effect."))
    return sentences((head, where, *changes, saved, restart))
