"""The HTTP-only switch: turn Codex's WebSocket transport off in config.toml, and back on.

"On" depends on the provider Codex uses (CODEX_FACTS §2):
- the built-in `openai` cannot be changed (a `[model_providers.openai]` table makes Codex
  refuse the file), so Codex is pointed at a twin of it, `[model_providers.openai_http]`,
  that has `supports_websockets = false`. An existing table with that exact content is
  reused; one with other content is the user's, so a free id (`openai_http_2`...) is used.
- a custom provider with WebSockets gets `supports_websockets = false` in its own table.
- a provider without WebSockets needs nothing.

"Off" undoes what "on" did, from the state file: byte for byte when the file is untouched,
and only our own lines and values when the user has edited it since. Without a state file
we did not make the change, so we do not guess how to undo it; the one exception is the
well-known hand-made set-up (the `openai_http` shape above, selected by the root key), where
removing the root `model_provider` line gives Codex back its built-in provider while the
user's table stays.

Every write is a whole-file atomic replace made only if the file still holds what the plan
was made from (otherwise the plan is made again), after a one-time backup. Malformed TOML
is refused (`ConfigRefused`, a `SwitchRefused` whose sentence gives line and column) and
nothing is written anywhere. The sentences are in `messages`.
"""

from __future__ import annotations

import contextlib
import itertools
import stat
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from codex_link.core.codex.codex_judge import CodexConfigJudge
from codex_link.core.codex.config_file import BOM, ConfigParseError, ConfigText, read_config
from codex_link.core.codex.findings import home_findings
from codex_link.core.codex.providers import (
    BUILTIN_PROVIDERS,
    DEFAULT_PROVIDER_ID,
    OPENAI_PROVIDER_NAME,
    RESERVED_PROVIDER_IDS,
    provider_tables,
    resolve_provider,
)
from codex_link.core.codex.settings import SETTINGS_KEYS, load_settings
from codex_link.core.codex.switch.findings import codex_refusals, profile_notes
from codex_link.core.codex.switch.lock import SwitchBusy, switch_lock
from codex_link.core.codex.switch.messages import (
    Say,
    cannot_edit,
    config_refused,
    describe,
    io_problem,
    kept_note,
    result_message,
    say,
    sentences,
    threads_note,
)
from codex_link.core.codex.switch.quick_diff import unified_diff
from codex_link.core.codex.switch.state import SwitchRecord, SwitchStateStore, sha256
from codex_link.core.codex.switch.status import SwitchStatus, switch_status
from codex_link.core.codex.switch.text_edit import (
    Edit,
    EditRefused,
    TomlText,
    parse_value,
    render_value,
)
from codex_link.core.files.safe_write import (
    backup_name,
    ensure_dir,
    read_bytes,
    remove_if_unchanged,
    remove_stale_temps,
    replace_if_unchanged,
    target_of,
    write_backup,
)
from codex_link.core.model.codex_home import CodexHome
from codex_link.core.model.codex_settings import ConfigError
from codex_link.core.model.text import Text
from codex_link.core.redact import scrub

HTTP_PROVIDER_ID = "openai_http"

# A quick lookup that took a look-alike line for a statement ends in one of these (the scan
# then runs off a string, or the result does not check out): the slow, exact way decides.
_LOOKUP_WENT_WRONG = (EditRefused, IndexError, ValueError)
MAX_ATTEMPTS = 3  # re-plans when the file keeps changing under us

# Keys of the hand-made HTTP-only twin of the built-in provider (CODEX_FACTS §2).
_HTTP_TWIN_KEYS = frozenset(
    {"name", "base_url", "wire_api", "requires_openai_auth", "supports_websockets"}
)


class SwitchRefused(Exception):
    """The switch will not do this; `reason` says why, in words for the user."""

    def __init__(self, reason: Text) -> None:
        super().__init__(str(reason))
        self.reason = reason


class ConfigRefused(SwitchRefused):
    """config.toml does not parse (or is not UTF-8): `error` says where, `reason` in words."""

    def __init__(self, error: ConfigError) -> None:
        super().__init__(config_refused(error))
        self.error = error


class SwitchFailed(SwitchRefused):
    """Writing failed (permission denied, disk full...); the file was left as it was."""


@dataclass(frozen=True)
class SwitchPlan:
    enable: bool
    path: Path
    before: bytes | None  # the file as read (None: missing)
    after: bytes
    changes: tuple[Text, ...]
    noop: bool
    notes: tuple[Text, ...] = ()
    provider_id: str = ""  # the provider Codex uses once the plan is applied
    previous_provider_id: str = ""
    edits: tuple[Edit, ...] = field(default=(), repr=False)
    created_parent: bool = False  # "on" adds `model_providers` itself
    delete_file: bool = False  # "off" of a file that "on" created and nobody touched since
    record: SwitchRecord | None = field(default=None, repr=False)  # the record planned from

    def diff(self) -> str:
        """The change as a unified diff (line ends shown as LF), for people: values of keys
        that hold secrets (tokens in context lines too) and URL logins are masked."""
        before = _diff_lines(self.before)
        after = [] if self.delete_file else _diff_lines(self.after)
        label = str(self.path)
        return scrub(unified_diff(
            before, after,
            fromfile=label if self.before is not None else "/dev/null",
            tofile=label if not self.delete_file else "/dev/null",
        ))


@dataclass(frozen=True)
class SwitchResult:
    changed: bool
    path: Path
    backup: Path | None
    message: Text


def _local_now() -> datetime:
    """Local time: the backup's name shows the user's own clock."""
    return datetime.now().astimezone()


class HttpOnlySwitch:
    """Plans and applies the switch for one Codex home; remembers its work in `state_dir`."""

    def __init__(
        self,
        home: CodexHome,
        state_dir: Path,
        *,
        now: Callable[[], datetime] = _local_now,
        judge: CodexConfigJudge | None = None,
    ) -> None:
        self.home = home
        self.store = SwitchStateStore(state_dir)
        self._now = now
        self.judge = judge  # the real Codex CLI, when installed: the last word on a config

    @property
    def path(self) -> Path:
        return self.home.config_path

    # ----- status ---------------------------------------------------------------------------

    def status(self) -> SwitchStatus:
        """Where the switch stands now: from one reading of Codex's settings, exactly as the
        tray's checks derive it (`switch.status`)."""
        return switch_status(load_settings(self.home, {}), self.store.load(self.path))

    # ----- planning -------------------------------------------------------------------------

    def plan(self, enable: bool) -> SwitchPlan:
        """What turning HTTP-only on (or off) would change. Reads, never writes."""
        home_problem = self._home_problem()
        if home_problem is not None:
            raise SwitchRefused(home_problem)
        record = self._record_for_switching()
        try:
            config = read_config(self.path, SETTINGS_KEYS)
        except ConfigParseError as exc:
            raise ConfigRefused(exc.error) from exc
        except OSError as exc:
            raise SwitchFailed(io_problem(self.path, exc, writing=False)) from exc
        active = record if record is not None and record.active else None
        plan = self._plan_on(config, active) if enable else self._plan_off(config, active)
        if not plan.noop:
            self._refuse_unwritable()
            self._let_codex_judge(plan)
        return replace(plan, record=record)

    def _let_codex_judge(self, plan: SwitchPlan) -> None:
        """Codex itself must accept the file before "on" and after either switch.

        Before "on": a file Codex refuses is not fixed by switching (and the user must hear
        Codex's own reason, not "switched"). After: never write a file Codex would refuse.
        "Off" of a file Codex already refuses is let through: it only removes our lines.
        """
        if self.judge is None:
            return
        before = self.judge.judge(plan.before)
        if plan.enable and before is not None and not before.accepted:
            raise SwitchRefused(say(Say.CODEX_REFUSES_IT,
                path=str(plan.path), reason=before.reason))
        if before is not None and not before.accepted:
            return
        after = self.judge.judge(None if plan.delete_file else plan.after)
        if after is not None and not after.accepted:
            raise SwitchRefused(
                say(Say.CODEX_WOULD_REFUSE, path=str(plan.path), reason=after.reason))

    def _refuse_unwritable(self) -> None:
        """A read-only or hard-linked config.toml is left alone, with the reason.

        Read-only (its owner may not write it, e.g. mode 0444): the user locked the file on
        purpose, and Codex could not save to it either; replacing it (which the folder
        allows) would silently undo that. A read-only file system is not this case: the
        write itself fails and says so.
        Hard-linked: an atomic replace gives this name a new file and leaves the other names
        with the old settings, silently splitting them; writing in place could tear the file
        on a crash. So both are refused with what to do instead.
        """
        target = target_of(self.path)
        try:
            info = target.stat()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise SwitchFailed(io_problem(self.path, exc, writing=False)) from exc
        if not info.st_mode & stat.S_IWUSR:  # marked read-only (chmod a-w, Windows attribute)
            raise SwitchRefused(say(Say.READ_ONLY, path=str(target)))
        if info.st_nlink > 1:
            raise SwitchRefused(say(Say.HARD_LINKED,
                path=str(target), count=info.st_nlink))

    def _plan_on(self, config: ConfigText | None, record: SwitchRecord | None) -> SwitchPlan:
        data = config.data if config is not None else {}
        refusals = codex_refusals(self.path, data)
        if refusals:
            raise SwitchRefused(refusals[0])
        profiles = profile_notes(self.home, data)
        provider = resolve_provider(data)
        if not provider.supports_websockets:  # nothing changes: no provider switch to warn of
            return self._noop(True, config, provider.id, say(Say.ALREADY_HTTP_ONLY,
                provider=provider.id), profiles)
        notes = (*profiles, threads_note())
        try:
            doc, edits, target_id, created_parent = self._edit_on(_document(config), provider.id)
        except _LOOKUP_WENT_WRONG:
            try:  # a lookup shortcut may have guessed wrong: once more with full scans
                doc, edits, target_id, created_parent = self._edit_on(
                    _document(config).exact_lookups(), provider.id)
            except _LOOKUP_WENT_WRONG as exc:
                reason = exc if isinstance(exc, EditRefused) else EditRefused(str(exc))
                raise SwitchRefused(cannot_edit(self.path, reason)) from exc
        edits, carried_parent = self._carry_over(doc, edits, record)
        return SwitchPlan(
            enable=True, path=self.path, before=config.raw if config else None,
            after=_encode(doc, config), changes=tuple(describe(e, undo=False) for e in edits),
            noop=False, notes=notes, provider_id=target_id, previous_provider_id=provider.id,
            edits=tuple(edits), created_parent=created_parent or carried_parent,
        )

    def _edit_on(
        self, doc: TomlText, provider_id: str
    ) -> tuple[TomlText, list[Edit], str, bool]:
        """The edits of "on", verified by one parse of the result (EditRefused if wrong)."""
        if provider_id == DEFAULT_PROVIDER_ID:
            doc, edits, target_id, created_parent = self._point_at_http_twin(doc)
        else:
            doc, edits = self._turn_off_websockets(doc, provider_id)
            target_id, created_parent = provider_id, False
        if resolve_provider(doc.data).supports_websockets:  # the edits must do what they say
            raise EditRefused("WebSockets stay on")
        return doc.verified(), edits, target_id, created_parent

    def _point_at_http_twin(self, doc: TomlText) -> tuple[TomlText, list[Edit], str, bool]:
        """Built-in `openai`: select (and if needed add) its HTTP-only twin provider."""
        entries = _http_twin_entries(doc.data)
        wanted = {key: parse_value(value) for key, value in entries.items()}
        tables = doc.data.get("model_providers")
        existing: Mapping[str, Any] = tables if isinstance(tables, Mapping) else {}
        for number in itertools.count(1):
            candidate = HTTP_PROVIDER_ID if number == 1 else f"{HTTP_PROVIDER_ID}_{number}"
            if candidate in BUILTIN_PROVIDERS or candidate in RESERVED_PROVIDER_IDS:
                continue
            if candidate not in existing or existing[candidate] == wanted:
                break
        reuse = candidate in existing
        edits: list[Edit] = []
        selector = render_value(candidate)
        if doc.keyval(("model_provider",)) is not None:
            doc, replaced = doc.set_value(("model_provider",), selector)
            edits.append(replaced)
        else:
            doc, inserted = doc.insert_root_key("model_provider", selector)
            edits.append(inserted)
        if not reuse:
            doc, inserted = doc.add_table(("model_providers", candidate), entries)
            edits.append(inserted)
        return doc, edits, candidate, not reuse and tables is None

    def _turn_off_websockets(self, doc: TomlText, provider_id: str) -> tuple[TomlText, list[Edit]]:
        """A custom provider: `supports_websockets = false` in its own table, in its form."""
        path = ("model_providers", provider_id, "supports_websockets")
        if doc.value_span(path) is not None:
            doc, replaced = doc.set_value(path, render_value(False))
            return doc, [replaced]
        doc, inserted = doc.insert_key(path[:-1], path[-1], render_value(False))
        return doc, [inserted]

    def _carry_over(
        self, doc: TomlText, edits: list[Edit], record: SwitchRecord | None
    ) -> tuple[list[Edit], bool]:
        """Keeps the edits of an earlier "on" that are still in the file (so "off" finds them).

        Example: we added `openai_http` and selected it; the user removed only the selector;
        "on" again reuses the table. "Off" must still know the table is ours.
        """
        record = self._active_record()
        if record is None:
            return edits, False
        touched = {edit.path for edit in edits}
        kept = [
            edit for edit in record.edits
            if edit.path not in touched
            and doc.undo(edit, record.created_parent, verify=False) is not None
        ]
        return kept + edits, bool(kept) and record.created_parent

    def _plan_off(self, config: ConfigText | None, record: SwitchRecord | None) -> SwitchPlan:
        data = config.data if config is not None else {}
        provider = resolve_provider(data)
        if config is None or (record is not None and sha256(config.raw) == record.before_sha256):
            record = None  # nothing of ours is in the file (it is gone, or as before "on")
        if record is not None and config is not None:
            return self._undo_record(config, record)
        if provider.supports_websockets:
            return self._noop(False, config, provider.id, say(Say.ALREADY_WEBSOCKET,
                provider=provider.id))
        assert config is not None  # a missing file means the built-in provider, with WebSocket
        return self._undo_hand_made(config, provider.id)

    def _undo_record(self, config: ConfigText, record: SwitchRecord) -> SwitchPlan:
        try:  # all undos, then one parse of the result
            doc, undone, kept = self._undo_edits(config, record, verify=False)
            doc = doc.verified()
        except _LOOKUP_WENT_WRONG:  # one guessed wrong: check each on its own, fully scanned
            doc, undone, kept = self._undo_edits(config, record, verify=True)
        untouched = sha256(config.raw) == record.after_sha256
        delete = untouched and record.before_sha256 is None and not doc.text
        provider = resolve_provider(doc.data)
        notes = [kept_note(edit) for edit in kept]
        if not provider.supports_websockets:
            notes.append(say(Say.STILL_HTTP_ONLY,
                provider=provider.id, path=str(self.path)))
        if not undone:
            return self._noop(False, config, provider.id, say(Say.NOTHING_TO_UNDO),
                tuple(notes))
        return SwitchPlan(
            enable=False, path=self.path, before=config.raw, after=_encode(doc, config),
            changes=tuple(describe(edit, undo=True) for edit in undone), noop=False,
            notes=tuple(notes), provider_id=provider.id,
            previous_provider_id=record.provider_id, delete_file=delete,
        )

    def _undo_edits(
        self, config: ConfigText, record: SwitchRecord, *, verify: bool
    ) -> tuple[TomlText, list[Edit], list[Edit]]:
        doc = _document(config) if not verify else _document(config).exact_lookups()
        undone: list[Edit] = []
        kept: list[Edit] = []
        for edit in reversed(record.edits):
            prune = record.created_parent and len(edit.path) == 2
            result = doc.undo(edit, prune, verify=verify)
            if result is None:
                kept.append(edit)
            else:
                doc = result
                undone.append(edit)
        return doc, undone, kept

    def _undo_hand_made(self, config: ConfigText, provider_id: str) -> SwitchPlan:
        """HTTP-only that Codex Link did not set: undo only the well-known `openai_http` shape.

        Anything else (a custom provider with `supports_websockets = false`, a local provider)
        is the user's own choice, and turning WebSockets on there could break their set-up:
        we refuse and say what to change by hand.
        """
        doc = _document(config)
        selector = doc.keyval(("model_provider",))
        table = provider_tables(doc.data).get(provider_id)
        if selector is not None and table is not None and _is_http_twin(table, doc.data):
            result = doc.remove_statement(selector)
            if result is not None:
                return SwitchPlan(
                    enable=False, path=self.path, before=config.raw,
                    after=_encode(result, config),
                    changes=(say(Say.REMOVED_HAND_MADE, provider=provider_id),),
                    noop=False, provider_id=DEFAULT_PROVIDER_ID, previous_provider_id=provider_id,
                )
        if provider_id in BUILTIN_PROVIDERS:
            raise SwitchRefused(say(Say.BUILTIN_WITHOUT_WEBSOCKET, provider=provider_id))
        raise SwitchRefused(say(Say.NOT_OURS, provider=provider_id, path=str(self.path)))

    def _noop(
        self, enable: bool, config: ConfigText | None, provider_id: str, why: Text,
        notes: Iterable[Text] = (),
    ) -> SwitchPlan:
        raw = config.raw if config is not None else None
        return SwitchPlan(
            enable=enable, path=self.path, before=raw, after=raw or b"", changes=(why,),
            noop=True, notes=tuple(notes), provider_id=provider_id,
            previous_provider_id=provider_id,
        )

    # ----- applying -------------------------------------------------------------------------

    def apply(self, plan: SwitchPlan) -> SwitchResult:
        """Writes the plan, unless the file or the record changed since: then plans again.

        Holds the switch lock throughout, so the tray, the command line and scripts never
        switch the same file at once; temp files of killed earlier writes are removed first.
        """
        with contextlib.ExitStack() as held:
            try:
                held.enter_context(switch_lock(self.store.lock_path_for(plan.path)))
            except SwitchBusy as exc:
                raise SwitchFailed(say(Say.BUSY,
                    path=str(plan.path))) from exc
            except OSError as exc:
                raise SwitchFailed(self._record_problem(exc)) from exc
            remove_stale_temps(plan.path)
            remove_stale_temps(self.store.path_for(plan.path))
            return self._apply_locked(plan)
        raise AssertionError("unreachable")  # pragma: no cover (the stack never swallows)

    def _apply_locked(self, plan: SwitchPlan) -> SwitchResult:
        for _attempt in range(MAX_ATTEMPTS):
            try:
                current = read_bytes(target_of(plan.path))
            except OSError as exc:
                raise SwitchFailed(io_problem(plan.path, exc, writing=False)) from exc
            if current != plan.before or self._record_for_switching() != plan.record:
                plan = self.plan(plan.enable)
                continue
            if plan.noop:
                self._forget_stale_record(plan)
                return SwitchResult(False, plan.path, None, sentences(plan.changes))
            try:
                result = self._write(plan)
            except OSError as exc:
                raise SwitchFailed(io_problem(plan.path, exc, writing=True)) from exc
            if result is not None:
                return result
            plan = self.plan(plan.enable)
        raise SwitchFailed(say(Say.KEPT_CHANGING, path=str(plan.path)))

    def _write(self, plan: SwitchPlan) -> SwitchResult | None:
        """One attempt; None when the file changed just before the replace.

        A backup made by this attempt is removed again when the attempt changes nothing
        (the write failed, or the file changed under us): "nothing was changed" leaves
        nothing behind, and a retry does not make a second one.
        """
        previous = plan.record
        if plan.before is None:
            ensure_dir(plan.path.parent)
        backup, fresh = self._backup(plan, previous)
        try:
            done = self._write_with_record(plan, previous, backup, fresh)
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
        return SwitchResult(True, plan.path, backup, result_message(
            enable=plan.enable, provider_id=plan.provider_id, path=plan.path,
            removed_file=plan.delete_file, changes=plan.changes, backup=backup,
        ))

    def _write_with_record(
        self, plan: SwitchPlan, previous: SwitchRecord | None, backup: Path | None, fresh: bool,
    ) -> bool:
        """Record, backup and file, in the order that keeps them consistent at any stop.

        "On" saves the record (naming the backup) first, then writes the backup, then the
        file: killed after the record, the next switch finds no backup by that name and
        makes one; killed after the backup, the record names it and it is reused. Either
        way no backup is left that nothing refers to.
        """
        when = self._now().isoformat()
        target = str(target_of(plan.path))
        if plan.enable:
            record = SwitchRecord(
                config_path=target, active=True, switched_at=when,
                provider_id=plan.provider_id, previous_provider_id=plan.previous_provider_id,
                before_sha256=sha256(plan.before), after_sha256=sha256(plan.after),
                edits=plan.edits, created_parent=plan.created_parent,
                backup=str(backup) if backup else None,
            )
            # The record first: if we stop right after the replace, "off" still knows.
            self._save_record(record)
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
        base = previous or SwitchRecord(
            config_path=target, active=False, switched_at=when, provider_id="",
            previous_provider_id="", before_sha256=None, after_sha256=None,
        )
        kept_backup = str(backup) if backup else None
        # The file is already back; a record we cannot update stays "active" but is
        # recognised as stale (the file no longer holds our edits), so it cannot mislead.
        with contextlib.suppress(OSError):
            self.store.save(replace(base.finished(when), backup=kept_backup))
        return True

    def _save_record(self, record: SwitchRecord) -> None:
        try:
            self.store.save(record)
        except OSError as exc:
            raise SwitchFailed(self._record_problem(exc)) from exc

    def _record_problem(self, exc: OSError) -> Text:
        return say(Say.RECORD_UNSAVED,
            folder=str(self.store.state_dir), reason=exc.strerror or str(exc),
            path=str(self.path))

    def _backup(
        self, plan: SwitchPlan, previous: SwitchRecord | None
    ) -> tuple[Path | None, bool]:
        """The one backup of the original file: made before our first change, then reused.

        Returns the backup and whether it is a fresh name that this switch must still write.
        """
        if previous is not None and previous.backup and Path(previous.backup).exists():
            return Path(previous.backup), False
        # Nothing of the user's to keep: no file yet, or "off" removing a file that "on"
        # created and that still holds exactly what Codex Link wrote.
        if plan.before is None or plan.delete_file:
            return None, False
        return backup_name(plan.path, self._now()), True

    def _forget_stale_record(self, plan: SwitchPlan) -> None:
        """"Off" found nothing of ours: the record must stop claiming the switch is ours."""
        record = self.store.load(plan.path)
        if not plan.enable and record is not None and record.active:
            self.store.save(record.finished(self._now().isoformat()))

    def _record_for_switching(self) -> SwitchRecord | None:
        """The record, for a switch: one that exists but cannot be read stops the switch.

        (`status` may treat it as absent; a switch must not, or "off" would take our own
        table for the user's.) A damaged record still counts as absent.
        """
        try:
            return self.store.load(self.path, strict=True)
        except OSError as exc:
            raise SwitchFailed(say(Say.RECORD_UNREADABLE,
                folder=str(self.store.state_dir), reason=exc.strerror or str(exc),
                path=str(self.path))) from exc

    def _home_problem(self) -> Text | None:
        """Codex's folder is missing, a file or closed to us: say that, not "uses WebSocket"."""
        problems = home_findings(self.home)
        return problems[0].message if problems else None

    def _active_record(self) -> SwitchRecord | None:
        record = self.store.load(self.path)
        return record if record is not None and record.active else None

def _document(config: ConfigText | None) -> TomlText:
    if config is None:
        return TomlText("", "\n", {})
    # Parsed from this very text (the switch's keys only; its chunks verify the edits).
    return TomlText(config.text, config.newline, config.data, chunks=config.chunks)


def _encode(doc: TomlText, config: ConfigText | None) -> bytes:
    bom = BOM if config is not None and config.has_bom else ""
    return (bom + doc.text).encode("utf-8")


def _http_twin_entries(data: Mapping[str, Any]) -> dict[str, str]:
    """The HTTP-only twin of the built-in provider, as TOML value texts (CODEX_FACTS §2)."""
    entries = {"name": render_value(OPENAI_PROVIDER_NAME)}
    base_url = data.get("openai_base_url")
    if isinstance(base_url, str) and base_url.strip():
        entries["base_url"] = render_value(base_url)  # keeps the user's re-pointed endpoint
    entries["wire_api"] = render_value("responses")
    entries["requires_openai_auth"] = render_value(True)
    entries["supports_websockets"] = render_value(False)
    return entries


def _is_http_twin(table: Mapping[str, Any], data: Mapping[str, Any]) -> bool:
    """A hand-made copy of the built-in provider with WebSockets off, and nothing else."""
    base_url = data.get("openai_base_url")
    return (
        set(table) <= _HTTP_TWIN_KEYS
        and table.get("name") == OPENAI_PROVIDER_NAME
        and table.get("wire_api", "responses") == "responses"
        and table.get("requires_openai_auth") is True
        and table.get("supports_websockets") is False
        and table.get("base_url", base_url) == base_url
    )


def _diff_lines(content: bytes | None) -> list[str]:
    if content is None:
        return []
    decoded = content.decode("utf-8", errors="replace").removeprefix(BOM)
    lines = [line.replace("\r\n", "\n") for line in decoded.splitlines(keepends=True)]
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines
