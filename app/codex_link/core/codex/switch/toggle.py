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
was made from (otherwise the plan is made again), after a one-time backup: the
`file_edit.transaction` the route fix shares. Malformed TOML is refused (`ConfigRefused`, a
`SwitchRefused` whose sentence gives line and column) and nothing is written anywhere. The
sentences are in `messages`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from codex_link.core.codex.config_file import ConfigText
from codex_link.core.codex.file_edit.errors import ConfigRefused as ConfigRefused
from codex_link.core.codex.file_edit.errors import SwitchFailed as SwitchFailed
from codex_link.core.codex.file_edit.errors import SwitchRefused as SwitchRefused
from codex_link.core.codex.file_edit.guards import (
    let_codex_judge,
    read_toml,
    refuse_unusable_home,
    refuse_unwritable,
)
from codex_link.core.codex.file_edit.messages import cannot_edit
from codex_link.core.codex.file_edit.plan import FileEditPlan
from codex_link.core.codex.file_edit.records import sha256
from codex_link.core.codex.file_edit.transaction import EditResult, RecordedFileEdit
from codex_link.core.codex.providers import (
    BUILTIN_PROVIDERS,
    DEFAULT_PROVIDER_ID,
    OPENAI_PROVIDER_NAME,
    RESERVED_PROVIDER_IDS,
    provider_tables,
    resolve_provider,
)
from codex_link.core.codex.settings import load_settings
from codex_link.core.codex.switch.findings import codex_refusals, profile_notes
from codex_link.core.codex.switch.messages import (
    SENTENCES,
    Say,
    describe,
    kept_note,
    result_message,
    say,
    threads_note,
)
from codex_link.core.codex.switch.state import SwitchRecord, SwitchStateStore
from codex_link.core.codex.switch.status import SwitchStatus, switch_status
from codex_link.core.codex.switch.text_edit import (
    Edit,
    EditRefused,
    TomlText,
    document_of,
    encoded,
    parse_value,
    render_value,
)
from codex_link.core.files.safe_write import target_of
from codex_link.core.model.text import Text

HTTP_PROVIDER_ID = "openai_http"

# A quick lookup that took a look-alike line for a statement ends in one of these (the scan
# then runs off a string, or the result does not check out): the slow, exact way decides.
_LOOKUP_WENT_WRONG = (EditRefused, IndexError, ValueError)

# Keys of the hand-made HTTP-only twin of the built-in provider (CODEX_FACTS §2).
_HTTP_TWIN_KEYS = frozenset(
    {"name", "base_url", "wire_api", "requires_openai_auth", "supports_websockets"}
)


@dataclass(frozen=True, kw_only=True)
class SwitchPlan(FileEditPlan[SwitchRecord]):
    provider_id: str = ""  # the provider Codex uses once the plan is applied
    previous_provider_id: str = ""
    edits: tuple[Edit, ...] = field(default=(), repr=False)
    created_parent: bool = False  # "on" adds `model_providers` itself


SwitchResult = EditResult  # what `apply` did


class HttpOnlySwitch(RecordedFileEdit[SwitchPlan, SwitchRecord]):
    """Plans and applies the switch for one Codex home; remembers its work in `state_dir`."""

    store: SwitchStateStore

    def _store(self, state_dir: Path) -> SwitchStateStore:
        return SwitchStateStore(state_dir)

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
        refuse_unusable_home(self.home)
        record = self._record_for_switching()
        config = read_toml(self.path)
        active = record if record is not None and record.active else None
        plan = self._plan_on(config, active) if enable else self._plan_off(config, active)
        if not plan.noop:
            refuse_unwritable(self.path, SENTENCES[Say.READ_ONLY])
            # Codex itself must accept the file before "on" and after either switch.
            let_codex_judge(
                self.judge,
                plan.path,
                plan.before,
                None if plan.delete_file else plan.after,
                enable=plan.enable,
                refused_before=SENTENCES[Say.CODEX_REFUSES_IT],
            )
        return replace(plan, record=record)

    def _plan_on(self, config: ConfigText | None, record: SwitchRecord | None) -> SwitchPlan:
        data = config.data if config is not None else {}
        refusals = codex_refusals(self.path, data)
        if refusals:
            raise SwitchRefused(refusals[0])
        profiles = profile_notes(self.home, data)
        provider = resolve_provider(data)
        if not provider.supports_websockets:  # nothing changes: no provider switch to warn of
            return self._noop(
                True,
                config,
                provider.id,
                say(Say.ALREADY_HTTP_ONLY, provider=provider.id),
                profiles,
            )
        notes = (*profiles, threads_note())
        try:
            doc, edits, target_id, created_parent = self._edit_on(document_of(config), provider.id)
        except _LOOKUP_WENT_WRONG:
            try:  # a lookup shortcut may have guessed wrong: once more with full scans
                doc, edits, target_id, created_parent = self._edit_on(
                    document_of(config).exact_lookups(), provider.id
                )
            except _LOOKUP_WENT_WRONG as exc:
                reason = exc if isinstance(exc, EditRefused) else EditRefused(str(exc))
                raise SwitchRefused(cannot_edit(self.path, reason)) from exc
        edits, carried_parent = self._carry_over(doc, edits, record)
        return SwitchPlan(
            enable=True,
            path=self.path,
            before=config.raw if config else None,
            after=encoded(doc, config),
            changes=tuple(describe(e, undo=False) for e in edits),
            noop=False,
            notes=notes,
            provider_id=target_id,
            previous_provider_id=provider.id,
            edits=tuple(edits),
            created_parent=created_parent or carried_parent,
        )

    def _edit_on(self, doc: TomlText, provider_id: str) -> tuple[TomlText, list[Edit], str, bool]:
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
            edit
            for edit in record.edits
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
            return self._noop(
                False, config, provider.id, say(Say.ALREADY_WEBSOCKET, provider=provider.id)
            )
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
            notes.append(say(Say.STILL_HTTP_ONLY, provider=provider.id, path=str(self.path)))
        if not undone:
            return self._noop(False, config, provider.id, say(Say.NOTHING_TO_UNDO), tuple(notes))
        return SwitchPlan(
            enable=False,
            path=self.path,
            before=config.raw,
            after=encoded(doc, config),
            changes=tuple(describe(edit, undo=True) for edit in undone),
            noop=False,
            notes=tuple(notes),
            provider_id=provider.id,
            previous_provider_id=record.provider_id,
            delete_file=delete,
        )

    def _undo_edits(
        self, config: ConfigText, record: SwitchRecord, *, verify: bool
    ) -> tuple[TomlText, list[Edit], list[Edit]]:
        doc = document_of(config) if not verify else document_of(config).exact_lookups()
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
        doc = document_of(config)
        selector = doc.keyval(("model_provider",))
        table = provider_tables(doc.data).get(provider_id)
        if selector is not None and table is not None and _is_http_twin(table, doc.data):
            result = doc.remove_statement(selector)
            if result is not None:
                return SwitchPlan(
                    enable=False,
                    path=self.path,
                    before=config.raw,
                    after=encoded(result, config),
                    changes=(say(Say.REMOVED_HAND_MADE, provider=provider_id),),
                    noop=False,
                    provider_id=DEFAULT_PROVIDER_ID,
                    previous_provider_id=provider_id,
                )
        if provider_id in BUILTIN_PROVIDERS:
            raise SwitchRefused(say(Say.BUILTIN_WITHOUT_WEBSOCKET, provider=provider_id))
        raise SwitchRefused(say(Say.NOT_OURS, provider=provider_id, path=str(self.path)))

    def _noop(
        self,
        enable: bool,
        config: ConfigText | None,
        provider_id: str,
        why: Text,
        notes: Iterable[Text] = (),
    ) -> SwitchPlan:
        raw = config.raw if config is not None else None
        return SwitchPlan(
            enable=enable,
            path=self.path,
            before=raw,
            after=raw or b"",
            changes=(why,),
            noop=True,
            notes=tuple(notes),
            provider_id=provider_id,
            previous_provider_id=provider_id,
        )

    # ----- applying (`file_edit.transaction`: lock, re-plan, backup, record, replace) -------

    def _lock_paths(self, plan: SwitchPlan) -> Sequence[Path]:
        return (self.store.lock_path_for(plan.path),)

    def _record_now(self, plan: SwitchPlan) -> SwitchRecord | None:
        return self._record_for_switching()

    def _replan(self, plan: SwitchPlan) -> SwitchPlan:
        return self.plan(plan.enable)

    def _record_on(self, plan: SwitchPlan, backup: Path | None, when: str) -> SwitchRecord:
        return SwitchRecord(
            config_path=str(target_of(plan.path)),
            active=True,
            switched_at=when,
            provider_id=plan.provider_id,
            previous_provider_id=plan.previous_provider_id,
            before_sha256=sha256(plan.before),
            after_sha256=sha256(plan.after),
            edits=plan.edits,
            created_parent=plan.created_parent,
            backup=str(backup) if backup else None,
        )

    def _record_off(self, plan: SwitchPlan, backup: Path | None, when: str) -> SwitchRecord:
        """Finished, and naming the backup: also after undoing a hand-made set-up (no
        record yet), so the next "on" reuses that backup."""
        base = plan.record or SwitchRecord(
            config_path=str(target_of(plan.path)),
            active=False,
            switched_at=when,
            provider_id="",
            previous_provider_id="",
            before_sha256=None,
            after_sha256=None,
        )
        return replace(base.finished(when), backup=str(backup) if backup else None)

    def _result_message(self, plan: SwitchPlan, backup: Path | None) -> Text:
        return result_message(
            enable=plan.enable,
            provider_id=plan.provider_id,
            path=plan.path,
            removed_file=plan.delete_file,
            changes=plan.changes,
            backup=backup,
        )

    def _record_problem(self, path: Path, exc: OSError) -> Text:
        return say(
            Say.RECORD_UNSAVED,
            folder=str(self.store.state_dir),
            reason=exc.strerror or str(exc),
            path=str(path),
        )

    def _record_for_switching(self) -> SwitchRecord | None:
        """The record, for a switch: one that exists but cannot be read stops the switch.

        (`status` may treat it as absent; a switch must not, or "off" would take our own
        table for the user's.) A damaged record still counts as absent.
        """
        try:
            return self.store.load(self.path, strict=True)
        except OSError as exc:
            raise SwitchFailed(
                say(
                    Say.RECORD_UNREADABLE,
                    folder=str(self.store.state_dir),
                    reason=exc.strerror or str(exc),
                    path=str(self.path),
                )
            ) from exc

    def _active_record(self) -> SwitchRecord | None:
        record = self.store.load(self.path)
        return record if record is not None and record.active else None


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
