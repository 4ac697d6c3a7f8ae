"""The route fix's edit of config.toml: `features.respect_system_proxy = true`, and its undo.

Made with the HTTP-only switch's byte-safe TOML text edits (`switch.text_edit`): the key is
set in place when `[features]` has it (false -> true), added under `[features]` (in whatever
form that table is written) when it does not, or a `[features]` table is added at the end.
Undo is the switch's too: by meaning, so a value the user changed since stays theirs.
"""

from __future__ import annotations

from collections.abc import Mapping

from codex_link.core.codex.config_file import ConfigText
from codex_link.core.codex.switch.text_edit import (
    Edit,
    EditRefused,
    TomlText,
    document_of,
    encoded,
    render_value,
)

FEATURES = "features"
KEY = "respect_system_proxy"
PATH = (FEATURES, KEY)
# A lookup shortcut that took a look-alike line for a statement ends in one of these: the
# exact (full-scan) lookups decide then, as in the switch.
_LOOKUP_WENT_WRONG = (EditRefused, IndexError, ValueError)


def respects_system_proxy(data: Mapping[str, object]) -> bool:
    """What Codex reads: `features.respect_system_proxy` is the boolean true."""
    features = data.get(FEATURES)
    return isinstance(features, Mapping) and features.get(KEY) is True


def plan_on(config: ConfigText | None) -> tuple[bytes, Edit]:
    """config.toml with the key set to true (EditRefused when that cannot be done safely)."""
    try:
        doc, edit = _set(document_of(config))
    except _LOOKUP_WENT_WRONG:
        try:
            doc, edit = _set(document_of(config).exact_lookups())
        except _LOOKUP_WENT_WRONG as exc:
            raise exc if isinstance(exc, EditRefused) else EditRefused(str(exc)) from exc
    return encoded(doc, config), edit


def plan_off(config: ConfigText, edit: Edit) -> bytes | None:
    """config.toml without our edit; None when it is no longer there as we made it."""
    doc = document_of(config).undo(edit, prune_parent=False)
    if doc is None:
        doc = document_of(config).exact_lookups().undo(edit, prune_parent=False)
    return None if doc is None else encoded(doc, config)


def _set(doc: TomlText) -> tuple[TomlText, Edit]:
    true = render_value(True)
    features = doc.data.get(FEATURES)
    edit: Edit
    if isinstance(features, Mapping) and KEY in features:
        doc, edit = doc.set_value(PATH, true)
    elif isinstance(features, Mapping):
        doc, edit = doc.insert_key((FEATURES,), KEY, true)
    elif features is None:
        doc, edit = doc.add_table((FEATURES,), {KEY: true})
    else:
        raise EditRefused(f"{FEATURES} is not a table")
    doc = doc.verified()
    if not respects_system_proxy(doc.data):  # the edit must do what it says
        raise EditRefused(f"{FEATURES}.{KEY} would not be true")
    return doc, edit
