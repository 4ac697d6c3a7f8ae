"""What every change of Codex's files checks before it plans or writes: that Codex's folder
is usable, that the file can be read (never waiting on a FIFO), that config.toml parses, that
the file may be replaced (not read-only, not hard-linked), and that Codex itself accepts
config.toml before and after. Each refusal is a `SwitchRefused` (or `SwitchFailed`) whose
sentence says why; the file is left as it was.
"""

from __future__ import annotations

import stat
from pathlib import Path

from codex_link.core.codex.codex_judge import CodexConfigJudge
from codex_link.core.codex.config_file import ConfigParseError, ConfigText, read_config
from codex_link.core.codex.file_edit.errors import ConfigRefused, SwitchFailed, SwitchRefused
from codex_link.core.codex.file_edit.messages import EditSay, io_problem, say
from codex_link.core.codex.findings import home_findings
from codex_link.core.codex.settings import SETTINGS_KEYS
from codex_link.core.files.safe_write import read_bytes, target_of
from codex_link.core.model.codex_home import CodexHome
from codex_link.core.model.text import text


def refuse_unusable_home(home: CodexHome) -> None:
    """Codex's folder is missing, a file or closed to us: that one sentence, not a
    refusal for every file inside it."""
    problems = home_findings(home)
    if problems:
        raise SwitchRefused(problems[0].message)


def read_file(path: Path) -> bytes | None:
    """The file's bytes (through a symlink); None when it is missing."""
    try:
        return read_bytes(target_of(path))
    except OSError as exc:  # a FIFO, a folder, no permission: never waited on
        raise SwitchFailed(io_problem(path, exc, writing=False)) from exc


def read_toml(path: Path) -> ConfigText | None:
    """config.toml parsed (the settings' keys); malformed TOML is `ConfigRefused`."""
    try:
        return read_config(path, SETTINGS_KEYS)
    except ConfigParseError as exc:
        raise ConfigRefused(exc.error) from exc
    except OSError as exc:
        raise SwitchFailed(io_problem(path, exc, writing=False)) from exc


def refuse_unwritable(path: Path, read_only: str) -> None:
    """A read-only or hard-linked file is left alone, with the reason.

    Read-only (its owner may not write it, e.g. mode 0444): the user locked the file on
    purpose, and Codex could not save to it either; replacing it (which the folder allows)
    would silently undo that. `read_only` is the sentence that says so, with `{path}`. A
    read-only file system is not this case: the write itself fails and says so.
    Hard-linked: an atomic replace gives this name a new file and leaves the other names
    with the old settings, silently splitting them; writing in place could tear the file on
    a crash. So both are refused with what to do instead.
    """
    target = target_of(path)
    try:
        info = target.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise SwitchFailed(io_problem(path, exc, writing=False)) from exc
    if not info.st_mode & stat.S_IWUSR:  # marked read-only (chmod a-w, Windows attribute)
        raise SwitchRefused(text(read_only, path=str(target)))
    if info.st_nlink > 1:
        raise SwitchRefused(say(EditSay.HARD_LINKED, path=str(target), count=info.st_nlink))


def let_codex_judge(
    judge: CodexConfigJudge | None,
    path: Path,
    before: bytes | None,
    after: bytes | None,
    *,
    enable: bool,
    refused_before: str,
) -> None:
    """Codex itself (the real CLI, when installed) must accept config.toml before "on" and
    after either change; `after` None is the file removed.

    Before "on": a file Codex refuses is not fixed by this change, and the user must hear
    Codex's own reason (`refused_before`, with `{path}` and `{reason}`), not "done". After:
    never write a file Codex would refuse. "Off" of a file Codex already refuses is let
    through: it only removes our lines.
    """
    if judge is None:
        return
    verdict = judge.judge(before)
    if verdict is not None and not verdict.accepted:
        if enable:
            raise SwitchRefused(text(refused_before, path=str(path), reason=verdict.reason))
        return
    verdict = judge.judge(after)
    if verdict is not None and not verdict.accepted:
        raise SwitchRefused(say(EditSay.CODEX_WOULD_REFUSE, path=str(path), reason=verdict.reason))
