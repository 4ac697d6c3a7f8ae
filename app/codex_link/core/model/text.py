"""User-visible sentences that core produces and the UI translates.

Core must stay Qt-free, yet every sentence a user sees goes through Qt's translator. So core
returns `Text`: an English template, marked for `pyside6-lupdate` with `QT_TRANSLATE_NOOP`,
plus its arguments. The UI translates the template and then fills it in; the command line
renders it in English.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

CONTEXT = "CodexLink"

type Translate = Callable[[str], str]
type TextArg = str | int | float | Text


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Marks `source` for extraction into the translation files; returns it unchanged."""
    return source


def _identity(source: str) -> str:
    return source


@dataclass(frozen=True, slots=True)
class Text:
    """A translatable template and the values for its `{name}` placeholders."""

    template: str
    args: tuple[tuple[str, TextArg], ...] = ()

    def render(self, translate: Translate = _identity) -> str:
        values = {
            name: value.render(translate) if isinstance(value, Text) else value
            for name, value in self.args
        }
        return translate(self.template).format(**values)

    def __str__(self) -> str:
        return self.render()


def text(template: str, **args: TextArg) -> Text:
    """Builds a `Text`: `text(QT_TRANSLATE_NOOP("CodexLink", "Waits {n} s"), n=3)`.

    lupdate only extracts calls whose context is the literal "CodexLink" (not the constant).
    """
    return Text(template, tuple(sorted(args.items())))
