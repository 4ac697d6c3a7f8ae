"""How `codex-link http-only` and `codex-link route` carry out a change of Codex's files and
print it: the result (or the diff of a dry run) in words or as JSON, a refusal as one line
on stderr (or JSON), and the exit code.

Exit codes: 0 done (or nothing to do), 1 refused or failed (the file is left as it was).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from codex_link.core.files.json_file import json_document

if TYPE_CHECKING:
    from codex_link.core.codex.file_edit.plan import FileEditPlan
    from codex_link.core.codex.file_edit.transaction import EditResult

RUN_ERROR = 1


def carry_out[P: FileEditPlan[Any]](
    plan: Callable[[], P],
    apply: Callable[[P], EditResult],
    *,
    dry_run: bool,
    as_json: bool,
) -> int:
    """Plans, then shows the plan (`dry_run`) or applies it and says what it did."""
    # Imported when a change runs, so that `codex-link --help` loads none of the core.
    from codex_link.core.codex.file_edit.errors import SwitchRefused

    try:
        planned = plan()
        if dry_run:
            return show_plan(planned, as_json=as_json)
        result = apply(planned)
    except SwitchRefused as exc:  # refusals and failures (SwitchFailed), in one sentence
        return refused(str(exc.reason), as_json)
    notes = [str(note) for note in planned.notes]
    if as_json:
        print_json(
            {
                "changed": result.changed,
                "path": str(result.path),
                "backup": None if result.backup is None else str(result.backup),
                "message": str(result.message),
                "notes": notes,
            }
        )
    else:
        print(result.message)
        print_notes(notes)
    return 0


def show_plan(plan: FileEditPlan[Any], *, as_json: bool) -> int:
    """A dry run: the change as a diff (or that there is none), nothing written."""
    if as_json:
        print_json(
            {
                "changed": not plan.noop,
                "path": str(plan.path),
                "diff": plan.diff(),
                "changes": [str(change) for change in plan.changes],
                "notes": [str(note) for note in plan.notes],
            }
        )
        return 0
    if plan.noop:
        print("Nothing to change:", *map(str, plan.changes))
    else:
        sys.stdout.write(plan.diff())
        print(f"Dry run: {plan.path} was not changed.")
    print_notes(str(note) for note in plan.notes)
    return 0


def refused(message: str, as_json: bool) -> int:
    if as_json:
        print_json({"changed": False, "error": message})
    else:
        print(message, file=sys.stderr)
    return RUN_ERROR


def print_notes(notes: Iterable[object]) -> None:
    for note in notes:
        print(f"Note: {note}")


def print_json(payload: dict[str, Any]) -> None:
    print(json_document(payload), end="")
