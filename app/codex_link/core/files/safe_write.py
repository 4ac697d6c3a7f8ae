"""Writing a file so that it is always whole: the old bytes or the new ones, never a mix.

Used for config.toml, its backup and the switch's state file. The new bytes go to a temporary
file in the same folder (so the final rename stays on one file system and is atomic), are
flushed to disk, and only then replace the file with `os.replace`; the folder is synced so
the rename itself survives a power cut. Right before replacing, the file is read again and
compared with what the caller planned from: if someone else saved it meanwhile, nothing is
replaced and the caller plans again. A symlinked file is written through to its target, so
the link stays a link; the file's permission bits (and owner, where allowed) are kept.
"""

from __future__ import annotations

import contextlib
import glob
import os
import stat
import tempfile
from datetime import datetime
from pathlib import Path

from codex_link.core.files.regular_file import read_regular_file

NEW_FILE_MODE = 0o600  # config.toml may hold tokens (experimental_bearer_token, headers)
NEW_DIR_MODE = 0o700
TEMP_SUFFIX = ".codex-link.tmp"


def target_of(path: Path) -> Path:
    """The file a write to `path` must replace: the end of its symlink chain, if any."""
    return Path(os.path.realpath(path))


def read_bytes(path: Path) -> bytes | None:
    """The file's bytes now, or None when it does not exist (never blocks on a FIFO)."""
    return read_regular_file(path)


def replace_if_unchanged(path: Path, expected: bytes | None, new: bytes) -> bool:
    """Atomically writes `new` to `path` unless the file no longer holds `expected`.

    `expected=None` means "the file must still be missing". Returns False (and writes
    nothing) when the file changed since the caller read it. OSError (permission denied,
    disk full...) passes through, with the original file untouched and no temp file left.
    """
    target = target_of(path)
    try:
        info: os.stat_result | None = target.stat()
    except FileNotFoundError:
        info = None
    mode = stat.S_IMODE(info.st_mode) if info is not None else NEW_FILE_MODE
    temp: Path | None = _write_temp(target, new, mode)
    try:
        assert temp is not None
        if info is not None and hasattr(os, "chown"):  # POSIX only
            with contextlib.suppress(OSError):  # only root may give a file away
                os.chown(temp, info.st_uid, info.st_gid)
        if read_bytes(target) != expected:
            return False
        temp.replace(target)
        temp = None
        sync_dir(target.parent)
        return True
    finally:
        if temp is not None:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()


def remove_if_unchanged(path: Path, expected: bytes) -> bool:
    """Deletes the file (the link's target, and the link) if it still holds `expected`."""
    target = target_of(path)
    if read_bytes(target) != expected:
        return False
    target.unlink()
    if path.is_symlink():
        path.unlink()
    sync_dir(target.parent)
    return True


def write_atomic(path: Path, new: bytes, mode: int = NEW_FILE_MODE) -> None:
    """Replaces `path` with `new` whatever it holds now (for files only the app writes)."""
    target = target_of(path)
    temp: Path | None = _write_temp(target, new, mode)
    try:
        assert temp is not None
        temp.replace(target)
        temp = None
        sync_dir(target.parent)
    finally:
        if temp is not None:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()


def backup_name(path: Path, now: datetime) -> Path:
    """The first free `<name>.codex-link-<YYYYmmdd-HHMMSS>[-N].bak` beside `path`."""
    stamp = now.strftime("%Y%m%d-%H%M%S")
    for counter in range(1, 1000):
        suffix = "" if counter == 1 else f"-{counter}"
        backup = path.with_name(f"{path.name}.codex-link-{stamp}{suffix}.bak")
        if not (backup.exists() or backup.is_symlink()):
            return backup
    raise FileExistsError(f"too many backups of {path} at {stamp}")


def write_backup(path: Path, content: bytes, now: datetime, name: Path | None = None) -> Path:
    """Saves `content` beside `path` as a backup (at `name`, or the first free name).

    The backup gets the file's own permission bits (it holds the same secrets) and never
    overwrites an earlier backup: a `name` that is taken raises FileExistsError.
    """
    try:
        mode = stat.S_IMODE(target_of(path).stat().st_mode)
    except FileNotFoundError:
        mode = NEW_FILE_MODE
    while True:
        backup = name or backup_name(path, now)
        temp = _write_temp(backup, content, mode)
        try:
            os.link(temp, backup)  # fails if the name appeared meanwhile: never overwrite
        except FileExistsError:
            if name is not None:
                raise
            continue
        except OSError:  # no hard links here (some network or FAT drives): plain rename
            temp.replace(backup)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
        sync_dir(backup.parent)
        return backup


def remove_stale_temps(path: Path) -> list[Path]:
    """Deletes the temp files that killed writes of `path` (and of its backups) left behind.

    Every write of these files happens under the switch lock, so while the caller holds it a
    temp file of ours can only be one whose writer died. Returns what was removed.
    """
    target = target_of(path)
    removed: list[Path] = []
    try:
        found = list(target.parent.glob(f".{glob.escape(target.name)}.*{TEMP_SUFFIX}"))
    except OSError:
        return removed
    for temp in found:
        with contextlib.suppress(OSError):
            temp.unlink()
            removed.append(temp)
    return removed


def ensure_dir(path: Path) -> bool:
    """Creates a folder (private to the user) when missing; True if it was created."""
    if path.is_dir():
        return False
    path.mkdir(mode=NEW_DIR_MODE, parents=True, exist_ok=True)
    return True


def sync_dir(folder: Path) -> None:
    """Makes a rename in `folder` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _write_temp(target: Path, content: bytes, mode: int) -> Path:
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX)
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        temp.chmod(mode)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    return temp
