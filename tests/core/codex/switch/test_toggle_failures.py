"""Things going wrong mid-switch: nothing half-written, nothing clobbered, clear words.

Tests run as root, where chmod cannot make a folder read-only, so "permission denied" is
injected where the operating system would raise it.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from codex_link.core.codex.switch.toggle import SwitchFailed
from codex_link.core.files import safe_write
from tests.corpus.loader import CONFIGS
from tests.corpus.switching import make_switch, read

REPO = Path(__file__).resolve().parents[4]
ORIGINAL = (CONFIGS / "07_comment_above_first_header.toml").read_bytes()


class Crash(BaseException):
    """Stands for the process dying at that point."""


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_permission_denied_on_replace_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    switch = make_switch(tmp_path, ORIGINAL)
    plan = switch.plan(True)

    real_replace = os.replace

    def denied(src: str | Path, dst: str | Path) -> None:
        if Path(dst).name == "config.toml":
            raise PermissionError(13, "Permission denied", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", denied)
    with pytest.raises(SwitchFailed) as failed:
        switch.apply(plan)
    words = str(failed.value.reason)
    assert "Could not save" in words and "Permission denied" in words
    assert "Nothing was changed" in words
    assert read(switch.path) == ORIGINAL
    assert not [name for name in listing(switch.path.parent) if name.endswith(".tmp")]
    assert not switch.status().ours  # the state file does not claim a switch
    monkeypatch.undo()
    switch.apply(switch.plan(True))  # works once the folder is writable again
    assert switch.status().ours


def test_a_read_only_folder_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    switch = make_switch(tmp_path, ORIGINAL)
    plan = switch.plan(True)
    real_mkstemp = tempfile.mkstemp

    def no_new_files(*args: object, dir: str | Path | None = None, **kw: object) -> object:
        if dir is not None and Path(dir) == switch.path.parent:
            raise PermissionError(13, "Permission denied", str(dir))
        return real_mkstemp(*args, dir=dir, **kw)  # type: ignore[call-overload]

    monkeypatch.setattr(tempfile, "mkstemp", no_new_files)
    with pytest.raises(SwitchFailed) as failed:
        switch.apply(plan)
    assert "Permission denied" in str(failed.value.reason)
    assert listing(switch.path.parent) == ["config.toml"]
    assert read(switch.path) == ORIGINAL
    assert not switch.status().ours


def test_an_unreadable_file_is_a_clear_refusal(tmp_path: Path) -> None:
    """A named pipe where config.toml should be: refused at once, never waited on."""
    switch = make_switch(tmp_path, None)
    os.mkfifo(switch.path)
    with pytest.raises(SwitchFailed) as failed:
        switch.plan(True)
    assert "Could not read" in str(failed.value.reason)
    assert "named pipe" in str(failed.value.reason)
    status = switch.status()
    assert status.config_error is not None and "named pipe" in status.config_error.message
    assert stat.S_ISFIFO(switch.path.lstat().st_mode)


def test_a_crash_between_temp_write_and_replace_leaves_the_original_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    switch = make_switch(tmp_path, ORIGINAL)
    plan = switch.plan(True)

    def crash(src: object, dst: object) -> None:
        raise Crash

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(Crash):
        switch.apply(plan)
    monkeypatch.undo()
    assert read(switch.path) == ORIGINAL
    assert [n for n in listing(switch.path.parent) if n.endswith(safe_write.TEMP_SUFFIX)] == []
    assert not switch.status().ours


def test_a_file_saved_by_someone_else_meanwhile_is_planned_again_not_clobbered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    switch = make_switch(tmp_path, ORIGINAL)
    plan = switch.plan(True)
    real_write_temp = safe_write._write_temp
    edits: list[bool] = []

    def editor_saves_meanwhile(target: Path, content: bytes, mode: int) -> Path:
        temp = real_write_temp(target, content, mode)
        if target == switch.path and not edits:  # the user's editor saves right now
            edits.append(True)
            switch.path.write_bytes(b"# saved in the editor\n" + ORIGINAL)
        return temp

    monkeypatch.setattr(safe_write, "_write_temp", editor_saves_meanwhile)
    result = switch.apply(plan)
    after = read(switch.path)
    assert result.changed and edits and after is not None
    assert after.startswith(b"# saved in the editor\n")  # their change is kept...
    assert b'model_provider = "openai_http"' in after  # ...and ours is made on top of it
    assert after != plan.after
    monkeypatch.undo()
    switch.apply(switch.plan(False))
    assert read(switch.path) == b"# saved in the editor\n" + ORIGINAL


def test_a_symlinked_config_keeps_its_link(tmp_path: Path) -> None:
    switch = make_switch(tmp_path, None)
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    (dotfiles / "codex.toml").write_bytes(ORIGINAL)
    switch.path.symlink_to(dotfiles / "codex.toml")
    result = switch.apply(switch.plan(True))
    assert switch.path.is_symlink()
    assert b"openai_http" in (dotfiles / "codex.toml").read_bytes()
    assert result.backup is not None and result.backup.parent == switch.path.parent
    assert listing(dotfiles) == ["codex.toml"]
    switch.apply(switch.plan(False))
    assert switch.path.is_symlink() and (dotfiles / "codex.toml").read_bytes() == ORIGINAL


def test_the_file_mode_is_kept(tmp_path: Path) -> None:
    switch = make_switch(tmp_path, ORIGINAL)
    switch.path.chmod(0o640)
    result = switch.apply(switch.plan(True))
    assert stat.S_IMODE(switch.path.stat().st_mode) == 0o640
    assert result.backup is not None and stat.S_IMODE(result.backup.stat().st_mode) == 0o640
    switch.apply(switch.plan(False))
    assert stat.S_IMODE(switch.path.stat().st_mode) == 0o640


def test_an_unwritable_state_folder_stops_on_before_the_config_is_touched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    switch = make_switch(tmp_path, ORIGINAL)
    plan = switch.plan(True)

    def denied(record: object) -> None:
        raise PermissionError(13, "Permission denied", str(tmp_path / "state"))

    monkeypatch.setattr(switch.store, "save", denied)
    with pytest.raises(SwitchFailed) as failed:
        switch.apply(plan)
    words = str(failed.value.reason)
    assert "record" in words and str(tmp_path / "state") in words
    assert "Nothing was changed" in words
    assert read(switch.path) == ORIGINAL


def test_a_really_read_only_codex_folder_gets_a_clear_message(tmp_path: Path) -> None:
    """A read-only bind mount in a private mount namespace (needs root and `unshare`)."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare for a private read-only mount")
    home = tmp_path / "codex"
    home.mkdir()
    (home / "config.toml").write_bytes(ORIGINAL)
    script = (
        f'mount --bind "{home}" "{home}" && mount -o remount,bind,ro "{home}" && '
        f'exec "{sys.executable}" -m codex_link http-only on'
    )
    env = {**os.environ, "CODEX_HOME": str(home)}
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if "mount:" in done.stderr or "unshare:" in done.stderr:
        pytest.skip(f"mount namespaces are not allowed here: {done.stderr.strip()}")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Could not save" in done.stderr and "Nothing was changed" in done.stderr
    assert listing(home) == ["config.toml"]
    assert (home / "config.toml").read_bytes() == ORIGINAL


def _in_full_tmpfs(tmp_path: Path, config_on_tmpfs: bool) -> dict[str, str]:
    """Runs `on` twice on a really full disk, then once after space is freed, all inside a
    private mount namespace with a small tmpfs (needs root and `unshare`). Returns what each
    step printed and which files were there."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare for a private tmpfs")
    disk, out, other = tmp_path / "disk", tmp_path / "out", tmp_path / "other"
    for folder in (disk, out, other):
        folder.mkdir()
    codex = disk / "codex" if config_on_tmpfs else other / "codex"
    data = other / "data" if config_on_tmpfs else disk / "data"
    original = tmp_path / "original.toml"
    original.write_bytes(ORIGINAL)
    run = (
        f'CODEX_HOME="{codex}" XDG_DATA_HOME="{data}" "{sys.executable}" -m codex_link http-only on'
    )
    script = "\n".join(
        [
            "set -u",
            f'mount -t tmpfs -o size=128k tmpfs "{disk}" || exit 99',
            f'mkdir -p "{codex}" "{data}" && cp "{original}" "{codex}/config.toml"',
            f'dd if=/dev/zero of="{disk}/filler" bs=1k 2>/dev/null',
            f'{run} > "{out}/on1" 2>&1; echo $? > "{out}/on1.rc"; ls -A "{codex}" > "{out}/ls1"',
            f'{run} > "{out}/on2" 2>&1; echo $? > "{out}/on2.rc"; ls -A "{codex}" > "{out}/ls2"',
            f'rm "{disk}/filler"',
            f'{run} > "{out}/on3" 2>&1; echo $? > "{out}/on3.rc"; ls -A "{codex}" > "{out}/ls3"',
            f'cp "{codex}/config.toml" "{out}/final"',
        ]
    )
    done = subprocess.run(
        ["unshare", "-m", "--propagation", "private", "sh", "-c", script],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode == 99 or "unshare:" in done.stderr:
        pytest.skip(f"a private tmpfs is not allowed here: {done.stderr.strip()}")
    return {p.name: p.read_text(errors="replace") for p in out.iterdir()}


@pytest.mark.parametrize("full", ["config folder", "data folder"])
def test_a_really_full_disk_changes_nothing_leaves_nothing_and_a_retry_works(
    tmp_path: Path, full: str
) -> None:
    seen = _in_full_tmpfs(tmp_path, config_on_tmpfs=full == "config folder")
    for attempt in ("on1", "on2"):  # the first try, and a retry on the still full disk
        assert seen[f"{attempt}.rc"].strip() == "1", seen[attempt]
        assert "Nothing was changed" in seen[attempt], seen[attempt]
        assert "No space left on device" in seen[attempt], seen[attempt]
        assert seen[f"ls{attempt[-1]}"].split() == ["config.toml"]  # no backup, no temp file
    assert seen["on3.rc"].strip() == "0", seen["on3"]
    names = seen["ls3"].split()
    assert len(names) == 2 and names[0] == "config.toml" and names[1].endswith(".bak")
    assert 'model_provider = "openai_http"' in seen["final"]
