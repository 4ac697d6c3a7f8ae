"""The route fix: write a proxy that carries WebSocket where Codex reads it at every start.

Two ways (`RouteMethod`): proxy lines in `$CODEX_HOME/.env` (Codex loads it at start, over
the environment it was started with, whatever launched it), or
`features.respect_system_proxy = true` in config.toml (Windows and macOS). One at a time.

The safety is the HTTP-only switch's, in the same code (`file_edit`): `plan` only reads;
`apply` takes the lock (one for every route fix change, and for config.toml also the
switch's own lock of that file, so the two never interleave), reads the file again and plans
again if it or the record changed, makes one backup of the original, records what it does
in the state folder, and replaces the file atomically only if it still holds what the plan
was made from. "Off" removes our
lines by meaning (`dotenv_edit`, the switch's TOML undo) and gives back the original bytes
when nothing else changed. Refusals and failures are the shared `SwitchRefused` and
`SwitchFailed` (`file_edit.errors`), with a sentence; no other exception leaves `plan`/`apply`
for bad files (a FIFO, no permission, malformed TOML).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from codex_link.core.codex.dotenv import dotenv_entries
from codex_link.core.codex.file_edit.errors import SwitchFailed, SwitchRefused
from codex_link.core.codex.file_edit.guards import (
    let_codex_judge,
    read_file,
    read_toml,
    refuse_unusable_home,
    refuse_unwritable,
)
from codex_link.core.codex.file_edit.messages import cannot_edit
from codex_link.core.codex.file_edit.plan import FileEditPlan
from codex_link.core.codex.file_edit.records import sha256
from codex_link.core.codex.file_edit.transaction import EditResult, RecordedFileEdit
from codex_link.core.codex.route_fix import dotenv_edit, system_edit
from codex_link.core.codex.route_fix.dotenv_edit import ROUTE_VARIABLES, LineChange
from codex_link.core.codex.route_fix.messages import (
    SENTENCES,
    RouteSay,
    describe_system_edit,
    result_message,
    say,
    shown,
    variables_list,
)
from codex_link.core.codex.route_fix.record import RouteRecord, RouteStateStore
from codex_link.core.codex.route_fix.status import RouteFixStatus, route_status
from codex_link.core.codex.switch.findings import codex_refusals
from codex_link.core.codex.switch.messages import kept_note
from codex_link.core.codex.switch.state import SwitchStateStore
from codex_link.core.codex.switch.text_edit import Edit, EditRefused
from codex_link.core.files.safe_write import target_of
from codex_link.core.model.route_fix import RouteMethod, RouteProposal
from codex_link.core.model.text import Text
from codex_link.core.model.urls import ProxyKind, ProxySchemeError, parse_proxy
from codex_link.core.redact import HIDDEN_PASSWORD

# What Codex's WebSocket can go through (core/net/routes: "Proxy URL scheme not supported"
# for anything else).
WEBSOCKET_PROXY_KINDS = frozenset({ProxyKind.HTTP, ProxyKind.SOCKS5, ProxyKind.SOCKS5H})


def proxy_proposal(proxy_url: str) -> RouteProposal:
    """The DOTENV route through one proxy, its variables chosen by the proxy's scheme.

    An http:// proxy goes in HTTPS_PROXY: both of Codex's transports take it. A SOCKS proxy
    goes in HTTP_PROXY alone, which moves only the WebSocket: Codex's HTTPS client cannot
    use SOCKS, and HTTPS_PROXY would move its HTTP requests onto it too. The URL is checked
    when the route is planned (`SwitchRefused` there).
    """
    try:
        kind = parse_proxy(proxy_url.strip(), WEBSOCKET_PROXY_KINDS, bare_is_http=False).kind
    except ProxySchemeError:
        kind = ProxyKind.HTTP  # planning refuses it, with the sentence
    variables = ("HTTPS_PROXY",) if kind is ProxyKind.HTTP else ("HTTP_PROXY",)
    return RouteProposal(RouteMethod.DOTENV, proxy_url.strip(), variables)


@dataclass(frozen=True, kw_only=True)
class RouteFixPlan(FileEditPlan[RouteRecord]):
    method: RouteMethod
    proposal: RouteProposal | None = None
    lines: tuple[LineChange, ...] = field(default=(), repr=False)  # DOTENV "on"
    block: str = field(default="", repr=False)
    toml_edit: Edit | None = field(default=None, repr=False)  # SYSTEM_PROXY "on"


RouteFixResult = EditResult  # what `apply` did


class RouteFix(RecordedFileEdit[RouteFixPlan, RouteRecord]):
    """Plans and applies the route fix for one Codex home; its records are in `state_dir`."""

    store: RouteStateStore

    def _store(self, state_dir: Path) -> RouteStateStore:
        return RouteStateStore(state_dir)

    def path_of(self, method: RouteMethod) -> Path:
        return self.home.dotenv_path if method is RouteMethod.DOTENV else self.home.config_path

    # ----- status ---------------------------------------------------------------------------

    def status(self) -> RouteFixStatus:
        """Where the fix stands now; never raises (an unreadable file becomes a note)."""
        return route_status(self.home, self._records(strict=False))

    # ----- planning -------------------------------------------------------------------------

    def plan(self, enable: bool, proposal: RouteProposal | None = None) -> RouteFixPlan:
        """What turning the fix on (along `proposal`) or off would change. Reads only."""
        refuse_unusable_home(self.home)
        records = self._records(strict=True)
        active = {
            method: record
            for method, record in records.items()
            if record is not None and record.active
        }
        if not enable:
            return self._plan_off(records, active)
        if proposal is None:
            raise SwitchRefused(say(RouteSay.NO_ROUTE_KNOWN))
        other = next((m for m in active if m is not proposal.method), None)
        if other is not None:
            raise SwitchRefused(say(RouteSay.OTHER_METHOD_ON, path=str(self.path_of(other))))
        record = records[proposal.method]
        if proposal.method is RouteMethod.DOTENV:
            return self._plan_dotenv_on(proposal, record)
        return self._plan_system_on(proposal, record)

    def _plan_dotenv_on(self, proposal: RouteProposal, record: RouteRecord | None) -> RouteFixPlan:
        url = _checked_proxy(proposal)
        path = self.home.dotenv_path
        before = read_file(path)
        base = before
        active = record if record is not None and record.active else None
        if active is not None and before is not None:  # on again: from the file without ours
            base = self._dotenv_undo(before, active)[0].after
        try:
            edit = dotenv_edit.plan_on(base, proposal.variables, url, proposal.no_proxy)
        except EditRefused as exc:
            raise SwitchRefused(cannot_edit(path, exc)) from exc
        already = say(
            RouteSay.ALREADY_THROUGH_PROXY,
            proxy=shown(url),
            path=str(path),
            variables=variables_list(proposal.variables),
        )
        if edit is None or edit.after == before:
            return _noop(True, RouteMethod.DOTENV, path, before, already, record, proposal)
        refuse_unwritable(path, SENTENCES[RouteSay.READ_ONLY])
        return RouteFixPlan(
            enable=True,
            method=RouteMethod.DOTENV,
            path=path,
            before=before,
            after=edit.after,
            changes=tuple(_describe_line(change) for change in edit.changes),
            noop=False,
            proposal=proposal,
            lines=edit.changes,
            block=edit.block,
            record=record,
        )

    def _plan_system_on(self, proposal: RouteProposal, record: RouteRecord | None) -> RouteFixPlan:
        path = self.home.config_path
        config = read_toml(path)
        before = config.raw if config is not None else None
        if config is not None and system_edit.respects_system_proxy(config.data):
            already = say(RouteSay.ALREADY_SYSTEM_PROXY, path=str(path))
            return _noop(True, RouteMethod.SYSTEM_PROXY, path, before, already, record, proposal)
        refusals = codex_refusals(path, config.data if config is not None else {})
        if refusals:  # Codex will not load the file at all: the route cannot help there
            raise SwitchRefused(refusals[0])
        try:
            after, edit = system_edit.plan_on(config)
        except EditRefused as exc:
            raise SwitchRefused(cannot_edit(path, exc)) from exc
        refuse_unwritable(path, SENTENCES[RouteSay.READ_ONLY])
        self._let_codex_judge(path, before, after, enable=True)
        return RouteFixPlan(
            enable=True,
            method=RouteMethod.SYSTEM_PROXY,
            path=path,
            before=before,
            after=after,
            changes=(describe_system_edit(edit, undo=False),),
            noop=False,
            proposal=proposal,
            toml_edit=edit,
            record=record,
        )

    def _plan_off(
        self,
        records: dict[RouteMethod, RouteRecord | None],
        active: dict[RouteMethod, RouteRecord],
    ) -> RouteFixPlan:
        if not active:
            path = self.home.dotenv_path
            before = read_file(path)
            record = records[RouteMethod.DOTENV]
            return _noop(False, RouteMethod.DOTENV, path, before, say(RouteSay.NOT_ON), record)
        method, record = next(iter(active.items()))
        if method is RouteMethod.DOTENV:
            return self._plan_dotenv_off(record)
        return self._plan_system_off(record)

    def _plan_dotenv_off(self, record: RouteRecord) -> RouteFixPlan:
        path = self.home.dotenv_path
        before = read_file(path)
        if before is None:
            return self._nothing_left(RouteMethod.DOTENV, path, before, record)
        undo, notes = self._dotenv_undo(before, record)
        if not undo.undone:
            return self._nothing_left(RouteMethod.DOTENV, path, before, record, notes)
        refuse_unwritable(path, SENTENCES[RouteSay.READ_ONLY])
        untouched = sha256(before) == record.after_sha256
        delete = untouched and record.before_sha256 is None and not undo.after
        changes = tuple(_describe_undo(change) for change in undo.undone)
        return RouteFixPlan(
            enable=False,
            method=RouteMethod.DOTENV,
            path=path,
            before=before,
            after=undo.after,
            changes=changes,
            noop=False,
            notes=notes,
            delete_file=delete,
            record=record,
        )

    def _dotenv_undo(
        self, current: bytes, record: RouteRecord
    ) -> tuple[dotenv_edit.DotenvOff, tuple[Text, ...]]:
        """The undo of our lines; a user's old line whose password was not found again stays
        as we set it (it cannot be written back), with a note."""
        lost = [line for line in record.lines if line.old and HIDDEN_PASSWORD in line.old]
        wanted = [line for line in record.lines if line not in lost]
        undo = dotenv_edit.plan_off(current, wanted, record.block)
        notes = [say(RouteSay.KEPT_LINE, name=line.name) for line in undo.kept]
        notes += [say(RouteSay.KEPT_WITHOUT_PASSWORD, name=line.name) for line in lost]
        return undo, tuple(notes)

    def _plan_system_off(self, record: RouteRecord) -> RouteFixPlan:
        path = self.home.config_path
        config = read_toml(path)
        if config is None or record.toml_edit is None:
            return self._nothing_left(RouteMethod.SYSTEM_PROXY, path, None, record)
        after = system_edit.plan_off(config, record.toml_edit)
        if after is None:
            return self._nothing_left(
                RouteMethod.SYSTEM_PROXY, path, config.raw, record, (kept_note(record.toml_edit),)
            )
        refuse_unwritable(path, SENTENCES[RouteSay.READ_ONLY])
        self._let_codex_judge(path, config.raw, after, enable=False)
        untouched = sha256(config.raw) == record.after_sha256
        delete = untouched and record.before_sha256 is None and not after
        return RouteFixPlan(
            enable=False,
            method=RouteMethod.SYSTEM_PROXY,
            path=path,
            before=config.raw,
            after=after,
            changes=(describe_system_edit(record.toml_edit, undo=True),),
            noop=False,
            delete_file=delete,
            record=record,
        )

    def _nothing_left(
        self,
        method: RouteMethod,
        path: Path,
        before: bytes | None,
        record: RouteRecord,
        notes: tuple[Text, ...] = (),
    ) -> RouteFixPlan:
        nothing = say(RouteSay.NOTHING_LEFT, path=str(path))
        return _noop(False, method, path, before, nothing, record, notes=notes)

    def _let_codex_judge(
        self, path: Path, before: bytes | None, after: bytes, *, enable: bool
    ) -> None:
        """Codex itself must accept config.toml before "on" and after either change (the
        switch's rule: "off" of a file Codex already refuses only removes our line)."""
        let_codex_judge(
            self.judge,
            path,
            before,
            after,
            enable=enable,
            refused_before=SENTENCES[RouteSay.CODEX_REFUSES_IT],
        )

    def _records(self, *, strict: bool) -> dict[RouteMethod, RouteRecord | None]:
        """The record of each file; with `strict`, one that cannot be read stops the fix
        (taken as absent, "off" would leave our lines behind)."""
        records: dict[RouteMethod, RouteRecord | None] = {}
        for method in RouteMethod:
            try:
                records[method] = self.store.load(self.path_of(method), strict=strict)
            except OSError as exc:
                raise SwitchFailed(
                    say(
                        RouteSay.RECORD_UNREADABLE,
                        folder=str(self.store.state_dir),
                        reason=exc.strerror or str(exc),
                    )
                ) from exc
        return records

    # ----- applying (`file_edit.transaction`: lock, re-plan, backup, record, replace) -------

    def _lock_paths(self, plan: RouteFixPlan) -> Sequence[Path]:
        """The route fix's lock, then the switch's lock of config.toml (always in this
        order, and the switch takes only its own: no deadlock)."""
        switch_lock = SwitchStateStore(self.store.state_dir).lock_path_for(self.home.config_path)
        return (self.store.lock_path, switch_lock)

    def _record_now(self, plan: RouteFixPlan) -> RouteRecord | None:
        return self._records(strict=True)[plan.method]

    def _replan(self, plan: RouteFixPlan) -> RouteFixPlan:
        return self.plan(plan.enable, plan.proposal)

    def _record_on(self, plan: RouteFixPlan, backup: Path | None, when: str) -> RouteRecord:
        """What "on" wrote; an "on" again keeps the checksum of the file before the first."""
        proposal = plan.proposal
        assert proposal is not None
        previous = plan.record
        original = previous.before_sha256 if previous and previous.active else sha256(plan.before)
        return RouteRecord(
            path=str(target_of(plan.path)),
            method=plan.method,
            active=True,
            switched_at=when,
            before_sha256=original,
            after_sha256=sha256(plan.after),
            proxy_url=proposal.proxy_url,
            variables=proposal.variables,
            lines=plan.lines,
            block=plan.block,
            toml_edit=plan.toml_edit,
            backup=str(backup) if backup else None,
        )

    def _record_off(self, plan: RouteFixPlan, backup: Path | None, when: str) -> RouteRecord | None:
        previous = plan.record
        if previous is None:
            return None
        return replace(previous.finished(when), backup=str(backup) if backup else None)

    def _result_message(self, plan: RouteFixPlan, backup: Path | None) -> Text:
        proposal = plan.proposal
        return result_message(
            enable=plan.enable,
            method=plan.method,
            proxy_url=proposal.proxy_url if proposal else None,
            variables=proposal.variables if proposal else (),
            path=plan.path,
            created=plan.before is None,
            removed_file=plan.delete_file,
            changes=plan.changes,
            backup=backup,
        )

    def _record_problem(self, path: Path, exc: OSError) -> Text:
        return say(
            RouteSay.RECORD_UNSAVED,
            folder=str(self.store.state_dir),
            reason=exc.strerror or str(exc),
            path=str(path),
        )


def _noop(
    enable: bool,
    method: RouteMethod,
    path: Path,
    before: bytes | None,
    why: Text,
    record: RouteRecord | None,
    proposal: RouteProposal | None = None,
    *,
    notes: tuple[Text, ...] = (),
) -> RouteFixPlan:
    """A plan that writes nothing: the file stays as read, `why` says so."""
    return RouteFixPlan(
        enable=enable,
        method=method,
        path=path,
        before=before,
        after=before or b"",
        changes=(why,),
        noop=True,
        notes=notes,
        proposal=proposal,
        record=record,
    )


def reapply_proposal(status: RouteFixStatus) -> RouteProposal | None:
    """The route an active fix writes, to put it back after it was taken out (the undo of an
    automatic undo); None when it cannot be told again exactly, e.g. a proxy login the
    record keeps only as a stand-in."""
    if not status.active or status.method is None:
        return None
    if status.method is RouteMethod.SYSTEM_PROXY:
        return RouteProposal(RouteMethod.SYSTEM_PROXY, None)
    url = status.proxy_url
    if not url or HIDDEN_PASSWORD in url:
        return None
    try:
        return proxy_proposal(url)
    except SwitchRefused:
        return None


def _checked_proxy(proposal: RouteProposal) -> str:
    url = (proposal.proxy_url or "").strip()
    try:
        parse_proxy(url, WEBSOCKET_PROXY_KINDS, bare_is_http=False)
    except ProxySchemeError as exc:
        raise SwitchRefused(say(RouteSay.BAD_PROXY, proxy=shown(url) or '""')) from exc
    names = proposal.variables
    if (
        not names
        or any(name not in ROUTE_VARIABLES for name in names)
        or len(set(names)) < len(names)
    ):
        raise SwitchRefused(say(RouteSay.BAD_VARIABLES, variables=variables_list(names)))
    return url


def _describe_line(change: LineChange) -> Text:
    if change.old is None:
        return say(RouteSay.ADDED_LINE, name=change.name, value=shown(change.value))
    old = dotenv_value(change.old)
    return say(RouteSay.CHANGED_LINE, name=change.name, old=shown(old), value=shown(change.value))


def _describe_undo(change: LineChange) -> Text:
    if change.old is None:
        return say(RouteSay.REMOVED_LINE, name=change.name, value=shown(change.value))
    return say(RouteSay.RESTORED_LINE, name=change.name, value=shown(dotenv_value(change.old)))


def dotenv_value(line: str) -> str:
    """The value a single `.env` line sets, read as written (for sentences)."""
    entries = list(dotenv_entries(f"{line}\n".encode(), {}))
    return entries[-1].value if entries else line
