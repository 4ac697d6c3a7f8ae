"""Writing a planned change of one of Codex's files, safely: the part the HTTP-only switch and
the route fix share.

`apply` holds the change's locks throughout (so the tray, the command line and scripts never
change the same file at once) and removes temp files of killed earlier writes. Then, up to
`MAX_ATTEMPTS` times: it reads the file and the record again, and plans again if either
changed since the plan was made; otherwise it makes the one backup of the original (or
reuses it), records what it does, and replaces the file atomically only if it still holds
what the plan was made from. A change that does nothing still marks a stale record
finished. What a plan and a record hold, and what the result says, is the change's own:
the abstract methods below.
"""

from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, Self

from codex_link.core.codex.codex_judge import CodexConfigJudge
from codex_link.core.codex.file_edit.errors import SwitchFailed
from codex_link.core.codex.file_edit.guards import read_file
from codex_link.core.codex.file_edit.lock import EditBusy, edit_lock
from codex_link.core.codex.file_edit.messages import EditSay, io_problem, say, sentences
from codex_link.core.codex.file_edit.plan import FileEditPlan
from codex_link.core.codex.file_edit.records import RecordStore
from codex_link.core.files.safe_write import (
    backup_name,
    ensure_dir,
    remove_if_unchanged,
    remove_stale_temps,
    replace_if_unchanged,
    write_backup,
)
from codex_link.core.model.codex_home import CodexHome
from codex_link.core.model.text import Text

MAX_ATTEMPTS = 3  # re-plans when the file keeps changing under us


class EditRecord(Protocol):
    @property
    def active(self) -> bool: ...
    @property
    def backup(self) -> str | None: ...  # made before our first change of the file

    def finished(self, when: str) -> Self: ...


@dataclass(frozen=True)
class EditResult:
    changed: bool
    path: Path
    backup: Path | None
    message: Text


def local_now() -> datetime:
    """Local time: a backup's name shows the user's own clock."""
    return datetime.now().astimezone()


class RecordedFileEdit[P: FileEditPlan[Any], R: EditRecord](ABC):
    """Plans of one change for one Codex home, applied; its records are in `state_dir`."""

    def __init__(
        self,
        home: CodexHome,
        state_dir: Path,
        *,
        now: Callable[[], datetime] = local_now,
        judge: CodexConfigJudge | None = None,
    ) -> None:
        self.home = home
        self.store = self._store(state_dir)
        self._now = now
        self.judge = judge  # the real Codex CLI, when installed: the last word on config.toml

    def apply(self, plan: P) -> EditResult:
        """Writes the plan, unless the file or the record changed since: then plans again."""
        with contextlib.ExitStack() as held:
            try:
                for lock in self._lock_paths(plan):
                    held.enter_context(edit_lock(lock))
            except EditBusy as exc:
                raise SwitchFailed(say(EditSay.BUSY, path=str(plan.path))) from exc
            except OSError as exc:
                raise SwitchFailed(self._record_problem(plan.path, exc)) from exc
            remove_stale_temps(plan.path)
            remove_stale_temps(self.store.path_for(plan.path))
            return self._apply_locked(plan)
        raise AssertionError("unreachable")  # pragma: no cover (the stack never swallows)

    def _apply_locked(self, plan: P) -> EditResult:
        for _attempt in range(MAX_ATTEMPTS):
            current = read_file(plan.path)
            if current != plan.before or self._record_now(plan) != plan.record:
                plan = self._replan(plan)
                continue
            if plan.noop:
                self._forget_stale_record(plan)
                return EditResult(False, plan.path, None, sentences(plan.changes))
            try:
                result = self._write(plan)
            except OSError as exc:
                raise SwitchFailed(io_problem(plan.path, exc, writing=True)) from exc
            if result is not None:
                return result
            plan = self._replan(plan)
        raise SwitchFailed(say(EditSay.KEPT_CHANGING, path=str(plan.path)))

    def _write(self, plan: P) -> EditResult | None:
        """One attempt; None when the file changed just before the replace.

        A backup made by this attempt is removed again when the attempt changes nothing
        (the write failed, or the file changed under us): "nothing was changed" leaves
        nothing behind, and a retry does not make a second one.
        """
        if plan.before is None:
            ensure_dir(plan.path.parent)
        backup, fresh = self._backup(plan)
        try:
            done = self._write_with_record(plan, backup, fresh)
        except BaseException:
            if fresh and backup is not None:
                with contextlib.suppress(OSError):
                    backup.unlink()
            raise
        if not done:
            if fresh and backup is not None:
                with contextlib.suppress(OSError):
                    backup.unlink()
            return None
        return EditResult(True, plan.path, backup, self._result_message(plan, backup))

    def _write_with_record(self, plan: P, backup: Path | None, fresh: bool) -> bool:
        """Record, backup and file, in the order that keeps them consistent at any stop.

        "On" saves the record (naming the backup) first, then writes the backup, then the
        file: killed after the record, the next change finds no backup by that name and
        makes one; killed after the backup, the record names it and it is reused; stopped
        right after the replace, "off" still knows our lines. Either way no backup is left
        that nothing refers to. "Off" writes the file first, then marks the record finished.
        """
        previous = plan.record
        when = self._now().isoformat()
        if plan.enable:
            self._save_record(self._record_on(plan, backup, when), plan.path)
            try:
                if fresh and backup is not None and plan.before is not None:
                    write_backup(plan.path, plan.before, self._now(), name=backup)
                done = replace_if_unchanged(plan.path, plan.before, plan.after)
            except BaseException:
                self.store.restore(plan.path, previous)
                raise
            if not done:
                self.store.restore(plan.path, previous)
            return done
        if fresh and backup is not None and plan.before is not None:
            write_backup(plan.path, plan.before, self._now(), name=backup)
        if plan.delete_file and plan.before is not None:
            done = remove_if_unchanged(plan.path, plan.before)
        else:
            done = replace_if_unchanged(plan.path, plan.before, plan.after)
        if not done:
            return False
        finished = self._record_off(plan, backup, when)
        if finished is not None:
            # The file is already back; a record we cannot update stays "active" but finds
            # nothing of ours in the file, so it cannot mislead.
            with contextlib.suppress(OSError):
                self.store.save(finished)
        return True

    def _backup(self, plan: P) -> tuple[Path | None, bool]:
        """The one backup of the original file: made before our first change, then reused.

        Returns the backup and whether it is a fresh name that this write must still fill.
        """
        previous = plan.record
        if previous is not None and previous.backup and Path(previous.backup).exists():
            return Path(previous.backup), False
        # Nothing of the user's to keep: no file yet, or "off" removing a file that "on"
        # created and that still holds exactly what Codex Link wrote.
        if plan.before is None or plan.delete_file:
            return None, False
        return backup_name(plan.path, self._now()), True

    def _save_record(self, record: R, path: Path) -> None:
        try:
            self.store.save(record)
        except OSError as exc:
            raise SwitchFailed(self._record_problem(path, exc)) from exc

    def _forget_stale_record(self, plan: P) -> None:
        """ "Off" found nothing of ours left: the record stops claiming the change is on."""
        record = plan.record
        if not plan.enable and record is not None and record.active:
            with contextlib.suppress(OSError):
                self.store.save(record.finished(self._now().isoformat()))

    # ----- the change's own part ------------------------------------------------------------

    @abstractmethod
    def _store(self, state_dir: Path) -> RecordStore[R]:
        """Where this change keeps its records."""

    @abstractmethod
    def _lock_paths(self, plan: P) -> Sequence[Path]:
        """The locks to hold while writing `plan`, always taken in this order."""

    @abstractmethod
    def _record_now(self, plan: P) -> R | None:
        """The record of the plan's file as it is now (one that cannot be read stops)."""

    @abstractmethod
    def _replan(self, plan: P) -> P:
        """`plan` made again from the file and the record as they are now."""

    @abstractmethod
    def _record_on(self, plan: P, backup: Path | None, when: str) -> R:
        """The record of an "on" that writes `plan`, saved before the file is."""

    @abstractmethod
    def _record_off(self, plan: P, backup: Path | None, when: str) -> R | None:
        """The record once "off" wrote `plan` (None: none to keep)."""

    @abstractmethod
    def _result_message(self, plan: P, backup: Path | None) -> Text:
        """What the written plan did, for the user."""

    @abstractmethod
    def _record_problem(self, path: Path, exc: OSError) -> Text:
        """The record (or its lock) could not be saved: nothing was changed."""
