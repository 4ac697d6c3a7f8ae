"""What a planned change of one of Codex's files holds, whichever change it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from codex_link.core.codex.file_edit.diff import plan_diff
from codex_link.core.model.text import Text


@dataclass(frozen=True, kw_only=True)
class FileEditPlan[R]:
    """The file as read and as it would be written; planning only reads. `R` is the
    change's record (`file_edit.records`)."""

    enable: bool  # "on" (else "off")
    path: Path
    before: bytes | None  # the file as read (None: missing)
    after: bytes
    changes: tuple[Text, ...]  # what the write does, in words; the reason when `noop`
    noop: bool
    notes: tuple[Text, ...] = ()
    delete_file: bool = False  # "off" of a file "on" created and nobody touched since
    record: R | None = field(default=None, repr=False)  # the record the plan was made from

    def diff(self) -> str:
        """The change as a unified diff, logins and secrets masked (`file_edit.diff`)."""
        return plan_diff(self.path, self.before, self.after, delete_file=self.delete_file)
